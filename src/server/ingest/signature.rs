//! Webhook signature verification: is this delivery really from the integration
//! it claims to be from?
//!
//! The HTTP endpoint calls [`open`] with the raw request (headers, query
//! string, body bytes) *before* it parses anything, and refuses the delivery on
//! any [`SignatureError`]; what it parses is [`Opened::body`] (the body itself,
//! or the decrypted message of a WeChat safe-mode push). Pure: no I/O, no
//! clock, no store; whether a WeChat timestamp is recent, a nonce new and
//! plain-text mode allowed is [`super::freshness`]'s to say. Every comparison
//! of a received signature with an expected one is constant time (`hmac`'s
//! `verify_slice`, or `subtle`'s `ct_eq` on the decoded digests).
//!
//! Schemes, per integration (`secret` is the configured secret, `body` the raw
//! request body, byte for byte):
//!
//! | integration | where | value |
//! |---|---|---|
//! | Shopify | header `X-Shopify-Hmac-Sha256` | base64 `HMAC-SHA256(secret, body)` |
//! | Douyin | header `event-sign` | hex `MD5(app_key + body + app_secret)`; the secret is configured as `app_key:app_secret` (split at the first `:`) |
//! | WeChat Channels, safe mode | query `msg_signature`, `timestamp`, `nonce`; body field `Encrypt` | hex `SHA1` of the byte-wise sorted concatenation of `[token, timestamp, nonce, Encrypt]`; `Encrypt` is then decrypted (AES-256-CBC, see [`super::wechat_safe_mode`]); the secret is `token:EncodingAESKey[:AppID]` |
//! | WeChat Channels, plain-text mode | query `signature`, `timestamp`, `nonce` (no `msg_signature`) | hex `SHA1` of the sorted `[token, timestamp, nonce]`: the body is not signed; refused unless allowed (see [`super::freshness`]) |
//! | Kuaidi100 | form fields `param`, `sign` | upper-case hex `MD5(param + salt)`, `param` as decoded from the form; the secret is the salt |
//! | 17TRACK | header `sign` | lower-case hex `SHA256(body + "/" + secret)` |
//! | EasyPost | header `X-Hmac-Signature` | `hmac-sha256-hex=` + hex `HMAC-SHA256(secret, body)`, the secret used as given |
//! | WMS (ours) | header `X-Control-Room-Signature` | `sha256=` + hex `HMAC-SHA256(secret, body)` (see `docs/wms-feed.md`) |
//!
//! Hex is accepted in either case. During a secret rotation both the current
//! and the previous secret are accepted: a delivery verifying against any of
//! its integration's [`Secrets`] passes.
//!
//! Configuration ([`Secrets::from_env`]): `CONTROL_ROOM_<NAME>_SECRET` and,
//! during a rotation, `CONTROL_ROOM_<NAME>_PREVIOUS_SECRET`, where `<NAME>` is
//! `SHOPIFY`, `DOUYIN`, `WECHAT`, `KUAIDI100`, `TRACK17`, `EASYPOST` or `WMS`.
//! Empty values count as unset: an empty HMAC key would let anyone sign.

use super::adapters::{kuaidi100_param, Integration, ParseError};
use super::wechat_safe_mode::{plain_signature, token_of, OpenError, WechatKey};
use axum::http::HeaderMap;
use base64::Engine as _;
use hmac::{Hmac, Mac};
use md5::Md5;
use serde::Deserialize;
use sha2::{Digest, Sha256};
use std::borrow::Cow;
use std::collections::HashMap;
use std::fmt;
use subtle::ConstantTimeEq;

type HmacSha256 = Hmac<Sha256>;

const SHOPIFY_HEADER: &str = "X-Shopify-Hmac-Sha256";
const DOUYIN_HEADER: &str = "event-sign";
const TRACK17_HEADER: &str = "sign";
const EASYPOST_HEADER: &str = "X-Hmac-Signature";
const EASYPOST_PREFIX: &str = "hmac-sha256-hex=";
const WMS_HEADER: &str = "X-Control-Room-Signature";
const WMS_PREFIX: &str = "sha256=";

/// The secrets each integration's deliveries may be signed with: the current
/// one first, then any previous ones still accepted during a rotation overlap.
#[derive(Clone, Default)]
pub struct Secrets {
    by_integration: HashMap<Integration, Vec<String>>,
}

impl Secrets {
    /// Reads `CONTROL_ROOM_<NAME>_SECRET` and `CONTROL_ROOM_<NAME>_PREVIOUS_SECRET`
    /// for every integration (`<NAME>`: `SHOPIFY`, `DOUYIN`, `WECHAT`,
    /// `KUAIDI100`, `TRACK17`, `EASYPOST`, `WMS`). `CONTROL_ROOM_KUAIDI100_SECRET`
    /// is the Kuaidi100 salt, `CONTROL_ROOM_WECHAT_SECRET` is
    /// `token:EncodingAESKey[:AppID]` (or, for plain-text mode, the token) and
    /// `CONTROL_ROOM_DOUYIN_SECRET` is `app_key:app_secret`. Surrounding
    /// whitespace is trimmed; unset or empty variables are skipped.
    pub fn from_env() -> Secrets {
        Secrets::from_lookup(|name| std::env::var(name).ok())
    }

    /// Secrets from `(integration, secret)` pairs, in order: the first pair of an
    /// integration is its current secret, later ones are still accepted. Empty
    /// secrets are skipped.
    pub fn from_pairs(pairs: impl IntoIterator<Item = (Integration, String)>) -> Secrets {
        let mut by_integration: HashMap<Integration, Vec<String>> = HashMap::new();
        for (integration, secret) in pairs {
            if !secret.is_empty() {
                by_integration.entry(integration).or_default().push(secret);
            }
        }
        Secrets { by_integration }
    }

    /// The accepted secrets of `i`, current first; empty when none is configured.
    pub fn for_integration(&self, i: Integration) -> &[String] {
        self.by_integration.get(&i).map_or(&[], Vec::as_slice)
    }

