//! Detector 1: paid, and no parcel shipped within the channel's threshold of
//! the order being placed (24 h by default).

use super::settings::secs;
use super::{ahead, Context, Detector, Finding};
use crate::model::order::exceptions::{ExceptionCode, ExceptionFacts};
use crate::model::order::status::{Branch, Stage};
use crate::model::order::Order;
use chrono::{DateTime, Utc};

pub struct PaidNotShipped;

/// Whether the order is paid, open and has nothing shipped: the clock runs.
fn waiting(order: &Order) -> bool {
    order.stage >= Stage::Paid
        && !order.branch.is_some_and(Branch::is_terminal)
        && !order.any_shipped()
}

impl Detector for PaidNotShipped {
    fn name(&self) -> &'static str {
        "paid-not-shipped detector"
    }

    fn code(&self) -> ExceptionCode {
        ExceptionCode::PaidNotShipped
    }

    fn findings(&self, order: &Order, ctx: &Context<'_>, now: DateTime<Utc>) -> Vec<Finding> {
        let within = ctx.settings.paid_not_shipped.secs(order.channel);
        if !waiting(order) || now - order.placed_at < secs(within) {
            return Vec::new();
        }
        vec![Finding {
            parcel: None,
            facts: ExceptionFacts::NotShipped {
                placed_at: order.placed_at,
                within_secs: within,
            },
            since: order.placed_at,
        }]
    }

    fn next_check(
        &self,
        order: &Order,
        ctx: &Context<'_>,
        now: DateTime<Utc>,
    ) -> Option<DateTime<Utc>> {
        let within = ctx.settings.paid_not_shipped.secs(order.channel);
        waiting(order).then(|| ahead(order.placed_at, secs(within), now))?
    }
}
