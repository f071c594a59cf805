//! The legal transitions of an order: one pure function folds an event into the
//! order, or refuses it with a reason.
//!
//! The store calls [`evolve`] before it writes (a refusal writes nothing), the
//! projection rebuild folds the whole log with it, and the browser patches its
//! view with it — one definition of the lifecycle everywhere.
//!
//! [`evolve`] is generic over the [`Amount`]: the log's
//! [`Money`](crate::model::Money), or what a
//! viewer's lens shows ([`crate::model::access::Seen`]). A withheld amount
//! stays withheld through the fold (a sum with a withheld part is withheld),
//! and the checks that need the figures run only when they are known, so a
//! payment a viewer cannot see still marks the order paid.
//!
//! Facts reported by other systems that are older than what we know (a late
//! carrier scan, a repeated payment notice) are accepted into the log but never
//! move the order backwards.

use crate::model::order::amount::{both, Amount};
use crate::model::order::event::{EventKind, OrderEvent, RecordedEvent};
use crate::model::order::exceptions::Cause;
use crate::model::order::exceptions::ExceptionCode;
use crate::model::order::ids::{ComponentId, ParcelId};
pub use crate::model::order::refusal::Refusal;
use crate::model::order::status::{Branch, Stage};
use crate::model::order::{lines_total, Component, OpenException, Order, Parcel};
use crate::model::route::{RouteChoice, RouteStatus};
use std::collections::HashSet;

mod exception_rules;
mod requests;

/// Longest free text (notes, reasons) an event may carry.
pub const MAX_TEXT: usize = 2000;

/// Folds one event into an order. `current` is `None` for an order not yet seen.
/// Returns the new state, or why the event is refused.
///
/// A refund whose amounts are withheld cannot tell a full refund from a
/// partial one; the fold then lets the order carry on (as after a partial
/// refund), so no later event the log accepted is refused by a viewer's fold.
/// The server's view of the order, through the same lens, always has the
/// real branch.
pub fn evolve<A: Amount>(
    current: Option<&Order<A>>,
    recorded: &RecordedEvent<A>,
) -> Result<Order<A>, Refusal> {
    let event = &recorded.event;
    let mut order = match (current, &event.kind) {
        (None, EventKind::OrderPlaced { .. }) => return place(recorded),
        (None, _) => return Err(Refusal::UnknownOrder(event.order_id.to_string())),
        (Some(o), EventKind::OrderPlaced { .. }) => {
            return Err(Refusal::AlreadyExists(o.id.to_string()))
        }
        (Some(o), _) => o.clone(),
    };
    apply(&mut order, event)?;
    exception_rules::settle(&mut order);
    requests::overtaken(&mut order, event.occurred_at);
    order.updated_at = recorded.recorded_at.max(order.updated_at);
    order.last_seq = recorded.seq;
    order.event_count += 1;
    Ok(order)
}

fn place<A: Amount>(recorded: &RecordedEvent<A>) -> Result<Order<A>, Refusal> {
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
        same_currency(total, &c.unit_price)?;
    }
    if total.known().is_some_and(|t| t.is_negative()) {
        return Err(Refusal::Invalid("the order total is negative".into()));
    }
    // Unit price × quantity of every line, and their sum, must be countable
    // (when the prices are known: the lines as the log has them).
    let lines: Option<Vec<Component>> = components
        .iter()
        .map(|c| {
            let price = c.unit_price.known()?;
            Some(c.map_amounts(&|_| price))
        })
        .collect();
    if let (Some(total), Some(lines)) = (total.known(), lines) {
        lines_total(total.currency, &lines).map_err(|_| Refusal::AmountTooLarge)?;
    }
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
        paid: total.zero_like(),
        refunded: total.zero_like(),
        refund_requested: None,
        exceptions: Vec::new(),
        requests: Vec::new(),
        resolutions: Vec::new(),
        customs: Default::default(),
        promised_by: None,
        route: None,
        placed_at: recorded.event.occurred_at,
        updated_at: recorded.recorded_at,
        last_seq: recorded.seq,
        event_count: 1,
    })
}

