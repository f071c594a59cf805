//! Demo traffic on the wire: one scripted step of an order rendered as the
//! delivery the real sending system would make, in its own format and signed
//! as it signs, so demo traffic takes the same path as production traffic
//! (`POST /hooks/{integration}` or the timeline write API).
//!
//! Which format carries which step (the most faithful one whose adapter and
//! default mapping table say what the step says):
//!
//! | step | Shopify order | Douyin order | WeChat Channels order | Tmall, Xiaohongshu, POS |
//! |---|---|---|---|---|
//! | order placed | `orders/create`, `financial_status` `pending` | timeline API¹ | timeline API¹ | timeline API |
//! | payment captured | `orders/updated`, `paid`² | message tag `101` with `pay_amount` | `channels_ec_order_pay`² | timeline API |
//! | cancelled before payment | `orders/cancelled` | tag `106` | `channels_ec_order_cancel` | timeline API |
//! | refund requested | timeline API³ | tag `200` with `refund_amount` | after-sale `MERCHANT_PROCESSING`⁴ | timeline API |
//! | refunded | `orders/updated`, `refunded`⁵ | tag `206` with `refund_amount` | after-sale `MERCHANT_REFUND_SUCCESS`⁴ | timeline API |
//! | allocated, picking, packed, shipped | our WMS feed (`docs/wms-feed.md`) | WMS | WMS | WMS |
//! | carrier scan | Kuaidi100 push⁶ | Kuaidi100 | Kuaidi100 | Kuaidi100 |
//! | anything else (confirmation, returns, holds, notes, exceptions) | timeline API | timeline API | timeline API | timeline API |
//!
//! 1. Douyin's and WeChat's order messages carry only the order id (no buyer,
//!    lines or total), so the order is placed through the timeline API under
//!    our own order id; their later messages find it by the channel's order id.
//! 2. Neither carries the amount paid (Shopify restates `total_price`, WeChat
//!    nothing), so only a payment of the whole total goes this way; any other
//!    amount, and a cancellation after payment, goes through the timeline API.
//! 3. Shopify has no "refund requested" state.
//! 4. WeChat's after-sale event carries no amount: ingest takes what is still
//!    refundable (request) or what was asked (refund), so only those amounts go
//!    this way; a partial request (a missing gift) goes through the timeline
//!    API and its refund then follows as an after-sale event.
//! 5. Only a full refund: `partially_refunded` changes no status in the
//!    mapping table, so a partial refund goes through the timeline API.
//! 6. Every waybill, UPS included (Kuaidi100 tracks it as `ups`): EasyPost has
//!    no picked-up status, and a 17TRACK push restates a pickup as `InTransit`
//!    in its summary, so both would tell a different story than the script.
//!    A push carries the waybill's whole track so far, newest first, each entry
//!    at the time it happened, so a late scan arrives with its own, older time.
//!
//! Shopify names its order by a numeric `id` (the channel order id ingest
//! keeps) and its lines by line-item ids (components `item-<line id>`, all of
//! kind main: Shopify lines say nothing of gifts or shipping later). Both are
//! derived from our order id; the script's `#1234` is the order's `name`. The
//! control room gives a Shopify order its own id when `orders/create` arrives;
//! whoever sends learns it and calls [`OrderWire::adopt`] so that timeline API
//! calls name it. Every Shopify webhook restates both `financial_status` and
//! `fulfillment_status`; ingest keeps the one that changes nothing as a
//! `status_reported` event, so a Shopify order's log holds a few more events
//! than the script has steps.
//!
//! Every delivery is unique (webhook ids, message ids, event ids are derived
//! from our order id and a per-order counter; Kuaidi100 and WeChat dedupe on
//! content that changes with every push) and a pure function of the script and
//! the occurrence times.

mod douyin;
mod kuaidi100;
mod shopify;
mod timeline;
mod wechat;
mod wms;

use super::{Script, Step};
use crate::model::{
    Channel, Component, ComponentId, Customer, EventKind, Integration, Money, OrderId, ParcelId,
    ScanKind,
};
use crate::server::ingest::signature::Secrets;
use crate::server::ingest::wechat_safe_mode::WechatKey;
use chrono::{DateTime, FixedOffset, Offset as _, SecondsFormat, Utc};
use hmac::{Hmac, Mac};
use rand::Rng;
use sha2::{Digest, Sha256};
use std::collections::HashMap;
use std::fmt;

/// One HTTP POST, ready to send.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct WireDelivery {
    /// `/hooks/wechat?signature=…` or `/api/v1/orders/CR-…/events`.
    pub path_and_query: String,
    pub headers: Vec<(String, String)>,
    pub body: Vec<u8>,
}

impl WireDelivery {
    /// The path without the query.
    pub fn path(&self) -> &str {
        self.path_and_query
            .split_once('?')
            .map_or(self.path_and_query.as_str(), |(path, _)| path)
    }

    /// The query string without the `?`, if any.
    pub fn query(&self) -> Option<&str> {
        self.path_and_query.split_once('?').map(|(_, query)| query)
    }

    /// The integration a webhook is for; `None` for a timeline API call.
    pub fn integration(&self) -> Option<Integration> {
        self.path().strip_prefix("/hooks/")?.parse().ok()
    }

    fn post(path_and_query: String, content_type: &str) -> WireDelivery {
        WireDelivery {
            path_and_query,
            headers: vec![("Content-Type".into(), content_type.into())],
            body: Vec::new(),
        }
    }

    fn header(mut self, name: &str, value: impl Into<String>) -> WireDelivery {
        self.headers.push((name.to_string(), value.into()));
        self
    }

