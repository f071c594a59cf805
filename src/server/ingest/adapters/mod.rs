//! Webhook payload adapters: the bytes of one real delivery in, dialect-level
//! facts out.
//!
//! Pure parsing: no I/O, no signatures, no store. The HTTP endpoint verifies the
//! signature over the raw body, calls [`parse`], drops a [`Delivery`] whose
//! [`Delivery::dedupe_key`] it has seen before, maps each [`Fact`]'s
//! `(dialect, value)` through the mapping table
//! ([`crate::model::mapping`]) and appends the resulting events.
//!
//! Each adapter reads its payload into typed serde structs. Errors name the field
//! by its path in the payload (`order_info.order_id`, `[1].data.p_id`,
//! `param.lastResult.data[0].time`).
//!
//! Dedupe keys, per integration:
//!
//! | integration | key |
//! |---|---|
//! | Shopify | from the signed body: `order:<id>@<updated_at>:<financial>/<fulfillment>[:cancelled]` for an order, `fulfillment:<id>@<updated_at>:<status>` for a fulfillment, else `sha256:<hex of the body>` (never the unsigned `X-Shopify-Webhook-Id`) |
//! | Douyin | the `msgId` of a one-message delivery; for a batch of several, `sha256:<hex of the msgIds joined by "\n">`; a message without one: body hash |
//! | WeChat Channels | `FromUserName:CreateTime:Event:order_id` (after-sale: `…:after_sale_order_id:status`) |
//! | Kuaidi100 | `sha256:<hex of the decoded param>` |
//! | 17TRACK | `sha256:<hex of the body>` (pushes carry no id) |
//! | EasyPost | the event `id` |
//! | WMS | `message_id` |
//!
//! Keys are unique per integration only: store them together with
//! [`Integration::as_str`].

pub mod douyin;
pub mod easypost;
pub mod kuaidi100;
pub mod shopify;
pub mod track17;
pub mod wechat;
pub mod wms;

pub use crate::model::ingest::integration::{Integration, UnknownIntegration};
pub use kuaidi100::kuaidi100_param;

use crate::model::{Channel, Component, ComponentId, Currency, Customer, Money, ParcelId};
use axum::http::HeaderMap;
use chrono::{DateTime, NaiveDateTime, TimeZone, Utc};
use serde::de::{self, DeserializeOwned, Deserializer, Visitor};
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};
use std::fmt;

/// One webhook delivery, parsed.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Delivery {
    /// Identifies the delivery across the sender's retries (see the module docs).
    pub dedupe_key: String,
    /// What the delivery reports, oldest first within one waybill. Empty for a
    /// delivery that is acknowledged but says nothing we record (a 17TRACK
    /// `TRACKING_STOPPED`, a product message, a push check).
    pub facts: Vec<Fact>,
    /// When the delivery says it was made, by where it says so (Shopify: the
    /// signed body's `updated_at`, the unsigned `X-Shopify-Triggered-At`).
    /// The endpoint refuses a delivery older than the maximum age by any of
    /// them (see [`super::freshness`]); empty when the format dates nothing.
    pub dated: Vec<(&'static str, DateTime<Utc>)>,
}

impl Delivery {
    /// A delivery that dates nothing.
    pub fn new(dedupe_key: String, facts: Vec<Fact>) -> Delivery {
        Delivery {
            dedupe_key,
            facts,
            dated: Vec::new(),
        }
    }
}

/// A fact as the sending system states it, in its own dialect.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum Fact {
    /// A channel reports a new order with enough detail to create it (Shopify
    /// `orders/create`).
    OrderPlaced {
        channel: Channel,
        channel_order_id: String,
        customer: Customer,
        /// Each line as a main item unless `spelled_kinds` names its kind.
        components: Vec<Component>,
        /// Kinds as the channel spelled them (`小样`), per component: the
        /// translation reads them through the mapping table.
        spelled_kinds: Vec<(ComponentId, String)>,
        total: Money,
        at: DateTime<Utc>,
    },
    /// A channel's status value for one of its orders.
    ChannelStatus {
        channel: Channel,
        channel_order_id: String,
        /// One of [`crate::model::ingest::mapping::dialect`].
        dialect: &'static str,
        value: String,
        /// The amount the status is about (paid, refund asked), when the payload
        /// says it.
        amount: Option<Money>,
        /// When it happened at the channel; `None` when the payload carries no
        /// time of its own (a Douyin tag-0 message): use the time of receipt.
        at: Option<DateTime<Utc>>,
    },
    /// A carrier's report on one waybill (one per tracking event in the payload,
    /// oldest first).
    CarrierScan {
        /// The carrier as the feed names it (`yuantong`, `FedEx`, `Correios`).
        carrier: String,
        waybill: String,
        /// One of [`crate::model::ingest::mapping::dialect`].
        dialect: &'static str,
        value: String,
        location: Option<String>,
        detail: String,
        at: DateTime<Utc>,
    },
    /// Warehouse facts from our own WMS feed.
    Warehouse(WmsFact),
}