/// Refuses an amount in another currency than the order's (`of`); checked
/// only when both are known.
fn same_currency<A: Amount>(of: &A, amount: &A) -> Result<(), Refusal> {
    match both(of, amount) {
        Some((of, amount)) if amount.currency != of.currency => Err(Refusal::WrongCurrency {
            got: amount.currency,
            expected: of.currency,
        }),
        _ => Ok(()),
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
pub fn open<A>(order: &Order<A>) -> Result<(), Refusal> {
    match order.branch {
        Some(b) if b.is_terminal() => Err(Refusal::Closed(b.status())),
        _ => Ok(()),
    }
}

/// Warehouse work may go on: paid, not closed, not on hold.
fn fulfilment_allowed<A>(order: &Order<A>) -> Result<(), Refusal> {
    open(order)?;
    if order.stage < Stage::Paid {
        return Err(Refusal::NotPaid);
    }
    if order.branch == Some(Branch::OnHold) {
        return Err(Refusal::OnHold);
    }
    // A warehouse intercept holds the shipment while its refund is open.
    if order.branch == Some(Branch::RefundRequested) && order.standing_intercept(None).is_some() {
        return Err(Refusal::Intercepted);
    }
    Ok(())
}

/// Moves the order-level stage forward; an older report changes nothing.
fn advance<A>(order: &mut Order<A>, to: Stage) -> Result<(), Refusal> {
    fulfilment_allowed(order)?;
    order.stage = order.stage.max(to);
    Ok(())
}

fn parcel_mut<'a, A>(order: &'a mut Order<A>, id: &ParcelId) -> Result<&'a mut Parcel, Refusal> {
    order
        .parcels
        .iter_mut()
        .find(|p| &p.id == id)
        .ok_or_else(|| Refusal::UnknownParcel(id.to_string()))
}

