//! An order's open exceptions: one list, derived from the log by the lifecycle
//! and never set any other way.
//!
//! An exception is raised and cleared only by events:
//! - a carrier `exception` scan raises `delivery_failed` on its parcel (the
//!   scan's reason is kept); a later progress scan of that parcel clears it, and
//!   a late scan older than what the parcel already reported raises nothing;
//! - `exception_raised` / `exception_cleared` events (a detector, a person, the
//!   timeline API) raise and clear any code, on the order or on one parcel;
//! - `paid_not_shipped` is settled — cleared — when a parcel ships, the order is
//!   cancelled or fully refunded; raised on an order already settled, it is kept
//!   in the log and opens nothing.
//!
//! One exception per code and parcel is open at a time: raising it again keeps
//! the first `since` and takes the latest cause. Clearing one that is not open
//! is harmless: the event is kept in the log and changes nothing (so a detector
//! that raced with a person, or a retried call, never fails).
//!
//! What raised an exception is kept as facts ([`Cause`]); words are made from
//! them when shown, so nothing like "placed 5 min ago" is frozen into the log.

use crate::model::order::event::{EventKind, ExceptionCode};
use crate::model::order::ids::ParcelId;
use crate::model::order::status::Branch;
use crate::model::order::Order;
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

/// What a detector found, as facts (the words are made when shown).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum ExceptionFacts {
    /// The order was placed at `placed_at` and paid, and no parcel had shipped
    /// `within_secs` seconds later.
    NotShipped {
        placed_at: DateTime<Utc>,
        within_secs: u64,
    },
}

impl ExceptionFacts {
    /// The facts in words, true whenever they are read.
    pub fn words(&self) -> String {
        match self {
            ExceptionFacts::NotShipped { within_secs, .. } => format!(
                "paid, and no parcel shipped within {} of the order being placed",
                span_words(*within_secs)
            ),
        }
    }
}

/// A span of seconds in the largest whole unit: `24 h`, `15 min`, `90 s`.
pub fn span_words(secs: u64) -> String {
    match secs {
        s if s >= 3600 && s % 3600 == 0 => format!("{} h", s / 3600),
        s if s >= 60 && s % 60 == 0 => format!("{} min", s / 60),
        s => format!("{s} s"),
    }
}

/// What raised an open exception.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum Cause {
    /// A carrier scan of the parcel's waybill reported a failed or stuck
    /// delivery, for `reason`.
    CarrierScan {
        waybill: String,
        location: Option<String>,
        reason: String,
    },
    /// A detector's findings.
    Found { facts: ExceptionFacts },
    /// Raised in words, by a person or another system.
    Said { detail: String },
}

impl Cause {
    /// The cause in words: the carrier's reason and where, the detector's
    /// facts, or what was said.
    pub fn words(&self) -> String {
        match self {
            Cause::CarrierScan {
                reason,
                location: Some(at),
                ..
            } => format!("{reason} (at {at})"),
            Cause::CarrierScan { reason, .. } => reason.clone(),
            Cause::Found { facts } => facts.words(),
            Cause::Said { detail } => detail.clone(),
        }
    }

    /// The free text in it, for a lens to mask.
    pub fn free_text_mut(&mut self) -> Vec<&mut String> {
        match self {
            Cause::CarrierScan {
                location, reason, ..
            } => {
                let mut texts = vec![reason];
                texts.extend(location.as_mut());
                texts
            }
            Cause::Found { .. } => Vec::new(),
            Cause::Said { detail } => vec![detail],
        }
    }
}

/// An exception raised on the order, or on one of its parcels, and not yet
/// cleared.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(from = "StoredException")]
pub struct OpenException {
    pub code: ExceptionCode,
    /// The parcel it concerns; `None` for the order as a whole.
    pub parcel: Option<ParcelId>,
    pub cause: Cause,
    /// When the event that raised it happened.
    pub since: DateTime<Utc>,
}