    fn from_lookup(lookup: impl Fn(&str) -> Option<String>) -> Secrets {
        let mut pairs = Vec::new();
        for i in Integration::ALL {
            let name = i.env_name();
            for var in [
                format!("CONTROL_ROOM_{name}_SECRET"),
                format!("CONTROL_ROOM_{name}_PREVIOUS_SECRET"),
            ] {
                if let Some(value) = lookup(&var) {
                    pairs.push((i, value.trim().to_string()));
                }
            }
        }
        Secrets::from_pairs(pairs)
    }
}

/// Never prints a secret: only how many each integration has.
impl fmt::Debug for Secrets {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mut map = f.debug_map();
        for i in Integration::ALL {
            let n = self.for_integration(i).len();
            if n > 0 {
                map.entry(&i.as_str(), &format_args!("{n} secret(s)"));
            }
        }
        map.finish()
    }
}

/// Why a delivery's signature was refused. `Missing` and `Malformed` name the
/// header, form field or query parameter as the sender spells it.
#[derive(Debug, Clone, thiserror::Error, PartialEq, Eq)]
pub enum SignatureError {
    #[error("no secret is configured for {0}")]
    NotConfigured(Integration),
    #[error("the {} is missing", place(.0))]
    Missing(&'static str),
    #[error("the {} is malformed", place(.0))]
    Malformed(&'static str),
    #[error("the signature does not match")]
    Mismatch,
    #[error("no safe-mode WeChat secret (token:EncodingAESKey) is configured")]
    NoSafeModeKey,
    #[error("the signed message could not be decrypted: {0}")]
    Sealed(#[from] OpenError),
}

/// Where a named signature input lives, for messages.
fn place(name: &str) -> String {
    match name {
        "signature" | "msg_signature" | "timestamp" | "nonce" => {
            format!("{name} query parameter")
        }
        "Encrypt" => "Encrypt field of the body".to_string(),
        "query" => "query string".to_string(),
        "param" => "param form field".to_string(),
        "form" => "form body".to_string(),
        // 17TRACK's header and Kuaidi100's form field share the name.
        "sign" => "sign header or form field".to_string(),
        header => format!("{header} header"),
    }
}

/// A delivery whose signature verified.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Opened<'b> {
    /// What to parse: the body as received, or the message a WeChat safe-mode
    /// push carried encrypted.
    pub body: Cow<'b, [u8]>,
    /// For WeChat, the signed timestamp and nonce and the mode they came in.
    pub wechat: Option<WechatStamp>,
}

/// How a WeChat push was signed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum WechatMode {
    /// `msg_signature` over the encrypted message too.
    Safe,
    /// `signature` over token, timestamp and nonce only: the body is unsigned.
    Plain,
}

/// The signed freshness inputs of a WeChat push, as sent.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct WechatStamp {
    pub mode: WechatMode,
    pub timestamp: String,
    pub nonce: String,
}

/// Verifies a delivery of `i` against every accepted secret of `i`.
///
/// `query` is the raw query string without the `?` (only WeChat signs it);
/// `body` the raw body exactly as received.
pub fn verify(
    i: Integration,
    secrets: &Secrets,
    headers: &HeaderMap,
    query: Option<&str>,
    body: &[u8],
) -> Result<(), SignatureError> {
    open(i, secrets, headers, query, body).map(|_| ())
}

/// Verifies a delivery like [`verify`] and answers what to parse.
pub fn open<'b>(
    i: Integration,
    secrets: &Secrets,
    headers: &HeaderMap,
    query: Option<&str>,
    body: &'b [u8],
) -> Result<Opened<'b>, SignatureError> {
    let accepted = secrets.for_integration(i);
    if accepted.is_empty() {
        return Err(SignatureError::NotConfigured(i));
    }
    let checked = match i {
        Integration::Shopify => verify_shopify(accepted, headers, body),
        Integration::Douyin => verify_douyin(accepted, headers, body),
        Integration::Wechat => return open_wechat(accepted, query, body),
        Integration::Kuaidi100 => verify_kuaidi100(accepted, body),
        Integration::Track17 => verify_track17(accepted, headers, body),
        Integration::EasyPost => {
            verify_hmac_hex(accepted, headers, body, EASYPOST_HEADER, EASYPOST_PREFIX)
        }
        Integration::Wms => verify_hmac_hex(accepted, headers, body, WMS_HEADER, WMS_PREFIX),
    };
    checked.map(|()| Opened {
        body: Cow::Borrowed(body),
        wechat: None,
    })
}

/// A header's value as trimmed text.
fn header<'h>(headers: &'h HeaderMap, name: &'static str) -> Result<&'h str, SignatureError> {
    let value = headers.get(name).ok_or(SignatureError::Missing(name))?;
    let text = value
        .to_str()
        .map_err(|_| SignatureError::Malformed(name))?
        .trim();
    if text.is_empty() {
        return Err(SignatureError::Missing(name));
    }
    Ok(text)
}

/// Hex in either case; anything else is malformed.
fn decode_hex(text: &str, name: &'static str) -> Result<Vec<u8>, SignatureError> {
    hex::decode(text).map_err(|_| SignatureError::Malformed(name))
}

/// Ok when any secret's digest equals `received`, compared in constant time.
/// Every secret is tried, so the time does not tell which one matched.
fn any_digest_matches<'s>(
    secrets: impl IntoIterator<Item = &'s String>,
    received: &[u8],
    digest: impl Fn(&str) -> Vec<u8>,
) -> Result<(), SignatureError> {
    let mut matched = subtle::Choice::from(0u8);
    for secret in secrets {
        matched |= digest(secret).as_slice().ct_eq(received);
    }
    if bool::from(matched) {
        Ok(())
    } else {
        Err(SignatureError::Mismatch)
    }
}

/// Ok when any secret's HMAC-SHA256 over `body` equals `received`
/// (`Mac::verify_slice`, constant time).
fn any_hmac_matches(
    secrets: &[String],
    body: &[u8],
    received: &[u8],
) -> Result<(), SignatureError> {
    let mut matched = false;
    for secret in secrets {
        // HMAC takes keys of any length; the error arm cannot happen.
        let Ok(mut mac) = HmacSha256::new_from_slice(secret.as_bytes()) else {
            continue;
        };
        mac.update(body);
        matched |= mac.verify_slice(received).is_ok();
    }
    if matched {
        Ok(())
    } else {
        Err(SignatureError::Mismatch)
    }
}

