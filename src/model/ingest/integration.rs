//! The systems that feed the log (channels, carriers, our warehouse), and what an
//! admin sees and sets of them: signing secrets, mapping rows, values nobody has
//! mapped yet, the delivery log and API keys for the timeline write API.

use crate::model::ingest::mapping::Target;
use crate::model::order::ids::OrderId;
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use std::fmt;
use std::str::FromStr;

/// A system that sends us webhooks.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub enum Integration {
    Shopify,
    Douyin,
    Wechat,
    Kuaidi100,
    Track17,
    EasyPost,
    Wms,
}

impl Integration {
    pub const ALL: [Integration; 7] = [
        Integration::Shopify,
        Integration::Douyin,
        Integration::Wechat,
        Integration::Kuaidi100,
        Integration::Track17,
        Integration::EasyPost,
        Integration::Wms,
    ];

    /// The stable name, as used in URLs and the dedupe store (`17track`).
    pub fn as_str(self) -> &'static str {
        match self {
            Integration::Shopify => "shopify",
            Integration::Douyin => "douyin",
            Integration::Wechat => "wechat",
            Integration::Kuaidi100 => "kuaidi100",
            Integration::Track17 => "17track",
            Integration::EasyPost => "easypost",
            Integration::Wms => "wms",
        }
    }

    /// A carrier's tracking service (its pushes repeat the parcel's history).
    pub fn is_carrier(self) -> bool {
        matches!(
            self,
            Integration::Kuaidi100 | Integration::Track17 | Integration::EasyPost
        )
    }

    /// Whether the control room may choose this integration's secret (Douyin's
    /// is a pair the platform issues, never one we make up).
    pub fn secret_can_be_generated(self) -> bool {
        self != Integration::Douyin
    }

    /// The name people read.
    pub fn label(self) -> &'static str {
        match self {
            Integration::Shopify => "Shopify",
            Integration::Douyin => "Douyin shop",
            Integration::Wechat => "WeChat Channels shop",
            Integration::Kuaidi100 => "Kuaidi100",
            Integration::Track17 => "17TRACK",
            Integration::EasyPost => "EasyPost",
            Integration::Wms => "Our WMS",
        }
    }

    /// What the secret is, in the sending system's own terms.
    pub fn secret_meaning(self) -> &'static str {
        match self {
            Integration::Shopify => "the app's client secret (signs X-Shopify-Hmac-Sha256)",
            Integration::Douyin => "app_key:app_secret of the Douyin shop app (signs event-sign)",
            Integration::Wechat => {
                "Token:EncodingAESKey (or Token:EncodingAESKey:AppID) of the message push, \
                 safe mode, as set in the WeChat console"
            }
            Integration::Kuaidi100 => "the salt given when subscribing (signs the sign field)",
            Integration::Track17 => "the 17TRACK API key (signs the sign header)",
            Integration::EasyPost => "the webhook secret (signs X-Hmac-Signature)",
            Integration::Wms => "the shared secret (signs X-Control-Room-Signature)",
        }
    }

    /// The variable part of `CONTROL_ROOM_<NAME>_SECRET` (`TRACK17` for 17TRACK).
    pub fn env_name(self) -> &'static str {
        match self {
            Integration::Shopify => "SHOPIFY",
            Integration::Douyin => "DOUYIN",
            Integration::Wechat => "WECHAT",
            Integration::Kuaidi100 => "KUAIDI100",
            Integration::Track17 => "TRACK17",
            Integration::EasyPost => "EASYPOST",
            Integration::Wms => "WMS",
        }
    }
}

impl fmt::Display for Integration {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// An unknown integration name.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("unknown integration {0:?}")]
pub struct UnknownIntegration(pub String);

impl FromStr for Integration {
    type Err = UnknownIntegration;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Integration::ALL
            .into_iter()
            .find(|i| i.as_str() == s)
            .ok_or_else(|| UnknownIntegration(s.to_string()))
    }
}

impl TryFrom<String> for Integration {
    type Error = UnknownIntegration;
    fn try_from(s: String) -> Result<Self, Self::Error> {
        s.parse()
    }
}