    fn with_body(mut self, body: Vec<u8>) -> WireDelivery {
        self.body = body;
        self
    }
}

/// What the simulator signs with: one secret per integration (as the control
/// room is configured with it; Douyin's is `app_key:app_secret`) and an API key
/// for the timeline write API.
#[derive(Clone)]
pub struct WireKeys {
    pub secrets: HashMap<Integration, String>,
    pub api_key: String,
}

impl WireKeys {
    /// These keys with each integration's current secret from `secrets` (the
    /// first accepted one), where it has one the simulator can sign with.
    pub fn with_current(&self, secrets: &crate::server::ingest::signature::Secrets) -> WireKeys {
        let mut keys = self.clone();
        for (i, secret) in keys.secrets.iter_mut() {
            if let Some(current) = secrets.for_integration(*i).first() {
                // Douyin signs with app_key and app_secret, WeChat in safe mode.
                let usable = match i {
                    Integration::Douyin => current.contains(':'),
                    Integration::Wechat => WechatKey::parse(current).is_ok(),
                    _ => true,
                };
                if usable {
                    secret.clone_from(current);
                }
            }
        }
        keys
    }

    /// Fresh random secrets for every integration, with `api_key` for the
    /// timeline API.
    pub fn random(api_key: impl Into<String>) -> WireKeys {
        let mut rng = rand::rng();
        let mut hex = |bytes: usize| -> String {
            (0..bytes)
                .map(|_| format!("{:02x}", rng.random::<u8>()))
                .collect()
        };
        let secrets = Integration::ALL
            .into_iter()
            .map(|i| {
                let secret = match i {
                    // A numeric app key, as Douyin issues them.
                    Integration::Douyin => {
                        let key = u64::from_str_radix(&hex(7), 16).unwrap_or_default();
                        format!("7{key:017}:{}", hex(16))
                    }
                    // Token and EncodingAESKey, as set in the WeChat console.
                    Integration::Wechat => WechatKey::generate(),
                    _ => hex(24),
                };
                (i, secret)
            })
            .collect();
        WireKeys {
            secrets,
            api_key: api_key.into(),
        }
    }

    /// The same secrets as the control room's ingest verifies them.
    pub fn signing_secrets(&self) -> Secrets {
        Secrets::from_pairs(self.secrets.iter().map(|(i, s)| (*i, s.clone())))
    }

    fn secret(&self, integration: Integration) -> Result<&str, WireError> {
        self.secrets
            .get(&integration)
            .map(String::as_str)
            .filter(|s| !s.is_empty())
            .ok_or(WireError::NoSecret(integration))
    }
}

/// Never prints a secret or the API key.
impl fmt::Debug for WireKeys {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mut names: Vec<&str> = self.secrets.keys().map(|i| i.as_str()).collect();
        names.sort_unstable();
        f.debug_struct("WireKeys")
            .field("integrations", &names)
            .field("api_key", &"…")
            .finish()
    }
}

/// Why a step could not be rendered.
#[derive(Debug, thiserror::Error)]
pub enum WireError {
    #[error("no {0} secret to sign with")]
    NoSecret(Integration),
    #[error("the Douyin secret must be app_key:app_secret")]
    DouyinSecret,
    #[error("the WeChat secret must be token:EncodingAESKey[:AppID] (safe mode)")]
    WechatSecret,
    #[error("the {0} secret cannot key an HMAC")]
    BadKey(Integration),
    #[error("no API key for the timeline API")]
    NoApiKey,
    #[error("{format} cannot carry a {step} step")]
    Unsupported {
        format: &'static str,
        step: &'static str,
    },
    #[error("the script of {0} does not begin with its order being placed")]
    NotPlaced(OrderId),
    #[error("could not write the body: {0}")]
    Body(#[from] serde_json::Error),
    #[error("could not write the form: {0}")]
    Form(#[from] serde_urlencoded::ser::Error),
}

/// One scan in a waybill's track.
#[derive(Debug, Clone)]
struct TrackEntry {
    at: DateTime<Utc>,
    scan: ScanKind,
    location: Option<String>,
    detail: String,
}

/// A parcel as the wire knows it.
#[derive(Debug, Clone)]
struct ParcelWire {
    id: ParcelId,
    components: Vec<ComponentId>,
    shipped: bool,
}

/// A waybill and its track so far, in the order the scans were sent.
#[derive(Debug, Clone)]
struct Track {
    carrier: String,
    waybill: String,
    entries: Vec<TrackEntry>,
}

/// Which format carries a step.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Route {
    Shopify(shopify::Topic),
    Douyin,
    Wechat,
    Wms,
    Kuaidi100,
    Timeline,
}

/// What the wire knows of one order across its steps: what its OrderPlaced
/// step said, what was paid and refunded, its parcels and tracks.
#[derive(Debug, Clone)]
pub struct OrderWire {
    /// The script's order id: names every message about the order.
    key: OrderId,
    /// The control room's id for the order, for timeline API calls.
    order_id: OrderId,
    channel: Channel,
    /// As the channel's own feed names the order.
    channel_order_id: String,
    /// As the script names it (Shopify: the order's `name`, `#1234`).
    name: String,
    customer: Customer,
    components: Vec<Component>,
    total: Money,
    placed_at: Option<DateTime<Utc>>,
    paid: Money,
    refunded: Money,
    refund_asked: Option<Money>,
    /// The open after-sale case, when a refund was asked.
    after_sale: Option<String>,
    after_sales: u32,
    cancelled: bool,
    /// The buyer asked to send the goods back.
    returning: bool,
    parcels: Vec<ParcelWire>,
    tracks: Vec<Track>,
    /// Deliveries rendered so far.
    sent: u32,
}

impl OrderWire {
    /// The wire state of `script`'s order, from its first (OrderPlaced) step.
    pub fn for_script(script: &Script) -> Result<OrderWire, WireError> {
        let placed = script
            .steps
            .first()
            .ok_or_else(|| WireError::NotPlaced(script.order_id.clone()))?;
        OrderWire::new(&script.order_id, &placed.kind)
    }

