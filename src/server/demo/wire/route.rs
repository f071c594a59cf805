//! Which format carries a step: the most faithful one whose adapter and
//! default mapping table say what the step says, given the order as it
//! stood before the step (the table in [`super`]).

use super::shopify::Topic;
use crate::model::{Channel, EventKind, Money, Order};

/// Which format carries a step.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Route {
    Shopify(Topic),
    Douyin,
    Wechat,
    Wms,
    Kuaidi100,
    Timeline,
}

impl Route {
    /// The format for `kind` on an order of `channel`, which stood at
    /// `before` (`None`: not placed yet).
    pub(super) fn of(channel: Channel, before: Option<&Order>, kind: &EventKind) -> Route {
        match kind {
            EventKind::WarehouseAllocated { .. }
            | EventKind::PickingStarted
            | EventKind::ParcelPacked { .. }
            | EventKind::ParcelShipped { .. } => Route::Wms,
            EventKind::CarrierScan { .. } => Route::Kuaidi100,
            _ => match (channel, before) {
                (Channel::Shopify, _) => shopify(before, kind),
                (Channel::Douyin, _) => douyin(before, kind),
                (Channel::Wechat, Some(order)) => wechat(order, kind),
                _ => Route::Timeline,
            },
        }
    }
}

/// Nothing paid yet (or not even placed).
fn unpaid(before: Option<&Order>) -> bool {
    before.is_none_or(|o| o.paid.is_zero())
}

/// Shopify restates the whole order: only what its statuses say exactly.
fn shopify(before: Option<&Order>, kind: &EventKind) -> Route {
    let whole = |amount: &Money| before.is_some_and(|o| *amount == o.total);
    let paid_in_full = before.is_some_and(|o| o.paid == o.total && o.refunded.is_zero());
    match kind {
        EventKind::OrderPlaced { .. } => Route::Shopify(Topic::Create),
        EventKind::PaymentCaptured { amount } if unpaid(before) && whole(amount) => {
            Route::Shopify(Topic::Updated)
        }
        EventKind::OrderCancelled { .. } if unpaid(before) => Route::Shopify(Topic::Cancelled),
        EventKind::Refunded { amount } if whole(amount) && paid_in_full => {
            Route::Shopify(Topic::Updated)
        }
        _ => Route::Timeline,
    }
}

/// Douyin's messages carry their amounts.
fn douyin(before: Option<&Order>, kind: &EventKind) -> Route {
    match kind {
        EventKind::PaymentCaptured { amount }
        | EventKind::RefundRequested { amount, .. }
        | EventKind::Refunded { amount }
            if amount.is_positive() =>
        {
            Route::Douyin
        }
        EventKind::OrderCancelled { .. } if unpaid(before) => Route::Douyin,
        _ => Route::Timeline,
    }
}

/// WeChat's events carry no amount: only the amounts ingest infers.
fn wechat(before: &Order, kind: &EventKind) -> Route {
    let unpaid = before.paid.is_zero();
    match kind {
        EventKind::PaymentCaptured { amount } if unpaid && *amount == before.total => Route::Wechat,
        EventKind::OrderCancelled { .. } if unpaid => Route::Wechat,
        EventKind::RefundRequested { amount, .. }
            if *amount == before.refundable() && amount.is_positive() =>
        {
            Route::Wechat
        }
        EventKind::Refunded { amount } if Some(*amount) == before.refund_requested => Route::Wechat,
        _ => Route::Timeline,
    }
}