impl OpenException {
    /// `Delivery failed: recipient unreachable (at Hangzhou hub)`.
    pub fn words(&self) -> String {
        format!("{}: {}", self.code.label(), self.cause.words())
    }
}

/// An open exception as a projection row holds it; rows written before causes
/// were facts have a `detail` in words instead, and read as said.
#[derive(Deserialize)]
struct StoredException {
    code: ExceptionCode,
    #[serde(default)]
    parcel: Option<ParcelId>,
    #[serde(default)]
    cause: Option<Cause>,
    #[serde(default)]
    detail: String,
    since: DateTime<Utc>,
}

impl From<StoredException> for OpenException {
    fn from(s: StoredException) -> Self {
        OpenException {
            code: s.code,
            parcel: s.parcel,
            cause: s.cause.unwrap_or(Cause::Said { detail: s.detail }),
            since: s.since,
        }
    }
}

impl ExceptionCode {
    /// Whether an open exception of this code makes the order's status a
    /// delivery exception.
    pub fn is_delivery(self) -> bool {
        match self {
            ExceptionCode::DeliveryFailed => true,
            ExceptionCode::PaidNotShipped => false,
        }
    }

    /// Whether the order's state settles this condition for good (it can no
    /// longer hold), so an open one clears and a new one opens nothing.
    fn settled_by<A>(self, order: &Order<A>) -> bool {
        match self {
            ExceptionCode::PaidNotShipped => {
                order.any_shipped()
                    || matches!(order.branch, Some(Branch::Cancelled | Branch::Refunded))
            }
            ExceptionCode::DeliveryFailed => false,
        }
    }
}

impl<A> Order<A> {
    /// The open exception on `parcel` (a carrier's first), if any.
    pub fn parcel_exception(&self, parcel: &ParcelId) -> Option<&OpenException> {
        self.exceptions
            .iter()
            .filter(|e| e.parcel.as_ref() == Some(parcel))
            .min_by_key(|e| !e.code.is_delivery())
    }

    /// Whether a delivery exception is open (on the order or a parcel).
    pub fn has_delivery_exception(&self) -> bool {
        self.exceptions.iter().any(|e| e.code.is_delivery())
    }

    /// Whether an exception with `code` is open on `parcel` (`None`: the order).
    pub fn is_open(&self, code: ExceptionCode, parcel: Option<&ParcelId>) -> bool {
        self.exceptions
            .iter()
            .any(|e| e.code == code && e.parcel.as_ref() == parcel)
    }
}

/// Opens `raised` unless its condition is already settled; an exception with
/// the same code and parcel already open keeps its `since` and takes the new
/// cause.
pub(crate) fn raise<A>(order: &mut Order<A>, raised: OpenException) {
    if raised.code.settled_by(order) {
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
pub(crate) fn clear<A>(order: &mut Order<A>, code: ExceptionCode, parcel: Option<&ParcelId>) {
    order
        .exceptions
        .retain(|e| e.code != code || parcel.is_some_and(|p| e.parcel.as_ref() != Some(p)));
}

/// Clears what the order's state now settles (after any event is folded).
pub(crate) fn settle<A>(order: &mut Order<A>) {
    let settled: Vec<ExceptionCode> = order
        .exceptions
        .iter()
        .map(|e| e.code)
        .filter(|code| code.settled_by(order))
        .collect();
    order.exceptions.retain(|e| !settled.contains(&e.code));
}

/// Whether an event of this kind can raise or clear an exception (for
/// following the exception queue live).
pub fn may_change_exceptions<A>(kind: &EventKind<A>) -> bool {
    matches!(
        kind,
        EventKind::ExceptionRaised { .. }
            | EventKind::ExceptionCleared { .. }
            | EventKind::CarrierScan { .. }
            | EventKind::ParcelShipped { .. }
            | EventKind::OrderCancelled { .. }
            | EventKind::Refunded { .. }
    )
}

#[cfg(test)]
mod tests;
