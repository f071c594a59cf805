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

use crate::model::access::Role;
use crate::model::order::ids::{ComponentId, OrderId, ParcelId};
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
    /// The warehouse sent the parcel's shipment notice at `notified_at`, and
    /// no waybill came back `within_secs` seconds later.
    NoWaybill {
        notified_at: DateTime<Utc>,
        within_secs: u64,
    },
    /// The customer asked for a refund while nothing had shipped and the
    /// warehouse was not told to stop.
    RefundBeforeShipping,
    /// The parcel was packed without these gifts or trial sizes the order
    /// promised, and they are in no other parcel.
    GiftMissing { missing: Vec<ComponentId> },
    /// The same customer (phone, address and items) placed `original` at
    /// `placed_at`, within `within_secs` seconds before this one.
    LikelyDuplicate {
        original: OrderId,
        placed_at: DateTime<Utc>,
        within_secs: u64,
    },
    /// A cross-border order to `destination` lacks these customs declaration
    /// attributes.
    CustomsIncomplete {
        destination: String,
        missing: Vec<String>,
    },
    /// The parcel's carrier last reported it at `last_heard_at`, and nothing
    /// came `within_secs` seconds later.
    CarrierSilent {
        last_heard_at: DateTime<Utc>,
        within_secs: u64,
    },
    /// The channel promised delivery by `promised_by`; from the last scan the
    /// carrier's transit time puts it at `expected_by`.
    DeliveryAtRisk {
        promised_by: DateTime<Utc>,
        expected_by: DateTime<Utc>,
    },
    /// The router could not decide alone: it proposed `proposed` (none when
    /// no warehouse could take the order) with `confidence_pct`, below the
    /// threshold.
    RouteReview {
        #[serde(default, skip_serializing_if = "Option::is_none")]
        proposed: Option<String>,
        confidence_pct: u8,
    },
    /// The order waits in `warehouse`, whose backlog (`backlog` orders
    /// allocated and not shipped) is above its daily capacity.
    OverCapacity {
        warehouse: String,
        backlog: u64,
        capacity: u64,
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
    /// Who took it on, if anyone has.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub claim: Option<Claim>,
    /// Set aside until a moment, with why.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub snooze: Option<Snooze>,
}

/// A person who took an exception on.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Claim {
    pub user_id: String,
    pub name: String,
    pub at: DateTime<Utc>,
}

/// An exception set aside until `until`, for `reason`, by `name`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Snooze {
    pub until: DateTime<Utc>,
    pub reason: String,
    pub name: String,
}

/// A person's resolution of an exception: the condition that began before
/// `at` is settled for good, so a detector does not raise it again unless the
/// condition ends and begins anew.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Resolution {
    pub code: ExceptionCode,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub parcel: Option<ParcelId>,
    pub at: DateTime<Utc>,
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
    #[serde(default)]
    claim: Option<Claim>,
    #[serde(default)]
    snooze: Option<Snooze>,
}

impl From<StoredException> for OpenException {
    fn from(s: StoredException) -> Self {
        OpenException {
            code: s.code,
            parcel: s.parcel,
            cause: s.cause.unwrap_or(Cause::Said { detail: s.detail }),
            since: s.since,
            claim: s.claim,
            snooze: s.snooze,
        }
    }
}

/// Conditions a detector raises and later clears.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ExceptionCode {
    /// Paid, but no parcel shipped within the allowed time.
    PaidNotShipped,
    /// A carrier reported a failed or stuck delivery.
    DeliveryFailed,
    /// A shipment notice went out and no waybill came back in time.
    NoWaybill,
    /// A refund was asked for while the goods had not shipped: stop them.
    RefundBeforeShipping,
    /// A parcel was packed without a gift the order promised.
    GiftMissing,
    /// The same customer ordered the same items again within the window.
    LikelyDuplicate,
    /// A cross-border order lacks customs declaration attributes.
    CustomsIncomplete,
    /// No scan from the carrier for too long on a parcel in transit.
    CarrierSilent,
    /// The channel's promised delivery date cannot be met.
    DeliveryAtRisk,
    /// The order waits in a warehouse over its daily capacity.
    WarehouseOverCapacity,
    /// The router's proposal waits for a person to accept or override.
    RouteReview,
}

impl ExceptionCode {
    /// Every code, in the order teams read them.
    pub const ALL: [ExceptionCode; 11] = [
        ExceptionCode::RouteReview,
        ExceptionCode::PaidNotShipped,
        ExceptionCode::NoWaybill,
        ExceptionCode::GiftMissing,
        ExceptionCode::CarrierSilent,
        ExceptionCode::DeliveryFailed,
        ExceptionCode::WarehouseOverCapacity,
        ExceptionCode::RefundBeforeShipping,
        ExceptionCode::LikelyDuplicate,
        ExceptionCode::DeliveryAtRisk,
        ExceptionCode::CustomsIncomplete,
    ];

    /// Whether an open exception of this code makes the order's status a
    /// delivery exception.
    pub fn is_delivery(self) -> bool {
        self == ExceptionCode::DeliveryFailed
    }

    /// The team whose queue it goes to: who can act on it.
    pub fn team(self) -> Role {
        match self {
            ExceptionCode::PaidNotShipped
            | ExceptionCode::NoWaybill
            | ExceptionCode::GiftMissing
            | ExceptionCode::CarrierSilent
            | ExceptionCode::DeliveryFailed
            | ExceptionCode::WarehouseOverCapacity
            | ExceptionCode::RouteReview => Role::Logistics,
            ExceptionCode::RefundBeforeShipping
            | ExceptionCode::LikelyDuplicate
            | ExceptionCode::DeliveryAtRisk => Role::CustomerService,
            // Declared value and the payer's identity belong to the payment
            // declaration finance files with customs.
            ExceptionCode::CustomsIncomplete => Role::Finance,
        }
    }

    /// Its stable machine name (`paid_not_shipped`).
    pub fn name(self) -> &'static str {
        match self {
            ExceptionCode::PaidNotShipped => "paid_not_shipped",
            ExceptionCode::DeliveryFailed => "delivery_failed",
            ExceptionCode::NoWaybill => "no_waybill",
            ExceptionCode::RefundBeforeShipping => "refund_before_shipping",
            ExceptionCode::GiftMissing => "gift_missing",
            ExceptionCode::LikelyDuplicate => "likely_duplicate",
            ExceptionCode::CustomsIncomplete => "customs_incomplete",
            ExceptionCode::CarrierSilent => "carrier_silent",
            ExceptionCode::DeliveryAtRisk => "delivery_at_risk",
            ExceptionCode::WarehouseOverCapacity => "warehouse_over_capacity",
            ExceptionCode::RouteReview => "route_review",
        }
    }

    /// The code with machine name `name`.
    pub fn parse(name: &str) -> Option<ExceptionCode> {
        ExceptionCode::ALL.into_iter().find(|c| c.name() == name)
    }
}

#[cfg(test)]
mod tests;
