//! The legal transitions of an order: one pure function folds an event into the
//! order, or refuses it with a reason.
//!
//! The store calls [`evolve`] before it writes (a refusal writes nothing), the
//! projection rebuild folds the whole log with it, and the browser patches its
//! view with it — one definition of the lifecycle everywhere.
//!
//! Facts reported by other systems that are older than what we know (a late
//! carrier scan, a repeated payment notice) are accepted into the log but never
//! move the order backwards.

use crate::model::order::event::{EventKind, OrderEvent, RecordedEvent};
use crate::model::order::ids::{ComponentId, ParcelId};
use crate::model::order::money::{Currency, Money};
use crate::model::order::status::{Branch, Stage, Status};
use crate::model::order::{lines_total, OpenException, Order, Parcel};
use std::collections::HashSet;

/// Longest free text (notes, reasons) an event may carry.
pub const MAX_TEXT: usize = 2000;

/// Why an event may not be applied to an order. Nothing is written when refused.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error, serde::Serialize, serde::Deserialize)]
pub enum Refusal {
    #[error("order {0} does not exist")]
    UnknownOrder(String),
    #[error("order {0} already exists")]
    AlreadyExists(String),
    #[error("the order is {0} and is closed to this change")]
    Closed(Status),
    #[error("the order is not paid yet")]
    NotPaid,
    #[error("the order is on hold")]
    OnHold,
    #[error("the order is not on hold")]
    NotOnHold,
    #[error("a parcel has already shipped")]
    AlreadyShipped,
    #[error("the order has no component {0}")]
    UnknownComponent(String),
    #[error("component {0} is already packed")]
    AlreadyPacked(String),
    #[error("the order already has a parcel {0}")]
    DuplicateParcel(String),
    #[error("the order has no parcel {0}")]
    UnknownParcel(String),
    #[error("parcel {0} is not packed yet")]
    NotPacked(String),
    #[error("waybill {0} already belongs to another parcel")]
    DuplicateWaybill(String),
    #[error("the order has no parcel with waybill {0}")]
    UnknownWaybill(String),
    #[error("no refund has been requested")]
    NoRefundRequested,
    #[error("a refund of {requested} exceeds what is refundable ({refundable})")]
    RefundTooLarge { requested: Money, refundable: Money },
    #[error("the order has not been delivered")]
    NotDelivered,
    #[error("no return has been requested")]
    NoReturnRequested,
    #[error("amount is in {got}, the order is in {expected}")]
    WrongCurrency { got: Currency, expected: Currency },
    #[error("a payment must be a positive amount, got {0}")]
    PaymentNotPositive(Money),
    #[error("a payment of {paid} is more than what is still owed ({owed})")]
    PaymentTooLarge { paid: Money, owed: Money },
    #[error("the order's amounts are too large to add up")]
    AmountTooLarge,
    #[error("{0}")]
    Invalid(String),
}

/// Folds one event into an order. `current` is `None` for an order not yet seen.
/// Returns the new state, or why the event is refused.
pub fn evolve(current: Option<&Order>, recorded: &RecordedEvent) -> Result<Order, Refusal> {
    evolve_with(current, recorded, Amounts::Known)
}

/// [`evolve`] for a view whose lens withheld the amounts (they arrive as zero,
/// the order's too): a payment notice still marks the order paid, without
/// counting money it cannot see. For showing only; the store uses [`evolve`].
pub fn evolve_withheld(
    current: Option<&Order>,
    recorded: &RecordedEvent,
) -> Result<Order, Refusal> {
    evolve_with(current, recorded, Amounts::Withheld)
}

/// Whether the amounts of the events folded are real or withheld by a lens.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Amounts {
    Known,
    Withheld,
}

fn evolve_with(
    current: Option<&Order>,
    recorded: &RecordedEvent,
    amounts: Amounts,
) -> Result<Order, Refusal> {
    let event = &recorded.event;
    let mut order = match (current, &event.kind) {
        (None, EventKind::OrderPlaced { .. }) => return place(recorded),
        (None, _) => return Err(Refusal::UnknownOrder(event.order_id.to_string())),
        (Some(o), EventKind::OrderPlaced { .. }) => {
            return Err(Refusal::AlreadyExists(o.id.to_string()))
        }
        (Some(o), _) => o.clone(),
    };
    apply(&mut order, event, amounts)?;
    order.updated_at = recorded.recorded_at.max(order.updated_at);
    order.last_seq = recorded.seq;
    order.event_count += 1;
    Ok(order)
}

