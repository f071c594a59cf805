//! What a customer sees of their order through a tracking link: the order
//! number, its status, where each component and parcel is, and a
//! timeline of the steps a customer may know about, as data the browser
//! puts in the reader's words (`crate::i18n::words::step`).
//!
//! Pure, and built only from what may be shown: the customer timeline is made
//! by [`CustomerStep::of`], which knows each kind of event and drops the ones a
//! customer must not see (staff notes, holds, warehouse routing, detector
//! exceptions, `status_reported` values). Actors, sources, delivery ids, raw
//! payloads, carrier free text and amounts never enter the view. The name is
//! masked (`张*`), the phone masked (`138****8000`) and the address reduced to
//! province and city. The server renders the live stream's customer frames with
//! the same function, so the page and the stream cannot disagree.

use crate::model::order::channel::Channel;
use crate::model::order::event::{EventKind, RecordedEvent, ScanKind};
use crate::model::order::ids::{OrderId, ParcelId};
use crate::model::order::status::{Branch, Stage};
use crate::model::order::{ComponentKind, Customer, Order, Parcel};
use crate::model::views::redaction::mask_phone;
use crate::model::views::redaction::TextMask;
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

/// One order as its customer sees it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct TrackingView {
    pub order_number: OrderId,
    pub channel: Channel,
    /// The order's status; the browser puts it in the reader's words.
    pub status: CustomerStatus,
    pub recipient: Recipient,
    pub placed_at: DateTime<Utc>,
    pub components: Vec<TrackedComponent>,
    pub parcels: Vec<TrackedParcel>,
    /// The customer's timeline, oldest first.
    pub timeline: Vec<CustomerStep>,
    /// The number of the last step the view reflects (steps are numbered per
    /// order, 1, 2, 3…; never the log's sequence numbers): the live stream
    /// continues after it.
    pub last_step: u64,
}

/// Who receives the order, masked.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Recipient {
    /// The first character only (`张*`).
    pub name: String,
    /// Head and tail only (`138****8000`).
    pub phone: String,
    pub province: String,
    pub city: String,
}

/// A line of the order: what it is and how far it has come.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct TrackedComponent {
    pub name: String,
    pub kind: ComponentKind,
    pub quantity: u32,
    /// Announced to ship later than the rest (a gift box in pre-sale).
    pub ships_later: bool,
    /// The parcel it is packed in, once packed.
    pub parcel: Option<ParcelId>,
    pub status: CustomerStatus,
}

/// One box with its carrier and waybill.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct TrackedParcel {
    pub id: ParcelId,
    pub carrier: Option<String>,
    pub waybill: Option<String>,
    pub status: CustomerStatus,
    pub last_scan_at: Option<DateTime<Utc>>,
}

/// How far an order, a parcel or a component has come, in the customer's
/// terms: warehouse steps read "Being prepared", a hold is not shown, a
/// carrier exception reads "Delivery delayed".
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum CustomerStatus {
    Placed,
    Paid,
    Preparing,
    Packed,
    Shipped,
    PickedUp,
    InTransit,
    InCustoms,
    OutForDelivery,
    Delivered,
    DeliveryDelayed,
    RefundRequested,
    Refunded,
    Cancelled,
    ReturnRequested,
    Returned,
}

impl CustomerStatus {
    pub const ALL: [CustomerStatus; 16] = [
        CustomerStatus::Placed,
        CustomerStatus::Paid,
        CustomerStatus::Preparing,
        CustomerStatus::Packed,
        CustomerStatus::Shipped,
        CustomerStatus::PickedUp,
        CustomerStatus::InTransit,
        CustomerStatus::InCustoms,
        CustomerStatus::OutForDelivery,
        CustomerStatus::Delivered,
        CustomerStatus::DeliveryDelayed,
        CustomerStatus::RefundRequested,
        CustomerStatus::Refunded,
        CustomerStatus::Cancelled,
        CustomerStatus::ReturnRequested,
        CustomerStatus::Returned,
    ];

    /// The main-line stage in the customer's terms.
    pub fn of_stage(stage: Stage) -> CustomerStatus {
        match stage {
            Stage::Placed => CustomerStatus::Placed,
            Stage::Paid => CustomerStatus::Paid,
            Stage::Confirmed | Stage::Allocated | Stage::Picking => CustomerStatus::Preparing,
            Stage::Packed => CustomerStatus::Packed,
            Stage::Shipped => CustomerStatus::Shipped,
            Stage::PickedUp => CustomerStatus::PickedUp,
            Stage::InTransit => CustomerStatus::InTransit,
            Stage::Customs => CustomerStatus::InCustoms,
            Stage::OutForDelivery => CustomerStatus::OutForDelivery,
            Stage::Delivered => CustomerStatus::Delivered,
        }
    }

