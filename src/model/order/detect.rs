//! Detectors: pure rules over one order at a given moment that say which
//! exception events to append. The server runs them on a timer and appends
//! what they return through the store like any other event; nothing else
//! raises or clears their exceptions.
//!
//! A detector names its code and reports its findings (facts, on the order or
//! on a parcel) for an order at `now`. [`detect`] turns that into events:
//! - a finding with no exception of the code open there → `exception_raised`
//!   with the facts;
//! - an exception of the code open there that this detector raised (its cause
//!   is facts) and that it no longer finds → `exception_cleared`;
//! - anything else → nothing, so running it again appends nothing.
//!
//! Exceptions raised in words by people are never cleared by a detector.
//! Conditions the order's own events settle (a shipped parcel settles
//! `paid_not_shipped`) are cleared by the lifecycle as those events are folded.

use crate::model::order::channel::Source;
use crate::model::order::event::{Actor, EventKind, OrderEvent};
use crate::model::order::exceptions::ExceptionCode;
use crate::model::order::exceptions::{Cause, ExceptionFacts};
use crate::model::order::ids::ParcelId;
use crate::model::order::status::Branch;
use crate::model::order::status::Stage;
use crate::model::order::Order;
use chrono::{DateTime, Duration, Utc};

/// What a detector found on an order: where, and the facts.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Finding {
    /// The parcel it concerns; `None` for the order as a whole.
    pub parcel: Option<ParcelId>,
    pub facts: ExceptionFacts,
}

/// A rule that finds one kind of exception on an order.
pub trait Detector {
    /// Its name, as the actor of the events it appends.
    fn name(&self) -> &'static str;
    /// The exception code it raises and clears.
    fn code(&self) -> ExceptionCode;
    /// What holds for `order` at `now` (empty when nothing does).
    fn findings(&self, order: &Order, now: DateTime<Utc>) -> Vec<Finding>;
}

/// The events to append for `order` at `now` (see the module's rules).
pub fn detect(detector: &dyn Detector, order: &Order, now: DateTime<Utc>) -> Vec<OrderEvent> {
    let code = detector.code();
    let findings = detector.findings(order, now);
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

/// Paid, and no parcel shipped within `within` of the order being placed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PaidNotShipped {
    pub within: Duration,
}

impl Detector for PaidNotShipped {
    fn name(&self) -> &'static str {
        "paid-not-shipped detector"
    }

    fn code(&self) -> ExceptionCode {
        ExceptionCode::PaidNotShipped
    }

    fn findings(&self, order: &Order, now: DateTime<Utc>) -> Vec<Finding> {
        let closed = order.branch.is_some_and(Branch::is_terminal);
        let holds = order.stage >= Stage::Paid
            && !closed
            && !order.any_shipped()
            && now - order.placed_at >= self.within;
        if !holds {
            return Vec::new();
        }
        vec![Finding {
            parcel: None,
            facts: ExceptionFacts::NotShipped {
                placed_at: order.placed_at,
                within_secs: self.within.num_seconds().max(0) as u64,
            },
        }]
    }
}
