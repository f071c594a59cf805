//! The events of an order's log: what happened, when, where it came from and who did it.

use crate::model::access::Role;
use crate::model::order::channel::{Channel, Source};
use crate::model::order::exceptions::{ExceptionCode, ExceptionFacts};
use crate::model::order::ids::{ComponentId, OrderId, ParcelId, RequestId};
use crate::model::order::money::Money;
use crate::model::order::refusal::Refusal;
use crate::model::order::request::{Ask, ContactChange, Outcome};
use crate::model::order::status::Stage;
use crate::model::order::{Component, Customer};
use crate::model::route::RouteDecision;
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use std::fmt;

/// Who caused an event.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum Actor {
    /// The buyer, acting through a channel (paid, asked for a refund).
    Customer,
    /// An automatic process: an integration, a detector, the demo simulator.
    System { name: String },
    /// A signed-in member of staff, in the role the action was taken in.
    Staff {
        user_id: String,
        name: String,
        role: Role,
    },
    /// A caller of the control room that has not been identified.
    Anonymous,
}

impl fmt::Display for Actor {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Actor::Customer => f.write_str("Customer"),
            Actor::System { name } => write!(f, "{name} (automatic)"),
            Actor::Staff { name, role, .. } => write!(f, "{name} ({role})"),
            Actor::Anonymous => f.write_str("Unidentified caller"),
        }
    }
}

/// What a carrier scan says about a parcel.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ScanKind {
    PickedUp,
    InTransit,
    Customs,
    OutForDelivery,
    Delivered,
    /// Delivery failed or the parcel is stuck; cleared by the next progress scan.
    Exception,
}

impl ScanKind {
    /// The main-line stage a progress scan reports; `None` for an exception.
    pub fn stage(self) -> Option<Stage> {
        match self {
            ScanKind::PickedUp => Some(Stage::PickedUp),
            ScanKind::InTransit => Some(Stage::InTransit),
            ScanKind::Customs => Some(Stage::Customs),
            ScanKind::OutForDelivery => Some(Stage::OutForDelivery),
            ScanKind::Delivered => Some(Stage::Delivered),
            ScanKind::Exception => None,
        }
    }
}

/// Every kind of thing that can happen to an order. Amounts are [`Money`] in
/// the log, [`crate::model::access::Seen`] amounts through a lens.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(
    tag = "type",
    rename_all = "snake_case",
    bound(serialize = "A: Serialize", deserialize = "A: Deserialize<'de>")
)]
pub enum EventKind<A = Money> {
    OrderPlaced {
        channel: Channel,
        channel_order_id: String,
        customer: Customer,
        components: Vec<Component<A>>,
        total: A,
    },
    PaymentCaptured {
        amount: A,
    },
    OrderConfirmed,
    WarehouseAllocated {
        warehouse: String,
    },
    PickingStarted,
    ParcelPacked {
        parcel: ParcelId,
        components: Vec<ComponentId>,
    },
    ParcelShipped {
        parcel: ParcelId,
        carrier: String,
        waybill: String,
    },
    CarrierScan {
        waybill: String,
        scan: ScanKind,
        location: Option<String>,
        detail: String,
    },
    /// The warehouse sent the packed parcel's shipment notice to `carrier`;
    /// the waybill comes back with `parcel_shipped`.
    ShipmentNotified {
        parcel: ParcelId,
        carrier: String,
    },
    /// Customs declaration attributes of a cross-border order (`hs_code`,
    /// `declared_value`, …), added to those declared before.
    CustomsDeclared {
        fields: BTreeMap<String, String>,
    },
    /// The channel's promise to the buyer: delivered by `by`.
    DeliveryPromised {
        by: DateTime<Utc>,
    },
    /// The router's decision on where the order ships from, with everything
    /// it decided from (see [`crate::model::route`]).
    RouteProposed {
        decision: Box<RouteDecision>,
    },
    /// A person accepted the router's proposal.
    RouteAccepted {
        warehouse: String,
    },
    /// A person chose another warehouse than the router proposed, for `reason`.
    RouteOverridden {
        warehouse: String,
        reason: String,
    },
    HoldPlaced {
        reason: String,
    },
    /// The hold ends; the reason is empty in logs written before releases
    /// carried one.
    HoldReleased {
        #[serde(default, skip_serializing_if = "String::is_empty")]
        reason: String,
    },
    OrderCancelled {
        reason: String,
    },
    RefundRequested {
        amount: A,
        reason: String,
    },
    RefundDeclined {
        reason: String,
    },
    Refunded {
        amount: A,
    },
    ReturnRequested {
        reason: String,
    },
    ReturnReceived,
    /// Raises an exception on the order, or on one of its parcels (see
    /// [`crate::model::order::exceptions`]).
    ExceptionRaised {
        code: ExceptionCode,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        parcel: Option<ParcelId>,
        /// Why, in words (a person, another system); may be empty when `facts`
        /// say why.
        #[serde(default, skip_serializing_if = "String::is_empty")]
        detail: String,
        /// Why, as facts (a detector); the words are made when shown.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        facts: Option<ExceptionFacts>,
    },
    /// Clears the exception with `code` on `parcel`, or everywhere on the order
    /// when no parcel is named. Clearing one that is not open changes nothing.
    ExceptionCleared {
        code: ExceptionCode,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        parcel: Option<ParcelId>,
    },
    /// A person took the open exception on.
    ExceptionClaimed {
        code: ExceptionCode,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        parcel: Option<ParcelId>,
    },
    /// A person set the open exception aside until `until`, for `reason`.
    ExceptionSnoozed {
        code: ExceptionCode,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        parcel: Option<ParcelId>,
        until: DateTime<Utc>,
        reason: String,
    },
    /// A person settled the open exception, for `reason`: it closes, and a
    /// detector does not raise it again for the same condition.
    ExceptionResolved {
        code: ExceptionCode,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        parcel: Option<ParcelId>,
        reason: String,
    },
    NoteAdded {
        text: String,
    },
    /// New delivery details for what is not packed yet (see
    /// [`crate::model::order::request`] for parcels already on their way).
    ContactChanged {
        contact: ContactChange,
        reason: String,
    },
    /// A request to a warehouse or carrier, pending until its outcome.
    RequestMade {
        request: RequestId,
        ask: Ask,
        reason: String,
    },
    /// What became of a request, as the warehouse or carrier reports it.
    RequestSettled {
        request: RequestId,
        outcome: Outcome,
        #[serde(default, skip_serializing_if = "String::is_empty")]
        detail: String,
    },
    /// Another system reported a status value that changes nothing here: not
    /// mapped yet, or not applicable to the order's state. Kept so nothing
    /// reported is lost.
    StatusReported {
        dialect: String,
        value: String,
        note: String,
        /// Why the fact behind it was not applied, when it was refused: data,
        /// not words, so amounts stay fields a lens withholds (the words are
        /// made from it when shown; see `crate::i18n::words::not_applied`).
        #[serde(default, skip_serializing_if = "Option::is_none")]
        not_applied: Option<NotApplied<A>>,
    },
}