    /// The wire state of order `order_id`, placed by `placed`.
    pub fn new(order_id: &OrderId, placed: &EventKind) -> Result<OrderWire, WireError> {
        let EventKind::OrderPlaced {
            channel,
            channel_order_id,
            customer,
            components,
            total,
        } = placed
        else {
            return Err(WireError::NotPlaced(order_id.clone()));
        };
        let wire_id = match channel {
            Channel::Shopify => shopify::order_number(order_id).to_string(),
            _ => channel_order_id.clone(),
        };
        Ok(OrderWire {
            key: order_id.clone(),
            order_id: order_id.clone(),
            channel: *channel,
            channel_order_id: wire_id,
            name: channel_order_id.clone(),
            customer: customer.clone(),
            components: components.clone(),
            total: *total,
            placed_at: None,
            paid: Money::zero(total.currency),
            refunded: Money::zero(total.currency),
            refund_asked: None,
            after_sale: None,
            after_sales: 0,
            cancelled: false,
            returning: false,
            parcels: Vec::new(),
            tracks: Vec::new(),
            sent: 0,
        })
    }

    /// The id timeline API calls name the order by.
    pub fn order_id(&self) -> &OrderId {
        &self.order_id
    }

    /// Takes the id the control room gave the order (when a channel webhook
    /// placed it) for later timeline API calls.
    pub fn adopt(&mut self, order_id: OrderId) {
        self.order_id = order_id;
    }

    pub fn channel(&self) -> Channel {
        self.channel
    }

    /// The order's id as the channel's own feed names it.
    pub fn channel_order_id(&self) -> &str {
        &self.channel_order_id
    }

    /// Renders `step`, which happened at `at`, as a delivery signed with `keys`
    /// and sent at `sent` (what WeChat's signed timestamp says).
    pub fn render(
        &mut self,
        keys: &WireKeys,
        step: &Step,
        at: DateTime<Utc>,
        sent: DateTime<Utc>,
    ) -> Result<WireDelivery, WireError> {
        let route = self.route(&step.kind);
        self.record(&step.kind, at);
        self.sent += 1;
        match route {
            Route::Shopify(topic) => shopify::render(self, keys, topic, at),
            Route::Douyin => douyin::render(self, keys, &step.kind, at),
            Route::Wechat => wechat::render(self, keys, &step.kind, at, sent),
            Route::Wms => wms::render(self, keys, step, at),
            Route::Kuaidi100 => kuaidi100::render(self, keys, &step.kind),
            Route::Timeline => timeline::render(self, keys, step, at),
        }
    }

    /// What is still refundable. Saturating: a shadow tally for choosing a
    /// wire format, never a decision about money (the lifecycle makes those).
    fn refundable(&self) -> Money {
        self.paid.saturating_sub(self.refunded)
    }

    fn route(&self, kind: &EventKind) -> Route {
        use shopify::Topic;
        let unpaid = self.paid.is_zero();
        let whole = |amount: &Money| *amount == self.total;
        let all_left = |amount: &Money| *amount == self.refundable() && amount.is_positive();
        match (self.channel, kind) {
            (
                _,
                EventKind::WarehouseAllocated { .. }
                | EventKind::PickingStarted
                | EventKind::ParcelPacked { .. }
                | EventKind::ParcelShipped { .. },
            ) => Route::Wms,
            (_, EventKind::CarrierScan { .. }) => Route::Kuaidi100,
            (Channel::Shopify, EventKind::OrderPlaced { .. }) => Route::Shopify(Topic::Create),
            (Channel::Shopify, EventKind::PaymentCaptured { amount })
                if unpaid && whole(amount) =>
            {
                Route::Shopify(Topic::Updated)
            }
            (Channel::Shopify, EventKind::OrderCancelled { .. }) if unpaid => {
                Route::Shopify(Topic::Cancelled)
            }
            (Channel::Shopify, EventKind::Refunded { amount })
                if whole(amount) && self.paid == self.total && self.refunded.is_zero() =>
            {
                Route::Shopify(Topic::Updated)
            }
            (Channel::Douyin, EventKind::PaymentCaptured { amount }) if amount.is_positive() => {
                Route::Douyin
            }
            (Channel::Douyin, EventKind::OrderCancelled { .. }) if unpaid => Route::Douyin,
            (Channel::Douyin, EventKind::RefundRequested { amount, .. })
                if amount.is_positive() =>
            {
                Route::Douyin
            }
            (Channel::Douyin, EventKind::Refunded { amount }) if amount.is_positive() => {
                Route::Douyin
            }
            (Channel::Wechat, EventKind::PaymentCaptured { amount }) if unpaid && whole(amount) => {
                Route::Wechat
            }
            (Channel::Wechat, EventKind::OrderCancelled { .. }) if unpaid => Route::Wechat,
            (Channel::Wechat, EventKind::RefundRequested { amount, .. }) if all_left(amount) => {
                Route::Wechat
            }
            (Channel::Wechat, EventKind::Refunded { amount })
                if Some(*amount) == self.refund_asked =>
            {
                Route::Wechat
            }
            _ => Route::Timeline,
        }
    }

