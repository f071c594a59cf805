//! Deliveries answered without a durable row each (refusals, duplicates; see
//! [`crate::model::refusal`]): counted in memory per integration and reason,
//! minute by minute for the last hour, and sampled, at most
//! `listed_per_minute` per integration per minute, for the delivery log.
//! 5,000 unsigned posts cost 5,000 increments and a handful of rows, not
//! 5,000 turns of the single writer.
//!
//! Memory is bounded: integrations are named by `&'static str` (the seven, the
//! timeline API, and one name for all unknown ones), reasons are an enum, and
//! each count keeps sixty minutes.

use crate::model::ingest::delivery_refusal::{RefusalCount, RefusalReason};
use chrono::{DateTime, Utc};
use std::collections::HashMap;
use std::sync::Mutex;

const MINUTES: usize = 60;

#[derive(Debug, Clone, Copy, Default)]
struct Minute {
    /// Minutes since 1970 this slot counts.
    minute: i64,
    seen: u64,
    listed: u64,
}

#[derive(Debug, Clone)]
struct Counter {
    since_start: u64,
    minutes: [Minute; MINUTES],
}

impl Default for Counter {
    fn default() -> Self {
        Counter {
            since_start: 0,
            minutes: [Minute::default(); MINUTES],
        }
    }
}

#[derive(Default)]
struct Tally {
    counts: HashMap<(&'static str, RefusalReason), Counter>,
    /// Per integration: the minute and how many were listed in it.
    listed: HashMap<&'static str, (i64, u32)>,
}

/// The counts and the sampler.
pub struct Refusals {
    listed_per_minute: u32,
    tally: Mutex<Tally>,
}

fn minute_of(at: DateTime<Utc>) -> i64 {
    at.timestamp().div_euclid(60)
}

impl Refusals {
    pub fn new(listed_per_minute: u32) -> Refusals {
        Refusals {
            listed_per_minute,
            tally: Mutex::new(Tally::default()),
        }
    }

    /// Counts one delivery of `integration` answered for `reason` at `now`;
    /// true when it is one of the sample to list in the delivery log.
    pub fn count(
        &self,
        integration: &'static str,
        reason: RefusalReason,
        now: DateTime<Utc>,
    ) -> bool {
        let minute = minute_of(now);
        let mut tally = self.tally.lock().unwrap_or_else(|e| e.into_inner());
        let sampled = tally.listed.entry(integration).or_insert((minute, 0));
        if sampled.0 != minute {
            *sampled = (minute, 0);
        }
        let listed = sampled.1 < self.listed_per_minute;
        if listed {
            sampled.1 += 1;
        }
        let counter = tally.counts.entry((integration, reason)).or_default();
        counter.since_start += 1;
        let slot = &mut counter.minutes[minute.rem_euclid(MINUTES as i64) as usize];
        if slot.minute != minute {
            *slot = Minute {
                minute,
                seen: 0,
                listed: 0,
            };
        }
        slot.seen += 1;
        slot.listed += u64::from(listed);
        listed
    }

    /// Every count at `now`, by integration and reason.
    pub fn counts(&self, now: DateTime<Utc>) -> Vec<RefusalCount> {
        let current = minute_of(now);
        let recent = |m: &&Minute| m.minute > current - MINUTES as i64 && m.minute <= current;
        let tally = self.tally.lock().unwrap_or_else(|e| e.into_inner());
        let mut out: Vec<RefusalCount> = tally
            .counts
            .iter()
            .map(|((integration, reason), counter)| RefusalCount {
                integration: integration.to_string(),
                reason: *reason,
                last_hour: counter.minutes.iter().filter(recent).map(|m| m.seen).sum(),
                listed_last_hour: counter
                    .minutes
                    .iter()
                    .filter(recent)
                    .map(|m| m.listed)
                    .sum(),
                since_start: counter.since_start,
            })
            .collect();
        out.sort_by(|a, b| (&a.integration, a.reason).cmp(&(&b.integration, b.reason)));
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeDelta;

    fn at(minutes: i64, seconds: i64) -> DateTime<Utc> {
        let start: DateTime<Utc> = "2026-11-20T08:00:00Z".parse().unwrap();
        start + TimeDelta::minutes(minutes) + TimeDelta::seconds(seconds)
    }

    #[test]
    fn only_a_sample_per_integration_and_minute_is_listed() {
        let r = Refusals::new(3);
        let listed: Vec<bool> = (0..5)
            .map(|i| r.count("shopify", RefusalReason::Unauthenticated, at(0, i)))
            .collect();
        assert_eq!(listed, [true, true, true, false, false]);
        // The sample is per integration, whatever the reason.
        assert!(!r.count("shopify", RefusalReason::Malformed, at(0, 30)));
        assert!(r.count("wms", RefusalReason::Malformed, at(0, 30)));
        // A new minute, a new sample.
        assert!(r.count("shopify", RefusalReason::Unauthenticated, at(1, 0)));
    }

    #[test]
    fn counts_cover_the_last_hour_and_everything_since_start() {
        let r = Refusals::new(1);
        for i in 0..4 {
            r.count("shopify", RefusalReason::Unauthenticated, at(0, i));
        }
        r.count("shopify", RefusalReason::Unauthenticated, at(30, 0));
        r.count("unknown", RefusalReason::UnknownIntegration, at(30, 0));
        let now = r.counts(at(30, 1));
        assert_eq!(now.len(), 2);
        let shopify = &now[0];
        assert_eq!(
            (shopify.integration.as_str(), shopify.reason),
            ("shopify", RefusalReason::Unauthenticated)
        );
        assert_eq!(
            (
                shopify.last_hour,
                shopify.listed_last_hour,
                shopify.since_start
            ),
            (5, 2, 5)
        );
        // An hour on, the first minute has left the window.
        let later = r.counts(at(60, 30));
        assert_eq!((later[0].last_hour, later[0].since_start), (1, 5));
        let much_later = r.counts(at(600, 0));
        assert_eq!((much_later[0].last_hour, much_later[0].since_start), (0, 5));
    }
}
