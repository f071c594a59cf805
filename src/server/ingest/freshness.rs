//! Whether a delivery whose signature verified may still be acted on: a
//! signature proves who made a delivery, not when, nor (in WeChat plain-text
//! mode) what it says.
//!
//! - WeChat: the signed `timestamp` must be within the window of now (both
//!   modes). Plain-text mode, whose signature leaves the body out, is refused
//!   unless the server allows it; where allowed, a nonce is good for one body
//!   only: the same nonce again with another body is refused (the same body
//!   again passes on, to be answered as a duplicate). Nonces are kept in
//!   memory for as long as their timestamp is inside the window, at most
//!   [`MAX_NONCES`] of them.
//! - Deliveries that state when they were made ([`Delivery::dated`]: Shopify's
//!   signed `updated_at`, its unsigned `X-Shopify-Triggered-At`) must be no
//!   older than the maximum age. A delivery older than that is refused rather
//!   than believed: its dedupe row may be gone, and a sender's retries end
//!   long before.
//!
//! The clock is passed in, so tests need no sleeping.
//!
//! [`Delivery::dated`]: super::adapters::Delivery::dated

use super::signature::{WechatMode, WechatStamp};
use chrono::{DateTime, TimeDelta, Utc};
use sha2::{Digest, Sha256};
use std::collections::HashMap;
use std::sync::Mutex;

/// Most plain-text nonces remembered at once; beyond that, plain-text
/// deliveries are refused until older ones leave the window (fail closed).
pub const MAX_NONCES: usize = 100_000;

/// What the server accepts.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct FreshnessPolicy {
    /// WeChat plain-text mode (the body unsigned) is accepted at all.
    pub wechat_allow_plain: bool,
    /// How far a WeChat timestamp may be from now, either way.
    pub wechat_window: TimeDelta,
    /// The oldest a dated delivery may be.
    pub max_age: TimeDelta,
}

/// Why a verified delivery is not acted on.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum StaleError {
    #[error(
        "WeChat plain-text mode is not allowed (its signature leaves the body out): \
         switch the push to safe mode"
    )]
    PlainModeOff,
    #[error("the timestamp query parameter is not seconds since 1970")]
    BadTimestamp,
    #[error("the timestamp is {seconds} s from now, more than the {window} s allowed")]
    OutsideWindow { seconds: i64, window: i64 },
    #[error("the nonce was already used for another delivery")]
    NonceReused,
    #[error("too many plain-text deliveries within the window; retry later")]
    NoncesFull,
    #[error("the delivery is too old: {field} {at} is more than {hours} h ago")]
    TooOld {
        field: &'static str,
        at: String,
        hours: i64,
    },
}

/// A nonce seen in plain-text mode: the body it came with, and until when a
/// replay of it could still pass the window.
struct SeenNonce {
    timestamp: i64,
    body: [u8; 32],
    until: i64,
}

/// The checks, with the plain-text nonces seen lately.
pub struct Freshness {
    policy: FreshnessPolicy,
    nonces: Mutex<HashMap<String, SeenNonce>>,
}

impl Freshness {
    pub fn new(policy: FreshnessPolicy) -> Freshness {
        Freshness {
            policy,
            nonces: Mutex::new(HashMap::new()),
        }
    }

    pub fn policy(&self) -> FreshnessPolicy {
        self.policy
    }

    /// Checks a verified WeChat push (`body` as received) at `now`.
    pub fn check_wechat(
        &self,
        stamp: &WechatStamp,
        body: &[u8],
        now: DateTime<Utc>,
    ) -> Result<(), StaleError> {
        if stamp.mode == WechatMode::Plain && !self.policy.wechat_allow_plain {
            return Err(StaleError::PlainModeOff);
        }
        let timestamp: i64 = stamp
            .timestamp
            .trim()
            .parse()
            .map_err(|_| StaleError::BadTimestamp)?;
        let window = self.policy.wechat_window.num_seconds();
        let seconds = timestamp.saturating_sub(now.timestamp());
        if seconds.abs() > window {
            return Err(StaleError::OutsideWindow { seconds, window });
        }
        if stamp.mode == WechatMode::Safe {
            // The body is signed: a replay is the same message, a duplicate.
            return Ok(());
        }
        let digest: [u8; 32] = Sha256::digest(body).into();
        let mut nonces = self.nonces.lock().unwrap_or_else(|e| e.into_inner());
        if let Some(seen) = nonces.get(&stamp.nonce) {
            if seen.until >= now.timestamp() {
                return match seen.timestamp == timestamp && seen.body == digest {
                    true => Ok(()),
                    false => Err(StaleError::NonceReused),
                };
            }
        }
        if nonces.len() >= MAX_NONCES {
            nonces.retain(|_, seen| seen.until >= now.timestamp());
            if nonces.len() >= MAX_NONCES {
                return Err(StaleError::NoncesFull);
            }
        }
        nonces.insert(
            stamp.nonce.clone(),
            SeenNonce {
                timestamp,
                body: digest,
                until: timestamp.saturating_add(window),
            },
        );
        Ok(())
    }