    /// Keeps what later deliveries of the order need to know.
    fn record(&mut self, kind: &EventKind, at: DateTime<Utc>) {
        match kind {
            EventKind::OrderPlaced { .. } => self.placed_at = Some(at),
            EventKind::PaymentCaptured { amount } => {
                // Saturating: shadow state of the simulator (see `refundable`).
                self.paid = self.paid.saturating_add(*amount);
            }
            EventKind::OrderCancelled { .. } => self.cancelled = true,
            EventKind::ReturnRequested { .. } => self.returning = true,
            EventKind::RefundRequested { amount, .. } => {
                self.refund_asked = Some(*amount);
                self.after_sales += 1;
                self.after_sale = Some(format!(
                    "{}{:02}",
                    digits_of(&self.key, "after-sale", 17),
                    self.after_sales
                ));
            }
            EventKind::Refunded { amount } => {
                self.refunded = self.refunded.saturating_add(*amount);
                self.refund_asked = None;
            }
            EventKind::ParcelPacked { parcel, components } => self.parcels.push(ParcelWire {
                id: parcel.clone(),
                components: components.clone(),
                shipped: false,
            }),
            EventKind::ParcelShipped {
                parcel,
                carrier,
                waybill,
            } => {
                if let Some(p) = self.parcels.iter_mut().find(|p| &p.id == parcel) {
                    p.shipped = true;
                }
                self.track_mut(carrier, waybill);
            }
            EventKind::CarrierScan {
                waybill,
                scan,
                location,
                detail,
            } => {
                let carrier = self
                    .tracks
                    .iter()
                    .find(|t| &t.waybill == waybill)
                    .map_or_else(String::new, |t| t.carrier.clone());
                self.track_mut(&carrier, waybill).entries.push(TrackEntry {
                    at,
                    scan: *scan,
                    location: location.clone(),
                    detail: detail.clone(),
                });
            }
            _ => {}
        }
    }

    fn track_mut(&mut self, carrier: &str, waybill: &str) -> &mut Track {
        let i = match self.tracks.iter().position(|t| t.waybill == waybill) {
            Some(i) => i,
            None => {
                self.tracks.push(Track {
                    carrier: carrier.to_string(),
                    waybill: waybill.to_string(),
                    entries: Vec::new(),
                });
                self.tracks.len() - 1
            }
        };
        &mut self.tracks[i]
    }

    /// A component as the channel's feed names it (Shopify: `item-<line id>`).
    fn wire_component(&self, id: &ComponentId) -> ComponentId {
        if self.channel != Channel::Shopify {
            return id.clone();
        }
        self.components
            .iter()
            .position(|c| &c.id == id)
            .and_then(|i| ComponentId::parse(format!("item-{}", self.line_id(i))).ok())
            .unwrap_or_else(|| id.clone())
    }

    /// The Shopify line-item id of the `i`th component.
    fn line_id(&self, i: usize) -> u64 {
        shopify::line_number(&self.key, i)
    }

