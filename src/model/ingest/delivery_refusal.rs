//! Deliveries that earn no durable row of their own: refused ones (bad or
//! missing signature, unknown integration, unreadable, stale) and duplicates.
//! The server counts them in memory per integration and reason and lists only
//! a sample in the delivery log, so unauthenticated traffic cannot write
//! without bound; admins read the counts.

use serde::{Deserialize, Serialize};

/// Why a delivery was answered without a row of its own.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum RefusalReason {
    /// Signature or API key missing or wrong, or WeChat plain-text mode where
    /// it is not allowed.
    Unauthenticated,
    /// Signed, but too old, outside the timestamp window, or a nonce reused.
    Stale,
    /// Unreadable, or out of the bounds of a real order.
    Malformed,
    /// Posted to an integration that does not exist.
    UnknownIntegration,
    /// Authenticated and readable, but the log refused it (an order nobody
    /// knows, a step the lifecycle does not allow).
    NotApplicable,
    /// Received before: nothing appended.
    Duplicate,
}

impl RefusalReason {
    pub const ALL: [RefusalReason; 6] = [
        RefusalReason::Unauthenticated,
        RefusalReason::Stale,
        RefusalReason::Malformed,
        RefusalReason::UnknownIntegration,
        RefusalReason::NotApplicable,
        RefusalReason::Duplicate,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            RefusalReason::Unauthenticated => "unauthenticated",
            RefusalReason::Stale => "stale",
            RefusalReason::Malformed => "malformed",
            RefusalReason::UnknownIntegration => "unknown_integration",
            RefusalReason::NotApplicable => "not_applicable",
            RefusalReason::Duplicate => "duplicate",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            RefusalReason::Unauthenticated => "Bad or missing signature",
            RefusalReason::Stale => "Too old or replayed",
            RefusalReason::Malformed => "Unreadable",
            RefusalReason::UnknownIntegration => "Unknown integration",
            RefusalReason::NotApplicable => "Refused by the log",
            RefusalReason::Duplicate => "Duplicate",
        }
    }
}

/// The integration name refusals to unknown integrations are counted under
/// (the name itself is the sender's and is not kept).
pub const UNKNOWN_INTEGRATION: &str = "unknown";

/// How many deliveries of one integration were answered for one reason.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RefusalCount {
    /// `shopify`, …, `api` for the timeline write API, or
    /// [`UNKNOWN_INTEGRATION`].
    pub integration: String,
    pub reason: RefusalReason,
    /// In the last hour.
    pub last_hour: u64,
    /// Of those, listed in the delivery log.
    pub listed_last_hour: u64,
    /// Since the server started.
    pub since_start: u64,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reasons_serialise_as_their_names() {
        for r in RefusalReason::ALL {
            assert_eq!(
                serde_json::to_string(&r).unwrap(),
                format!("\"{}\"", r.as_str())
            );
        }
    }
}