    /// The order's status in the customer's terms. A hold is staff business:
    /// the customer sees the progress made so far.
    pub fn of_order(order: &Order) -> CustomerStatus {
        match order.branch {
            Some(Branch::Cancelled) => CustomerStatus::Cancelled,
            Some(Branch::RefundRequested) => CustomerStatus::RefundRequested,
            Some(Branch::Refunded) => CustomerStatus::Refunded,
            Some(Branch::ReturnRequested) => CustomerStatus::ReturnRequested,
            Some(Branch::Returned) => CustomerStatus::Returned,
            Some(Branch::OnHold) | None if order.has_delivery_exception() => {
                CustomerStatus::DeliveryDelayed
            }
            Some(Branch::OnHold) | None => CustomerStatus::of_stage(order.fulfilment_stage()),
        }
    }

    /// The stable machine name (`in_transit`), for CSS and tests.
    pub fn as_str(self) -> &'static str {
        match self {
            CustomerStatus::Placed => "placed",
            CustomerStatus::Paid => "paid",
            CustomerStatus::Preparing => "preparing",
            CustomerStatus::Packed => "packed",
            CustomerStatus::Shipped => "shipped",
            CustomerStatus::PickedUp => "picked_up",
            CustomerStatus::InTransit => "in_transit",
            CustomerStatus::InCustoms => "in_customs",
            CustomerStatus::OutForDelivery => "out_for_delivery",
            CustomerStatus::Delivered => "delivered",
            CustomerStatus::DeliveryDelayed => "delivery_delayed",
            CustomerStatus::RefundRequested => "refund_requested",
            CustomerStatus::Refunded => "refunded",
            CustomerStatus::Cancelled => "cancelled",
            CustomerStatus::ReturnRequested => "return_requested",
            CustomerStatus::Returned => "returned",
        }
    }

    /// The badge tone, as for staff statuses (always shown with the words).
    pub fn tone(self) -> &'static str {
        match self {
            CustomerStatus::Delivered | CustomerStatus::Returned => "done",
            CustomerStatus::Cancelled | CustomerStatus::Refunded => "closed",
            CustomerStatus::DeliveryDelayed
            | CustomerStatus::RefundRequested
            | CustomerStatus::ReturnRequested => "attention",
            _ => "progress",
        }
    }
}

/// One entry of the customer's timeline.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CustomerStep {
    /// The step's place in this order's customer timeline (1, 2, 3…; the
    /// live stream's SSE id). Not the log's sequence number, which would tell
    /// the customer how busy the whole shop is.
    pub number: u64,
    /// When it happened.
    pub at: DateTime<Utc>,
    /// What happened; the browser puts it in the reader's words.
    pub step: StepKind,
}

/// What a customer may know happened.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum StepKind {
    Placed {
        channel: Channel,
    },
    Paid,
    Confirmed,
    Preparing,
    Packed {
        parcel: ParcelId,
    },
    Shipped {
        parcel: ParcelId,
        carrier: String,
        waybill: String,
    },
    /// A carrier scan: where the parcel is (the carrier's free text is not shown).
    Scan {
        waybill: String,
        scan: ScanKind,
        location: Option<String>,
    },
    Cancelled,
    RefundRequested,
    RefundDeclined,
    Refunded,
    ReturnRequested,
    ReturnReceived,
}