/// Why a fact another system reported was not applied to the order: the
/// refusal as data (amounts as fields a lens withholds); words are made from
/// it where it is shown.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum NotApplied<A = Money> {
    /// A refund larger than what may still be refunded.
    RefundTooLarge { requested: A, refundable: A },
    /// A payment of zero or less (its amount is not kept).
    PaymentNotPositive,
    /// A payment of more than what is still owed (its amounts are not kept).
    PaymentTooLarge,
    /// Any other refusal of the lifecycle; none of these names an amount.
    Refused { refusal: Refusal },
    /// A refusal kept in words by an older version of the log.
    Other { reason: String },
}

impl NotApplied {
    /// The note a refused fact is kept with; the reason follows as data.
    pub const NOTE: &'static str = "not applied";

    pub fn of(refusal: &Refusal) -> NotApplied {
        match refusal {
            Refusal::RefundTooLarge {
                requested,
                refundable,
            } => NotApplied::RefundTooLarge {
                requested: *requested,
                refundable: *refundable,
            },
            // The payment refusals name amounts; kept here, they do not.
            Refusal::PaymentNotPositive(_) => NotApplied::PaymentNotPositive,
            Refusal::PaymentTooLarge { .. } => NotApplied::PaymentTooLarge,
            other => NotApplied::Refused {
                refusal: other.clone(),
            },
        }
    }
}

impl<A> NotApplied<A> {
    /// The same reason with every amount mapped by `f`.
    pub fn map_amounts<B>(&self, f: &impl Fn(A) -> B) -> NotApplied<B>
    where
        A: Copy,
    {
        match self {
            NotApplied::RefundTooLarge {
                requested,
                refundable,
            } => NotApplied::RefundTooLarge {
                requested: f(*requested),
                refundable: f(*refundable),
            },
            NotApplied::PaymentNotPositive => NotApplied::PaymentNotPositive,
            NotApplied::PaymentTooLarge => NotApplied::PaymentTooLarge,
            NotApplied::Refused { refusal } => NotApplied::Refused {
                refusal: refusal.clone(),
            },
            NotApplied::Other { reason } => NotApplied::Other {
                reason: reason.clone(),
            },
        }
    }
}