fn apply<A: Amount>(order: &mut Order<A>, event: &OrderEvent<A>) -> Result<(), Refusal> {
    match &event.kind {
        EventKind::OrderPlaced { .. } => unreachable!("handled by evolve"),
        EventKind::PaymentCaptured { amount } => {
            open(order)?;
            same_currency(&order.total, amount)?;
            capture(order, *amount)?;
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
                p.shipped_at = Some(event.occurred_at);
            }
        }
        EventKind::ShipmentNotified { parcel, carrier } => {
            fulfilment_allowed(order)?;
            text(carrier, "carrier name")?;
            let p = parcel_mut(order, parcel)?;
            // A notice after the waybill, or a repeated one, changes nothing.
            if p.stage < Stage::Shipped && p.notified_at.is_none() {
                p.notified_at = Some(event.occurred_at);
                p.carrier = Some(carrier.clone());
            }
        }
        EventKind::CustomsDeclared { fields } => {
            open(order)?;
            if fields.is_empty() {
                return Err(Refusal::Invalid(
                    "no customs attributes were declared".into(),
                ));
            }
            for (name, value) in fields {
                text(name, "customs attribute name")?;
                text(value, "customs attribute value")?;
            }
            order
                .customs
                .extend(fields.iter().map(|(k, v)| (k.clone(), v.clone())));
        }
        EventKind::DeliveryPromised { by } => {
            open(order)?;
            order.promised_by = Some(*by);
        }
        EventKind::RouteProposed { decision } => {
            fulfilment_allowed(order)?;
            if let Some(w) = &order.warehouse {
                return Err(Refusal::AlreadyAllocated(w.clone()));
            }
            order.route = Some(RouteStatus {
                proposed: decision.proposed.clone(),
                confidence_pct: decision.confidence_pct,
                threshold_pct: decision.threshold_pct,
                rule_version: decision.rule_version,
                decided: None,
            });
        }
        EventKind::RouteAccepted { warehouse } => {
            let route = waiting_route(order)?;
            if route.proposed.as_deref() != Some(warehouse.as_str()) {
                return Err(Refusal::Invalid(format!(
                    "{warehouse} is not the router's proposal"
                )));
            }
            route.decided = Some(RouteChoice {
                warehouse: warehouse.clone(),
                by: actor_name(event),
                overridden: false,
            });
        }
        EventKind::RouteOverridden { warehouse, reason } => {
            text(warehouse, "warehouse name")?;
            text(reason, "reason")?;
            let by = actor_name(event);
            waiting_route(order)?.decided = Some(RouteChoice {
                warehouse: warehouse.clone(),
                by,
                overridden: true,
            });
        }
        EventKind::CarrierScan {
            waybill,
            scan,
            location,
            detail,
        } => {
            let parcel = order
                .parcels
                .iter_mut()
                .find(|p| p.waybill.as_deref() == Some(waybill.as_str()))
                .ok_or_else(|| Refusal::UnknownWaybill(waybill.clone()))?;
            let newer = parcel.last_scan_at.is_none_or(|t| event.occurred_at >= t);
            let id = parcel.id.clone();
            let advanced = scan.stage().is_some_and(|stage| stage > parcel.stage);
            if let Some(stage) = scan.stage() {
                // Forward only; a late, older scan stays in the log only.
                parcel.stage = parcel.stage.max(stage);
            }
            if newer {
                parcel.last_scan_at = Some(event.occurred_at);
            }
            match scan.stage() {
                // Progress after the latest scan, or past where the parcel was,
                // clears the carrier's exception on it.
                Some(_) if newer || advanced => {
                    exception_rules::clear(order, ExceptionCode::DeliveryFailed, Some(&id))
                }
                Some(_) => {}
                None if newer => exception_rules::raise(
                    order,
                    OpenException {
                        code: ExceptionCode::DeliveryFailed,
                        parcel: Some(id),
                        cause: Cause::CarrierScan {
                            waybill: waybill.clone(),
                            location: location.clone(),
                            reason: detail.clone(),
                        },
                        since: event.occurred_at,
                        claim: None,
                        snooze: None,
                    },
                ),
                None => {}
            }
        }
        EventKind::HoldPlaced { reason } => {
            text(reason, "reason")?;
            open(order)?;
            if order.any_shipped() {
                return Err(Refusal::AlreadyShipped);
            }
            if order.branch.is_some() {
                return Err(Refusal::CannotHold(order.status()));
            }
            order.branch = Some(Branch::OnHold);
        }
        EventKind::HoldReleased { reason } => {
            // Releases logged before they carried a reason have none.
            if !reason.is_empty() {
                text(reason, "reason")?;
            }
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
            same_currency(&order.total, amount)?;
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
            same_currency(&order.total, amount)?;
            refund_within(order, *amount)?;
            order.refunded = order
                .refunded
                .add(*amount)
                .map_err(|_| Refusal::AmountTooLarge)?;
            order.refund_requested = None;
            // A full refund closes the order; a partial one lets it carry on.
            // Withheld amounts cannot tell: the order carries on (see `evolve`).
            let full = order.refunded.at_least(&order.paid).unwrap_or(false);
            order.branch = full.then_some(Branch::Refunded);
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
        EventKind::ExceptionRaised {
            code,
            parcel,
            detail,
            facts,
        } => {
            if facts.is_none() || !detail.is_empty() {
                text(detail, "detail")?;
            }
            if let Some(id) = parcel {
                parcel_mut(order, id)?;
            }
            let cause = match facts {
                Some(facts) => Cause::Found {
                    facts: facts.clone(),
                },
                None => Cause::Said {
                    detail: detail.clone(),
                },
            };
            exception_rules::raise(
                order,
                OpenException {
                    code: *code,
                    parcel: parcel.clone(),
                    cause,
                    since: event.occurred_at,
                    claim: None,
                    snooze: None,
                },
            );
        }
        EventKind::ExceptionCleared { code, parcel } => {
            exception_rules::clear(order, *code, parcel.as_ref())
        }
        EventKind::ExceptionClaimed { code, parcel } => {
            exception_rules::claim(order, *code, parcel.as_ref(), event)?
        }
        EventKind::ExceptionSnoozed {
            code,
            parcel,
            until,
            reason,
        } => {
            text(reason, "reason")?;
            exception_rules::snooze(order, *code, parcel.as_ref(), *until, reason, event)?
        }
        EventKind::ExceptionResolved {
            code,
            parcel,
            reason,
        } => {
            text(reason, "reason")?;
            exception_rules::resolve(order, *code, parcel.as_ref(), event.occurred_at)?
        }
        EventKind::NoteAdded { text: note } => text(note, "note")?,
        EventKind::ContactChanged { contact, reason } => {
            text(reason, "reason")?;
            requests::change_contact(order, contact)?;
        }
        EventKind::RequestMade {
            request,
            ask,
            reason,
        } => {
            text(reason, "reason")?;
            requests::make(order, request, ask, reason, event.occurred_at)?;
        }
        EventKind::RequestSettled {
            request,
            outcome,
            detail,
        } => requests::settle(order, request, *outcome, detail, event.occurred_at)?,
        EventKind::StatusReported { .. } => {}
    }
    Ok(())
}

