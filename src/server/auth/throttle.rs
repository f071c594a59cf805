//! Sign-in throttling: failed attempts are counted per account and per network
//! address over a sliding window; past the limit, attempts are refused with the
//! time until the oldest failure leaves the window.

use std::collections::{HashMap, VecDeque};
use std::sync::Mutex;
use std::time::{Duration, Instant};

/// Limits on failed sign-ins.
#[derive(Debug, Clone, Copy)]
pub struct Limits {
    pub window: Duration,
    pub per_account: usize,
    pub per_address: usize,
}

/// Most keys remembered; older entries are dropped first when exceeded.
const MAX_KEYS: usize = 100_000;

#[derive(Debug, Clone, PartialEq, Eq, Hash)]
enum Key {
    Account(String),
    Address(String),
}

/// Counts failures; thread-safe.
pub struct Throttle {
    limits: Limits,
    failures: Mutex<HashMap<Key, VecDeque<Instant>>>,
}

impl Throttle {
    pub fn new(limits: Limits) -> Self {
        Throttle {
            limits,
            failures: Mutex::new(HashMap::new()),
        }
    }

    /// `Err(wait)` when either the account or the address is over its limit.
    pub fn check(&self, account: &str, address: &str, now: Instant) -> Result<(), Duration> {
        let mut map = self.failures.lock().unwrap_or_else(|e| e.into_inner());
        let checks = [
            (Key::Account(account.to_string()), self.limits.per_account),
            (Key::Address(address.to_string()), self.limits.per_address),
        ];
        let mut wait = Duration::ZERO;
        for (key, limit) in checks {
            if let Some(times) = map.get_mut(&key) {
                prune(times, now, self.limits.window);
                if times.len() >= limit {
                    let oldest = times[times.len() - limit];
                    wait = wait.max(self.limits.window.saturating_sub(now - oldest));
                }
            }
        }
        if wait.is_zero() {
            Ok(())
        } else {
            Err(wait.max(Duration::from_secs(1)))
        }
    }

    /// Records a failed attempt.
    pub fn fail(&self, account: &str, address: &str, now: Instant) {
        let mut map = self.failures.lock().unwrap_or_else(|e| e.into_inner());
        if map.len() >= MAX_KEYS {
            let window = self.limits.window;
            map.retain(|_, times| {
                prune(times, now, window);
                !times.is_empty()
            });
        }
        for key in [
            Key::Account(account.to_string()),
            Key::Address(address.to_string()),
        ] {
            map.entry(key).or_default().push_back(now);
        }
    }

    /// A successful sign-in clears the account's failures (not the address's).
    pub fn succeed(&self, account: &str) {
        let mut map = self.failures.lock().unwrap_or_else(|e| e.into_inner());
        map.remove(&Key::Account(account.to_string()));
    }
}

fn prune(times: &mut VecDeque<Instant>, now: Instant, window: Duration) {
    while times
        .front()
        .is_some_and(|t| now.duration_since(*t) >= window)
    {
        times.pop_front();
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn throttle() -> Throttle {
        Throttle::new(Limits {
            window: Duration::from_secs(60),
            per_account: 3,
            per_address: 5,
        })
    }

    #[test]
    fn an_account_is_held_after_its_limit_and_released_after_the_window() {
        let t = throttle();
        let start = Instant::now();
        for i in 0..3 {
            assert!(t.check("lina", "10.0.0.1", start).is_ok());
            t.fail("lina", "10.0.0.1", start + Duration::from_secs(i));
        }
        let wait = t
            .check("lina", "10.0.0.2", start + Duration::from_secs(10))
            .unwrap_err();
        assert_eq!(wait, Duration::from_secs(50));
        assert!(t
            .check("other", "10.0.0.9", start + Duration::from_secs(10))
            .is_ok());
        assert!(t
            .check("lina", "10.0.0.2", start + Duration::from_secs(61))
            .is_ok());
    }

    #[test]
    fn an_address_is_held_across_accounts() {
        let t = throttle();
        let now = Instant::now();
        for i in 0..5 {
            t.fail(&format!("user{i}"), "10.0.0.1", now);
        }
        assert!(t.check("fresh", "10.0.0.1", now).is_err());
        assert!(t.check("fresh", "10.0.0.2", now).is_ok());
    }

    #[test]
    fn success_clears_the_account_count() {
        let t = throttle();
        let now = Instant::now();
        t.fail("lina", "a", now);
        t.fail("lina", "a", now);
        t.succeed("lina");
        t.fail("lina", "a", now);
        assert!(t.check("lina", "b", now).is_ok());
    }
}