fn place(recorded: &RecordedEvent) -> Result<Order, Refusal> {
    let EventKind::OrderPlaced {
        channel,
        channel_order_id,
        customer,
        components,
        total,
    } = &recorded.event.kind
    else {
        unreachable!("place is only called for OrderPlaced");
    };
    if channel_order_id.trim().is_empty() {
        return Err(Refusal::Invalid("the channel order id is empty".into()));
    }
    if components.is_empty() {
        return Err(Refusal::Invalid(
            "an order needs at least one component".into(),
        ));
    }
    let mut seen = HashSet::new();
    for c in components {
        if !seen.insert(&c.id) {
            return Err(Refusal::Invalid(format!(
                "component {} appears twice",
                c.id
            )));
        }
        if c.quantity == 0 {
            return Err(Refusal::Invalid(format!(
                "component {} has quantity 0",
                c.id
            )));
        }
        same_currency(total.currency, c.unit_price)?;
    }
    if total.is_negative() {
        return Err(Refusal::Invalid("the order total is negative".into()));
    }
    // Unit price × quantity of every line, and their sum, must be countable.
    lines_total(total.currency, components).map_err(|_| Refusal::AmountTooLarge)?;
    Ok(Order {
        id: recorded.event.order_id.clone(),
        channel: *channel,
        channel_order_id: channel_order_id.clone(),
        customer: customer.clone(),
        components: components.clone(),
        parcels: Vec::new(),
        stage: Stage::Placed,
        branch: None,
        warehouse: None,
        total: *total,
        paid: Money::zero(total.currency),
        refunded: Money::zero(total.currency),
        refund_requested: None,
        exceptions: Vec::new(),
        placed_at: recorded.event.occurred_at,
        updated_at: recorded.recorded_at,
        last_seq: recorded.seq,
        event_count: 1,
    })
}

fn same_currency(expected: Currency, amount: Money) -> Result<(), Refusal> {
    if amount.currency == expected {
        Ok(())
    } else {
        Err(Refusal::WrongCurrency {
            got: amount.currency,
            expected,
        })
    }
}

fn text(value: &str, what: &str) -> Result<(), Refusal> {
    if value.trim().is_empty() {
        return Err(Refusal::Invalid(format!("the {what} is empty")));
    }
    if value.chars().count() > MAX_TEXT {
        return Err(Refusal::Invalid(format!(
            "the {what} is longer than {MAX_TEXT} characters"
        )));
    }
    Ok(())
}

/// Refuses changes to an order that has reached a terminal branch.
fn open(order: &Order) -> Result<(), Refusal> {
    match order.branch {
        Some(b) if b.is_terminal() => Err(Refusal::Closed(b.status())),
        _ => Ok(()),
    }
}

/// Warehouse work may go on: paid, not closed, not on hold.
fn fulfilment_allowed(order: &Order) -> Result<(), Refusal> {
    open(order)?;
    if order.stage < Stage::Paid {
        return Err(Refusal::NotPaid);
    }
    if order.branch == Some(Branch::OnHold) {
        return Err(Refusal::OnHold);
    }
    Ok(())
}

/// Moves the order-level stage forward; an older report changes nothing.
fn advance(order: &mut Order, to: Stage) -> Result<(), Refusal> {
    fulfilment_allowed(order)?;
    order.stage = order.stage.max(to);
    Ok(())
}

fn parcel_mut<'a>(order: &'a mut Order, id: &ParcelId) -> Result<&'a mut Parcel, Refusal> {
    order
        .parcels
        .iter_mut()
        .find(|p| &p.id == id)
        .ok_or_else(|| Refusal::UnknownParcel(id.to_string()))
}