/// The routing decision waiting for a person, or why there is none.
fn waiting_route<A>(order: &mut Order<A>) -> Result<&mut RouteStatus, Refusal> {
    if order.warehouse.is_some() {
        return Err(Refusal::NoRouteWaiting);
    }
    order
        .route
        .as_mut()
        .filter(|r| r.waits())
        .ok_or(Refusal::NoRouteWaiting)
}

/// Who did it, as a decision names them.
fn actor_name<A>(event: &OrderEvent<A>) -> String {
    match &event.actor {
        crate::model::order::event::Actor::Staff { name, .. } => name.clone(),
        other => other.to_string(),
    }
}

/// Records a payment notice (its currency already checked).
///
/// The first one pays the order. Once paid, a notice for exactly the amount
/// already paid is a repeat of that notice (channels send them again): kept in
/// the log, nothing moves. Any other notice is a further instalment and counts
/// only if it is no more than what is still owed.
///
/// With the figures withheld none of this can be checked: the order is paid,
/// and what was paid stays withheld.
fn capture<A: Amount>(order: &mut Order<A>, amount: A) -> Result<(), Refusal> {
    if let (Some(figure), Some(paid), Some(owed)) =
        (amount.known(), order.paid.known(), order.owed().known())
    {
        if !figure.is_positive() {
            return Err(Refusal::PaymentNotPositive(figure));
        }
        if order.stage > Stage::Placed && figure == paid {
            return Ok(());
        }
        if figure > owed {
            return Err(Refusal::PaymentTooLarge { paid: figure, owed });
        }
    }
    order.paid = order
        .paid
        .add(amount)
        .map_err(|_| Refusal::AmountTooLarge)?;
    order.stage = order.stage.max(Stage::Paid);
    Ok(())
}

/// A refund (requested or made) is positive and at most what is refundable
/// (checked when both are known).
fn refund_within<A: Amount>(order: &Order<A>, amount: A) -> Result<(), Refusal> {
    let Some((amount, max)) = both(&amount, &order.refundable()) else {
        return Ok(());
    };
    if !amount.is_positive() || amount > max {
        return Err(Refusal::RefundTooLarge {
            requested: amount,
            refundable: max,
        });
    }
    Ok(())
}

