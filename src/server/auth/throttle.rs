//! Sign-in throttling. An attempt is counted *before* its password is checked
//! (a slot is reserved atomically; a success gives it back), so attempts in
//! flight cannot slip past the limits. Three counts over a sliding window:
//!
//! - per account *and* address: a hard limit; past it that pair is refused
//!   until the oldest attempt leaves the window;
//! - per address, across accounts: a hard limit, for spraying many accounts;
//! - per account, from anywhere: a soft limit; past it each further attempt
//!   on the account waits a growing delay (capped) before it is checked, so a
//!   guesser slows themselves while the owner, from their own address, still
//!   gets in.
//!
//! Time is passed in (`now`, read from the policy's clock), so tests drive it.

use crate::server::clock::between;
use chrono::{DateTime, Utc};
use std::collections::{HashMap, VecDeque};
use std::sync::Mutex;
use std::time::Duration;

/// When an attempt was made.
type At = DateTime<Utc>;

/// Limits on sign-in attempts.
#[derive(Debug, Clone, Copy)]
pub struct Limits {
    pub window: Duration,
    /// Failed attempts for one account from one address before that pair is held.
    pub per_account_address: usize,
    /// Failed attempts from one address (any accounts) before it is held.
    pub per_address: usize,
    /// Failed attempts for one account (any addresses) before further attempts
    /// on it are slowed.
    pub slow_after: usize,
    /// The longest an attempt is slowed.
    pub max_delay: Duration,
}

/// The first delay past the soft limit; each further failure doubles it.
const FIRST_DELAY: Duration = Duration::from_millis(500);

/// Most keys remembered; past it, keys with nothing left in the window are
/// dropped.
const MAX_KEYS: usize = 100_000;

#[derive(Debug, Clone, PartialEq, Eq, Hash)]
enum Key {
    Pair { account: String, address: String },
    Address(String),
    Account(String),
}

/// Which hard limit held an attempt.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum HeldBy {
    /// This account from this address.
    AccountAddress,
    /// This address, across accounts.
    Address,
}

/// A refused attempt: which limit, and how long until it lifts.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Held {
    pub by: HeldBy,
    pub wait: Duration,
}

/// A reserved attempt: counted as a failure unless [`Throttle::succeeded`]
/// gives it back.
#[derive(Debug)]
#[must_use = "a reservation is a failure unless given back on success"]
pub struct Attempt {
    account: String,
    address: String,
    at: At,
}

/// An admitted attempt and how long to wait before checking its password.
#[derive(Debug)]
pub struct Admitted {
    pub attempt: Attempt,
    pub delay: Duration,
}

/// Counts attempts; thread-safe.
pub struct Throttle {
    limits: Limits,
    attempts: Mutex<HashMap<Key, VecDeque<At>>>,
}

impl Throttle {
    pub fn new(limits: Limits) -> Self {
        Throttle {
            limits,
            attempts: Mutex::new(HashMap::new()),
        }
    }

    /// Admits an attempt (reserving its slot in every count) or refuses it.
    /// Checking and counting happen under one lock: concurrent attempts are
    /// admitted at most up to the limits.
    pub fn admit(&self, account: &str, address: &str, now: At) -> Result<Admitted, Held> {
        let window = self.limits.window;
        let mut map = self.attempts.lock().unwrap_or_else(|e| e.into_inner());
        if map.len() >= MAX_KEYS {
            map.retain(|_, times| {
                prune(times, now, window);
                !times.is_empty()
            });
        }
        let pair = Key::Pair {
            account: account.to_string(),
            address: address.to_string(),
        };
        let by_address = Key::Address(address.to_string());
        let by_account = Key::Account(account.to_string());
        let mut held: Option<Held> = None;
        for (key, limit, by) in [
            (
                &pair,
                self.limits.per_account_address,
                HeldBy::AccountAddress,
            ),
            (&by_address, self.limits.per_address, HeldBy::Address),
        ] {
            if let Some(wait) = map
                .get_mut(key)
                .and_then(|times| hold(times, now, window, limit))
            {
                if held.is_none_or(|h| wait > h.wait) {
                    held = Some(Held { by, wait });
                }
            }
        }
        if let Some(held) = held {
            return Err(held);
        }
        let account_failures = map.get_mut(&by_account).map_or(0, |times| {
            prune(times, now, window);
            times.len()
        });
        for key in [pair, by_address, by_account] {
            map.entry(key).or_default().push_back(now);
        }
        Ok(Admitted {
            attempt: Attempt {
                account: account.to_string(),
                address: address.to_string(),
                at: now,
            },
            delay: self.delay_after(account_failures),
        })
    }

    /// How long an attempt waits when the account already has `failures`.
    fn delay_after(&self, failures: usize) -> Duration {
        let Some(over) = failures.checked_sub(self.limits.slow_after) else {
            return Duration::ZERO;
        };
        let factor = 1u32 << over.min(16);
        FIRST_DELAY
            .saturating_mul(factor)
            .min(self.limits.max_delay)
    }

    /// A successful sign-in: the account's counts (from this address and
    /// from anywhere) are cleared, and the address gets its slot back.
    pub fn succeeded(&self, attempt: Attempt) {
        let mut map = self.attempts.lock().unwrap_or_else(|e| e.into_inner());
        map.remove(&Key::Pair {
            account: attempt.account.clone(),
            address: attempt.address.clone(),
        });
        map.remove(&Key::Account(attempt.account));
        let key = Key::Address(attempt.address);
        if let Some(times) = map.get_mut(&key) {
            if let Some(i) = times.iter().position(|t| *t == attempt.at) {
                times.remove(i);
            }
            if times.is_empty() {
                map.remove(&key);
            }
        }
    }
}