impl From<Integration> for String {
    fn from(i: Integration) -> String {
        i.as_str().to_string()
    }
}

/// A stored secret as an admin sees it: never the secret itself.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SecretInfo {
    /// `…` and the last four characters, so an admin can tell two secrets apart.
    pub hint: String,
    pub set_at: DateTime<Utc>,
    pub set_by: String,
    /// For a previous secret: accepted until then.
    pub expires_at: Option<DateTime<Utc>>,
}

/// One integration on the admin page.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct IntegrationSummary {
    pub integration: Integration,
    /// Where the sender posts, e.g. `/hooks/shopify`.
    pub endpoint: String,
    /// The secret set in the UI (signs deliveries now).
    pub current: Option<SecretInfo>,
    /// The one it replaced, still accepted until its `expires_at`.
    pub previous: Option<SecretInfo>,
    /// `CONTROL_ROOM_<NAME>_SECRET` is set on the server; it is accepted too.
    pub from_env: bool,
    /// How the feed is doing.
    pub health: FeedHealth,
}

/// How a feed is doing: when it last sent a delivery that passed its
/// signature check, and how many of its deliveries were refused lately.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct FeedHealth {
    /// The last delivery whose signature held (stored, pending or a duplicate).
    pub last_verified_at: Option<chrono::DateTime<chrono::Utc>>,
    /// Deliveries refused in the last hour (bad signature, stale, unreadable,
    /// refused by the log; duplicates not counted).
    pub refused_last_hour: u64,
}

impl IntegrationSummary {
    /// Whether any delivery can be verified at all.
    pub fn configured(&self) -> bool {
        self.current.is_some() || self.from_env
    }
}

/// How to get a new secret when rotating.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", content = "value", rename_all = "snake_case")]
pub enum NewSecret {
    /// The control room generates one (for secrets we choose: WMS, EasyPost,
    /// WeChat token and EncodingAESKey, Kuaidi100 salt; never Douyin's).
    Generate,
    /// The one the platform issued (Shopify client secret, 17TRACK key, Douyin).
    Given(String),
}

/// Longest rotation overlap an admin may choose.
pub const MAX_OVERLAP_HOURS: u32 = 24 * 14;

/// Shortest secret accepted when an admin types one in.
pub const MIN_SECRET_LEN: usize = 8;

/// Checks a typed-in secret: printable, no surrounding spaces, long enough.
pub fn check_secret(secret: &str) -> Result<(), String> {
    if secret.trim() != secret {
        return Err("the secret must not start or end with spaces".into());
    }
    if secret.chars().count() < MIN_SECRET_LEN {
        return Err(format!(
            "the secret must be at least {MIN_SECRET_LEN} characters"
        ));
    }
    if secret.len() > 512 {
        return Err("the secret must be at most 512 bytes".into());
    }
    if secret.chars().any(char::is_control) {
        return Err("the secret must not contain control characters".into());
    }
    Ok(())
}

/// The answer to a rotation: the new secret, shown this once.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SecretShown {
    pub integration: Integration,
    pub secret: String,
    /// Until when the replaced secret is still accepted (none when there was none
    /// or no overlap was asked for).
    pub previous_until: Option<DateTime<Utc>>,
}

/// One row of a mapping table as listed for admins.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct MappingRow {
    pub dialect: String,
    pub value: String,
    pub target: Target,
    /// Who last changed the row; none for a row as shipped.
    pub changed_by: Option<String>,
    pub changed_at: Option<DateTime<Utc>>,
}

/// A dialect value that arrived with no mapping: kept in the log as a
/// `status_reported` event, counted here until someone maps it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct UnmappedValue {
    pub dialect: String,
    pub value: String,
    /// How many events carried it.
    pub count: u64,
    pub last_seen: DateTime<Utc>,
    /// The order of the latest such event.
    pub example_order: OrderId,
}