fn apply(order: &mut Order, event: &OrderEvent, amounts: Amounts) -> Result<(), Refusal> {
    match &event.kind {
        EventKind::OrderPlaced { .. } => unreachable!("handled by evolve"),
        EventKind::PaymentCaptured { amount } => {
            open(order)?;
            same_currency(order.total.currency, *amount)?;
            match amounts {
                Amounts::Known => capture(order, *amount)?,
                Amounts::Withheld => order.stage = order.stage.max(Stage::Paid),
            }
        }
        EventKind::OrderConfirmed => advance(order, Stage::Confirmed)?,
        EventKind::WarehouseAllocated { warehouse } => {
            text(warehouse, "warehouse name")?;
            advance(order, Stage::Allocated)?;
            order.warehouse = Some(warehouse.clone());
        }
        EventKind::PickingStarted => advance(order, Stage::Picking)?,
        EventKind::ParcelPacked { parcel, components } => {
            fulfilment_allowed(order)?;
            pack(order, parcel, components)?;
        }
        EventKind::ParcelShipped {
            parcel,
            carrier,
            waybill,
        } => {
            fulfilment_allowed(order)?;
            text(carrier, "carrier name")?;
            text(waybill, "waybill")?;
            if order
                .parcels
                .iter()
                .any(|p| &p.id != parcel && p.waybill.as_deref() == Some(waybill.as_str()))
            {
                return Err(Refusal::DuplicateWaybill(waybill.clone()));
            }
            let p = parcel_mut(order, parcel)?;
            if p.stage < Stage::Shipped {
                p.stage = Stage::Shipped;
                p.carrier = Some(carrier.clone());
                p.waybill = Some(waybill.clone());
            }
        }
        EventKind::CarrierScan { waybill, scan, .. } => {
            let parcel = order
                .parcels
                .iter_mut()
                .find(|p| p.waybill.as_deref() == Some(waybill.as_str()))
                .ok_or_else(|| Refusal::UnknownWaybill(waybill.clone()))?;
            let newer = parcel.last_scan_at.is_none_or(|t| event.occurred_at >= t);
            match scan.stage() {
                // Progress: forward only; a late, older scan stays in the log only.
                Some(stage) if stage > parcel.stage => {
                    parcel.stage = stage;
                    parcel.exception = false;
                }
                Some(_) => {}
                None if newer => parcel.exception = true,
                None => {}
            }
            if newer {
                parcel.last_scan_at = Some(event.occurred_at);
            }
        }
        EventKind::HoldPlaced { reason } => {
            text(reason, "reason")?;
            open(order)?;
            if order.any_shipped() {
                return Err(Refusal::AlreadyShipped);
            }
            if order.branch.is_some() {
                return Err(Refusal::Invalid(format!(
                    "the order is {} and cannot be put on hold",
                    order.status()
                )));
            }
            order.branch = Some(Branch::OnHold);
        }
        EventKind::HoldReleased => {
            if order.branch != Some(Branch::OnHold) {
                return Err(Refusal::NotOnHold);
            }
            order.branch = None;
        }
        EventKind::OrderCancelled { reason } => {
            text(reason, "reason")?;
            open(order)?;
            if order.any_shipped() {
                return Err(Refusal::AlreadyShipped);
            }
            order.branch = Some(Branch::Cancelled);
        }
        EventKind::RefundRequested { amount, reason } => {
            text(reason, "reason")?;
            // A returned order is closed to everything but its refund.
            if order.branch != Some(Branch::Returned) {
                open(order)?;
            }
            same_currency(order.total.currency, *amount)?;
            refund_within(order, *amount)?;
            order.branch = Some(Branch::RefundRequested);
            order.refund_requested = Some(*amount);
        }
        EventKind::RefundDeclined { reason } => {
            text(reason, "reason")?;
            if order.branch != Some(Branch::RefundRequested) {
                return Err(Refusal::NoRefundRequested);
            }
            order.branch = None;
            order.refund_requested = None;
        }
        EventKind::Refunded { amount } => {
            if order.branch != Some(Branch::RefundRequested) {
                return Err(Refusal::NoRefundRequested);
            }
            same_currency(order.total.currency, *amount)?;
            refund_within(order, *amount)?;
            order.refunded = order
                .refunded
                .checked_add(*amount)
                .map_err(|_| Refusal::AmountTooLarge)?;
            order.refund_requested = None;
            // A full refund closes the order; a partial one lets it carry on.
            order.branch = (order.refunded >= order.paid).then_some(Branch::Refunded);
        }
        EventKind::ReturnRequested { reason } => {
            text(reason, "reason")?;
            open(order)?;
            if order.fulfilment_stage() != Stage::Delivered {
                return Err(Refusal::NotDelivered);
            }
            order.branch = Some(Branch::ReturnRequested);
        }
        EventKind::ReturnReceived => {
            if order.branch != Some(Branch::ReturnRequested) {
                return Err(Refusal::NoReturnRequested);
            }
            order.branch = Some(Branch::Returned);
        }
        EventKind::ExceptionRaised { code, detail } => {
            text(detail, "detail")?;
            if !order.exceptions.iter().any(|e| e.code == *code) {
                order.exceptions.push(OpenException {
                    code: *code,
                    detail: detail.clone(),
                    since: event.occurred_at,
                });
            }
        }
        EventKind::ExceptionCleared { code } => {
            order.exceptions.retain(|e| e.code != *code);
        }
        EventKind::NoteAdded { text: note } => text(note, "note")?,
        EventKind::StatusReported { .. } => {}
    }
    Ok(())
}