    /// Checks the times a delivery states (by where it states them) at `now`.
    pub fn check_age(
        &self,
        dated: &[(&'static str, DateTime<Utc>)],
        now: DateTime<Utc>,
    ) -> Result<(), StaleError> {
        // A maximum age beyond the calendar bounds nothing.
        let Some(oldest) = now.checked_sub_signed(self.policy.max_age) else {
            return Ok(());
        };
        match dated.iter().find(|(_, at)| *at < oldest) {
            Some((field, at)) => Err(StaleError::TooOld {
                field,
                at: at.to_rfc3339(),
                hours: self.policy.max_age.num_hours(),
            }),
            None => Ok(()),
        }
    }

    /// Plain-text nonces remembered now.
    #[cfg(test)]
    fn remembered(&self) -> usize {
        self.nonces.lock().map(|n| n.len()).unwrap_or_default()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn policy(allow_plain: bool) -> FreshnessPolicy {
        FreshnessPolicy {
            wechat_allow_plain: allow_plain,
            wechat_window: TimeDelta::minutes(5),
            max_age: TimeDelta::hours(24),
        }
    }

    fn now() -> DateTime<Utc> {
        "2026-11-20T08:00:00Z".parse().unwrap()
    }

    fn stamp(mode: WechatMode, at: DateTime<Utc>, nonce: &str) -> WechatStamp {
        WechatStamp {
            mode,
            timestamp: at.timestamp().to_string(),
            nonce: nonce.into(),
        }
    }

    #[test]
    fn plain_mode_is_refused_unless_allowed() {
        let strict = Freshness::new(policy(false));
        let plain = stamp(WechatMode::Plain, now(), "n1");
        assert_eq!(
            strict.check_wechat(&plain, b"{}", now()),
            Err(StaleError::PlainModeOff)
        );
        let safe = stamp(WechatMode::Safe, now(), "n1");
        assert_eq!(strict.check_wechat(&safe, b"{}", now()), Ok(()));
        let lenient = Freshness::new(policy(true));
        assert_eq!(lenient.check_wechat(&plain, b"{}", now()), Ok(()));
    }

    #[test]
    fn timestamps_outside_the_window_are_refused_in_both_modes() {
        let f = Freshness::new(policy(true));
        for mode in [WechatMode::Safe, WechatMode::Plain] {
            for (offset, ok) in [(-301, false), (-300, true), (299, true), (301, false)] {
                let at = now() + TimeDelta::seconds(offset);
                let result =
                    f.check_wechat(&stamp(mode, at, &format!("{mode:?}{offset}")), b"{}", now());
                assert_eq!(result.is_ok(), ok, "{mode:?} {offset}: {result:?}");
            }
            let mut old = stamp(mode, now(), "x");
            old.timestamp = "1".into();
            assert!(matches!(
                f.check_wechat(&old, b"{}", now()),
                Err(StaleError::OutsideWindow { .. })
            ));
            old.timestamp = "soon".into();
            assert_eq!(
                f.check_wechat(&old, b"{}", now()),
                Err(StaleError::BadTimestamp)
            );
        }
    }

    #[test]
    fn a_plain_mode_nonce_is_good_for_one_body() {
        let f = Freshness::new(policy(true));
        let s = stamp(WechatMode::Plain, now(), "n-1");
        assert_eq!(f.check_wechat(&s, b"pay", now()), Ok(()));
        // The same delivery again (a retry) goes on, to be a duplicate.
        assert_eq!(f.check_wechat(&s, b"pay", now()), Ok(()));
        // The captured query with another body is refused.
        assert_eq!(
            f.check_wechat(&s, b"cancel", now()),
            Err(StaleError::NonceReused)
        );
        // Safe mode keeps no nonces: its body is signed.
        let safe = stamp(WechatMode::Safe, now(), "n-2");
        f.check_wechat(&safe, b"a", now()).unwrap();
        f.check_wechat(&safe, b"b", now()).unwrap();
        assert_eq!(f.remembered(), 1);
    }

    #[test]
    fn nonces_are_forgotten_once_their_timestamp_leaves_the_window() {
        let f = Freshness::new(policy(true));
        let s = stamp(WechatMode::Plain, now(), "n-1");
        f.check_wechat(&s, b"pay", now()).unwrap();
        let later = now() + TimeDelta::minutes(10);
        // The old query is outside the window now anyway …
        assert!(f.check_wechat(&s, b"cancel", later).is_err());
        // … and its nonce may come again with a new timestamp.
        let again = stamp(WechatMode::Plain, later, "n-1");
        assert_eq!(f.check_wechat(&again, b"cancel", later), Ok(()));
    }

    #[test]
    fn deliveries_older_than_the_maximum_age_are_refused() {
        let f = Freshness::new(policy(false));
        let fresh = now() - TimeDelta::hours(23);
        let y2001: DateTime<Utc> = "2001-09-09T01:46:40Z".parse().unwrap();
        assert_eq!(f.check_age(&[("updated_at", fresh)], now()), Ok(()));
        assert_eq!(f.check_age(&[], now()), Ok(()));
        let err = f
            .check_age(
                &[
                    ("updated_at", fresh),
                    ("X-Shopify-Triggered-At header", y2001),
                ],
                now(),
            )
            .unwrap_err();
        assert_eq!(
            err.to_string(),
            "the delivery is too old: X-Shopify-Triggered-At header 2001-09-09T01:46:40+00:00 is more than 24 h ago"
        );
        let unbounded = Freshness::new(FreshnessPolicy {
            max_age: TimeDelta::MAX,
            ..policy(false)
        });
        assert_eq!(unbounded.check_age(&[("updated_at", y2001)], now()), Ok(()));
    }
}