/// What our WMS reports (see [`wms`] for the feed format). Already canonical:
/// these need no mapping table.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum WmsFact {
    /// The warehouse accepted the outbound order (canonically: allocated).
    OutboundCreated {
        channel: Channel,
        channel_order_id: String,
        warehouse: String,
        at: DateTime<Utc>,
    },
    /// Picking started.
    Picking {
        channel: Channel,
        channel_order_id: String,
        warehouse: String,
        at: DateTime<Utc>,
    },
    /// A parcel was packed with these components.
    Packed {
        channel: Channel,
        channel_order_id: String,
        warehouse: String,
        parcel: ParcelId,
        components: Vec<ComponentId>,
        at: DateTime<Utc>,
    },
    /// A parcel was handed to a carrier under a waybill.
    Shipped {
        channel: Channel,
        channel_order_id: String,
        warehouse: String,
        parcel: ParcelId,
        carrier: String,
        waybill: String,
        at: DateTime<Utc>,
    },
}

/// Why a delivery could not be read. Each message names the problem.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ParseError {
    #[error("body is not valid JSON: {0}")]
    NotJson(String),
    #[error("body is not a valid form: {0}")]
    NotForm(String),
    #[error("form field `{0}` is missing")]
    MissingFormField(&'static str),
    #[error("header {0} is missing")]
    MissingHeader(&'static str),
    #[error("field {field} is missing")]
    Missing { field: String },
    #[error("field {field} is invalid: {reason}")]
    Invalid { field: String, reason: String },
    #[error("body has the wrong shape: {0}")]
    Shape(String),
    #[error("{0}")]
    Unsupported(String),
}

impl ParseError {
    pub(crate) fn missing(field: impl Into<String>) -> Self {
        ParseError::Missing {
            field: field.into(),
        }
    }

    pub(crate) fn invalid(field: impl Into<String>, reason: impl Into<String>) -> Self {
        ParseError::Invalid {
            field: field.into(),
            reason: reason.into(),
        }
    }
}

/// Parses one delivery of `integration`. `headers` matter only to Shopify (the
/// topic says which kind of object the body is; `X-Shopify-Triggered-At` dates
/// it); the others read the body alone.
pub fn parse(
    integration: Integration,
    headers: &HeaderMap,
    body: &[u8],
) -> Result<Delivery, ParseError> {
    match integration {
        Integration::Shopify => shopify::parse(headers, body),
        Integration::Douyin => douyin::parse(body),
        Integration::Wechat => wechat::parse(body),
        Integration::Kuaidi100 => kuaidi100::parse(body),
        Integration::Track17 => track17::parse(body),
        Integration::EasyPost => easypost::parse(body),
        Integration::Wms => wms::parse(body),
    }
}

// ---- shared helpers for the adapters ----

/// `sha256:<lower-case hex>` of some bytes, for dedupe keys without a natural id.
pub(crate) fn sha256_key(bytes: &[u8]) -> String {
    let digest = Sha256::digest(bytes);
    let mut key = String::with_capacity(7 + 64);
    key.push_str("sha256:");
    for byte in digest {
        key.push_str(&format!("{byte:02x}"));
    }
    key
}

/// Joins a path prefix and a serde path (`"."` is the root).
pub(crate) fn join_path(prefix: &str, path: &str) -> String {
    let path = if path == "." { "" } else { path };
    match (prefix.is_empty(), path.is_empty()) {
        (_, true) => prefix.to_string(),
        (true, false) => path.to_string(),
        (false, false) if path.starts_with('[') => format!("{prefix}{path}"),
        (false, false) => format!("{prefix}.{path}"),
    }
}

/// serde_json appends ` at line L column C`; the field path says more.
fn without_position(message: &str) -> &str {
    match message.rfind(" at line ") {
        Some(i) => &message[..i],
        None => message,
    }
}

fn data_error(prefix: &str, err: serde_path_to_error::Error<serde_json::Error>) -> ParseError {
    let path = join_path(prefix, &err.path().to_string());
    let inner = err.into_inner();
    let message = inner.to_string();
    let message = without_position(&message);
    if !inner.is_data() {
        return ParseError::NotJson(message.to_string());
    }
    if let Some(field) = message
        .strip_prefix("missing field `")
        .and_then(|rest| rest.strip_suffix('`'))
    {
        return ParseError::missing(join_path(&path, field));
    }
    if path.is_empty() {
        ParseError::Shape(message.to_string())
    } else {
        ParseError::invalid(path, message)
    }
}

/// Reads a whole JSON body into `T`; errors name the field.
pub(crate) fn from_json<T: DeserializeOwned>(body: &[u8]) -> Result<T, ParseError> {
    let mut de = serde_json::Deserializer::from_slice(body);
    let value = serde_path_to_error::deserialize(&mut de).map_err(|e| data_error("", e))?;
    de.end()
        .map_err(|e| ParseError::NotJson(without_position(&e.to_string()).to_string()))?;
    Ok(value)
}

/// Reads an already parsed JSON value found at `prefix` into `T`.
pub(crate) fn from_value<T: DeserializeOwned>(
    value: serde_json::Value,
    prefix: &str,
) -> Result<T, ParseError> {
    serde_path_to_error::deserialize(value).map_err(|e| data_error(prefix, e))
}

/// Reads JSON text found inside a payload (a field carrying a JSON string).
pub(crate) fn from_json_text<T: DeserializeOwned>(
    text: &str,
    prefix: &str,
) -> Result<T, ParseError> {
    let mut de = serde_json::Deserializer::from_str(text);
    let value =
        serde_path_to_error::deserialize(&mut de).map_err(|e| match data_error(prefix, e) {
            ParseError::NotJson(reason) => {
                ParseError::invalid(prefix, format!("not valid JSON: {reason}"))
            }
            other => other,
        })?;
    de.end().map_err(|e| {
        ParseError::invalid(
            prefix,
            format!("not valid JSON: {}", without_position(&e.to_string())),
        )
    })?;
    Ok(value)
}

/// Text that may arrive as a JSON string or an integer. Integers keep every digit
/// (ids beyond 2^53 such as WeChat `order_id` or Douyin `p_id` are read as `u64`,
/// never as a float).
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Text(pub String);

impl<'de> Deserialize<'de> for Text {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct TextVisitor;
        impl Visitor<'_> for TextVisitor {
            type Value = Text;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("a string or an integer")
            }
            fn visit_str<E: de::Error>(self, v: &str) -> Result<Text, E> {
                Ok(Text(v.to_string()))
            }
            fn visit_string<E: de::Error>(self, v: String) -> Result<Text, E> {
                Ok(Text(v))
            }
            fn visit_u64<E: de::Error>(self, v: u64) -> Result<Text, E> {
                Ok(Text(v.to_string()))
            }
            fn visit_i64<E: de::Error>(self, v: i64) -> Result<Text, E> {
                Ok(Text(v.to_string()))
            }
        }
        deserializer.deserialize_any(TextVisitor)
    }
}