/// Records a payment notice (its currency already checked).
///
/// The first one pays the order. Once paid, a notice for exactly the amount
/// already paid is a repeat of that notice (channels send them again): kept in
/// the log, nothing moves. Any other notice is a further instalment and counts
/// only if it is no more than what is still owed.
fn capture(order: &mut Order, amount: Money) -> Result<(), Refusal> {
    if !amount.is_positive() {
        return Err(Refusal::PaymentNotPositive(amount));
    }
    if order.stage > Stage::Placed && amount == order.paid {
        return Ok(());
    }
    let owed = order.owed();
    if amount > owed {
        return Err(Refusal::PaymentTooLarge { paid: amount, owed });
    }
    order.paid = order
        .paid
        .checked_add(amount)
        .map_err(|_| Refusal::AmountTooLarge)?;
    order.stage = order.stage.max(Stage::Paid);
    Ok(())
}

/// A refund (requested or made) is positive and at most what is refundable.
fn refund_within(order: &Order, amount: Money) -> Result<(), Refusal> {
    let max = order.refundable();
    if !amount.is_positive() || amount > max {
        return Err(Refusal::RefundTooLarge {
            requested: amount,
            refundable: max,
        });
    }
    Ok(())
}

fn pack(order: &mut Order, parcel: &ParcelId, components: &[ComponentId]) -> Result<(), Refusal> {
    if components.is_empty() {
        return Err(Refusal::Invalid(
            "a parcel needs at least one component".into(),
        ));
    }
    if order.parcels.iter().any(|p| &p.id == parcel) {
        return Err(Refusal::DuplicateParcel(parcel.to_string()));
    }
    let mut seen = HashSet::new();
    for c in components {
        if !order.components.iter().any(|oc| &oc.id == c) {
            return Err(Refusal::UnknownComponent(c.to_string()));
        }
        if order.parcel_of(c).is_some() || !seen.insert(c) {
            return Err(Refusal::AlreadyPacked(c.to_string()));
        }
    }
    order.stage = order.stage.max(Stage::Picking);
    order.parcels.push(Parcel {
        id: parcel.clone(),
        components: components.to_vec(),
        stage: Stage::Packed,
        carrier: None,
        waybill: None,
        exception: false,
        last_scan_at: None,
    });
    Ok(())
}

/// Folds a whole log, in sequence order, into the final state of each order.
/// Used by the projection rebuild; an event the lifecycle refuses here means the
/// log and the code disagree, which is reported, not skipped.
pub fn fold<'a>(
    events: impl IntoIterator<Item = &'a RecordedEvent>,
) -> Result<std::collections::BTreeMap<String, Order>, (u64, Refusal)> {
    let mut orders = std::collections::BTreeMap::new();
    for e in events {
        let key = e.event.order_id.to_string();
        let next = evolve(orders.get(&key), e).map_err(|r| (e.seq, r))?;
        orders.insert(key, next);
    }
    Ok(orders)
}

