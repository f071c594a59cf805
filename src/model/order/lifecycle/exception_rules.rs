//! How the lifecycle keeps an order's open exceptions: raising one (unless
//! the order's state already settles it), clearing one, clearing what the
//! state settles after each event, and what people do with an open one
//! (claim it, snooze it, resolve it).

use crate::model::order::event::{Actor, OrderEvent};
use crate::model::order::exceptions::{Claim, ExceptionCode, OpenException, Resolution, Snooze};
use crate::model::order::ids::ParcelId;
use crate::model::order::refusal::Refusal;
use crate::model::order::status::{Branch, Stage};
use crate::model::order::Order;
use chrono::{DateTime, Utc};

/// Whether the order's state settles this exception (its condition can no
/// longer hold as raised), so an open one clears and a new one opens nothing.
fn settled_by<A>(code: ExceptionCode, parcel: Option<&ParcelId>, order: &Order<A>) -> bool {
    let closed = order.branch.is_some_and(Branch::is_terminal);
    let parcel = parcel.and_then(|id| order.parcels.iter().find(|p| &p.id == id));
    match code {
        ExceptionCode::PaidNotShipped => {
            order.any_shipped()
                || matches!(order.branch, Some(Branch::Cancelled | Branch::Refunded))
        }
        ExceptionCode::DeliveryFailed => false,
        ExceptionCode::NoWaybill => closed || parcel.is_some_and(|p| p.waybill.is_some()),
        ExceptionCode::RefundBeforeShipping => !order.awaits_intercept(),
        ExceptionCode::CarrierSilent | ExceptionCode::DeliveryAtRisk => {
            closed || parcel.is_some_and(|p| p.stage >= Stage::Delivered)
        }
        ExceptionCode::WarehouseOverCapacity => !order.waits_to_ship(),
        // Allocated, or the warehouse already works on it: routing is moot.
        ExceptionCode::RouteReview => {
            closed || order.warehouse.is_some() || order.stage >= Stage::Picking
        }
        ExceptionCode::GiftMissing
        | ExceptionCode::LikelyDuplicate
        | ExceptionCode::CustomsIncomplete => closed,
    }
}

/// Whether a later scan of its parcel ended a carrier's silence.
fn heard_since<A>(order: &Order<A>, open: &OpenException) -> bool {
    open.code == ExceptionCode::CarrierSilent
        && open.parcel.as_ref().is_some_and(|id| {
            order
                .parcels
                .iter()
                .any(|p| &p.id == id && p.last_scan_at.is_some_and(|t| t > open.since))
        })
}

/// Opens `raised` unless its condition is already settled; an exception with
/// the same code and parcel already open keeps its `since` and takes the new
/// cause.
pub(super) fn raise<A>(order: &mut Order<A>, raised: OpenException) {
    if settled_by(raised.code, raised.parcel.as_ref(), order) {
        return;
    }
    match order
        .exceptions
        .iter_mut()
        .find(|e| e.code == raised.code && e.parcel == raised.parcel)
    {
        Some(open) => open.cause = raised.cause,
        None => order.exceptions.push(raised),
    }
}

/// Clears the open exceptions with `code` on `parcel`, or with `code`
/// anywhere when `parcel` is `None`. Nothing open: nothing changes.
pub(super) fn clear<A>(order: &mut Order<A>, code: ExceptionCode, parcel: Option<&ParcelId>) {
    order
        .exceptions
        .retain(|e| e.code != code || parcel.is_some_and(|p| e.parcel.as_ref() != Some(p)));
}

/// Clears what the order's state now settles (after any event is folded).
pub(super) fn settle<A>(order: &mut Order<A>) {
    let settled: Vec<(ExceptionCode, Option<ParcelId>)> = order
        .exceptions
        .iter()
        .filter(|e| settled_by(e.code, e.parcel.as_ref(), order) || heard_since(order, e))
        .map(|e| (e.code, e.parcel.clone()))
        .collect();
    order
        .exceptions
        .retain(|e| !settled.iter().any(|(c, p)| *c == e.code && *p == e.parcel));
}

/// The open exception a person acts on, or why there is none.
fn open_mut<'a, A>(
    order: &'a mut Order<A>,
    code: ExceptionCode,
    parcel: Option<&ParcelId>,
) -> Result<&'a mut OpenException, Refusal> {
    order
        .exceptions
        .iter_mut()
        .find(|e| e.code == code && e.parcel.as_ref() == parcel)
        .ok_or(Refusal::ExceptionNotOpen)
}

/// Who acted, as a claim or snooze names them.
fn who<A>(event: &OrderEvent<A>) -> (String, String) {
    match &event.actor {
        Actor::Staff { user_id, name, .. } => (user_id.clone(), name.clone()),
        other => (String::new(), other.to_string()),
    }
}

/// The actor takes the open exception on (taking it over from whoever had it).
pub(super) fn claim<A>(
    order: &mut Order<A>,
    code: ExceptionCode,
    parcel: Option<&ParcelId>,
    event: &OrderEvent<A>,
) -> Result<(), Refusal> {
    let (user_id, name) = who(event);
    open_mut(order, code, parcel)?.claim = Some(Claim {
        user_id,
        name,
        at: event.occurred_at,
    });
    Ok(())
}

/// The open exception is set aside until `until` (later than the event).
pub(super) fn snooze<A>(
    order: &mut Order<A>,
    code: ExceptionCode,
    parcel: Option<&ParcelId>,
    until: DateTime<Utc>,
    reason: &str,
    event: &OrderEvent<A>,
) -> Result<(), Refusal> {
    let open = open_mut(order, code, parcel)?;
    if until <= event.occurred_at {
        return Err(Refusal::SnoozeInPast);
    }
    open.snooze = Some(Snooze {
        until,
        reason: reason.to_string(),
        name: who(event).1,
    });
    Ok(())
}

/// The open exception closes, and the condition it stood for is recorded as
/// resolved at `at` (so a detector leaves it be).
pub(super) fn resolve<A>(
    order: &mut Order<A>,
    code: ExceptionCode,
    parcel: Option<&ParcelId>,
    at: DateTime<Utc>,
) -> Result<(), Refusal> {
    open_mut(order, code, parcel)?;
    // Exactly this one (a clear with no parcel would clear the code everywhere).
    order
        .exceptions
        .retain(|e| e.code != code || e.parcel.as_ref() != parcel);
    order
        .resolutions
        .retain(|r| r.code != code || r.parcel.as_ref() != parcel);
    order.resolutions.push(Resolution {
        code,
        parcel: parcel.cloned(),
        at,
    });
    Ok(())
}