impl Text {
    /// The trimmed text, refused when empty.
    pub(crate) fn non_empty(self, field: &str) -> Result<String, ParseError> {
        let trimmed = self.0.trim();
        if trimmed.is_empty() {
            Err(ParseError::invalid(field, "is empty"))
        } else {
            Ok(trimmed.to_string())
        }
    }
}

/// Seconds since the Unix epoch, as a JSON integer or a string of digits.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct UnixTime(pub DateTime<Utc>);

impl<'de> Deserialize<'de> for UnixTime {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct UnixVisitor;
        impl UnixVisitor {
            fn at<E: de::Error>(secs: i64) -> Result<UnixTime, E> {
                DateTime::from_timestamp(secs, 0)
                    .map(UnixTime)
                    .ok_or_else(|| E::custom(format!("timestamp {secs} is out of range")))
            }
        }
        impl Visitor<'_> for UnixVisitor {
            type Value = UnixTime;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("seconds since 1970 as an integer or a string of digits")
            }
            fn visit_u64<E: de::Error>(self, v: u64) -> Result<UnixTime, E> {
                let secs = i64::try_from(v)
                    .map_err(|_| E::custom(format!("timestamp {v} is out of range")))?;
                Self::at(secs)
            }
            fn visit_i64<E: de::Error>(self, v: i64) -> Result<UnixTime, E> {
                Self::at(v)
            }
            fn visit_str<E: de::Error>(self, v: &str) -> Result<UnixTime, E> {
                let secs: i64 = v
                    .trim()
                    .parse()
                    .map_err(|_| E::custom(format!("expected seconds since 1970, got {v:?}")))?;
                Self::at(secs)
            }
        }
        deserializer.deserialize_any(UnixVisitor)
    }
}