/// What became of a delivery.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum DeliveryOutcome {
    /// Stored and its events appended.
    Accepted,
    /// Stored, waiting for its order or waybill to be known.
    Pending,
    /// Seen before: nothing appended.
    Duplicate,
    /// Refused (signature, size, unreadable body): nothing stored.
    Rejected,
    /// An admin replayed a stored delivery.
    Replayed,
}

impl DeliveryOutcome {
    pub const ALL: [DeliveryOutcome; 5] = [
        DeliveryOutcome::Accepted,
        DeliveryOutcome::Pending,
        DeliveryOutcome::Duplicate,
        DeliveryOutcome::Rejected,
        DeliveryOutcome::Replayed,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            DeliveryOutcome::Accepted => "accepted",
            DeliveryOutcome::Pending => "pending",
            DeliveryOutcome::Duplicate => "duplicate",
            DeliveryOutcome::Rejected => "rejected",
            DeliveryOutcome::Replayed => "replayed",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            DeliveryOutcome::Accepted => "Accepted",
            DeliveryOutcome::Pending => "Pending (order not known yet)",
            DeliveryOutcome::Duplicate => "Duplicate",
            DeliveryOutcome::Rejected => "Rejected",
            DeliveryOutcome::Replayed => "Replayed",
        }
    }

    pub fn parse(s: &str) -> Option<DeliveryOutcome> {
        DeliveryOutcome::ALL.into_iter().find(|o| o.as_str() == s)
    }
}

/// One delivery in the delivery log.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DeliverySummary {
    pub id: i64,
    /// `shopify`, …, or `api` for the timeline write API.
    pub integration: String,
    pub dedupe_key: Option<String>,
    pub received_at: DateTime<Utc>,
    pub outcome: DeliveryOutcome,
    pub reason: String,
    /// Events appended for it.
    pub events: u32,
    /// Its body is stored, so it can be replayed.
    pub replayable: bool,
}

/// A page of the delivery log, newest first.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DeliveryPage {
    pub deliveries: Vec<DeliverySummary>,
    pub total: u64,
    pub page: u32,
    pub per_page: u32,
}

/// Which deliveries to list.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct DeliveryQuery {
    pub page: u32,
    pub integration: Option<String>,
    pub outcome: Option<DeliveryOutcome>,
}

/// Rows per page of the delivery log.
pub const DELIVERIES_PER_PAGE: u32 = 50;

/// One delivery with what was received.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DeliveryDetail {
    pub summary: DeliverySummary,
    /// The headers the adapter reads (topic, message id), as received.
    pub headers: Vec<(String, String)>,
    /// The body as text (lossy UTF-8), when stored.
    pub body: Option<String>,
}

/// An API key for the timeline write API, as listed: never the key itself.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ApiKeySummary {
    pub id: String,
    pub name: String,
    /// The key's first characters (`ocr_1a2b…`), to recognise it.
    pub prefix: String,
    pub created_at: DateTime<Utc>,
    pub created_by: String,
    pub last_used_at: Option<DateTime<Utc>>,
    pub revoked_at: Option<DateTime<Utc>>,
}

/// A new API key: the key is shown this once.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ApiKeyCreated {
    pub summary: ApiKeySummary,
    pub key: String,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn integration_names_round_trip_through_serde() {
        for i in Integration::ALL {
            let json = serde_json::to_string(&i).unwrap();
            assert_eq!(json, format!("\"{}\"", i.as_str()));
            assert_eq!(serde_json::from_str::<Integration>(&json).unwrap(), i);
        }
        assert!(serde_json::from_str::<Integration>("\"fedex\"").is_err());
    }

    #[test]
    fn typed_secrets_are_checked() {
        assert!(check_secret("short").is_err());
        assert!(check_secret(" padded-secret").is_err());
        assert!(check_secret("line\nbreak-secret").is_err());
        assert!(check_secret("shpss_0123456789abcdef").is_ok());
    }

    #[test]
    fn outcomes_parse_from_their_names() {
        for o in DeliveryOutcome::ALL {
            assert_eq!(DeliveryOutcome::parse(o.as_str()), Some(o));
        }
        assert_eq!(DeliveryOutcome::parse("lost"), None);
    }
}