/// `Some(wait)` when `times` (pruned to the window) is at `limit`.
fn hold(times: &mut VecDeque<At>, now: At, window: Duration, limit: usize) -> Option<Duration> {
    prune(times, now, window);
    if times.len() < limit {
        return None;
    }
    // The attempt is let in once enough of the oldest have left the window.
    let oldest = times[times.len() - limit.max(1)];
    Some(
        window
            .saturating_sub(between(oldest, now))
            .max(Duration::from_secs(1)),
    )
}

fn prune(times: &mut VecDeque<At>, now: At, window: Duration) {
    while times.front().is_some_and(|t| between(*t, now) >= window) {
        times.pop_front();
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn start() -> At {
        "2026-11-30T08:00:00Z".parse().unwrap()
    }

    fn secs(n: i64) -> chrono::Duration {
        chrono::Duration::seconds(n)
    }

    fn throttle() -> Throttle {
        Throttle::new(Limits {
            window: Duration::from_secs(60),
            per_account_address: 3,
            per_address: 5,
            slow_after: 4,
            max_delay: Duration::from_secs(3),
        })
    }

    fn fail(t: &Throttle, account: &str, address: &str, now: At) {
        let admitted = t.admit(account, address, now).expect("admitted");
        drop(admitted.attempt);
    }

    #[test]
    fn an_account_from_one_address_is_held_after_its_limit_and_released_after_the_window() {
        let t = throttle();
        let start = start();
        for i in 0..3 {
            fail(&t, "lina", "10.0.0.1", start + secs(i));
        }
        let held = t.admit("lina", "10.0.0.1", start + secs(10)).unwrap_err();
        assert_eq!(held.by, HeldBy::AccountAddress);
        assert_eq!(held.wait, Duration::from_secs(50));
        assert!(t.admit("other", "10.0.0.9", start + secs(10)).is_ok());
        assert!(t.admit("lina", "10.0.0.1", start + secs(61)).is_ok());
    }

    #[test]
    fn attempts_in_flight_count_before_any_password_is_checked() {
        let t = throttle();
        let now = start();
        // Nothing has failed yet: the reservations alone fill the pair's limit.
        let in_flight: Vec<_> = (0..3)
            .map(|_| t.admit("lina", "10.0.0.1", now).expect("admitted"))
            .collect();
        assert!(t.admit("lina", "10.0.0.1", now).is_err());
        assert_eq!(in_flight.len(), 3);
    }

    #[test]
    fn a_guesser_elsewhere_does_not_lock_the_owner_out() {
        let t = throttle();
        let now = start();
        // Two addresses exhaust their own pairs on lina's account.
        for address in ["10.0.0.1", "10.0.0.2"] {
            for _ in 0..3 {
                fail(&t, "lina", address, now);
            }
            assert!(t.admit("lina", address, now).is_err());
        }
        // The owner's own address is admitted, slowed but within the cap.
        let owner = t.admit("lina", "192.168.1.7", now).expect("not held");
        assert!(owner.delay > Duration::ZERO);
        assert!(owner.delay <= Duration::from_secs(3));
        t.succeeded(owner.attempt);
        // Success clears the account-wide count: the next sign-in is not slowed.
        let next = t.admit("lina", "192.168.1.7", now).expect("not held");
        assert_eq!(next.delay, Duration::ZERO);
    }

    #[test]
    fn the_account_wide_delay_grows_and_is_capped() {
        let t = throttle();
        let now = start();
        let mut delays = Vec::new();
        for i in 0..9 {
            // A fresh address each time: only the account-wide count grows.
            let admitted = t
                .admit("lina", &format!("10.0.1.{i}"), now)
                .expect("never held");
            delays.push(admitted.delay.as_millis());
        }
        assert_eq!(delays, [0, 0, 0, 0, 500, 1000, 2000, 3000, 3000]);
        // The window forgets old failures.
        let later = t.admit("lina", "10.0.2.1", now + secs(60)).unwrap();
        assert_eq!(later.delay, Duration::ZERO);
    }

    #[test]
    fn an_address_is_held_across_accounts() {
        let t = throttle();
        let now = start();
        for i in 0..5 {
            fail(&t, &format!("user{i}"), "10.0.0.1", now);
        }
        let held = t.admit("fresh", "10.0.0.1", now).unwrap_err();
        assert_eq!(held.by, HeldBy::Address);
        assert!(t.admit("fresh", "10.0.0.2", now).is_ok());
    }

    #[test]
    fn success_gives_the_slot_back() {
        let t = throttle();
        let now = start();
        fail(&t, "lina", "a", now);
        fail(&t, "lina", "a", now);
        let ok = t.admit("lina", "a", now).unwrap();
        t.succeeded(ok.attempt);
        // The pair and the account are clear; the address keeps its two failures.
        for _ in 0..3 {
            fail(&t, "lina", "a", now);
        }
        assert_eq!(
            t.admit("other", "a", now).unwrap_err().by,
            HeldBy::Address,
            "2 + 3 failures reach the address limit of 5"
        );
    }
}