impl<A> EventKind<A> {
    /// Whether an event of this kind can raise or clear an exception (for
    /// following the exception queue live).
    pub fn may_change_exceptions(&self) -> bool {
        matches!(
            self,
            EventKind::ExceptionRaised { .. }
                | EventKind::ExceptionCleared { .. }
                | EventKind::ExceptionClaimed { .. }
                | EventKind::ExceptionSnoozed { .. }
                | EventKind::ExceptionResolved { .. }
                | EventKind::WarehouseAllocated { .. }
                | EventKind::CarrierScan { .. }
                | EventKind::ParcelShipped { .. }
                | EventKind::OrderCancelled { .. }
                | EventKind::Refunded { .. }
        )
    }

    /// Whether an event of this kind can change whom the order goes to (a
    /// change of delivery details, or a confirmed re-label or redirect).
    pub fn may_change_contact(&self) -> bool {
        matches!(
            self,
            EventKind::ContactChanged { .. } | EventKind::RequestSettled { .. }
        )
    }

    /// The stable machine name of the kind (`parcel_shipped`).
    pub fn name(&self) -> &'static str {
        match self {
            EventKind::OrderPlaced { .. } => "order_placed",
            EventKind::PaymentCaptured { .. } => "payment_captured",
            EventKind::OrderConfirmed => "order_confirmed",
            EventKind::WarehouseAllocated { .. } => "warehouse_allocated",
            EventKind::PickingStarted => "picking_started",
            EventKind::ParcelPacked { .. } => "parcel_packed",
            EventKind::ParcelShipped { .. } => "parcel_shipped",
            EventKind::CarrierScan { .. } => "carrier_scan",
            EventKind::ShipmentNotified { .. } => "shipment_notified",
            EventKind::CustomsDeclared { .. } => "customs_declared",
            EventKind::DeliveryPromised { .. } => "delivery_promised",
            EventKind::RouteProposed { .. } => "route_proposed",
            EventKind::RouteAccepted { .. } => "route_accepted",
            EventKind::RouteOverridden { .. } => "route_overridden",
            EventKind::HoldPlaced { .. } => "hold_placed",
            EventKind::HoldReleased { .. } => "hold_released",
            EventKind::OrderCancelled { .. } => "order_cancelled",
            EventKind::RefundRequested { .. } => "refund_requested",
            EventKind::RefundDeclined { .. } => "refund_declined",
            EventKind::Refunded { .. } => "refunded",
            EventKind::ReturnRequested { .. } => "return_requested",
            EventKind::ReturnReceived => "return_received",
            EventKind::ExceptionRaised { .. } => "exception_raised",
            EventKind::ExceptionCleared { .. } => "exception_cleared",
            EventKind::ExceptionClaimed { .. } => "exception_claimed",
            EventKind::ExceptionSnoozed { .. } => "exception_snoozed",
            EventKind::ExceptionResolved { .. } => "exception_resolved",
            EventKind::NoteAdded { .. } => "note_added",
            EventKind::ContactChanged { .. } => "contact_changed",
            EventKind::RequestMade { .. } => "request_made",
            EventKind::RequestSettled { .. } => "request_settled",
            EventKind::StatusReported { .. } => "status_reported",
        }
    }
}

