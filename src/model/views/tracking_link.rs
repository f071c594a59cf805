//! Tracking links as staff see them: a capability URL for one order, shown
//! once when it is made, listed afterwards by a short hint only (never the
//! token), with its expiry, whether it was revoked, and how often it was opened.

use crate::model::order::ids::OrderId;
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

/// How long a link lasts when nobody says otherwise.
pub const DEFAULT_EXPIRY_DAYS: u32 = 30;
/// The longest a link may last.
pub const MAX_EXPIRY_DAYS: u32 = 90;

/// Why a link cannot be made as asked.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum TrackingLinkError {
    #[error("a tracking link lasts 1 to {MAX_EXPIRY_DAYS} days, not {0}")]
    BadExpiry(u32),
}

/// The days a new link lasts: the default, or the days asked for (1–90).
pub fn expiry_days(requested: Option<u32>) -> Result<u32, TrackingLinkError> {
    match requested {
        None => Ok(DEFAULT_EXPIRY_DAYS),
        Some(days) if (1..=MAX_EXPIRY_DAYS).contains(&days) => Ok(days),
        Some(days) => Err(TrackingLinkError::BadExpiry(days)),
    }
}

/// The path a customer opens for `token`.
pub fn tracking_path(token: &str) -> String {
    format!("/track/{token}")
}

/// Whether a link still opens.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum LinkState {
    Active,
    Expired,
    Revoked,
}

impl LinkState {
    pub fn as_str(self) -> &'static str {
        match self {
            LinkState::Active => "active",
            LinkState::Expired => "expired",
            LinkState::Revoked => "revoked",
        }
    }
}

/// A tracking link in the order page's list (never the token itself).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct TrackingLinkSummary {
    pub id: String,
    pub order_id: OrderId,
    /// The token's first characters, to tell links apart.
    pub hint: String,
    pub created_at: DateTime<Utc>,
    /// The username of the person who made it.
    pub created_by: String,
    pub expires_at: DateTime<Utc>,
    pub revoked_at: Option<DateTime<Utc>>,
    /// How many times the customer's page was opened with it.
    pub opened: u64,
    pub last_opened_at: Option<DateTime<Utc>>,
}

impl TrackingLinkSummary {
    /// Whether the link opens at `now`.
    pub fn state(&self, now: DateTime<Utc>) -> LinkState {
        if self.revoked_at.is_some() {
            LinkState::Revoked
        } else if now >= self.expires_at {
            LinkState::Expired
        } else {
            LinkState::Active
        }
    }
}

/// A new link: the path with its token is shown this once.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct TrackingLinkCreated {
    pub summary: TrackingLinkSummary,
    /// `/track/<token>`, relative to the control room's address.
    pub url: String,
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::Duration;

    #[test]
    fn expiry_defaults_to_thirty_days_and_stays_within_ninety() {
        assert_eq!(expiry_days(None), Ok(30));
        assert_eq!(expiry_days(Some(1)), Ok(1));
        assert_eq!(expiry_days(Some(90)), Ok(90));
        assert_eq!(expiry_days(Some(0)), Err(TrackingLinkError::BadExpiry(0)));
        assert!(expiry_days(Some(91)).is_err());
    }

    #[test]
    fn a_link_is_revoked_expired_or_active() {
        let now = Utc::now();
        let mut link = TrackingLinkSummary {
            id: "t_1".into(),
            order_id: OrderId::parse("CR-1").unwrap(),
            hint: "abcdef".into(),
            created_at: now,
            created_by: "cs".into(),
            expires_at: now + Duration::days(1),
            revoked_at: None,
            opened: 0,
            last_opened_at: None,
        };
        assert_eq!(link.state(now), LinkState::Active);
        assert_eq!(link.state(now + Duration::days(2)), LinkState::Expired);
        link.revoked_at = Some(now);
        assert_eq!(link.state(now), LinkState::Revoked);
        assert_eq!(tracking_path("tok"), "/track/tok");
    }
}