    /// A message id unique to this delivery: `<prefix>-<order>-<n>`.
    fn message_id(&self, prefix: &str) -> String {
        format!("{prefix}-{}-{:03}", self.key, self.sent)
    }
}

// ---- shared helpers for the formats ----

/// `n` decimal digits that are a pure function of `key` and `what`.
fn digits_of(key: &OrderId, what: &str, n: usize) -> String {
    let digest = Sha256::digest(format!("{key}:{what}").as_bytes());
    digest
        .iter()
        .cycle()
        .take(n)
        .map(|b| char::from(b'0' + b % 10))
        .collect()
}

/// Lower-case hex of SHA-256 over `key` and `what`.
fn hex_of(key: &OrderId, what: &str) -> String {
    hex::encode(Sha256::digest(format!("{key}:{what}").as_bytes()))
}

/// HMAC-SHA256 of `body` keyed with `secret`.
fn hmac_sha256(integration: Integration, secret: &str, body: &[u8]) -> Result<Vec<u8>, WireError> {
    let mut mac = Hmac::<Sha256>::new_from_slice(secret.as_bytes())
        .map_err(|_| WireError::BadKey(integration))?;
    mac.update(body);
    Ok(mac.finalize().into_bytes().to_vec())
}

/// An amount as a decimal string in its currency (`38.28`).
fn decimal(money: Money) -> String {
    let exponent = money.currency.exponent();
    let sign = if money.is_negative() { "-" } else { "" };
    let minor = money.minor.unsigned_abs();
    if exponent == 0 {
        return format!("{sign}{minor}");
    }
    let unit = 10u64.pow(exponent);
    format!(
        "{sign}{}.{:0width$}",
        minor / unit,
        minor % unit,
        width = exponent as usize
    )
}

/// China time (UTC+8).
fn china() -> FixedOffset {
    FixedOffset::east_opt(8 * 3600).unwrap_or_else(|| Utc.fix())
}

/// RFC 3339 to the second, in UTC (`2026-11-20T01:15:40+00:00`).
fn rfc3339_secs(at: DateTime<Utc>) -> String {
    at.to_rfc3339_opts(SecondsFormat::Secs, false)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::ingest::mapping::{default_mappings, lookup, Mapping, Target};
    use crate::model::Source;
    use crate::server::demo::next_script;
    use crate::server::ingest::adapters::{self, kuaidi100_param, Fact, WmsFact};
    use crate::server::ingest::signature::{self, SignatureError};
    use axum::http::{HeaderMap, HeaderName, HeaderValue};
    use chrono::TimeDelta;
    use rand::rngs::StdRng;
    use rand::SeedableRng;
    use serde::Deserialize;
    use std::collections::HashSet;

    fn keys_with(suffix: &str) -> WireKeys {
        let secrets = [
            (Integration::Shopify, format!("shpss_demo{suffix}")),
            (Integration::Douyin, format!("7001234567890:douyin{suffix}")),
            (
                Integration::Wechat,
                format!(
                    "wechat{}:abcdefghijklmnopqrstuvwxyz0123456789ABCDEFG",
                    suffix.replace('-', "")
                ),
            ),
            (Integration::Kuaidi100, format!("kuaidi100-salt{suffix}")),
            (Integration::Track17, format!("track17{suffix}")),
            (Integration::EasyPost, format!("easypost{suffix}")),
            (Integration::Wms, format!("wms-shared{suffix}")),
        ];
        WireKeys {
            secrets: secrets.into_iter().collect(),
            api_key: format!("ocr_demo{suffix}"),
        }
    }

    fn keys() -> WireKeys {
        keys_with("-secret")
    }

    /// One step on the wire, with what the wire knew before it.
    struct Rendered {
        step: Step,
        at: DateTime<Utc>,
        before: OrderWire,
        delivery: WireDelivery,
    }

    /// Renders every step of `script`, the first at `start`.
    fn render_script(script: &Script, start: DateTime<Utc>) -> Vec<Rendered> {
        let mut wire = OrderWire::for_script(script).unwrap();
        let mut clock = start;
        script
            .steps
            .iter()
            .map(|step| {
                clock += TimeDelta::from_std(step.delay).unwrap();
                let at = clock - step.backdate;
                let before = wire.clone();
                let delivery = wire.render(&keys(), step, at, at).unwrap();
                Rendered {
                    step: step.clone(),
                    at,
                    before,
                    delivery,
                }
            })
            .collect()
    }

    /// `n` scripts of `seed`, rendered; times have a fractional second so the
    /// formats' precision shows.
    fn rendered(seed: u64, n: usize) -> Vec<Vec<Rendered>> {
        let mut rng = StdRng::seed_from_u64(seed);
        let base: DateTime<Utc> = "2026-11-20T01:00:00.250Z".parse().unwrap();
        (0..n)
            .map(|i| {
                let script = next_script(&mut rng);
                render_script(&script, base + TimeDelta::minutes(i as i64))
            })
            .collect()
    }

    fn all(seed: u64, n: usize) -> Vec<Rendered> {
        rendered(seed, n).into_iter().flatten().collect()
    }

    fn header_map(delivery: &WireDelivery) -> HeaderMap {
        let mut map = HeaderMap::new();
        for (name, value) in &delivery.headers {
            map.append(
                HeaderName::from_bytes(name.as_bytes()).unwrap(),
                HeaderValue::from_str(value).unwrap(),
            );
        }
        map
    }

    fn header<'a>(delivery: &'a WireDelivery, name: &str) -> Option<&'a str> {
        delivery
            .headers
            .iter()
            .find(|(n, _)| n.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }

    fn seconds(at: DateTime<Utc>) -> DateTime<Utc> {
        DateTime::from_timestamp(at.timestamp(), 0).unwrap()
    }

    fn verify(keys: &WireKeys, i: Integration, d: &WireDelivery) -> Result<(), SignatureError> {
        signature::verify(
            i,
            &keys.signing_secrets(),
            &header_map(d),
            d.query(),
            &d.body,
        )
    }

    /// What ingest parses of a webhook: the body, or the message a WeChat
    /// safe-mode push carries sealed.
    fn opened(i: Integration, d: &WireDelivery) -> Vec<u8> {
        let secrets = keys().signing_secrets();
        let opened = signature::open(i, &secrets, &header_map(d), d.query(), &d.body).unwrap();
        if i == Integration::Wechat {
            assert_eq!(opened.wechat.unwrap().mode, signature::WechatMode::Safe);
        }
        opened.body.into_owned()
    }

    /// What a channel status fact means by the default mapping table; `None`
    /// for one that changes no status.
    fn change(mappings: &[Mapping], dialect: &str, value: &str) -> Option<Target> {
        match lookup(mappings, dialect, value) {
            Some(Target::NoChange | Target::Shipped) | None => None,
            Some(t) => Some(*t),
        }
    }

    /// Asserts that the channel facts of a delivery say `expected`, once, about
    /// this order, at the step's time, with `amount` as ingest will read it.
    /// (A Shopify order body restates the order itself: ingest ignores that
    /// for an order it knows.)
    fn assert_one_change(r: &Rendered, facts: &[Fact], expected: Target, amount: Option<Money>) {
        let mappings = default_mappings();
        let mut changes = Vec::new();
        for fact in facts {
            if let Fact::OrderPlaced {
                channel,
                channel_order_id,
                ..
            } = fact
            {
                assert_eq!(*channel, Channel::Shopify);
                assert_eq!(channel_order_id, &r.before.channel_order_id);
                continue;
            }
            let Fact::ChannelStatus {
                channel,
                channel_order_id,
                dialect,
                value,
                amount: given,
                at,
            } = fact
            else {
                panic!("unexpected fact {fact:?}");
            };
            assert_eq!(*channel, r.before.channel);
            assert_eq!(channel_order_id, &r.before.channel_order_id);
            assert_eq!(*at, Some(seconds(r.at)), "{fact:?}");
            if let Some(target) = change(&mappings, dialect, value) {
                changes.push((target, given.filter(Money::is_positive)));
            }
        }
        assert_eq!(changes.len(), 1, "{}: {facts:?}", r.step.kind.name());
        let (target, given) = changes[0];
        assert_eq!(target, expected, "{facts:?}");
        if let Some(amount) = amount {
            // Ingest reads a missing amount as the total (payment), what is
            // still refundable (request) or what was asked (refund).
            let read = given.unwrap_or(match target {
                Target::Paid => r.before.total,
                Target::RefundRequested => r.before.refundable(),
                _ => r.before.refund_asked.unwrap_or(r.before.refundable()),
            });
            assert_eq!(read, amount, "{facts:?}");
        }
    }

