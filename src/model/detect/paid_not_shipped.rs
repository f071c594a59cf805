//! Detector 1: paid, and no parcel shipped within the channel's threshold of
//! the order being placed (24 h by default).

use super::{Clock, Context, Detector, Finding};
use crate::model::order::exceptions::{ExceptionCode, ExceptionFacts};
use crate::model::order::status::Stage;
use crate::model::order::Order;
use chrono::{DateTime, Utc};

pub struct PaidNotShipped;

/// The clock from placing, while the order is paid, open and has nothing
/// shipped.
fn clock(order: &Order) -> Option<Clock> {
    let waiting = order.stage >= Stage::Paid && order.waits_to_ship();
    waiting.then_some(Clock {
        parcel: None,
        since: order.placed_at,
    })
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
        Clock::findings(clock(order), within, now, |placed_at, within_secs| {
            ExceptionFacts::NotShipped {
                placed_at,
                within_secs,
            }
        })
    }

    fn next_check(
        &self,
        order: &Order,
        ctx: &Context<'_>,
        now: DateTime<Utc>,
    ) -> Option<DateTime<Utc>> {
        let within = ctx.settings.paid_not_shipped.secs(order.channel);
        Clock::next(clock(order), within, now)
    }
}
