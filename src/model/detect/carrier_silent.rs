//! Detector 7: a parcel in transit (shipped, not delivered) with no scan from
//! its carrier within the threshold (48 h by default) of the last one, or of
//! shipping when none came. A later scan clears it (the lifecycle settles it
//! as the scan is folded).

use super::{Clock, Context, Detector, Finding};
use crate::model::order::exceptions::{ExceptionCode, ExceptionFacts};
use crate::model::order::status::{Branch, Stage};
use crate::model::order::Order;
use chrono::{DateTime, Utc};

pub struct CarrierSilent;

/// A clock per parcel on the road, from when its carrier was last heard of.
fn clocks(order: &Order) -> impl Iterator<Item = Clock> + '_ {
    let closed = order.branch.is_some_and(Branch::is_terminal);
    order
        .parcels
        .iter()
        .filter(move |p| !closed && p.stage.has_shipped() && p.stage < Stage::Delivered)
        .filter_map(|p| {
            Some(Clock {
                parcel: Some(p.id.clone()),
                since: p.last_scan_at.max(p.shipped_at)?,
            })
        })
}

impl Detector for CarrierSilent {
    fn name(&self) -> &'static str {
        "carrier-silence detector"
    }

    fn code(&self) -> ExceptionCode {
        ExceptionCode::CarrierSilent
    }

    fn findings(&self, order: &Order, ctx: &Context<'_>, now: DateTime<Utc>) -> Vec<Finding> {
        let within = ctx.settings.carrier_silent.secs(order.channel);
        Clock::findings(clocks(order), within, now, |last_heard_at, within_secs| {
            ExceptionFacts::CarrierSilent {
                last_heard_at,
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
        let within = ctx.settings.carrier_silent.secs(order.channel);
        Clock::next(clocks(order), within, now)
    }
}