/// `YYYY-MM-DD HH:MM:SS` in China time (UTC+8), as Kuaidi100 writes it.
pub(crate) fn china_time(text: &str, field: &str) -> Result<DateTime<Utc>, ParseError> {
    let naive = NaiveDateTime::parse_from_str(text.trim(), "%Y-%m-%d %H:%M:%S").map_err(|_| {
        ParseError::invalid(
            field,
            format!("expected \"YYYY-MM-DD HH:MM:SS\" (China time), got {text:?}"),
        )
    })?;
    crate::model::CHINA_TIME
        .from_local_datetime(&naive)
        .single()
        .map(|t| t.with_timezone(&Utc))
        .ok_or_else(|| ParseError::invalid(field, format!("{text:?} is not a valid time")))
}

/// A decimal amount string (`"409.94"`) in minor units of `currency`, without
/// floating point. More decimals than the currency has are refused unless they
/// are zeros.
pub(crate) fn decimal_to_minor(
    text: &str,
    currency: Currency,
    field: &str,
) -> Result<Money, ParseError> {
    let bad = |why: &str| ParseError::invalid(field, format!("{why}: {text:?}"));
    let s = text.trim();
    let (negative, s) = match s.strip_prefix('-') {
        Some(rest) => (true, rest),
        None => (false, s),
    };
    let (whole, fraction) = s.split_once('.').unwrap_or((s, ""));
    if whole.is_empty() || !whole.bytes().all(|b| b.is_ascii_digit()) {
        return Err(bad("not a decimal amount"));
    }
    if !fraction.bytes().all(|b| b.is_ascii_digit()) || (s.contains('.') && fraction.is_empty()) {
        return Err(bad("not a decimal amount"));
    }
    let exponent = currency.exponent() as usize;
    let (kept, dropped) = fraction.split_at(fraction.len().min(exponent));
    if dropped.bytes().any(|b| b != b'0') {
        return Err(bad(&format!(
            "{currency} has only {exponent} decimal place(s)"
        )));
    }
    let mut digits = String::with_capacity(whole.len() + exponent);
    digits.push_str(whole);
    digits.push_str(kept);
    for _ in kept.len()..exponent {
        digits.push('0');
    }
    let minor: i64 = digits.parse().map_err(|_| bad("amount is too large"))?;
    Ok(Money::new(if negative { -minor } else { minor }, currency))
}

/// `Some(trimmed)` unless empty.
pub(crate) fn non_blank(text: Option<&str>) -> Option<String> {
    text.map(str::trim)
        .filter(|t| !t.is_empty())
        .map(str::to_string)
}

#[cfg(test)]
pub(crate) mod test_support {
    use std::path::PathBuf;

    /// A real payload sample from `tests/fixtures`.
    pub fn fixture(path: &str) -> Vec<u8> {
        let full: PathBuf = [env!("CARGO_MANIFEST_DIR"), "tests", "fixtures", path]
            .iter()
            .collect();
        std::fs::read(&full).unwrap_or_else(|e| panic!("fixture {}: {e}", full.display()))
    }