impl<A: Copy> EventKind<A> {
    /// The same event with every amount mapped by `f` (how a lens shows it).
    pub fn map_amounts<B>(&self, f: &impl Fn(A) -> B) -> EventKind<B> {
        match self {
            EventKind::OrderPlaced {
                channel,
                channel_order_id,
                customer,
                components,
                total,
            } => EventKind::OrderPlaced {
                channel: *channel,
                channel_order_id: channel_order_id.clone(),
                customer: customer.clone(),
                components: components.iter().map(|c| c.map_amounts(f)).collect(),
                total: f(*total),
            },
            EventKind::PaymentCaptured { amount } => {
                EventKind::PaymentCaptured { amount: f(*amount) }
            }
            EventKind::OrderConfirmed => EventKind::OrderConfirmed,
            EventKind::WarehouseAllocated { warehouse } => EventKind::WarehouseAllocated {
                warehouse: warehouse.clone(),
            },
            EventKind::PickingStarted => EventKind::PickingStarted,
            EventKind::ParcelPacked { parcel, components } => EventKind::ParcelPacked {
                parcel: parcel.clone(),
                components: components.clone(),
            },
            EventKind::ParcelShipped {
                parcel,
                carrier,
                waybill,
            } => EventKind::ParcelShipped {
                parcel: parcel.clone(),
                carrier: carrier.clone(),
                waybill: waybill.clone(),
            },
            EventKind::CarrierScan {
                waybill,
                scan,
                location,
                detail,
            } => EventKind::CarrierScan {
                waybill: waybill.clone(),
                scan: *scan,
                location: location.clone(),
                detail: detail.clone(),
            },
            EventKind::HoldPlaced { reason } => EventKind::HoldPlaced {
                reason: reason.clone(),
            },
            EventKind::HoldReleased { reason } => EventKind::HoldReleased {
                reason: reason.clone(),
            },
            EventKind::OrderCancelled { reason } => EventKind::OrderCancelled {
                reason: reason.clone(),
            },
            EventKind::RefundRequested { amount, reason } => EventKind::RefundRequested {
                amount: f(*amount),
                reason: reason.clone(),
            },
            EventKind::RefundDeclined { reason } => EventKind::RefundDeclined {
                reason: reason.clone(),
            },
            EventKind::Refunded { amount } => EventKind::Refunded { amount: f(*amount) },
            EventKind::ReturnRequested { reason } => EventKind::ReturnRequested {
                reason: reason.clone(),
            },
            EventKind::ReturnReceived => EventKind::ReturnReceived,
            EventKind::ExceptionRaised {
                code,
                detail,
                parcel,
                facts,
            } => EventKind::ExceptionRaised {
                code: *code,
                detail: detail.clone(),
                parcel: parcel.clone(),
                facts: facts.clone(),
            },
            EventKind::ExceptionCleared { code, parcel } => EventKind::ExceptionCleared {
                code: *code,
                parcel: parcel.clone(),
            },
            EventKind::ExceptionClaimed { code, parcel } => EventKind::ExceptionClaimed {
                code: *code,
                parcel: parcel.clone(),
            },
            EventKind::ExceptionSnoozed {
                code,
                parcel,
                until,
                reason,
            } => EventKind::ExceptionSnoozed {
                code: *code,
                parcel: parcel.clone(),
                until: *until,
                reason: reason.clone(),
            },
            EventKind::ExceptionResolved {
                code,
                parcel,
                reason,
            } => EventKind::ExceptionResolved {
                code: *code,
                parcel: parcel.clone(),
                reason: reason.clone(),
            },
            EventKind::ShipmentNotified { parcel, carrier } => EventKind::ShipmentNotified {
                parcel: parcel.clone(),
                carrier: carrier.clone(),
            },
            EventKind::CustomsDeclared { fields } => EventKind::CustomsDeclared {
                fields: fields.clone(),
            },
            EventKind::DeliveryPromised { by } => EventKind::DeliveryPromised { by: *by },
            EventKind::RouteProposed { decision } => EventKind::RouteProposed {
                decision: decision.clone(),
            },
            EventKind::RouteAccepted { warehouse } => EventKind::RouteAccepted {
                warehouse: warehouse.clone(),
            },
            EventKind::RouteOverridden { warehouse, reason } => EventKind::RouteOverridden {
                warehouse: warehouse.clone(),
                reason: reason.clone(),
            },
            EventKind::NoteAdded { text } => EventKind::NoteAdded { text: text.clone() },
            EventKind::ContactChanged { contact, reason } => EventKind::ContactChanged {
                contact: contact.clone(),
                reason: reason.clone(),
            },
            EventKind::RequestMade {
                request,
                ask,
                reason,
            } => EventKind::RequestMade {
                request: request.clone(),
                ask: ask.clone(),
                reason: reason.clone(),
            },
            EventKind::RequestSettled {
                request,
                outcome,
                detail,
            } => EventKind::RequestSettled {
                request: request.clone(),
                outcome: *outcome,
                detail: detail.clone(),
            },
            EventKind::StatusReported {
                dialect,
                value,
                note,
                not_applied,
            } => EventKind::StatusReported {
                dialect: dialect.clone(),
                value: value.clone(),
                note: note.clone(),
                not_applied: not_applied.as_ref().map(|n| n.map_amounts(f)),
            },
        }
    }
}

/// An event as proposed for an order's log, before the store accepts it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct OrderEvent<A = Money> {
    pub order_id: OrderId,
    /// When it happened at its source (may be earlier than when we heard of it).
    pub occurred_at: DateTime<Utc>,
    pub source: Source,
    pub actor: Actor,
    pub kind: EventKind<A>,
}

/// An event accepted into the log, with its global, gap-free sequence number.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RecordedEvent<A = Money> {
    pub seq: u64,
    pub recorded_at: DateTime<Utc>,
    #[serde(flatten)]
    pub event: OrderEvent<A>,
}

impl<A: Copy> RecordedEvent<A> {
    /// The same event with every amount mapped by `f` (how a lens shows it).
    pub fn map_amounts<B>(&self, f: &impl Fn(A) -> B) -> RecordedEvent<B> {
        RecordedEvent {
            seq: self.seq,
            recorded_at: self.recorded_at,
            event: OrderEvent {
                order_id: self.event.order_id.clone(),
                occurred_at: self.event.occurred_at,
                source: self.event.source.clone(),
                actor: self.event.actor.clone(),
                kind: self.event.kind.map_amounts(f),
            },
        }
    }
}
