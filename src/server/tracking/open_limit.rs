//! How often one network address may open tracking links: at most
//! `per_minute` opens (page loads and live streams) a minute, as a burst or
//! spread out, kept in memory. It slows down anyone guessing tokens or
//! hammering one link; a customer reading their order never gets near it.
//!
//! The generic cell rate algorithm: each address has one instant, the time
//! its allowance is used up to ("theoretical arrival time"); each open moves
//! it one interval (a minute / `per_minute`) later, and an open that would
//! move it more than a minute ahead of now is refused with the time until it
//! would not. IPv6 addresses count by their /64 (one host's whole range).
//! Time is passed in (`now`, from the server's clock), so tests drive it.

use crate::server::clock::{between, to_chrono};
use chrono::{DateTime, Utc};
use std::collections::HashMap;
use std::net::IpAddr;
use std::sync::Mutex;
use std::time::Duration;

/// A moment on the server's clock.
type Instant = DateTime<Utc>;

/// The window the limit is given for.
const WINDOW: Duration = Duration::from_secs(60);
/// Addresses kept before the ones with their allowance back are dropped.
const PRUNE_AT: usize = 10_000;

/// Opens per address and minute.
pub struct OpenLimit {
    /// Time one open uses of the allowance; `None`: no limit.
    interval: Option<Duration>,
    /// How far ahead of now the allowance may be used (the burst).
    burst: Duration,
    used: Mutex<Allowances>,
}

/// When each address's allowance is used up to.
struct Allowances {
    until: HashMap<IpAddr, Instant>,
    /// Size at which addresses with their allowance back are dropped next
    /// (doubles when most are still in use, so dropping stays cheap).
    prune_at: usize,
}

impl OpenLimit {
    /// `per_minute` opens per address (0: no limit).
    pub fn new(per_minute: u32) -> OpenLimit {
        let interval = (per_minute > 0).then(|| WINDOW / per_minute);
        OpenLimit {
            interval,
            burst: interval.map_or(Duration::ZERO, |i| WINDOW.saturating_sub(i)),
            used: Mutex::new(Allowances {
                until: HashMap::new(),
                prune_at: PRUNE_AT,
            }),
        }
    }

    /// Admits one open from `address` at `now`, or says how long to wait.
    pub fn admit(&self, address: IpAddr, now: Instant) -> Result<(), Duration> {
        let Some(interval) = self.interval else {
            return Ok(());
        };
        let key = key(address);
        let mut used = self.used.lock().unwrap_or_else(|e| e.into_inner());
        let until = used.until.get(&key).copied().unwrap_or(now).max(now);
        let ahead = between(now, until);
        if ahead > self.burst {
            return Err(ahead - self.burst);
        }
        if used.until.len() >= used.prune_at {
            used.until.retain(|_, until| *until > now);
            used.prune_at = (used.until.len() * 2).max(PRUNE_AT);
        }
        used.until.insert(key, until + to_chrono(interval));
        Ok(())
    }
}

/// The address an allowance belongs to: IPv4 as it is, IPv6 by its /64.
fn key(address: IpAddr) -> IpAddr {
    match address {
        IpAddr::V4(v4) => IpAddr::V4(v4),
        IpAddr::V6(v6) => match v6.to_ipv4_mapped() {
            Some(v4) => IpAddr::V4(v4),
            None => IpAddr::V6((u128::from(v6) & !((1u128 << 64) - 1)).into()),
        },
    }
}

/// Whole seconds to put in `Retry-After` (at least 1).
pub fn retry_after_secs(wait: Duration) -> u64 {
    (wait.as_millis().div_ceil(1000) as u64).max(1)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn start() -> Instant {
        "2026-11-30T08:00:00Z".parse().unwrap()
    }

    fn ip(s: &str) -> IpAddr {
        s.parse().unwrap()
    }

    #[test]
    fn a_burst_up_to_the_limit_passes_then_one_per_interval() {
        let limit = OpenLimit::new(60);
        let t0 = start();
        for n in 0..60 {
            assert_eq!(limit.admit(ip("10.0.0.1"), t0), Ok(()), "open {n}");
        }
        assert_eq!(limit.admit(ip("10.0.0.1"), t0), Err(Duration::from_secs(1)));
        // Another address has its own allowance.
        assert_eq!(limit.admit(ip("10.0.0.2"), t0), Ok(()));
        // One interval later, one more.
        let t1 = t0 + to_chrono(Duration::from_secs(1));
        assert_eq!(limit.admit(ip("10.0.0.1"), t1), Ok(()));
        assert!(limit.admit(ip("10.0.0.1"), t1).is_err());
        // A minute later, the whole allowance is back.
        let t2 = t1 + to_chrono(WINDOW);
        for _ in 0..60 {
            assert_eq!(limit.admit(ip("10.0.0.1"), t2), Ok(()));
        }
    }

    #[test]
    fn ipv6_addresses_count_by_their_64() {
        let limit = OpenLimit::new(2);
        let t0 = start();
        assert!(limit.admit(ip("2001:db8::1"), t0).is_ok());
        assert!(limit.admit(ip("2001:db8::ffff:2"), t0).is_ok());
        assert!(limit.admit(ip("2001:db8::3"), t0).is_err());
        assert!(limit.admit(ip("2001:db8:0:1::1"), t0).is_ok());
        assert_eq!(key(ip("::ffff:10.0.0.1")), ip("10.0.0.1"));
    }

    #[test]
    fn addresses_with_their_allowance_back_are_forgotten() {
        let limit = OpenLimit::new(60);
        let t0 = start();
        for n in 0..PRUNE_AT as u32 {
            assert!(limit.admit(IpAddr::V4(n.into()), t0).is_ok());
        }
        // A minute later all have their allowance back: dropped on the next insert.
        assert!(limit.admit(ip("10.9.9.9"), t0 + to_chrono(WINDOW)).is_ok());
        let used = limit.used.lock().unwrap();
        assert_eq!(used.until.len(), 1);
        assert_eq!(used.prune_at, PRUNE_AT);
    }

    #[test]
    fn zero_means_no_limit() {
        let limit = OpenLimit::new(0);
        let t0 = start();
        for _ in 0..1000 {
            assert!(limit.admit(ip("10.0.0.1"), t0).is_ok());
        }
    }

    #[test]
    fn retry_after_rounds_up_to_whole_seconds() {
        assert_eq!(retry_after_secs(Duration::from_millis(1)), 1);
        assert_eq!(retry_after_secs(Duration::from_secs(1)), 1);
        assert_eq!(retry_after_secs(Duration::from_millis(1500)), 2);
        assert_eq!(retry_after_secs(Duration::ZERO), 1);
    }
}
