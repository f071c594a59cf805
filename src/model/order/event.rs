//! The events of an order's log: what happened, when, where it came from and who did it.

use crate::model::access::Role;
use crate::model::order::channel::{Channel, Source};
use crate::model::order::ids::{ComponentId, OrderId, ParcelId};
use crate::model::order::lifecycle::Refusal;
use crate::model::order::money::Money;
use crate::model::order::status::Stage;
use crate::model::order::{Component, Customer};
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
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

/// Conditions a detector raises and later clears.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ExceptionCode {
    /// Paid, but no parcel shipped within the allowed time.
    PaidNotShipped,
    /// A carrier reported a failed or stuck delivery.
    DeliveryFailed,
}

impl ExceptionCode {
    pub fn label(self) -> &'static str {
        match self {
            ExceptionCode::PaidNotShipped => "Paid but not shipped",
            ExceptionCode::DeliveryFailed => "Delivery failed",
        }
    }
}

/// Every kind of thing that can happen to an order.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum EventKind {
    OrderPlaced {
        channel: Channel,
        channel_order_id: String,
        customer: Customer,
        components: Vec<Component>,
        total: Money,
    },
    PaymentCaptured {
        amount: Money,
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
    HoldPlaced {
        reason: String,
    },
    HoldReleased,
    OrderCancelled {
        reason: String,
    },
    RefundRequested {
        amount: Money,
        reason: String,
    },
    RefundDeclined {
        reason: String,
    },
    Refunded {
        amount: Money,
    },
    ReturnRequested {
        reason: String,
    },
    ReturnReceived,
    ExceptionRaised {
        code: ExceptionCode,
        detail: String,
    },
    ExceptionCleared {
        code: ExceptionCode,
    },
    NoteAdded {
        text: String,
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
        /// made from it when shown; see [`NotApplied::words`]).
        #[serde(default, skip_serializing_if = "Option::is_none")]
        not_applied: Option<NotApplied>,
    },
}

/// Why a fact another system reported was not applied to the order.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum NotApplied {
    /// A refund larger than what may still be refunded.
    RefundTooLarge { requested: Money, refundable: Money },
    /// Any other refusal, in words (they name no amount).
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
            // The payment refusals name amounts; their words here do not.
            Refusal::PaymentNotPositive(_) => NotApplied::Other {
                reason: "a payment must be a positive amount".to_string(),
            },
            Refusal::PaymentTooLarge { .. } => NotApplied::Other {
                reason: "a payment is more than what is still owed".to_string(),
            },
            other => NotApplied::Other {
                reason: other.to_string(),
            },
        }
    }

    /// The reason in words; with `money` false, without the amounts.
    pub fn words(&self, money: bool) -> String {
        match self {
            NotApplied::RefundTooLarge {
                requested,
                refundable,
            } if money => Refusal::RefundTooLarge {
                requested: *requested,
                refundable: *refundable,
            }
            .to_string(),
            NotApplied::RefundTooLarge { .. } => "a refund exceeds what is refundable".to_string(),
            NotApplied::Other { reason } => reason.clone(),
        }
    }
}

impl EventKind {
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
            EventKind::HoldPlaced { .. } => "hold_placed",
            EventKind::HoldReleased => "hold_released",
            EventKind::OrderCancelled { .. } => "order_cancelled",
            EventKind::RefundRequested { .. } => "refund_requested",
            EventKind::RefundDeclined { .. } => "refund_declined",
            EventKind::Refunded { .. } => "refunded",
            EventKind::ReturnRequested { .. } => "return_requested",
            EventKind::ReturnReceived => "return_received",
            EventKind::ExceptionRaised { .. } => "exception_raised",
            EventKind::ExceptionCleared { .. } => "exception_cleared",
            EventKind::NoteAdded { .. } => "note_added",
            EventKind::StatusReported { .. } => "status_reported",
        }
    }
}

/// An event as proposed for an order's log, before the store accepts it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct OrderEvent {
    pub order_id: OrderId,
    /// When it happened at its source (may be earlier than when we heard of it).
    pub occurred_at: DateTime<Utc>,
    pub source: Source,
    pub actor: Actor,
    pub kind: EventKind,
}

/// An event accepted into the log, with its global, gap-free sequence number.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RecordedEvent {
    pub seq: u64,
    pub recorded_at: DateTime<Utc>,
    #[serde(flatten)]
    pub event: OrderEvent,
}