    fn assert_warehouse(r: &Rendered, facts: &[Fact]) {
        let [Fact::Warehouse(fact)] = facts else {
            panic!("expected one warehouse fact: {facts:?}");
        };
        let w = &r.before;
        let name = match &r.step.source {
            Source::Warehouse(name) => name.clone(),
            other => panic!("a warehouse step from {other:?}"),
        };
        let expected = match &r.step.kind {
            EventKind::WarehouseAllocated { warehouse } => WmsFact::OutboundCreated {
                channel: w.channel,
                channel_order_id: w.channel_order_id.clone(),
                warehouse: warehouse.clone(),
                at: r.at,
            },
            EventKind::PickingStarted => WmsFact::Picking {
                channel: w.channel,
                channel_order_id: w.channel_order_id.clone(),
                warehouse: name,
                at: r.at,
            },
            EventKind::ParcelPacked { parcel, components } => WmsFact::Packed {
                channel: w.channel,
                channel_order_id: w.channel_order_id.clone(),
                warehouse: name,
                parcel: parcel.clone(),
                components: components.iter().map(|c| w.wire_component(c)).collect(),
                at: r.at,
            },
            EventKind::ParcelShipped {
                parcel,
                carrier,
                waybill,
            } => WmsFact::Shipped {
                channel: w.channel,
                channel_order_id: w.channel_order_id.clone(),
                warehouse: name,
                parcel: parcel.clone(),
                carrier: carrier.clone(),
                waybill: waybill.clone(),
                at: r.at,
            },
            other => panic!("{} is not a warehouse step", other.name()),
        };
        assert_eq!(fact, &expected);
    }

    fn assert_scan(r: &Rendered, facts: &[Fact]) {
        let EventKind::CarrierScan {
            waybill,
            scan,
            location,
            detail,
        } = &r.step.kind
        else {
            panic!("not a scan");
        };
        let mappings = default_mappings();
        let scans: Vec<_> = facts
            .iter()
            .map(|f| match f {
                Fact::CarrierScan {
                    waybill: w,
                    dialect,
                    value,
                    location,
                    detail,
                    at,
                    ..
                } => {
                    assert_eq!(w, waybill);
                    let Some(Target::Scan(kind)) = lookup(&mappings, dialect, value) else {
                        panic!("{dialect} {value} is no scan");
                    };
                    (*kind, location.clone(), detail.clone(), *at)
                }
                other => panic!("unexpected fact {other:?}"),
            })
            .collect();
        // The whole track so far, oldest first, the new scan among it at its
        // own time (a late one too).
        let sent_before = r
            .before
            .tracks
            .iter()
            .find(|t| &t.waybill == waybill)
            .map_or(0, |t| t.entries.len());
        assert_eq!(scans.len(), sent_before + 1);
        assert!(scans.windows(2).all(|w| w[0].3 <= w[1].3));
        let new = (*scan, location.clone(), detail.clone(), seconds(r.at));
        assert!(scans.contains(&new), "{new:?} not in {scans:?}");
    }

    fn assert_placed(r: &Rendered, facts: &[Fact]) {
        let EventKind::OrderPlaced {
            channel,
            total,
            components,
            ..
        } = &r.step.kind
        else {
            panic!("not a placement");
        };
        let Some(Fact::OrderPlaced {
            channel: c,
            channel_order_id,
            components: lines,
            total: t,
            at,
            ..
        }) = facts.first()
        else {
            panic!("no order placed in {facts:?}");
        };
        assert_eq!((c, t, *at), (channel, total, seconds(r.at)));
        assert_eq!(channel_order_id, &r.before.channel_order_id);
        assert_eq!(lines.len(), components.len());
        for (line, c) in lines.iter().zip(components) {
            assert_eq!(line.id, r.before.wire_component(&c.id));
            assert_eq!(
                (&line.name, &line.sku, line.quantity, line.unit_price),
                (&c.name, &c.sku, c.quantity, c.unit_price)
            );
        }
        // The other facts (pending, unfulfilled) move nothing.
        let mappings = default_mappings();
        for fact in &facts[1..] {
            let Fact::ChannelStatus { dialect, value, .. } = fact else {
                panic!("unexpected fact {fact:?}");
            };
            assert_eq!(change(&mappings, dialect, value), None, "{fact:?}");
        }
    }