impl StepKind {
    /// The customer's step for an event, or `None` when the customer must not
    /// see it. Every kind is named, so a new kind of event is a compile error
    /// here until someone decides what customers see of it.
    pub fn of(kind: &EventKind) -> Option<StepKind> {
        Some(match kind {
            EventKind::OrderPlaced { channel, .. } => StepKind::Placed { channel: *channel },
            EventKind::PaymentCaptured { .. } => StepKind::Paid,
            EventKind::OrderConfirmed => StepKind::Confirmed,
            EventKind::PickingStarted => StepKind::Preparing,
            EventKind::ParcelPacked { parcel, .. } => StepKind::Packed {
                parcel: parcel.clone(),
            },
            EventKind::ParcelShipped {
                parcel,
                carrier,
                waybill,
            } => StepKind::Shipped {
                parcel: parcel.clone(),
                carrier: carrier.clone(),
                waybill: waybill.clone(),
            },
            EventKind::CarrierScan {
                waybill,
                scan,
                location,
                detail: _,
            } => StepKind::Scan {
                waybill: waybill.clone(),
                scan: *scan,
                location: location.clone().filter(|l| !l.trim().is_empty()),
            },
            EventKind::OrderCancelled { .. } => StepKind::Cancelled,
            EventKind::RefundRequested { .. } => StepKind::RefundRequested,
            EventKind::RefundDeclined { .. } => StepKind::RefundDeclined,
            EventKind::Refunded { .. } => StepKind::Refunded,
            EventKind::ReturnRequested { .. } => StepKind::ReturnRequested,
            EventKind::ReturnReceived => StepKind::ReturnReceived,
            EventKind::WarehouseAllocated { .. }
            | EventKind::HoldPlaced { .. }
            | EventKind::HoldReleased { .. }
            | EventKind::ExceptionRaised { .. }
            | EventKind::ExceptionCleared { .. }
            | EventKind::ExceptionClaimed { .. }
            | EventKind::ExceptionSnoozed { .. }
            | EventKind::ExceptionResolved { .. }
            // The notice, customs details and the channel's promise are the
            // warehouse's and the desk's business until the parcel moves.
            | EventKind::ShipmentNotified { .. }
            | EventKind::CustomsDeclared { .. }
            | EventKind::DeliveryPromised { .. }
            // Where it ships from is the warehouse's business.
            | EventKind::RouteProposed { .. }
            | EventKind::RouteAccepted { .. }
            | EventKind::RouteOverridden { .. }
            | EventKind::NoteAdded { .. }
            // Delivery details and what was asked of the warehouse and
            // carriers are the desk's business; the customer sees the
            // parcels move.
            | EventKind::ContactChanged { .. }
            | EventKind::RequestMade { .. }
            | EventKind::RequestSettled { .. }
            | EventKind::StatusReported { .. } => return None,
        })
    }
}

impl CustomerStep {
    /// The customer's timeline entry for a recorded event, if they may see
    /// it, as step `number` of the order. The carrier's location is free text:
    /// anything in it that looks like a phone number or the recipient's
    /// address (`recipient`, when known) is masked.
    pub fn of(
        event: &RecordedEvent,
        number: u64,
        recipient: Option<&Customer>,
    ) -> Option<CustomerStep> {
        let mut step = StepKind::of(&event.event.kind)?;
        if let StepKind::Scan {
            location: Some(location),
            ..
        } = &mut step
        {
            TextMask::for_customer(recipient).apply(location);
        }
        Some(CustomerStep {
            number,
            at: event.event.occurred_at,
            step,
        })
    }

    /// Whether a customer may see the event at all.
    pub fn visible(event: &RecordedEvent) -> bool {
        StepKind::of(&event.event.kind).is_some()
    }
}

impl TrackingView {
    /// The customer's view of `order`, with the timeline made from `events`
    /// (its log, up to what the projection reflects).
    pub fn new(order: &Order, events: &[RecordedEvent]) -> TrackingView {
        let status = CustomerStatus::of_order(order);
        let closed = order.branch.is_some_and(Branch::is_terminal);
        // A delivery exception open on the parcel (what raised it stays staff business).
        let delayed = |p: &Parcel| {
            order
                .parcel_exception(&p.id)
                .is_some_and(|e| e.code.is_delivery())
        };
        let components = order
            .components
            .iter()
            .map(|c| {
                let parcel = order.parcel_of(&c.id);
                let status = match parcel {
                    Some(p) if delayed(p) => CustomerStatus::DeliveryDelayed,
                    Some(p) if p.stage.has_shipped() => CustomerStatus::of_stage(p.stage),
                    // Not on its way: a cancelled or refunded order ends it here.
                    _ if closed => status,
                    _ => CustomerStatus::of_stage(order.component_stage(&c.id)),
                };
                TrackedComponent {
                    name: c.name.clone(),
                    kind: c.kind,
                    quantity: c.quantity,
                    ships_later: c.ships_later,
                    parcel: parcel.map(|p| p.id.clone()),
                    status,
                }
            })
            .collect();
        let parcels = order
            .parcels
            .iter()
            .map(|p| TrackedParcel {
                id: p.id.clone(),
                carrier: p.carrier.clone(),
                waybill: p.waybill.clone(),
                status: if delayed(p) {
                    CustomerStatus::DeliveryDelayed
                } else {
                    CustomerStatus::of_stage(p.stage)
                },
                last_scan_at: p.last_scan_at,
            })
            .collect();
        let timeline = steps_of(order, events);
        TrackingView {
            order_number: order.id.clone(),
            channel: order.channel,
            status,
            recipient: Recipient {
                name: mask_name(&order.customer.name),
                phone: mask_phone(&order.customer.phone),
                province: order.customer.address.province.clone(),
                city: order.customer.address.city.clone(),
            },
            placed_at: order.placed_at,
            components,
            parcels,
            last_step: timeline.last().map_or(0, |s| s.number),
            timeline,
        }
    }
}

