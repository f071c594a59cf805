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
//! them when shown (`crate::i18n::words::cause`), so nothing like "placed
//! 5 min ago" is frozen into the log.

use crate::model::order::ids::ParcelId;
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

/// Conditions a detector raises and later clears.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ExceptionCode {
    /// Paid, but no parcel shipped within the allowed time.
    PaidNotShipped,
    /// A carrier reported a failed or stuck delivery.
    DeliveryFailed,
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
}

#[cfg(test)]
mod tests;