    fn assert_says(r: &Rendered, facts: &[Fact]) {
        match &r.step.kind {
            EventKind::OrderPlaced { .. } => assert_placed(r, facts),
            EventKind::PaymentCaptured { amount } => {
                assert_one_change(r, facts, Target::Paid, Some(*amount))
            }
            EventKind::OrderCancelled { .. } => {
                assert_one_change(r, facts, Target::Cancelled, None)
            }
            EventKind::RefundRequested { amount, .. } => {
                assert_one_change(r, facts, Target::RefundRequested, Some(*amount))
            }
            EventKind::Refunded { amount } => {
                assert_one_change(r, facts, Target::Refunded, Some(*amount))
            }
            EventKind::WarehouseAllocated { .. }
            | EventKind::PickingStarted
            | EventKind::ParcelPacked { .. }
            | EventKind::ParcelShipped { .. } => assert_warehouse(r, facts),
            EventKind::CarrierScan { .. } => assert_scan(r, facts),
            other => panic!("{} went to a webhook", other.name()),
        }
    }

    #[test]
    fn every_webhook_is_signed_and_says_what_its_step_says() {
        let (keys, other) = (keys(), keys_with("-rotated"));
        let mut checked = 0;
        for r in all(42, 300) {
            let d = &r.delivery;
            let Some(i) = d.integration() else { continue };
            let step = r.step.kind.name();
            assert_eq!(verify(&keys, i, d), Ok(()), "{i} {step}");
            assert_eq!(
                verify(&other, i, d),
                Err(SignatureError::Mismatch),
                "{i} {step}"
            );
            let parsed = adapters::parse(i, &header_map(d), &opened(i, d))
                .unwrap_or_else(|e| panic!("{i} {step}: {e}"));
            assert_says(&r, &parsed.facts);
            checked += 1;
        }
        assert!(checked > 2000, "{checked}");
    }

    /// The body of `docs/timeline-api.md`, read strictly.
    #[derive(Deserialize)]
    #[serde(deny_unknown_fields)]
    struct ApiBody {
        event_id: String,
        occurred_at: DateTime<FixedOffset>,
        source: Source,
        event: EventKind,
    }

    #[test]
    fn every_timeline_call_is_the_documented_body_of_its_step() {
        let mut checked = 0;
        for r in all(42, 300) {
            let d = &r.delivery;
            if d.integration().is_some() {
                continue;
            }
            assert_eq!(
                d.path_and_query,
                format!("/api/v1/orders/{}/events", r.before.order_id())
            );
            assert_eq!(header(d, "Authorization"), Some("Bearer ocr_demo-secret"));
            assert_eq!(header(d, "Content-Type"), Some("application/json"));
            let body: ApiBody = serde_json::from_slice(&d.body).unwrap();
            assert_eq!(body.event, r.step.kind);
            assert_eq!(body.source, r.step.source);
            assert_eq!(body.occurred_at, r.at);
            let id = &body.event_id;
            assert!(!id.is_empty() && id.chars().count() <= 128, "{id}");
            assert!(!id.chars().any(char::is_control), "{id}");
            checked += 1;
        }
        assert!(checked > 500, "{checked}");
    }

    #[test]
    fn every_delivery_is_unique() {
        let mut seen = HashSet::new();
        for r in all(7, 300) {
            let d = &r.delivery;
            let key = match d.integration() {
                Some(i) => {
                    let parsed = adapters::parse(i, &header_map(d), &opened(i, d)).unwrap();
                    (i.as_str().to_string(), parsed.dedupe_key)
                }
                None => {
                    let body: ApiBody = serde_json::from_slice(&d.body).unwrap();
                    ("api".to_string(), body.event_id)
                }
            };
            assert!(seen.insert(key.clone()), "{key:?} twice");
        }
    }

    #[test]
    fn rendering_is_a_pure_function_of_the_script_and_the_times() {
        let deliveries =
            |seed| -> Vec<WireDelivery> { all(seed, 60).into_iter().map(|r| r.delivery).collect() };
        assert_eq!(deliveries(3), deliveries(3));
        assert_ne!(deliveries(3), deliveries(4));
    }

    #[test]
    fn steps_take_the_formats_the_module_documents() {
        let mut used = HashSet::new();
        for r in all(1, 300) {
            let to = r.delivery.integration();
            used.insert(to.map_or("api", Integration::as_str));
            let channel = r.before.channel;
            match (&r.step.kind, channel) {
                (EventKind::OrderPlaced { .. }, Channel::Shopify) => {
                    assert_eq!(to, Some(Integration::Shopify))
                }
                (EventKind::OrderPlaced { .. }, _) => assert_eq!(to, None),
                (EventKind::PaymentCaptured { .. }, Channel::Shopify) => {
                    assert_eq!(to, Some(Integration::Shopify))
                }
                (EventKind::PaymentCaptured { .. }, Channel::Douyin) => {
                    assert_eq!(to, Some(Integration::Douyin))
                }
                (EventKind::PaymentCaptured { .. }, Channel::Wechat) => {
                    assert_eq!(to, Some(Integration::Wechat))
                }
                (EventKind::CarrierScan { .. }, _) => assert_eq!(to, Some(Integration::Kuaidi100)),
                (EventKind::WarehouseAllocated { .. } | EventKind::ParcelShipped { .. }, _) => {
                    assert_eq!(to, Some(Integration::Wms))
                }
                (
                    EventKind::OrderConfirmed
                    | EventKind::ReturnRequested { .. }
                    | EventKind::ReturnReceived,
                    _,
                ) => assert_eq!(to, None),
                (_, Channel::Tmall | Channel::Xiaohongshu | Channel::Pos)
                    if r.step.source == Source::Channel(channel)
                        || r.step.source == Source::Finance =>
                {
                    assert_eq!(to, None)
                }
                _ => {}
            }
        }
        let expected: HashSet<&str> =
            ["shopify", "douyin", "wechat", "kuaidi100", "wms", "api"].into();
        assert_eq!(used, expected);
    }

