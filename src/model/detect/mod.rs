//! Detectors: pure rules over one order, what is known around it and the
//! clock, that say which exception events to append. The server runs every
//! detector on an order when its log grows and when one of them asked to look
//! again (its next check); it appends what they return through the store like
//! any other event.
//!
//! A detector names its code and reports its findings (facts, on the order or
//! on a parcel, and when the condition began) for an order at `now`.
//! [`detect`] turns that into events:
//! - a finding with no exception of the code open there, whose condition a
//!   person has not resolved → `exception_raised` with the facts;
//! - an exception of the code open there that a detector raised (its cause is
//!   facts) and that is no longer found → `exception_cleared`;
//! - anything else → nothing, so running it again appends nothing.
//!
//! Exceptions raised in words by people are never cleared by a detector.
//! Conditions the order's own events settle (a shipped parcel settles
//! `paid_not_shipped`) are cleared by the lifecycle as those events are folded.

mod carrier_silent;
mod context;
mod customs_incomplete;
mod delivery_at_risk;
mod gift_missing;
mod likely_duplicate;
mod no_waybill;
mod over_capacity;
mod paid_not_shipped;
mod refund_before_shipping;
pub mod settings;
pub mod settings_form;

pub use carrier_silent::CarrierSilent;
pub use context::Context;
pub use customs_incomplete::CustomsIncomplete;
pub use delivery_at_risk::DeliveryAtRisk;
pub use gift_missing::GiftMissing;
pub use likely_duplicate::{original_of, LikelyDuplicate};
pub use no_waybill::NoWaybill;
pub use over_capacity::OverCapacity;
pub use paid_not_shipped::PaidNotShipped;
pub use refund_before_shipping::RefundBeforeShipping;
pub use settings::DetectorSettings;

use crate::model::order::channel::Source;
use crate::model::order::event::{Actor, EventKind, OrderEvent};
use crate::model::order::exceptions::{Cause, ExceptionCode, ExceptionFacts};
use crate::model::order::ids::ParcelId;
use crate::model::order::Order;
use chrono::{DateTime, Utc};

/// What a detector found on an order: where, the facts, and when the
/// condition began (a person's resolution after that settles it).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Finding {
    /// The parcel it concerns; `None` for the order as a whole.
    pub parcel: Option<ParcelId>,
    pub facts: ExceptionFacts,
    pub since: DateTime<Utc>,
}

/// A rule that finds one kind of exception on an order.
pub trait Detector: Sync {
    /// Its name, as the actor of the events it appends.
    fn name(&self) -> &'static str;
    /// The exception code it raises and clears.
    fn code(&self) -> ExceptionCode;
    /// What holds for `order` at `now` (empty when nothing does).
    fn findings(&self, order: &Order, ctx: &Context<'_>, now: DateTime<Utc>) -> Vec<Finding>;
    /// The next moment after `now` at which its findings may change with
    /// time alone (a threshold to be reached); `None` when only a new event
    /// can change them.
    fn next_check(
        &self,
        order: &Order,
        ctx: &Context<'_>,
        now: DateTime<Utc>,
    ) -> Option<DateTime<Utc>> {
        let _ = (order, ctx, now);
        None
    }
}

/// Every detector, in the order they run.
pub static DETECTORS: [&dyn Detector; 9] = [
    &PaidNotShipped,
    &NoWaybill,
    &RefundBeforeShipping,
    &GiftMissing,
    &LikelyDuplicate,
    &CustomsIncomplete,
    &CarrierSilent,
    &DeliveryAtRisk,
    &OverCapacity,
];

/// The events to append for `order` at `now` (see the module's rules).
pub fn detect(
    detector: &dyn Detector,
    order: &Order,
    ctx: &Context<'_>,
    now: DateTime<Utc>,
) -> Vec<OrderEvent> {
    let code = detector.code();
    let findings = detector.findings(order, ctx, now);
    let event = |kind| OrderEvent {
        order_id: order.id.clone(),
        occurred_at: now,
        source: Source::ControlRoom,
        actor: Actor::System {
            name: detector.name().to_string(),
        },
        kind,
    };
    let raises = findings
        .iter()
        .filter(|f| !order.is_open(code, f.parcel.as_ref()))
        .filter(|f| !order.resolved(code, f.parcel.as_ref(), f.since))
        .map(|f| {
            event(EventKind::ExceptionRaised {
                code,
                parcel: f.parcel.clone(),
                detail: String::new(),
                facts: Some(f.facts.clone()),
            })
        });
    let clears = order
        .exceptions
        .iter()
        .filter(|e| e.code == code && matches!(e.cause, Cause::Found { .. }))
        .filter(|e| !findings.iter().any(|f| f.parcel == e.parcel))
        .map(|e| {
            event(EventKind::ExceptionCleared {
                code,
                parcel: e.parcel.clone(),
            })
        });
    raises.chain(clears).collect()
}

/// What every detector says of `order` at `now`: the events to append, and
/// the earliest next check any of them asked for.
pub fn detect_all(
    order: &Order,
    ctx: &Context<'_>,
    now: DateTime<Utc>,
) -> (Vec<OrderEvent>, Option<DateTime<Utc>>) {
    let events = DETECTORS
        .iter()
        .flat_map(|d| detect(*d, order, ctx, now))
        .collect();
    let next = DETECTORS
        .iter()
        .filter_map(|d| d.next_check(order, ctx, now))
        .filter(|t| *t > now)
        .min();
    (events, next)
}

/// A condition that becomes an exception once it has lasted a span: where it
/// holds (a parcel, or the order) and since when.
pub(crate) struct Clock {
    pub parcel: Option<ParcelId>,
    pub since: DateTime<Utc>,
}

impl Clock {
    /// The findings of the clocks that have run `within` seconds by `now`,
    /// with the facts `facts` makes of each start and span.
    pub(crate) fn findings(
        clocks: impl IntoIterator<Item = Clock>,
        within: u64,
        now: DateTime<Utc>,
        facts: impl Fn(DateTime<Utc>, u64) -> ExceptionFacts,
    ) -> Vec<Finding> {
        clocks
            .into_iter()
            .filter(|c| now - c.since >= settings::secs(within))
            .map(|c| Finding {
                facts: facts(c.since, within),
                parcel: c.parcel,
                since: c.since,
            })
            .collect()
    }

    /// The earliest moment one of the clocks reaches `within` seconds, if
    /// still ahead of `now`.
    pub(crate) fn next(
        clocks: impl IntoIterator<Item = Clock>,
        within: u64,
        now: DateTime<Utc>,
    ) -> Option<DateTime<Utc>> {
        clocks
            .into_iter()
            .filter_map(|c| ahead(c.since, settings::secs(within), now))
            .min()
    }
}

/// The moment `since + span`, when it is still ahead of `now` (a next check).
pub(crate) fn ahead(
    since: DateTime<Utc>,
    span: chrono::Duration,
    now: DateTime<Utc>,
) -> Option<DateTime<Utc>> {
    since.checked_add_signed(span).filter(|t| *t > now)
}

#[cfg(test)]
mod tests;