fn verify_shopify(
    secrets: &[String],
    headers: &HeaderMap,
    body: &[u8],
) -> Result<(), SignatureError> {
    let text = header(headers, SHOPIFY_HEADER)?;
    let received = base64::engine::general_purpose::STANDARD
        .decode(text)
        .map_err(|_| SignatureError::Malformed(SHOPIFY_HEADER))?;
    any_hmac_matches(secrets, body, &received)
}

/// EasyPost and our WMS: `<prefix><hex HMAC-SHA256(secret, body)>`.
fn verify_hmac_hex(
    secrets: &[String],
    headers: &HeaderMap,
    body: &[u8],
    name: &'static str,
    prefix: &str,
) -> Result<(), SignatureError> {
    let text = header(headers, name)?;
    let hex_part = text
        .strip_prefix(prefix)
        .ok_or(SignatureError::Malformed(name))?;
    let received = decode_hex(hex_part, name)?;
    any_hmac_matches(secrets, body, &received)
}

/// `MD5(app_key + body + app_secret)`; the secret is `app_key:app_secret`.
/// Secrets without a `:` cannot be split and are skipped; when none is left the
/// integration counts as not configured.
fn verify_douyin(
    secrets: &[String],
    headers: &HeaderMap,
    body: &[u8],
) -> Result<(), SignatureError> {
    let pairs: Vec<(&str, &str)> = secrets.iter().filter_map(|s| s.split_once(':')).collect();
    if pairs.is_empty() {
        return Err(SignatureError::NotConfigured(Integration::Douyin));
    }
    let received = decode_hex(header(headers, DOUYIN_HEADER)?, DOUYIN_HEADER)?;
    let mut matched = subtle::Choice::from(0u8);
    for (app_key, app_secret) in pairs {
        let mut md5 = Md5::new();
        md5.update(app_key.as_bytes());
        md5.update(body);
        md5.update(app_secret.as_bytes());
        matched |= md5.finalize().as_slice().ct_eq(&received);
    }
    if bool::from(matched) {
        Ok(())
    } else {
        Err(SignatureError::Mismatch)
    }
}

#[derive(Deserialize)]
struct WechatQuery {
    #[serde(default)]
    signature: Option<String>,
    #[serde(default)]
    msg_signature: Option<String>,
    #[serde(default)]
    timestamp: Option<String>,
    #[serde(default)]
    nonce: Option<String>,
}

/// A safe-mode push body (JSON): the encrypted message.
#[derive(Deserialize)]
struct WechatEnvelope {
    #[serde(rename = "Encrypt", default)]
    encrypt: Option<String>,
}

/// Safe mode when `msg_signature` is present: SHA1 of the sorted
/// `[token, timestamp, nonce, Encrypt]`, then `Encrypt` decrypted with the key
/// whose token signed it. Plain-text mode otherwise: SHA1 of the sorted
/// `[token, timestamp, nonce]`, the body unsigned.
fn open_wechat<'b>(
    secrets: &[String],
    query: Option<&str>,
    body: &'b [u8],
) -> Result<Opened<'b>, SignatureError> {
    let query: WechatQuery = serde_urlencoded::from_str(query.unwrap_or(""))
        .map_err(|_| SignatureError::Malformed("query"))?;
    let present = |value: Option<String>| value.filter(|v| !v.trim().is_empty());
    let (msg_signature, signature) = (present(query.msg_signature), present(query.signature));
    if msg_signature.is_none() && signature.is_none() {
        return Err(SignatureError::Missing("msg_signature"));
    }
    let timestamp = present(query.timestamp).ok_or(SignatureError::Missing("timestamp"))?;
    let nonce = present(query.nonce).ok_or(SignatureError::Missing("nonce"))?;
    let Some(msg_signature) = msg_signature else {
        let signature = signature.unwrap_or_default();
        let received = decode_hex(signature.trim(), "signature")?;
        let tokens = secrets.iter().map(|s| token_of(s).to_string());
        let tokens: Vec<String> = tokens.collect();
        any_digest_matches(&tokens, &received, |token| {
            plain_signature(token, &timestamp, &nonce)
        })?;
        return Ok(Opened {
            body: Cow::Borrowed(body),
            wechat: Some(WechatStamp {
                mode: WechatMode::Plain,
                timestamp,
                nonce,
            }),
        });
    };
    let keys: Vec<WechatKey> = secrets
        .iter()
        .filter_map(|s| WechatKey::parse(s).ok())
        .collect();
    if keys.is_empty() {
        return Err(SignatureError::NoSafeModeKey);
    }
    let received = decode_hex(msg_signature.trim(), "msg_signature")?;
    let envelope: WechatEnvelope =
        serde_json::from_slice(body).map_err(|_| SignatureError::Malformed("Encrypt"))?;
    let encrypt = present(envelope.encrypt).ok_or(SignatureError::Missing("Encrypt"))?;
    // Every key is compared, so the time does not tell which one matched.
    let signed: Vec<(&WechatKey, bool)> = keys
        .iter()
        .map(|key| {
            let expected = key.msg_signature(&timestamp, &nonce, &encrypt);
            (key, bool::from(expected.as_slice().ct_eq(&received)))
        })
        .collect();
    let mut opened = Err(SignatureError::Mismatch);
    for (key, _) in signed.iter().filter(|(_, matched)| *matched) {
        // Rotating the AES key but not the token leaves two candidates.
        opened = key.open(&encrypt).map_err(SignatureError::Sealed);
        if opened.is_ok() {
            break;
        }
    }
    Ok(Opened {
        body: Cow::Owned(opened?),
        wechat: Some(WechatStamp {
            mode: WechatMode::Safe,
            timestamp,
            nonce,
        }),
    })
}

/// `MD5(param + salt)` in upper-case hex; compared case-insensitively by
/// comparing the decoded bytes.
fn verify_kuaidi100(secrets: &[String], body: &[u8]) -> Result<(), SignatureError> {
    let (param, sign) = kuaidi100_param(body).map_err(|e| match e {
        ParseError::MissingFormField(_) => SignatureError::Missing("param"),
        _ => SignatureError::Malformed("form"),
    })?;
    let sign = sign.trim();
    if sign.is_empty() {
        return Err(SignatureError::Missing("sign"));
    }
    let received = decode_hex(sign, "sign")?;
    any_digest_matches(secrets, &received, |salt| {
        let mut md5 = Md5::new();
        md5.update(param.as_bytes());
        md5.update(salt.as_bytes());
        md5.finalize().to_vec()
    })
}

