//! The hours throughput is counted in, and the China day "shipped today"
//! means. China keeps UTC+8 all year, so its hours are UTC hours and its
//! day starts at 16:00 UTC: an hour bucket is the number of whole hours since
//! the Unix epoch, the same for the store and the board.

use crate::model::order::channel::CHINA_TIME;
use chrono::{DateTime, Duration, NaiveTime, Utc};
use serde::{Deserialize, Serialize};

/// How many hours the board's throughput chart shows.
pub const HOURS_SHOWN: usize = 24;

/// One hour: whole hours since the Unix epoch (UTC).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub struct HourBucket(pub i64);

impl HourBucket {
    /// The hour `at` falls in.
    pub fn of(at: DateTime<Utc>) -> HourBucket {
        HourBucket(at.timestamp().div_euclid(3600))
    }

    /// When the hour begins.
    pub fn start(self) -> DateTime<Utc> {
        DateTime::from_timestamp(self.0.saturating_mul(3600), 0).unwrap_or_default()
    }

    /// The hour `n` hours later (earlier when negative).
    pub fn plus(self, n: i64) -> HourBucket {
        HourBucket(self.0 + n)
    }

    /// The [`HOURS_SHOWN`] hours up to and including the one `now` is in, oldest first.
    pub fn last_day(now: DateTime<Utc>) -> [HourBucket; HOURS_SHOWN] {
        let current = HourBucket::of(now);
        std::array::from_fn(|i| current.plus(i as i64 + 1 - HOURS_SHOWN as i64))
    }

    /// The first hour of the China day `now` is in.
    pub fn china_day_start(now: DateTime<Utc>) -> HourBucket {
        let local = now.with_timezone(&CHINA_TIME);
        let midnight = local.date_naive().and_time(NaiveTime::MIN);
        let start = midnight.and_utc() - Duration::seconds(CHINA_TIME.local_minus_utc().into());
        HourBucket::of(start)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(s: &str) -> DateTime<Utc> {
        DateTime::parse_from_rfc3339(s).unwrap().to_utc()
    }

    #[test]
    fn an_hour_is_whole_hours_since_the_epoch() {
        let t = at("2026-11-30T15:59:59Z");
        assert_eq!(HourBucket::of(t).start(), at("2026-11-30T15:00:00Z"));
        assert_eq!(HourBucket::of(at("1970-01-01T00:59:00Z")), HourBucket(0));
        assert_eq!(HourBucket::of(at("1969-12-31T23:30:00Z")), HourBucket(-1));
    }

    #[test]
    fn the_china_day_starts_at_sixteen_hundred_utc() {
        // 23:59 in Shanghai on the 30th: the day began at 16:00 UTC on the 29th.
        let late = at("2026-11-30T15:59:00Z");
        assert_eq!(
            HourBucket::china_day_start(late).start(),
            at("2026-11-29T16:00:00Z")
        );
        // 00:00 in Shanghai on 1 December: a new day.
        let midnight = at("2026-11-30T16:00:00Z");
        assert_eq!(HourBucket::china_day_start(midnight).start(), midnight);
    }

    #[test]
    fn the_last_day_is_twenty_four_hours_ending_now() {
        let now = at("2026-11-30T10:20:00Z");
        let hours = HourBucket::last_day(now);
        assert_eq!(hours.len(), 24);
        assert_eq!(hours[23], HourBucket::of(now));
        assert_eq!(hours[0].start(), at("2026-11-29T11:00:00Z"));
        assert!(hours.windows(2).all(|w| w[1] == w[0].plus(1)));
    }
}