    #[test]
    fn a_late_scan_keeps_its_time_inside_a_track_sent_newest_first() {
        let mut late_scans = 0;
        for r in all(1, 300) {
            if r.delivery.integration() != Some(Integration::Kuaidi100) {
                continue;
            }
            let (param, _) = kuaidi100_param(&r.delivery.body).unwrap();
            let param: serde_json::Value = serde_json::from_str(&param).unwrap();
            let times: Vec<&str> = param["lastResult"]["data"]
                .as_array()
                .unwrap()
                .iter()
                .map(|e| e["time"].as_str().unwrap())
                .collect();
            assert!(times.windows(2).all(|w| w[0] >= w[1]), "{times:?}");
            if r.step.backdate.is_zero() {
                continue;
            }
            late_scans += 1;
            let facts =
                adapters::parse(Integration::Kuaidi100, &HeaderMap::new(), &r.delivery.body)
                    .unwrap()
                    .facts;
            // Not the newest entry: the push's state still says delivered.
            assert_eq!(param["lastResult"]["state"], "3");
            assert!(facts.iter().any(|f| matches!(
                f,
                Fact::CarrierScan { at, detail, .. }
                    if *at == seconds(r.at) && detail.contains("late report")
            )));
        }
        assert!(late_scans > 0);
    }

    #[test]
    fn a_missing_secret_or_key_is_an_error() {
        let script = next_script(&mut StdRng::seed_from_u64(5));
        let mut keys = keys();
        keys.secrets.clear();
        keys.api_key.clear();
        let mut wire = OrderWire::for_script(&script).unwrap();
        let at = Utc::now();
        for step in &script.steps {
            let err = wire.render(&keys, step, at, at).unwrap_err();
            assert!(
                matches!(err, WireError::NoSecret(_) | WireError::NoApiKey),
                "{err}"
            );
        }
        let mut keys = self::keys();
        keys.secrets
            .insert(Integration::Douyin, "no-colon".to_string());
        let mut rng = StdRng::seed_from_u64(9);
        let douyin = std::iter::repeat_with(|| next_script(&mut rng))
            .find(|s| OrderWire::for_script(s).unwrap().channel() == Channel::Douyin)
            .unwrap();
        let mut wire = OrderWire::for_script(&douyin).unwrap();
        let errors: Vec<_> = douyin
            .steps
            .iter()
            .filter_map(|s| wire.render(&keys, s, at, at).err())
            .collect();
        assert!(errors.iter().all(|e| matches!(e, WireError::DouyinSecret)));
        assert!(!errors.is_empty());
    }

    #[test]
    fn a_script_must_begin_with_its_placement() {
        let mut script = next_script(&mut StdRng::seed_from_u64(5));
        script.steps.remove(0);
        assert!(matches!(
            OrderWire::for_script(&script),
            Err(WireError::NotPlaced(_))
        ));
    }

    #[test]
    fn adopted_ids_name_later_timeline_calls() {
        let mut rng = StdRng::seed_from_u64(11);
        let script = std::iter::repeat_with(|| next_script(&mut rng))
            .find(|s| OrderWire::for_script(s).unwrap().channel() == Channel::Shopify)
            .unwrap();
        let mut wire = OrderWire::for_script(&script).unwrap();
        let at = Utc::now();
        let placed = wire.render(&keys(), &script.steps[0], at, at).unwrap();
        assert_eq!(placed.integration(), Some(Integration::Shopify));
        wire.adopt(OrderId::parse("CR-ADOPTED2").unwrap());
        let confirm = script
            .steps
            .iter()
            .find(|s| s.kind == EventKind::OrderConfirmed)
            .unwrap();
        let call = wire.render(&keys(), confirm, at, at).unwrap();
        assert_eq!(call.path_and_query, "/api/v1/orders/CR-ADOPTED2/events");
    }

    #[test]
    fn shopify_ids_are_distinct_numbers_of_fixed_width() {
        let mut rng = StdRng::seed_from_u64(2);
        let ids: HashSet<OrderId> = (0..5000)
            .map(|_| crate::server::order_ids::generate(&mut rng))
            .collect();
        let numbers: HashSet<u64> = ids.iter().map(shopify::order_number).collect();
        assert_eq!(numbers.len(), ids.len());
        for id in &ids {
            assert_eq!(shopify::order_number(id).to_string().len(), 13);
            assert_eq!(shopify::line_number(id, 15).to_string().len(), 14);
        }
        let odd = OrderId::parse("imported-order-0001").unwrap();
        assert_eq!(shopify::order_number(&odd).to_string().len(), 13);
    }

    #[test]
    fn amounts_are_written_as_exact_decimals() {
        let usd = crate::model::Currency::USD;
        assert_eq!(decimal(Money::new(3828, usd)), "38.28");
        assert_eq!(decimal(Money::new(5, usd)), "0.05");
        assert_eq!(decimal(Money::new(-150, usd)), "-1.50");
        let jpy = crate::model::Currency::parse("JPY").unwrap();
        assert_eq!(decimal(Money::new(1500, jpy)), "1500");
    }

    #[test]
    fn keys_never_show_in_debug_output() {
        let shown = format!("{:?}", keys());
        assert!(!shown.contains("secret"), "{shown}");
        assert!(!shown.contains("ocr_"), "{shown}");
        assert!(shown.contains("wms"), "{shown}");
        let random = WireKeys::random("ocr_x");
        assert!(random.secrets[&Integration::Douyin].contains(':'));
        assert_eq!(random.secrets.len(), Integration::ALL.len());
    }
}