/// `SHA256(body + "/" + secret)` in lower-case hex.
fn verify_track17(
    secrets: &[String],
    headers: &HeaderMap,
    body: &[u8],
) -> Result<(), SignatureError> {
    let received = decode_hex(header(headers, TRACK17_HEADER)?, TRACK17_HEADER)?;
    any_digest_matches(secrets, &received, |secret| {
        let mut sha = Sha256::new();
        sha.update(body);
        sha.update(b"/");
        sha.update(secret.as_bytes());
        sha.finalize().to_vec()
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use axum::http::HeaderValue;
    use sha1::Sha1;

    const SHOPIFY_ORDER: &[u8] = include_bytes!(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/tests/fixtures/channels/shopify/orders-create.json"
    ));
    const DOUYIN_PAID: &[u8] = include_bytes!(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/tests/fixtures/channels/douyin/trade-paid.json"
    ));
    const WECHAT_PAY: &[u8] = include_bytes!(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/tests/fixtures/channels/wechat-channels/order-pay.json"
    ));
    const KUAIDI100_PARAM: &str = include_str!(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/tests/fixtures/carriers/kuaidi100/subscribe-push.param.json"
    ));
    const TRACK17_STOPPED: &[u8] = include_bytes!(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/tests/fixtures/carriers/17track/tracking-stopped.json"
    ));
    const EASYPOST_EVENT: &[u8] = include_bytes!(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/tests/fixtures/carriers/easypost/tracker-updated.json"
    ));
    const WMS_MESSAGE: &[u8] = br#"{"message_id":"wms-shanghai-000123","type":"picking","channel":"douyin","channel_order_id":"4705288465508532862","warehouse":"Shanghai","at":"2026-11-20T08:00:00+08:00"}"#;

    const CURRENT: &str = "current-secret";
    const PREVIOUS: &str = "previous-secret";
    const DOUYIN_CURRENT: &str = "7001234567890:current-app-secret";
    const DOUYIN_PREVIOUS: &str = "7001234567890:previous-app-secret";

    fn only(i: Integration, secret: &str) -> Secrets {
        Secrets::from_pairs([(i, secret.to_string())])
    }

    fn rotating(i: Integration, current: &str, previous: &str) -> Secrets {
        Secrets::from_pairs([(i, current.to_string()), (i, previous.to_string())])
    }

    fn headers(pairs: &[(&'static str, &str)]) -> HeaderMap {
        let mut map = HeaderMap::new();
        for (name, value) in pairs {
            map.insert(*name, HeaderValue::from_str(value).expect("test header"));
        }
        map
    }

    fn hmac_sha256(secret: &str, body: &[u8]) -> Vec<u8> {
        let mut mac = HmacSha256::new_from_slice(secret.as_bytes()).expect("any key length");
        mac.update(body);
        mac.finalize().into_bytes().to_vec()
    }

    fn shopify_sign(secret: &str, body: &[u8]) -> String {
        base64::engine::general_purpose::STANDARD.encode(hmac_sha256(secret, body))
    }

    fn douyin_sign(secret: &str, body: &[u8]) -> String {
        let (key, app_secret) = secret.split_once(':').expect("key:secret");
        let mut input = key.as_bytes().to_vec();
        input.extend_from_slice(body);
        input.extend_from_slice(app_secret.as_bytes());
        hex::encode(Md5::digest(&input))
    }

    fn wechat_query(token: &str, timestamp: &str, nonce: &str) -> String {
        let mut parts = [token, timestamp, nonce];
        parts.sort();
        let signature = hex::encode(Sha1::digest(parts.concat().as_bytes()));
        serde_urlencoded::to_string([
            ("signature", signature.as_str()),
            ("timestamp", timestamp),
            ("nonce", nonce),
        ])
        .expect("query")
    }

    fn kuaidi100_sign(param: &str, salt: &str) -> String {
        hex::encode_upper(Md5::digest(format!("{param}{salt}").as_bytes()))
    }

    fn kuaidi100_form(param: &str, sign: Option<&str>) -> Vec<u8> {
        let mut fields = vec![("param", param)];
        if let Some(sign) = sign {
            fields.push(("sign", sign));
        }
        serde_urlencoded::to_string(fields)
            .expect("form")
            .into_bytes()
    }

    fn track17_sign(secret: &str, body: &[u8]) -> String {
        let mut input = body.to_vec();
        input.push(b'/');
        input.extend_from_slice(secret.as_bytes());
        hex::encode(Sha256::digest(&input))
    }

    fn easypost_sign(secret: &str, body: &[u8]) -> String {
        format!("hmac-sha256-hex={}", hex::encode(hmac_sha256(secret, body)))
    }

    fn wms_sign(secret: &str, body: &[u8]) -> String {
        format!("sha256={}", hex::encode(hmac_sha256(secret, body)))
    }

    fn tampered(body: &[u8]) -> Vec<u8> {
        let mut body = body.to_vec();
        body.push(b' ');
        body
    }

    /// How a test signs a body with a secret.
    type Signer = fn(&str, &[u8]) -> String;

    /// For the header-signed integrations: the header name, how to sign, a
    /// body, and the current and previous secrets.
    type HeaderCase = (
        Integration,
        &'static str,
        Signer,
        &'static [u8],
        &'static str,
        &'static str,
    );

    fn header_cases() -> Vec<HeaderCase> {
        vec![
            (
                Integration::Shopify,
                SHOPIFY_HEADER,
                shopify_sign,
                SHOPIFY_ORDER,
                CURRENT,
                PREVIOUS,
            ),
            (
                Integration::Douyin,
                DOUYIN_HEADER,
                douyin_sign,
                DOUYIN_PAID,
                DOUYIN_CURRENT,
                DOUYIN_PREVIOUS,
            ),
            (
                Integration::Track17,
                TRACK17_HEADER,
                track17_sign,
                TRACK17_STOPPED,
                CURRENT,
                PREVIOUS,
            ),
            (
                Integration::EasyPost,
                EASYPOST_HEADER,
                easypost_sign,
                EASYPOST_EVENT,
                CURRENT,
                PREVIOUS,
            ),
            (
                Integration::Wms,
                WMS_HEADER,
                wms_sign,
                WMS_MESSAGE,
                CURRENT,
                PREVIOUS,
            ),
        ]
    }

    #[test]
    fn header_signed_deliveries_verify_with_the_current_secret() {
        for (i, name, sign, body, current, _) in header_cases() {
            let h = headers(&[(name, &sign(current, body))]);
            assert_eq!(verify(i, &only(i, current), &h, None, body), Ok(()), "{i}");
        }
    }

    #[test]
    fn header_signed_tampered_bodies_mismatch() {
        for (i, name, sign, body, current, _) in header_cases() {
            let h = headers(&[(name, &sign(current, body))]);
            assert_eq!(
                verify(i, &only(i, current), &h, None, &tampered(body)),
                Err(SignatureError::Mismatch),
                "{i}"
            );
        }
    }

    #[test]
    fn header_signed_wrong_secrets_mismatch() {
        for (i, name, sign, body, current, previous) in header_cases() {
            let h = headers(&[(name, &sign(previous, body))]);
            assert_eq!(
                verify(i, &only(i, current), &h, None, body),
                Err(SignatureError::Mismatch),
                "{i}"
            );
        }
    }

    #[test]
    fn header_signed_missing_headers_are_named() {
        for (i, name, _, body, current, _) in header_cases() {
            assert_eq!(
                verify(i, &only(i, current), &HeaderMap::new(), None, body),
                Err(SignatureError::Missing(name)),
                "{i}"
            );
            let blank = headers(&[(name, "")]);
            assert_eq!(
                verify(i, &only(i, current), &blank, None, body),
                Err(SignatureError::Missing(name)),
                "{i}"
            );
        }
    }

    #[test]
    fn header_signed_previous_secret_is_accepted_during_rotation() {
        for (i, name, sign, body, current, previous) in header_cases() {
            let secrets = rotating(i, current, previous);
            for secret in [current, previous] {
                let h = headers(&[(name, &sign(secret, body))]);
                assert_eq!(verify(i, &secrets, &h, None, body), Ok(()), "{i} {secret}");
            }
        }
    }

    #[test]
    fn unconfigured_integrations_are_refused_before_anything_else() {
        let secrets = Secrets::from_pairs([(Integration::Wms, CURRENT.to_string())]);
        for i in Integration::ALL {
            if i == Integration::Wms {
                continue;
            }
            assert_eq!(
                verify(i, &secrets, &HeaderMap::new(), None, b"{}"),
                Err(SignatureError::NotConfigured(i))
            );
        }
        assert_eq!(
            SignatureError::NotConfigured(Integration::Shopify).to_string(),
            "no secret is configured for shopify"
        );
    }

    #[test]
    fn messages_name_the_input() {
        assert_eq!(
            SignatureError::Missing(SHOPIFY_HEADER).to_string(),
            "the X-Shopify-Hmac-Sha256 header is missing"
        );
        assert_eq!(
            SignatureError::Missing("timestamp").to_string(),
            "the timestamp query parameter is missing"
        );
        assert_eq!(
            SignatureError::Malformed("form").to_string(),
            "the form body is malformed"
        );
        assert_eq!(
            SignatureError::Mismatch.to_string(),
            "the signature does not match"
        );
    }

    #[test]
    fn shopify_known_answer() {
        // Computed independently: printf '{"id":1}' | openssl dgst -sha256 -hmac hush -binary | base64
        let h = headers(&[(SHOPIFY_HEADER, SHOPIFY_KAT)]);
        let secrets = only(Integration::Shopify, "hush");
        assert_eq!(
            verify(Integration::Shopify, &secrets, &h, None, br#"{"id":1}"#),
            Ok(())
        );
    }
    const SHOPIFY_KAT: &str = "VnKUjZsLuN5iZWjn5EntcBVCF9kMN43LglzCE1/GSeY=";

    #[test]
    fn shopify_malformed_base64_is_refused_without_panic() {
        let secrets = only(Integration::Shopify, CURRENT);
        for bad in ["not base64!!", "====", "YWJj", "\u{7f}"] {
            let Ok(value) = HeaderValue::from_str(bad) else {
                continue;
            };
            let mut h = HeaderMap::new();
            h.insert(SHOPIFY_HEADER, value);
            let result = verify(Integration::Shopify, &secrets, &h, None, SHOPIFY_ORDER);
            assert!(
                matches!(
                    result,
                    Err(SignatureError::Malformed(SHOPIFY_HEADER) | SignatureError::Mismatch)
                ),
                "{bad}: {result:?}"
            );
        }
        let mut h = HeaderMap::new();
        h.insert(
            SHOPIFY_HEADER,
            HeaderValue::from_bytes(b"\xff\xfe").expect("opaque header"),
        );
        assert_eq!(
            verify(Integration::Shopify, &secrets, &h, None, SHOPIFY_ORDER),
            Err(SignatureError::Malformed(SHOPIFY_HEADER))
        );
    }

    #[test]
    fn hex_headers_reject_non_hex_and_missing_prefixes() {
        let cases: [(Integration, &'static str, &str, &str); 5] = [
            (Integration::Douyin, DOUYIN_HEADER, DOUYIN_CURRENT, "zz"),
            (Integration::Track17, TRACK17_HEADER, CURRENT, "abc"),
            (
                Integration::EasyPost,
                EASYPOST_HEADER,
                CURRENT,
                "hmac-sha256-hex=xyz",
            ),
            (Integration::Wms, WMS_HEADER, CURRENT, "sha256=0g"),
            (Integration::Wms, WMS_HEADER, CURRENT, "deadbeef"),
        ];
        for (i, name, secret, bad) in cases {
            let h = headers(&[(name, bad)]);
            assert_eq!(
                verify(i, &only(i, secret), &h, None, b"{}"),
                Err(SignatureError::Malformed(name)),
                "{i} {bad}"
            );
        }
        // Well-formed hex of the wrong length is just a mismatch.
        let h = headers(&[(WMS_HEADER, "sha256=abcd")]);
        assert_eq!(
            verify(
                Integration::Wms,
                &only(Integration::Wms, CURRENT),
                &h,
                None,
                b"{}"
            ),
            Err(SignatureError::Mismatch)
        );
    }

    #[test]
    fn hex_signatures_are_accepted_in_either_case() {
        let i = Integration::Track17;
        let upper = track17_sign(CURRENT, TRACK17_STOPPED).to_uppercase();
        let h = headers(&[(TRACK17_HEADER, &upper)]);
        assert_eq!(
            verify(i, &only(i, CURRENT), &h, None, TRACK17_STOPPED),
            Ok(())
        );
    }

    #[test]
    fn douyin_secret_without_a_colon_counts_as_not_configured() {
        let i = Integration::Douyin;
        let h = headers(&[(DOUYIN_HEADER, &douyin_sign(DOUYIN_CURRENT, DOUYIN_PAID))]);
        assert_eq!(
            verify(i, &only(i, "no-colon"), &h, None, DOUYIN_PAID),
            Err(SignatureError::NotConfigured(i))
        );
        // The app secret itself may contain colons: split at the first.
        let secret = "7001234567890:a:b:c";
        let h = headers(&[(DOUYIN_HEADER, &douyin_sign(secret, DOUYIN_PAID))]);
        assert_eq!(verify(i, &only(i, secret), &h, None, DOUYIN_PAID), Ok(()));
    }

    #[test]
    fn douyin_known_answer() {
        // md5("key" + "{}" + "secret")
        let h = headers(&[(DOUYIN_HEADER, DOUYIN_KAT)]);
        let secrets = only(Integration::Douyin, "key:secret");
        assert_eq!(
            verify(Integration::Douyin, &secrets, &h, None, b"{}"),
            Ok(())
        );
    }
    const DOUYIN_KAT: &str = "9d82ba9be52c5e84647a3ef57d7eeb1f";

    #[test]
    fn track17_known_answer() {
        // sha256('{}' + '/' + 'key')
        let h = headers(&[(TRACK17_HEADER, TRACK17_KAT)]);
        let secrets = only(Integration::Track17, "key");
        assert_eq!(
            verify(Integration::Track17, &secrets, &h, None, b"{}"),
            Ok(())
        );
    }
    const TRACK17_KAT: &str = "461a224c100d7b686157238995a9c7bd82a226ec5c8e51a4aa00518eb432f61f";

    #[test]
    fn easypost_and_wms_known_answers() {
        // hex HMAC-SHA256(key "key", body "{}")
        let easypost = format!("hmac-sha256-hex={HMAC_KAT}");
        let wms = format!("sha256={HMAC_KAT}");
        let h = headers(&[(EASYPOST_HEADER, &easypost)]);
        let secrets = only(Integration::EasyPost, "key");
        assert_eq!(
            verify(Integration::EasyPost, &secrets, &h, None, b"{}"),
            Ok(())
        );
        let h = headers(&[(WMS_HEADER, &wms)]);
        let secrets = only(Integration::Wms, "key");
        assert_eq!(verify(Integration::Wms, &secrets, &h, None, b"{}"), Ok(()));
    }
    const HMAC_KAT: &str = "a777724d943eb48dc69bca8a4a6d57a04db3f9ec7e1de4e581e860265bdf3032";

    // ---- WeChat: query-signed ----

    #[test]
    fn wechat_plain_mode_signs_the_query_only() {
        let i = Integration::Wechat;
        let query = wechat_query(CURRENT, "1658509200", "1605378297");
        let secrets = only(i, CURRENT);
        let none = HeaderMap::new();
        let opened = open(i, &secrets, &none, Some(&query), WECHAT_PAY).unwrap();
        assert_eq!(opened.body, WECHAT_PAY);
        assert_eq!(
            opened.wechat,
            Some(WechatStamp {
                mode: WechatMode::Plain,
                timestamp: "1658509200".into(),
                nonce: "1605378297".into(),
            })
        );
        // Plain mode signs only the query: a different body still verifies,
        // which is why freshness refuses plain mode unless it is allowed.
        assert_eq!(
            verify(i, &secrets, &none, Some(&query), &tampered(WECHAT_PAY)),
            Ok(())
        );
    }

    const WECHAT_SAFE: &str =
        "SafeToken1:abcdefghijklmnopqrstuvwxyz0123456789ABCDEFG:wxb11529c136998cb6";
    const WECHAT_SAFE_NEXT: &str = "SafeToken2:ZYXWVUTSRQPONMLKJIHGFEDCBA9876543210zyxwvut";

    /// A safe-mode push of `message` as WeChat sends it: the query (with the
    /// plain `signature` too) and the JSON body carrying `Encrypt`.
    fn wechat_safe(
        secret: &str,
        timestamp: &str,
        nonce: &str,
        message: &[u8],
    ) -> (String, Vec<u8>) {
        let key = WechatKey::parse(secret).unwrap();
        let encrypt = key.seal([3; 16], message);
        let msg_signature = hex::encode(key.msg_signature(timestamp, nonce, &encrypt));
        let signature = hex::encode(plain_signature(key.token(), timestamp, nonce));
        let query = serde_urlencoded::to_string([
            ("signature", signature.as_str()),
            ("timestamp", timestamp),
            ("nonce", nonce),
            ("encrypt_type", "aes"),
            ("msg_signature", msg_signature.as_str()),
        ])
        .unwrap();
        let body = serde_json::json!({"ToUserName": "gh_1", "Encrypt": encrypt});
        (query, serde_json::to_vec(&body).unwrap())
    }

    #[test]
    fn wechat_safe_mode_opens_the_signed_message() {
        let i = Integration::Wechat;
        let (query, body) = wechat_safe(WECHAT_SAFE, "1658509200", "n1", WECHAT_PAY);
        let opened = open(
            i,
            &only(i, WECHAT_SAFE),
            &HeaderMap::new(),
            Some(&query),
            &body,
        )
        .unwrap();
        assert_eq!(opened.body, WECHAT_PAY);
        assert_eq!(opened.wechat.unwrap().mode, WechatMode::Safe);
    }

    #[test]
    fn wechat_a_replayed_msg_signature_with_another_body_mismatches() {
        let i = Integration::Wechat;
        let secrets = only(i, WECHAT_SAFE);
        let none = HeaderMap::new();
        let (query, _) = wechat_safe(WECHAT_SAFE, "1658509200", "n1", WECHAT_PAY);
        // Another message sealed with the same key, under the captured query.
        let (_, forged) = wechat_safe(
            WECHAT_SAFE,
            "1658509200",
            "n1",
            br#"{"Event":"channels_ec_order_cancel"}"#,
        );
        assert_eq!(
            open(i, &secrets, &none, Some(&query), &forged),
            Err(SignatureError::Mismatch)
        );
        // A changed timestamp or nonce breaks it too.
        let (query, body) = wechat_safe(WECHAT_SAFE, "1658509200", "n1", WECHAT_PAY);
        let moved = query.replace("1658509200", "1658509201");
        assert_eq!(
            open(i, &secrets, &none, Some(&moved), &body),
            Err(SignatureError::Mismatch)
        );
    }

    #[test]
    fn wechat_safe_mode_rotation_and_wrong_keys() {
        let i = Integration::Wechat;
        let none = HeaderMap::new();
        let both = rotating(i, WECHAT_SAFE_NEXT, WECHAT_SAFE);
        for secret in [WECHAT_SAFE, WECHAT_SAFE_NEXT] {
            let (query, body) = wechat_safe(secret, "1", "n", WECHAT_PAY);
            assert_eq!(
                open(i, &both, &none, Some(&query), &body).unwrap().body,
                WECHAT_PAY
            );
        }
        // Right token, wrong EncodingAESKey: signed, but it does not decrypt.
        let wrong_aes = "SafeToken1:ZYXWVUTSRQPONMLKJIHGFEDCBA9876543210zyxwvut";
        let (query, body) = wechat_safe(WECHAT_SAFE, "1", "n", WECHAT_PAY);
        let err = open(i, &only(i, wrong_aes), &none, Some(&query), &body).unwrap_err();
        assert!(matches!(err, SignatureError::Sealed(_)), "{err}");
        assert!(
            err.to_string()
                .starts_with("the signed message could not be decrypted"),
            "{err}"
        );
        // Another shop's AppID.
        let other_app = "SafeToken1:abcdefghijklmnopqrstuvwxyz0123456789ABCDEFG:wx0000";
        assert_eq!(
            open(i, &only(i, other_app), &none, Some(&query), &body),
            Err(SignatureError::Sealed(OpenError::AppId))
        );
        // Only a plain-mode token configured: safe mode cannot be checked.
        assert_eq!(
            open(i, &only(i, "SafeToken1"), &none, Some(&query), &body),
            Err(SignatureError::NoSafeModeKey)
        );
    }

    #[test]
    fn wechat_safe_mode_bodies_must_carry_encrypt() {
        let i = Integration::Wechat;
        let secrets = only(i, WECHAT_SAFE);
        let none = HeaderMap::new();
        let (query, _) = wechat_safe(WECHAT_SAFE, "1", "n", WECHAT_PAY);
        assert_eq!(
            open(i, &secrets, &none, Some(&query), WECHAT_PAY),
            Err(SignatureError::Missing("Encrypt"))
        );
        assert_eq!(
            open(
                i,
                &secrets,
                &none,
                Some(&query),
                b"<xml><Encrypt>x</Encrypt></xml>"
            ),
            Err(SignatureError::Malformed("Encrypt"))
        );
        let bad_hex = query.replace("msg_signature=", "msg_signature=zz");
        assert_eq!(
            open(i, &secrets, &none, Some(&bad_hex), WECHAT_PAY),
            Err(SignatureError::Malformed("msg_signature"))
        );
    }

    #[test]
    fn wechat_tampered_query_or_wrong_token_mismatches() {
        let i = Integration::Wechat;
        let none = HeaderMap::new();
        let query =
            wechat_query(CURRENT, "1658509200", "1605378297").replace("1658509200", "1658509201");
        assert_eq!(
            verify(i, &only(i, CURRENT), &none, Some(&query), WECHAT_PAY),
            Err(SignatureError::Mismatch)
        );
        let query = wechat_query(PREVIOUS, "1658509200", "1605378297");
        assert_eq!(
            verify(i, &only(i, CURRENT), &none, Some(&query), WECHAT_PAY),
            Err(SignatureError::Mismatch)
        );
    }

    #[test]
    fn wechat_previous_token_is_accepted_during_rotation() {
        let i = Integration::Wechat;
        let query = wechat_query(PREVIOUS, "1658509200", "nonce");
        assert_eq!(
            verify(
                i,
                &rotating(i, CURRENT, PREVIOUS),
                &HeaderMap::new(),
                Some(&query),
                WECHAT_PAY
            ),
            Ok(())
        );
    }

    #[test]
    fn wechat_missing_and_malformed_query_parts() {
        let i = Integration::Wechat;
        let secrets = only(i, CURRENT);
        let none = HeaderMap::new();
        assert_eq!(
            verify(i, &secrets, &none, None, WECHAT_PAY),
            Err(SignatureError::Missing("msg_signature"))
        );
        assert_eq!(
            SignatureError::Missing("msg_signature").to_string(),
            "the msg_signature query parameter is missing"
        );
        assert_eq!(
            verify(
                i,
                &secrets,
                &none,
                Some("signature=abcd&nonce=1"),
                WECHAT_PAY
            ),
            Err(SignatureError::Missing("timestamp"))
        );
        assert_eq!(
            verify(
                i,
                &secrets,
                &none,
                Some("signature=abcd&timestamp=1"),
                WECHAT_PAY
            ),
            Err(SignatureError::Missing("nonce"))
        );
        assert_eq!(
            verify(
                i,
                &secrets,
                &none,
                Some("signature=xyz&timestamp=1&nonce=2"),
                WECHAT_PAY
            ),
            Err(SignatureError::Malformed("signature"))
        );
        let result = verify(
            i,
            &secrets,
            &none,
            Some("signature=%ZZ&timestamp=%&nonce"),
            WECHAT_PAY,
        );
        assert!(result.is_err(), "{result:?}");
    }

    #[test]
    fn wechat_known_answer() {
        // sha1 of sorted ["token", "1", "abc"] = "1abctoken"
        let query = format!("signature={WECHAT_KAT}&timestamp=1&nonce=abc");
        let secrets = only(Integration::Wechat, "token");
        assert_eq!(
            verify(
                Integration::Wechat,
                &secrets,
                &HeaderMap::new(),
                Some(&query),
                b""
            ),
            Ok(())
        );
    }
    const WECHAT_KAT: &str = "c06f3132e2dcb449d9fde7c1ef946effdf69a79c";

    // ---- Kuaidi100: form-signed ----

    #[test]
    fn kuaidi100_good_signature_verifies() {
        let i = Integration::Kuaidi100;
        let body = kuaidi100_form(
            KUAIDI100_PARAM,
            Some(&kuaidi100_sign(KUAIDI100_PARAM, CURRENT)),
        );
        assert_eq!(
            verify(i, &only(i, CURRENT), &HeaderMap::new(), None, &body),
            Ok(())
        );
    }

    #[test]
    fn kuaidi100_sign_is_compared_case_insensitively() {
        let i = Integration::Kuaidi100;
        let lower = kuaidi100_sign(KUAIDI100_PARAM, CURRENT).to_lowercase();
        let body = kuaidi100_form(KUAIDI100_PARAM, Some(&lower));
        assert_eq!(
            verify(i, &only(i, CURRENT), &HeaderMap::new(), None, &body),
            Ok(())
        );
    }

    #[test]
    fn kuaidi100_tampered_param_mismatches() {
        let i = Integration::Kuaidi100;
        let sign = kuaidi100_sign(KUAIDI100_PARAM, CURRENT);
        let changed = KUAIDI100_PARAM.replace("YT2506789012345", "YT2506789012346");
        assert_ne!(changed, KUAIDI100_PARAM);
        let body = kuaidi100_form(&changed, Some(&sign));
        assert_eq!(
            verify(i, &only(i, CURRENT), &HeaderMap::new(), None, &body),
            Err(SignatureError::Mismatch)
        );
    }

    #[test]
    fn kuaidi100_previous_salt_is_accepted_during_rotation() {
        let i = Integration::Kuaidi100;
        let body = kuaidi100_form(
            KUAIDI100_PARAM,
            Some(&kuaidi100_sign(KUAIDI100_PARAM, PREVIOUS)),
        );
        assert_eq!(
            verify(
                i,
                &rotating(i, CURRENT, PREVIOUS),
                &HeaderMap::new(),
                None,
                &body
            ),
            Ok(())
        );
        assert_eq!(
            verify(i, &only(i, CURRENT), &HeaderMap::new(), None, &body),
            Err(SignatureError::Mismatch)
        );
    }

    #[test]
    fn kuaidi100_missing_and_malformed_fields() {
        let i = Integration::Kuaidi100;
        let secrets = only(i, CURRENT);
        let none = HeaderMap::new();
        let body = kuaidi100_form(KUAIDI100_PARAM, None);
        assert_eq!(
            verify(i, &secrets, &none, None, &body),
            Err(SignatureError::Missing("sign"))
        );
        let body = kuaidi100_form(KUAIDI100_PARAM, Some(""));
        assert_eq!(
            verify(i, &secrets, &none, None, &body),
            Err(SignatureError::Missing("sign"))
        );
        assert_eq!(
            verify(i, &secrets, &none, None, b"sign=ABCD"),
            Err(SignatureError::Missing("param"))
        );
        let body = kuaidi100_form(KUAIDI100_PARAM, Some("NOT-HEX"));
        assert_eq!(
            verify(i, &secrets, &none, None, &body),
            Err(SignatureError::Malformed("sign"))
        );
        let result = verify(i, &secrets, &none, None, b"\xff\xfe=\xff&&&==");
        assert!(result.is_err(), "{result:?}");
    }

    #[test]
    fn kuaidi100_known_answer() {
        // upper-case md5("{}" + "salt")
        let body = kuaidi100_form("{}", Some(KUAIDI100_KAT));
        let secrets = only(Integration::Kuaidi100, "salt");
        assert_eq!(
            verify(
                Integration::Kuaidi100,
                &secrets,
                &HeaderMap::new(),
                None,
                &body
            ),
            Ok(())
        );
    }
    const KUAIDI100_KAT: &str = "4DF345D41BAFC8E489CC9C94112F002A";

    // ---- Secrets ----

    #[test]
    fn secrets_come_from_current_and_previous_variables() {
        let env: HashMap<&str, &str> = [
            ("CONTROL_ROOM_SHOPIFY_SECRET", "shp-new"),
            ("CONTROL_ROOM_SHOPIFY_PREVIOUS_SECRET", "shp-old"),
            ("CONTROL_ROOM_TRACK17_SECRET", " t17 \n"),
            ("CONTROL_ROOM_WMS_PREVIOUS_SECRET", "wms-old"),
            ("CONTROL_ROOM_EASYPOST_SECRET", ""),
            ("CONTROL_ROOM_17TRACK_SECRET", "wrong-name"),
        ]
        .into_iter()
        .collect();
        let secrets = Secrets::from_lookup(|name| env.get(name).map(|v| v.to_string()));
        assert_eq!(
            secrets.for_integration(Integration::Shopify),
            ["shp-new", "shp-old"]
        );
        assert_eq!(secrets.for_integration(Integration::Track17), ["t17"]);
        assert_eq!(secrets.for_integration(Integration::Wms), ["wms-old"]);
        assert!(secrets.for_integration(Integration::EasyPost).is_empty());
        assert!(secrets.for_integration(Integration::Douyin).is_empty());
    }

    #[test]
    fn secrets_never_show_in_debug_output() {
        let secrets = rotating(Integration::Shopify, "top-secret", "older-secret");
        let shown = format!("{secrets:?}");
        assert!(!shown.contains("secret\""), "{shown}");
        assert!(!shown.contains("top-secret"), "{shown}");
        assert!(shown.contains("shopify"), "{shown}");
    }

    #[test]
    fn empty_secrets_are_not_configured() {
        let secrets = Secrets::from_pairs([(Integration::Wms, String::new())]);
        assert!(secrets.for_integration(Integration::Wms).is_empty());
        assert_eq!(
            verify(Integration::Wms, &secrets, &HeaderMap::new(), None, b"{}"),
            Err(SignatureError::NotConfigured(Integration::Wms))
        );
    }
}
