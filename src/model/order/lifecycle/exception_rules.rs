//! How the lifecycle keeps an order's open exceptions: raising one (unless
//! the order's state already settles it), clearing one, and clearing what the
//! state settles after each event.

use crate::model::order::exceptions::{ExceptionCode, OpenException};
use crate::model::order::ids::ParcelId;
use crate::model::order::status::Branch;
use crate::model::order::Order;

/// Whether the order's state settles this condition for good (it can no
/// longer hold), so an open one clears and a new one opens nothing.
fn settled_by<A>(code: ExceptionCode, order: &Order<A>) -> bool {
    match code {
        ExceptionCode::PaidNotShipped => {
            order.any_shipped()
                || matches!(order.branch, Some(Branch::Cancelled | Branch::Refunded))
        }
        ExceptionCode::DeliveryFailed => false,
    }
}

/// Opens `raised` unless its condition is already settled; an exception with
/// the same code and parcel already open keeps its `since` and takes the new
/// cause.
pub(super) fn raise<A>(order: &mut Order<A>, raised: OpenException) {
    if settled_by(raised.code, order) {
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
    let settled: Vec<ExceptionCode> = order
        .exceptions
        .iter()
        .map(|e| e.code)
        .filter(|code| settled_by(*code, order))
        .collect();
    order.exceptions.retain(|e| !settled.contains(&e.code));
}