#[cfg(test)]
mod properties;

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::order::channel::{Channel, Source};
    use crate::model::order::event::{Actor, ExceptionCode, ScanKind};
    use crate::model::order::ids::OrderId;
    use crate::model::order::{Address, Component, ComponentKind, Customer};
    use chrono::{DateTime, Duration, TimeZone, Utc};

    fn t(minutes: i64) -> DateTime<Utc> {
        Utc.with_ymd_and_hms(2026, 11, 1, 8, 0, 0).unwrap() + Duration::minutes(minutes)
    }

    fn cny(minor: i64) -> Money {
        Money::new(minor, Currency::CNY)
    }

    fn comp(id: &str, kind: ComponentKind, later: bool) -> Component {
        Component {
            id: ComponentId::parse(id).unwrap(),
            sku: format!("SKU-{id}"),
            name: id.to_string(),
            kind,
            quantity: 1,
            unit_price: cny(if kind == ComponentKind::Main {
                10000
            } else {
                0
            }),
            ships_later: later,
        }
    }

    /// The customer of every test order.
    pub(super) fn customer() -> Customer {
        Customer {
            name: "王小明".into(),
            phone: "13800138000".into(),
            address: Address {
                country: "CN".into(),
                province: "上海".into(),
                city: "上海".into(),
                line: "浦东新区 1 号".into(),
            },
        }
    }

    fn placed() -> EventKind {
        EventKind::OrderPlaced {
            channel: Channel::Douyin,
            channel_order_id: "4891234567890123456".into(),
            customer: customer(),
            components: vec![
                comp("main", ComponentKind::Main, false),
                comp("gift", ComponentKind::Gift, false),
                comp("box", ComponentKind::GiftBox, true),
            ],
            total: cny(10000),
        }
    }

    /// A little log builder: appends events, assigning sequence numbers.
    struct Log {
        seq: u64,
        order: Option<Order>,
    }

    impl Log {
        fn new() -> Self {
            Log {
                seq: 0,
                order: None,
            }
        }

        fn try_at(&mut self, minute: i64, source: Source, kind: EventKind) -> Result<(), Refusal> {
            let rec = RecordedEvent {
                seq: self.seq + 1,
                recorded_at: t(minute),
                event: OrderEvent {
                    order_id: OrderId::parse("CR-1").unwrap(),
                    occurred_at: t(minute),
                    source,
                    actor: Actor::System {
                        name: "test".into(),
                    },
                    kind,
                },
            };
            let next = evolve(self.order.as_ref(), &rec)?;
            self.seq += 1;
            self.order = Some(next);
            Ok(())
        }

        fn at(&mut self, minute: i64, kind: EventKind) -> &mut Self {
            self.try_at(minute, Source::ControlRoom, kind)
                .expect("legal");
            self
        }

        fn try_(&mut self, kind: EventKind) -> Result<(), Refusal> {
            self.try_at(self.seq as i64 + 1, Source::ControlRoom, kind)
        }

        fn status(&self) -> Status {
            self.order.as_ref().unwrap().status()
        }

        /// The later-shipping gift box is packed into P2 and shipped as SF2.
        fn gift_box_ships(&mut self, minute: i64) -> &mut Self {
            let packed = EventKind::ParcelPacked {
                parcel: pid("P2"),
                components: vec![cid("box")],
            };
            let shipped = EventKind::ParcelShipped {
                parcel: pid("P2"),
                carrier: "SF".into(),
                waybill: "SF2".into(),
            };
            self.at(minute, packed).at(minute + 1, shipped)
        }
    }

    fn pid(s: &str) -> ParcelId {
        ParcelId::parse(s).unwrap()
    }

    fn cid(s: &str) -> ComponentId {
        ComponentId::parse(s).unwrap()
    }

    fn scan(waybill: &str, scan: ScanKind) -> EventKind {
        EventKind::CarrierScan {
            waybill: waybill.into(),
            scan,
            location: None,
            detail: "scan".into(),
        }
    }

    fn shipped_order() -> Log {
        let mut log = Log::new();
        log.at(0, placed())
            .at(1, EventKind::PaymentCaptured { amount: cny(10000) })
            .at(2, EventKind::OrderConfirmed)
            .at(
                3,
                EventKind::WarehouseAllocated {
                    warehouse: "Shanghai".into(),
                },
            )
            .at(4, EventKind::PickingStarted)
            .at(
                5,
                EventKind::ParcelPacked {
                    parcel: pid("P1"),
                    components: vec![cid("main"), cid("gift")],
                },
            )
            .at(
                6,
                EventKind::ParcelShipped {
                    parcel: pid("P1"),
                    carrier: "SF".into(),
                    waybill: "SF1".into(),
                },
            );
        log
    }

    #[test]
    fn the_main_line_runs_from_placed_to_delivered() {
        let mut log = shipped_order();
        // The gift box is not packed yet: the order waits at picking, the parcel moves on.
        assert_eq!(log.status(), Status::Picking);
        log.at(7, scan("SF1", ScanKind::PickedUp))
            .at(8, scan("SF1", ScanKind::InTransit))
            .gift_box_ships(9)
            .at(11, scan("SF1", ScanKind::Delivered));
        let order = log.order.as_ref().unwrap();
        assert_eq!(order.component_stage(&cid("main")), Stage::Delivered);
        assert_eq!(order.component_stage(&cid("box")), Stage::Shipped);
        assert_eq!(order.status(), Status::Shipped);
        assert_eq!(order.shipped_count(), (2, 2));
        log.at(12, scan("SF2", ScanKind::Delivered));
        assert_eq!(log.status(), Status::Delivered);
        assert_eq!(log.order.as_ref().unwrap().event_count, 13);
        assert_eq!(log.order.as_ref().unwrap().last_seq, 13);
    }

    #[test]
    fn a_late_older_scan_is_kept_but_never_moves_status_backwards() {
        let mut log = shipped_order();
        log.gift_box_ships(9)
            .at(20, scan("SF1", ScanKind::Delivered))
            .at(21, scan("SF2", ScanKind::Delivered));
        assert_eq!(log.status(), Status::Delivered);
        // An in-transit scan from minute 8 arrives late: accepted, status stays.
        let before = log.seq;
        log.at(8, scan("SF1", ScanKind::InTransit));
        assert_eq!(log.seq, before + 1, "the late scan is in the log");
        assert_eq!(log.status(), Status::Delivered);
        // A late, older exception scan does not raise an exception either.
        log.at(7, scan("SF1", ScanKind::Exception));
        assert_eq!(log.status(), Status::Delivered);
    }

    #[test]
    fn illegal_transitions_are_refused_with_a_reason() {
        let mut log = Log::new();
        assert_eq!(
            log.try_(EventKind::PickingStarted),
            Err(Refusal::UnknownOrder("CR-1".into()))
        );
        log.at(0, placed());
        assert_eq!(
            log.try_(placed()),
            Err(Refusal::AlreadyExists("CR-1".into()))
        );
        assert_eq!(log.try_(EventKind::PickingStarted), Err(Refusal::NotPaid));
        assert_eq!(
            log.try_(EventKind::ParcelPacked {
                parcel: pid("P1"),
                components: vec![cid("main")]
            }),
            Err(Refusal::NotPaid)
        );
        let seq_before = log.seq;
        let status_before = log.status();
        assert!(log.try_(EventKind::HoldReleased).is_err());
        assert_eq!(log.seq, seq_before, "a refused event is not counted");
        assert_eq!(log.status(), status_before);
    }

    #[test]
    fn cancelling_after_shipping_is_refused_and_cancelled_orders_are_closed() {
        let mut log = shipped_order();
        assert_eq!(
            log.try_(EventKind::OrderCancelled {
                reason: "changed mind".into()
            }),
            Err(Refusal::AlreadyShipped)
        );
        let mut log = Log::new();
        log.at(0, placed()).at(
            1,
            EventKind::OrderCancelled {
                reason: "changed mind".into(),
            },
        );
        assert_eq!(log.status(), Status::Cancelled);
        assert_eq!(
            log.try_(EventKind::PaymentCaptured { amount: cny(10000) }),
            Err(Refusal::Closed(Status::Cancelled))
        );
        // Notes are still welcome on a closed order.
        log.at(
            3,
            EventKind::NoteAdded {
                text: "customer called".into(),
            },
        );
    }

    #[test]
    fn hold_blocks_the_warehouse_until_released() {
        let mut log = Log::new();
        log.at(0, placed())
            .at(1, EventKind::PaymentCaptured { amount: cny(10000) })
            .at(
                2,
                EventKind::HoldPlaced {
                    reason: "address check".into(),
                },
            );
        assert_eq!(log.status(), Status::OnHold);
        assert_eq!(log.try_(EventKind::PickingStarted), Err(Refusal::OnHold));
        log.at(3, EventKind::HoldReleased)
            .at(4, EventKind::PickingStarted);
        assert_eq!(log.status(), Status::Picking);
    }

    #[test]
    fn refunds_are_bounded_by_what_was_paid() {
        let mut log = Log::new();
        log.at(0, placed());
        assert!(matches!(
            log.try_(EventKind::RefundRequested {
                amount: cny(1),
                reason: "x".into()
            }),
            Err(Refusal::RefundTooLarge { .. })
        ));
        log.at(1, EventKind::PaymentCaptured { amount: cny(10000) });
        assert_eq!(
            log.try_(EventKind::Refunded { amount: cny(100) }),
            Err(Refusal::NoRefundRequested)
        );
        // Partial refund (missing gift): the order carries on.
        log.at(
            2,
            EventKind::RefundRequested {
                amount: cny(2000),
                reason: "gift missing".into(),
            },
        )
        .at(3, EventKind::Refunded { amount: cny(2000) });
        assert_eq!(log.status(), Status::Paid);
        // Full refund of the rest closes it.
        log.at(
            4,
            EventKind::RefundRequested {
                amount: cny(8000),
                reason: "intercept".into(),
            },
        );
        assert_eq!(log.status(), Status::RefundRequested);
        log.at(5, EventKind::Refunded { amount: cny(8000) });
        assert_eq!(log.status(), Status::Refunded);
        assert_eq!(log.order.as_ref().unwrap().refunded, cny(10000));
        assert!(matches!(
            log.try_(EventKind::RefundRequested {
                amount: cny(1),
                reason: "x".into()
            }),
            Err(Refusal::Closed(Status::Refunded))
        ));
    }

    #[test]
    fn carrier_exception_is_shown_until_progress_clears_it() {
        let mut log = shipped_order();
        log.at(7, scan("SF1", ScanKind::Exception));
        assert_eq!(log.status(), Status::DeliveryException);
        log.at(8, scan("SF1", ScanKind::OutForDelivery));
        assert_ne!(log.status(), Status::DeliveryException);
        assert_eq!(
            log.try_(scan("NOPE", ScanKind::InTransit)),
            Err(Refusal::UnknownWaybill("NOPE".into()))
        );
    }

    #[test]
    fn packing_refuses_unknown_or_repacked_components() {
        let mut log = shipped_order();
        assert_eq!(
            log.try_(EventKind::ParcelPacked {
                parcel: pid("P2"),
                components: vec![cid("main")]
            }),
            Err(Refusal::AlreadyPacked("main".into()))
        );
        assert_eq!(
            log.try_(EventKind::ParcelPacked {
                parcel: pid("P2"),
                components: vec![cid("ghost")]
            }),
            Err(Refusal::UnknownComponent("ghost".into()))
        );
        assert_eq!(
            log.try_(EventKind::ParcelPacked {
                parcel: pid("P1"),
                components: vec![cid("box")]
            }),
            Err(Refusal::DuplicateParcel("P1".into()))
        );
        assert_eq!(
            log.try_(EventKind::ParcelShipped {
                parcel: pid("P9"),
                carrier: "SF".into(),
                waybill: "X".into()
            }),
            Err(Refusal::UnknownParcel("P9".into()))
        );
    }

    #[test]
    fn returns_need_delivery_first() {
        let mut log = shipped_order();
        assert_eq!(
            log.try_(EventKind::ReturnRequested {
                reason: "too small".into()
            }),
            Err(Refusal::NotDelivered)
        );
        log.gift_box_ships(9)
            .at(11, scan("SF1", ScanKind::Delivered))
            .at(12, scan("SF2", ScanKind::Delivered))
            .at(
                13,
                EventKind::ReturnRequested {
                    reason: "too small".into(),
                },
            )
            .at(14, EventKind::ReturnReceived);
        assert_eq!(log.status(), Status::Returned);
        assert_eq!(
            log.try_(EventKind::PickingStarted),
            Err(Refusal::Closed(Status::Returned))
        );
        log.at(
            15,
            EventKind::RefundRequested {
                amount: cny(10000),
                reason: "returned".into(),
            },
        )
        .at(16, EventKind::Refunded { amount: cny(10000) });
        assert_eq!(log.status(), Status::Refunded);
    }

    #[test]
    fn exceptions_open_once_and_clear() {
        let mut log = shipped_order();
        let raise = EventKind::ExceptionRaised {
            code: ExceptionCode::PaidNotShipped,
            detail: "24 h".into(),
        };
        log.at(7, raise.clone()).at(8, raise);
        assert_eq!(log.order.as_ref().unwrap().exceptions.len(), 1);
        log.at(
            9,
            EventKind::ExceptionCleared {
                code: ExceptionCode::PaidNotShipped,
            },
        );
        assert!(log.order.as_ref().unwrap().exceptions.is_empty());
    }

    #[test]
    fn empty_or_oversized_notes_are_refused() {
        let mut log = shipped_order();
        assert!(log
            .try_(EventKind::NoteAdded { text: "  ".into() })
            .is_err());
        assert!(log
            .try_(EventKind::NoteAdded {
                text: "x".repeat(MAX_TEXT + 1)
            })
            .is_err());
        assert!(log
            .try_(EventKind::NoteAdded {
                text: "called".into()
            })
            .is_ok());
    }

    #[test]
    fn a_reported_status_is_kept_without_changing_anything() {
        let mut log = shipped_order();
        let before = log.order.clone().unwrap();
        log.at(
            9,
            EventKind::StatusReported {
                dialect: "douyin.tag".into(),
                value: "999".into(),
                note: "no mapping yet".into(),
                not_applied: None,
            },
        );
        let after = log.order.as_ref().unwrap();
        assert_eq!(after.status(), before.status());
        assert_eq!(after.event_count, before.event_count + 1);
    }

    #[test]
    fn payment_notices_that_are_not_positive_or_more_than_owed_are_refused() {
        let mut log = Log::new();
        log.at(0, placed());
        let before = log.order.clone();
        assert_eq!(
            log.try_(EventKind::PaymentCaptured { amount: cny(0) }),
            Err(Refusal::PaymentNotPositive(cny(0)))
        );
        assert_eq!(
            log.try_(EventKind::PaymentCaptured { amount: cny(-100) }),
            Err(Refusal::PaymentNotPositive(cny(-100)))
        );
        let too_much = log.try_(EventKind::PaymentCaptured { amount: cny(10001) });
        assert_eq!(
            too_much,
            Err(Refusal::PaymentTooLarge {
                paid: cny(10001),
                owed: cny(10000)
            })
        );
        assert_eq!(
            too_much.unwrap_err().to_string(),
            "a payment of ¥100.01 is more than what is still owed (¥100.00)"
        );
        assert!(matches!(
            log.try_(EventKind::PaymentCaptured {
                amount: cny(i64::MAX)
            }),
            Err(Refusal::PaymentTooLarge { .. })
        ));
        assert_eq!(log.order, before, "refused payments change nothing");
        assert_eq!(log.status(), Status::Placed);
    }

    #[test]
    fn a_repeated_payment_notice_is_kept_and_moves_nothing() {
        let mut log = shipped_order();
        let before = log.order.clone().unwrap();
        log.at(7, EventKind::PaymentCaptured { amount: cny(10000) });
        let after = log.order.as_ref().unwrap();
        assert_eq!(after.paid, cny(10000), "not counted twice");
        assert_eq!(after.event_count, before.event_count + 1, "but in the log");
        assert_eq!(after.status(), before.status());
        // Anything more than the (nothing) still owed is refused.
        assert!(matches!(
            log.try_(EventKind::PaymentCaptured { amount: cny(1) }),
            Err(Refusal::PaymentTooLarge { .. })
        ));
    }

    #[test]
    fn instalments_count_up_to_the_total() {
        let mut log = Log::new();
        log.at(0, placed())
            .at(1, EventKind::PaymentCaptured { amount: cny(3000) });
        assert_eq!(log.status(), Status::Paid);
        log.at(2, EventKind::PaymentCaptured { amount: cny(7000) });
        let order = log.order.as_ref().unwrap();
        assert_eq!((order.paid, order.owed()), (cny(10000), cny(0)));
        // Refunds stay bounded by what was paid.
        assert!(matches!(
            log.try_(EventKind::RefundRequested {
                amount: cny(10001),
                reason: "x".into()
            }),
            Err(Refusal::RefundTooLarge { .. })
        ));
    }

    #[test]
    fn an_order_whose_line_items_cannot_be_added_up_is_refused() {
        let EventKind::OrderPlaced {
            channel,
            channel_order_id,
            customer,
            mut components,
            total,
        } = placed()
        else {
            unreachable!()
        };
        components[0].unit_price = cny(i64::MAX / 2);
        components[0].quantity = 3;
        let mut log = Log::new();
        assert_eq!(
            log.try_(EventKind::OrderPlaced {
                channel,
                channel_order_id,
                customer,
                components,
                total,
            }),
            Err(Refusal::AmountTooLarge)
        );
        assert!(log.order.is_none());
    }

    #[test]
    fn a_refused_payment_kept_as_a_report_names_no_amount() {
        use crate::model::order::event::NotApplied;
        for refusal in [
            Refusal::PaymentNotPositive(cny(-5)),
            Refusal::PaymentTooLarge {
                paid: cny(10001),
                owed: cny(10000),
            },
        ] {
            let words = NotApplied::of(&refusal).words(false);
            assert!(words.starts_with("a payment "), "{words}");
            assert!(!words.contains('¥'), "a lens without money sees no amount");
        }
    }

    #[test]
    fn a_view_with_withheld_amounts_still_sees_the_order_paid() {
        // The lens zeroes every amount, the order's total and paid included.
        let mut log = Log::new();
        log.at(0, placed());
        let mut order = log.order.clone().unwrap();
        order.total = cny(0);
        let rec = RecordedEvent {
            seq: 2,
            recorded_at: t(1),
            event: OrderEvent {
                order_id: order.id.clone(),
                occurred_at: t(1),
                source: Source::ControlRoom,
                actor: Actor::System {
                    name: "test".into(),
                },
                kind: EventKind::PaymentCaptured { amount: cny(0) },
            },
        };
        assert_eq!(
            evolve(Some(&order), &rec),
            Err(Refusal::PaymentNotPositive(cny(0)))
        );
        let seen = evolve_withheld(Some(&order), &rec).expect("shown as paid");
        assert_eq!((seen.status(), seen.paid), (Status::Paid, cny(0)));
    }

    #[test]
    fn payment_in_another_currency_is_refused() {
        let mut log = Log::new();
        log.at(0, placed());
        assert!(matches!(
            log.try_(EventKind::PaymentCaptured {
                amount: Money::new(100, Currency::USD)
            }),
            Err(Refusal::WrongCurrency { .. })
        ));
    }
}
