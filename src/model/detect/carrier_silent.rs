//! Detector 7: a parcel in transit (shipped, not delivered) with no scan from
//! its carrier within the threshold (48 h by default) of the last one, or of
//! shipping when none came. A later scan clears it (the lifecycle settles it
//! as the scan is folded).

use super::settings::secs;
use super::{ahead, Context, Detector, Finding};
use crate::model::order::exceptions::{ExceptionCode, ExceptionFacts};
use crate::model::order::status::{Branch, Stage};
use crate::model::order::{Order, Parcel};
use chrono::{DateTime, Utc};

pub struct CarrierSilent;

/// Parcels on the road, with when their carrier was last heard of.
fn on_the_road(order: &Order) -> impl Iterator<Item = (&Parcel, DateTime<Utc>)> {
    let closed = order.branch.is_some_and(Branch::is_terminal);
    order
        .parcels
        .iter()
        .filter(move |p| !closed && p.stage.has_shipped() && p.stage < Stage::Delivered)
        .filter_map(|p| Some((p, p.last_scan_at.max(p.shipped_at)?)))
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
        on_the_road(order)
            .filter(|(_, heard)| now - *heard >= secs(within))
            .map(|(p, heard)| Finding {
                parcel: Some(p.id.clone()),
                facts: ExceptionFacts::CarrierSilent {
                    last_heard_at: heard,
                    within_secs: within,
                },
                since: heard,
            })
            .collect()
    }

    fn next_check(
        &self,
        order: &Order,
        ctx: &Context<'_>,
        now: DateTime<Utc>,
    ) -> Option<DateTime<Utc>> {
        let within = secs(ctx.settings.carrier_silent.secs(order.channel));
        on_the_road(order)
            .filter_map(|(_, heard)| ahead(heard, within, now))
            .min()
    }
}