fn pack<A>(
    order: &mut Order<A>,
    parcel: &ParcelId,
    components: &[ComponentId],
) -> Result<(), Refusal> {
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
        last_scan_at: None,
        notified_at: None,
        shipped_at: None,
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
    use crate::model::access::{Lens, Role, Seen, SeenOrder};
    use crate::model::order::channel::{Channel, Source};
    use crate::model::order::event::{Actor, ScanKind};
    use crate::model::order::ids::OrderId;
    use crate::model::order::money::{Currency, Money};
    use crate::model::order::status::Status;
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
        /// The events accepted so far.
        events: Vec<RecordedEvent>,
    }

    impl Log {
        fn new() -> Self {
            Log {
                seq: 0,
                order: None,
                events: Vec::new(),
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
            self.events.push(rec);
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
        assert!(log
            .try_(EventKind::HoldReleased {
                reason: String::new()
            })
            .is_err());
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
        log.at(
            3,
            EventKind::HoldReleased {
                reason: "address confirmed".into(),
            },
        )
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
            let kept = serde_json::to_string(&NotApplied::of(&refusal)).unwrap();
            assert!(kept.contains("payment_"), "{kept}");
            assert!(
                !kept.contains("amount"),
                "a lens without money sees no amount"
            );
        }
    }

    /// The log as `lens` shows it, folded with the same [`evolve`].
    fn seen_fold(log: &Log, lens: Lens) -> SeenOrder {
        let recipient = customer();
        log.events
            .iter()
            .try_fold(None, |order: Option<SeenOrder>, e| {
                evolve(order.as_ref(), &lens.event_about(e, Some(&recipient))).map(Some)
            })
            .expect("the lensed log folds")
            .expect("an order")
    }

    /// Placed, paid, shipped, part refunded after a return request… every
    /// kind of money event, ending in a full refund.
    fn log_with_money() -> Log {
        let mut log = shipped_order();
        log.gift_box_ships(9)
            .at(11, scan("SF1", ScanKind::Delivered))
            .at(12, scan("SF2", ScanKind::Delivered))
            .at(
                13,
                EventKind::ExceptionRaised {
                    code: ExceptionCode::DeliveryFailed,
                    detail: "call 13800138000 about ¥100".into(),
                    parcel: None,
                    facts: None,
                },
            )
            .at(
                14,
                EventKind::ReturnRequested {
                    reason: "too small".into(),
                },
            )
            .at(15, EventKind::ReturnReceived)
            .at(
                16,
                EventKind::RefundRequested {
                    amount: cny(10000),
                    reason: "returned".into(),
                },
            );
        log
    }

    #[test]
    fn folding_what_the_full_lens_shows_is_folding_the_log() {
        let mut log = log_with_money();
        let before_refund = seen_fold(&log, Lens::FULL);
        let full = log.order.clone().unwrap();
        assert_eq!(before_refund, full.map_amounts(&Seen::Shown));
        assert_eq!(
            before_refund.refund_requested,
            Some(Seen::Shown(cny(10000)))
        );
        log.at(17, EventKind::Refunded { amount: cny(10000) });
        let seen = seen_fold(&log, Lens::FULL);
        assert_eq!(seen, log.order.clone().unwrap().map_amounts(&Seen::Shown));
        assert_eq!(seen.status(), Status::Refunded);
    }

    #[test]
    fn a_logistics_view_folds_to_withheld_amounts_and_the_right_status() {
        let mut log = Log::new();
        log.at(0, placed())
            .at(1, EventKind::PaymentCaptured { amount: cny(10000) });
        let seen = seen_fold(&log, Role::Logistics.lens());
        assert_eq!(
            seen.status(),
            Status::Paid,
            "paid, though the amount is withheld"
        );
        assert_eq!(
            (seen.total, seen.paid, seen.refunded, seen.owed()),
            (
                Seen::Withheld,
                Seen::Withheld,
                Seen::Withheld,
                Seen::Withheld
            ),
            "withheld, never zero"
        );
        assert!(seen.components.iter().all(|c| c.unit_price.is_withheld()));

        // The whole story still folds, exactly as the server's order through
        // the same lens (statuses, parcels, exceptions with masked text).
        let mut log = log_with_money();
        let lens = Role::Logistics.lens();
        let server = lens.order(log.order.as_ref().unwrap());
        let seen = seen_fold(&log, lens);
        assert_eq!(seen, server);
        assert_eq!(seen.status(), Status::RefundRequested);
        assert_eq!(seen.refund_requested, Some(Seen::Withheld));
        assert!(!format!("{:?}", seen.exceptions[0].cause).contains("¥100"));
        assert_eq!(
            seen.customer,
            customer(),
            "logistics sees whom to deliver to"
        );
        // A refund it cannot measure lets the order carry on rather than
        // closing it on a guess; nothing later is refused for it.
        log.at(17, EventKind::Refunded { amount: cny(10000) });
        let seen = seen_fold(&log, lens);
        assert_eq!(seen.refunded, Seen::Withheld);
        assert_eq!(seen.branch, None);
    }

    #[test]
    fn a_finance_view_folds_with_amounts_and_masked_contact_details() {
        let log = log_with_money();
        let lens = Role::Finance.lens();
        let seen = seen_fold(&log, lens);
        assert_eq!(seen, lens.order(log.order.as_ref().unwrap()));
        assert_eq!(seen.paid, Seen::Shown(cny(10000)));
        assert_eq!(seen.customer.phone, "138****8000");
        assert!(!format!("{:?}", seen.exceptions[0].cause).contains("13800138000"));
    }

    #[test]
    fn a_withheld_payment_is_not_checked_but_still_pays_the_order() {
        let mut log = Log::new();
        log.at(0, placed());
        let lens = Role::Logistics.lens();
        let order = lens.order(log.order.as_ref().unwrap());
        // A payment the log would refuse: a withheld view cannot tell.
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
                kind: EventKind::PaymentCaptured {
                    amount: Seen::Withheld,
                },
            },
        };
        let seen = evolve(Some(&order), &rec).expect("shown as paid");
        assert_eq!((seen.status(), seen.paid), (Status::Paid, Seen::Withheld));
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