    pub fn utc(text: &str) -> chrono::DateTime<chrono::Utc> {
        text.parse().expect("test time")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn integrations_round_trip_by_name() {
        for i in Integration::ALL {
            assert_eq!(i.as_str().parse::<Integration>(), Ok(i));
        }
        assert_eq!(Integration::Track17.as_str(), "17track");
        assert!("track17".parse::<Integration>().is_err());
    }

    #[test]
    fn big_ids_keep_every_digit_as_number_or_string() {
        let from_number: Text = serde_json::from_str("3705115058471208928").unwrap();
        let from_string: Text = serde_json::from_str("\"3705115058471208928\"").unwrap();
        assert_eq!(from_number.0, "3705115058471208928");
        assert_eq!(from_string.0, "3705115058471208928");
        let max: Text = serde_json::from_str("18446744073709551615").unwrap();
        assert_eq!(max.0, "18446744073709551615");
        assert!(serde_json::from_str::<Text>("1.5").is_err());
        assert!(serde_json::from_str::<Text>("null").is_err());
    }

    #[test]
    fn unix_times_accept_numbers_and_digit_strings() {
        let a: UnixTime = serde_json::from_str("1658509200").unwrap();
        let b: UnixTime = serde_json::from_str("\"1658509200\"").unwrap();
        assert_eq!(a, b);
        assert_eq!(a.0.to_rfc3339(), "2022-07-22T17:00:00+00:00");
        assert!(serde_json::from_str::<UnixTime>("\"soon\"").is_err());
        assert!(serde_json::from_str::<UnixTime>("9223372036854775807").is_err());
    }

    #[test]
    fn decimal_amounts_become_minor_units_exactly() {
        let usd = Currency::USD;
        let m = |s: &str| decimal_to_minor(s, usd, "price").map(|m| m.minor);
        assert_eq!(m("409.94"), Ok(40994));
        assert_eq!(m("199"), Ok(19900));
        assert_eq!(m("0.1"), Ok(10));
        assert_eq!(m("0.10"), Ok(10));
        assert_eq!(m("1.500"), Ok(150));
        assert_eq!(m("-3.50"), Ok(-350));
        // 0.1 + 0.2 style float trouble cannot happen: 0.29 is exactly 29.
        assert_eq!(m("0.29"), Ok(29));
        assert!(m("1.005").is_err());
        assert!(m("1.").is_err());
        assert!(m(".5").is_err());
        assert!(m("1e3").is_err());
        assert!(m("").is_err());
        assert!(m("99999999999999999999").is_err());
        let jpy = Currency::parse("JPY").unwrap();
        assert_eq!(decimal_to_minor("1500", jpy, "p").unwrap().minor, 1500);
        assert_eq!(decimal_to_minor("1500.00", jpy, "p").unwrap().minor, 1500);
        let err = m("abc").unwrap_err();
        assert_eq!(
            err.to_string(),
            "field price is invalid: not a decimal amount: \"abc\""
        );
    }

    #[test]
    fn china_time_is_utc_plus_eight() {
        assert_eq!(
            china_time("2026-11-20 09:15:40", "t").unwrap().to_rfc3339(),
            "2026-11-20T01:15:40+00:00"
        );
        assert!(china_time("2026-11-20T09:15:40", "t").is_err());
    }

    #[test]
    fn errors_name_the_field_path() {
        #[derive(Debug, serde::Deserialize)]
        #[allow(dead_code)]
        struct Inner {
            id: Text,
        }
        #[derive(Debug, serde::Deserialize)]
        #[allow(dead_code)]
        struct Outer {
            list: Vec<Inner>,
        }
        let err = from_json::<Outer>(br#"{"list":[{"id":1},{}]}"#).unwrap_err();
        assert_eq!(err.to_string(), "field list[1].id is missing");
        let err = from_json::<Outer>(br#"{"list":[{"id":1.5}]}"#).unwrap_err();
        assert_eq!(
            err.to_string(),
            "field list[0].id is invalid: invalid type: floating point `1.5`, expected a string or an integer"
        );
        let err = from_json::<Outer>(br#"{"list":"#).unwrap_err();
        assert!(matches!(err, ParseError::NotJson(_)), "{err}");
        let err = from_json::<Outer>(br#"[]"#).unwrap_err();
        assert!(matches!(err, ParseError::Shape(_)), "{err}");
        let err = from_json::<Outer>(br#"{"list":[]} x"#).unwrap_err();
        assert!(matches!(err, ParseError::NotJson(_)), "{err}");
        let value = serde_json::json!({"list": [{"id": true}]});
        let err = from_value::<Outer>(value, "[3].data").unwrap_err();
        assert_eq!(
            err.to_string(),
            "field [3].data.list[0].id is invalid: invalid type: boolean `true`, expected a string or an integer"
        );
    }

    #[test]
    fn facts_serialise_as_tagged_objects_for_logs() {
        let fact = Fact::Warehouse(WmsFact::Picking {
            channel: Channel::Douyin,
            channel_order_id: "1".into(),
            warehouse: "Shanghai".into(),
            at: test_support::utc("2026-11-20T01:00:00Z"),
        });
        assert_eq!(
            serde_json::to_string(&fact).unwrap(),
            r#"{"type":"warehouse","kind":"picking","channel":"douyin","channel_order_id":"1","warehouse":"Shanghai","at":"2026-11-20T01:00:00Z"}"#
        );
    }

    #[test]
    fn dedupe_hashes_are_stable_hex() {
        assert_eq!(
            sha256_key(b"abc"),
            "sha256:ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"
        );
    }
}