/// The customer steps of `order`'s log `events`, numbered from 1.
fn steps_of(order: &Order, events: &[RecordedEvent]) -> Vec<CustomerStep> {
    events
        .iter()
        .filter(|e| e.event.order_id == order.id && CustomerStep::visible(e))
        .zip(1..)
        .filter_map(|(e, number)| CustomerStep::of(e, number, Some(&order.customer)))
        .collect()
}

/// Where a customer's stream of one order resumes, in the order's log
/// `events` (read when the stream opens): after step `after_step` (`None`:
/// after the last one read). The step number the stream continues from and
/// the sequence number to replay the log after. A step past the end (the
/// client cannot have seen it) resumes at the end.
pub fn resume_point(events: &[RecordedEvent], after_step: Option<u64>) -> (u64, u64) {
    let visible: Vec<u64> = events
        .iter()
        .filter(|e| CustomerStep::visible(e))
        .map(|e| e.seq)
        .collect();
    let end = (visible.len() as u64, events.last().map_or(0, |e| e.seq));
    match after_step {
        Some(0) => (0, 0),
        Some(n) if n <= visible.len() as u64 => (n, visible[n as usize - 1]),
        Some(_) | None => end,
    }
}

/// `张三` → `张*`, `欧阳娜娜` → `欧***`: the first character, then one `*`
/// per further character (spaces kept).
pub fn mask_name(name: &str) -> String {
    let mut chars = name.trim().chars();
    match chars.next() {
        None => String::new(),
        Some(first) => std::iter::once(first)
            .chain(chars.map(|c| if c.is_whitespace() { c } else { '*' }))
            .collect(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::order::channel::Source;
    use crate::model::order::event::{Actor, OrderEvent};
    use crate::model::order::exceptions::ExceptionCode;
    use crate::model::order::ids::ComponentId;
    use crate::model::order::lifecycle::evolve;
    use crate::model::order::money::{Currency, Money};
    use crate::model::order::{Address, Component, Customer};
    use crate::model::Role;
    use chrono::{Duration, TimeZone};

    fn t(minutes: i64) -> DateTime<Utc> {
        Utc.with_ymd_and_hms(2026, 11, 1, 8, 0, 0).unwrap() + Duration::minutes(minutes)
    }

    fn component(id: &str, name: &str, kind: ComponentKind, later: bool) -> Component {
        Component {
            id: ComponentId::parse(id).unwrap(),
            sku: format!("SKU-{id}"),
            name: name.into(),
            kind,
            quantity: 1,
            unit_price: Money::new(10000, Currency::CNY),
            ships_later: later,
        }
    }

    fn staff() -> Actor {
        Actor::Staff {
            user_id: "u_1".into(),
            name: "Wang Fang".into(),
            role: Role::CustomerService,
        }
    }

    /// An order with a gift box shipping later, a staff note, a hold, a
    /// detector exception, an unmapped status and a few carrier scans.
    fn log() -> Vec<RecordedEvent> {
        let id = OrderId::parse("CR-TRACK1").unwrap();
        let kinds: Vec<(Actor, EventKind)> = vec![
            (
                Actor::Customer,
                EventKind::OrderPlaced {
                    channel: Channel::Douyin,
                    channel_order_id: "6900001".into(),
                    customer: Customer {
                        name: "张三".into(),
                        phone: "13800138000".into(),
                        address: Address {
                            country: "CN".into(),
                            province: "浙江".into(),
                            city: "杭州".into(),
                            line: "西湖区文三路 99 号".into(),
                        },
                    },
                    components: vec![
                        component("serum", "Rose serum", ComponentKind::Main, false),
                        component("box", "Gift box", ComponentKind::GiftBox, true),
                    ],
                    total: Money::new(20000, Currency::CNY),
                },
            ),
            (
                Actor::Customer,
                EventKind::PaymentCaptured {
                    amount: Money::new(20000, Currency::CNY),
                },
            ),
            (
                staff(),
                EventKind::NoteAdded {
                    text: "VIP, called twice about the gift box".into(),
                },
            ),
            (
                staff(),
                EventKind::HoldPlaced {
                    reason: "address check with risk team".into(),
                },
            ),
            (
                staff(),
                EventKind::HoldReleased {
                    reason: String::new(),
                },
            ),
            (
                Actor::System { name: "wms".into() },
                EventKind::WarehouseAllocated {
                    warehouse: "Secret Warehouse 7".into(),
                },
            ),
            (
                Actor::System {
                    name: "detector".into(),
                },
                EventKind::ExceptionRaised {
                    code: ExceptionCode::PaidNotShipped,
                    parcel: None,
                    detail: "stuck behind inventory audit".into(),
                    facts: None,
                },
            ),
            (
                Actor::System { name: "wms".into() },
                EventKind::ParcelPacked {
                    parcel: ParcelId::parse("P1").unwrap(),
                    components: vec![ComponentId::parse("serum").unwrap()],
                },
            ),
            (
                Actor::System { name: "wms".into() },
                EventKind::ParcelShipped {
                    parcel: ParcelId::parse("P1").unwrap(),
                    carrier: "SF Express".into(),
                    waybill: "SF100".into(),
                },
            ),
            (
                Actor::System {
                    name: "kuaidi100".into(),
                },
                EventKind::CarrierScan {
                    waybill: "SF100".into(),
                    scan: ScanKind::InTransit,
                    location: Some("杭州转运中心".into()),
                    detail: "courier Li 13912345678".into(),
                },
            ),
            (
                Actor::System {
                    name: "douyin".into(),
                },
                EventKind::StatusReported {
                    dialect: "douyin.order_status".into(),
                    value: "9917".into(),
                    note: "no mapping yet".into(),
                    not_applied: None,
                },
            ),
        ];
        let mut seq = 0;
        kinds
            .into_iter()
            .map(|(actor, kind)| {
                seq += 1;
                RecordedEvent {
                    seq,
                    recorded_at: t(seq as i64),
                    event: OrderEvent {
                        order_id: id.clone(),
                        occurred_at: t(seq as i64),
                        source: Source::ControlRoom,
                        actor,
                        kind,
                    },
                }
            })
            .collect()
    }

    fn view_of(events: &[RecordedEvent]) -> TrackingView {
        let mut order = None;
        for e in events {
            order = Some(evolve(order.as_ref(), e).expect("the test log is valid"));
        }
        TrackingView::new(&order.unwrap(), events)
    }

    #[test]
    fn notes_exceptions_actors_and_internal_values_never_reach_the_customer() {
        let view = view_of(&log());
        let json = serde_json::to_string(&view).unwrap();
        for secret in [
            "VIP, called twice",
            "Wang Fang",
            "u_1",
            "address check with risk team",
            "Secret Warehouse 7",
            "stuck behind inventory audit",
            "paid_not_shipped",
            "courier Li",
            "13912345678",
            "9917",
            "status_reported",
            "douyin.order_status",
            "kuaidi100",
            "6900001",
            "西湖区",
            "张三",
            "13800138000",
            "minor",
        ] {
            assert!(!json.contains(secret), "{secret:?} leaked into {json}");
        }
    }

    #[test]
    fn the_timeline_keeps_only_customer_steps_in_log_order() {
        let view = view_of(&log());
        let steps: Vec<&StepKind> = view.timeline.iter().map(|s| &s.step).collect();
        let p1 = ParcelId::parse("P1").unwrap();
        assert_eq!(
            steps,
            vec![
                &StepKind::Placed {
                    channel: Channel::Douyin
                },
                &StepKind::Paid,
                &StepKind::Packed { parcel: p1.clone() },
                &StepKind::Shipped {
                    parcel: p1,
                    carrier: "SF Express".into(),
                    waybill: "SF100".into()
                },
                &StepKind::Scan {
                    waybill: "SF100".into(),
                    scan: ScanKind::InTransit,
                    location: Some("杭州转运中心".into())
                },
            ]
        );
        let numbers: Vec<u64> = view.timeline.iter().map(|s| s.number).collect();
        assert_eq!(
            numbers,
            vec![1, 2, 3, 4, 5],
            "numbered per order, not by log seq"
        );
        assert_eq!(view.last_step, 5);
    }

    #[test]
    fn contact_details_are_masked_and_the_address_is_reduced_to_the_city() {
        let view = view_of(&log());
        assert_eq!(view.recipient.name, "张*");
        assert_eq!(view.recipient.phone, "138****8000");
        assert_eq!(
            (
                view.recipient.province.as_str(),
                view.recipient.city.as_str()
            ),
            ("浙江", "杭州")
        );
        assert_eq!(mask_name("欧阳娜娜"), "欧***");
        assert_eq!(mask_name("Li Na"), "L* **");
        assert_eq!(mask_name("  "), "");
    }

    #[test]
    fn the_gift_box_is_answered_per_component() {
        let view = view_of(&log());
        let serum = &view.components[0];
        assert_eq!(serum.parcel.as_ref().map(ParcelId::as_str), Some("P1"));
        assert_eq!(serum.status, CustomerStatus::InTransit);
        let gift_box = &view.components[1];
        assert!(gift_box.ships_later);
        assert_eq!(gift_box.parcel, None);
        assert_eq!(gift_box.status, CustomerStatus::Preparing);
        // The order is as far as its least advanced component.
        assert_eq!(view.status, CustomerStatus::Preparing);
        assert_eq!(view.parcels[0].waybill.as_deref(), Some("SF100"));
        assert_eq!(view.parcels[0].status, CustomerStatus::InTransit);
    }

    #[test]
    fn a_hold_is_not_shown_and_a_carrier_exception_reads_as_a_delay() {
        let mut events = log();
        events.truncate(4); // placed, paid, note, hold placed
        let view = view_of(&events);
        assert_eq!(view.status, CustomerStatus::Paid);

        let mut events = log();
        let mut scan = events.last().unwrap().clone();
        scan.seq = 12;
        scan.event.kind = EventKind::CarrierScan {
            waybill: "SF100".into(),
            scan: ScanKind::Exception,
            location: None,
            detail: "recipient unreachable".into(),
        };
        events.push(scan);
        let view = view_of(&events);
        assert_eq!(view.parcels[0].status, CustomerStatus::DeliveryDelayed);
        assert_eq!(view.status, CustomerStatus::DeliveryDelayed);
        let json = serde_json::to_string(&view).unwrap();
        assert!(!json.contains("recipient unreachable"));
    }

    #[test]
    fn a_stream_resumes_after_a_step_number_at_the_steps_log_position() {
        let events = log();
        // Steps are events 1, 2, 8, 9 and 10 of the log (seq = position).
        assert_eq!(resume_point(&events, Some(0)), (0, 0));
        assert_eq!(resume_point(&events, Some(2)), (2, 2));
        assert_eq!(resume_point(&events, Some(4)), (4, 9));
        assert_eq!(resume_point(&events, None), (5, 11));
        assert_eq!(
            resume_point(&events, Some(99)),
            (5, 11),
            "past the end: the end"
        );
        assert_eq!(resume_point(&[], None), (0, 0));
    }

    #[test]
    fn a_scan_location_naming_the_recipient_is_masked() {
        let mut events = log();
        let mut scan = events.last().unwrap().clone();
        scan.seq = 12;
        scan.event.kind = EventKind::CarrierScan {
            waybill: "SF100".into(),
            scan: ScanKind::Delivered,
            location: Some("西湖区文三路 99 号 (13800138000)".into()),
            detail: String::new(),
        };
        events.push(scan);
        let view = view_of(&events);
        let last = view.timeline.last().unwrap();
        assert_eq!(last.number, 6);
        assert_eq!(
            last.step,
            StepKind::Scan {
                waybill: "SF100".into(),
                scan: ScanKind::Delivered,
                location: Some("••• (138****8000)".into())
            }
        );
    }

    #[test]
    fn every_staff_only_kind_is_skipped() {
        for e in log() {
            let visible = CustomerStep::visible(&e);
            let staff_only = matches!(
                e.event.kind,
                EventKind::NoteAdded { .. }
                    | EventKind::HoldPlaced { .. }
                    | EventKind::HoldReleased { .. }
                    | EventKind::WarehouseAllocated { .. }
                    | EventKind::ExceptionRaised { .. }
                    | EventKind::StatusReported { .. }
            );
            assert_eq!(visible, !staff_only, "{}", e.event.kind.name());
        }
    }
}
