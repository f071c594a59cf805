//! Detector 2: the warehouse sent a parcel's shipment notice and no waybill
//! came back within the threshold (15 min by default), per parcel.

use super::{Clock, Context, Detector, Finding};
use crate::model::order::exceptions::{ExceptionCode, ExceptionFacts};
use crate::model::order::status::Branch;
use crate::model::order::Order;
use chrono::{DateTime, Utc};

pub struct NoWaybill;

/// A clock per parcel whose notice went out and whose waybill has not come
/// back, from the notice.
fn clocks(order: &Order) -> impl Iterator<Item = Clock> + '_ {
    let closed = order.branch.is_some_and(Branch::is_terminal);
    order
        .parcels
        .iter()
        .filter(move |p| !closed && p.waybill.is_none())
        .filter_map(|p| {
            Some(Clock {
                parcel: Some(p.id.clone()),
                since: p.notified_at?,
            })
        })
}

impl Detector for NoWaybill {
    fn name(&self) -> &'static str {
        "no-waybill detector"
    }

    fn code(&self) -> ExceptionCode {
        ExceptionCode::NoWaybill
    }

    fn findings(&self, order: &Order, ctx: &Context<'_>, now: DateTime<Utc>) -> Vec<Finding> {
        let within = ctx.settings.no_waybill.secs(order.channel);
        Clock::findings(clocks(order), within, now, |notified_at, within_secs| {
            ExceptionFacts::NoWaybill {
                notified_at,
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
        let within = ctx.settings.no_waybill.secs(order.channel);
        Clock::next(clocks(order), within, now)
    }
}
