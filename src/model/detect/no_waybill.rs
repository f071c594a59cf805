//! Detector 2: the warehouse sent a parcel's shipment notice and no waybill
//! came back within the threshold (15 min by default), per parcel.

use super::settings::secs;
use super::{ahead, Context, Detector, Finding};
use crate::model::order::exceptions::{ExceptionCode, ExceptionFacts};
use crate::model::order::status::Branch;
use crate::model::order::{Order, Parcel};
use chrono::{DateTime, Utc};

pub struct NoWaybill;

/// Parcels whose notice went out and whose waybill has not come back, with
/// when the notice went out.
fn waiting(order: &Order) -> impl Iterator<Item = (&Parcel, DateTime<Utc>)> {
    let closed = order.branch.is_some_and(Branch::is_terminal);
    order
        .parcels
        .iter()
        .filter(move |p| !closed && p.waybill.is_none())
        .filter_map(|p| Some((p, p.notified_at?)))
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
        waiting(order)
            .filter(|(_, at)| now - *at >= secs(within))
            .map(|(p, at)| Finding {
                parcel: Some(p.id.clone()),
                facts: ExceptionFacts::NoWaybill {
                    notified_at: at,
                    within_secs: within,
                },
                since: at,
            })
            .collect()
    }

    fn next_check(
        &self,
        order: &Order,
        ctx: &Context<'_>,
        now: DateTime<Utc>,
    ) -> Option<DateTime<Utc>> {
        let within = secs(ctx.settings.no_waybill.secs(order.channel));
        waiting(order)
            .filter_map(|(_, at)| ahead(at, within, now))
            .min()
    }
}
