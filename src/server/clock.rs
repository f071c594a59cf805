//! The time that expiry and throttling rules read: session idle and absolute
//! expiry, sign-in throttle windows and delays, tracking link expiry and the
//! age and timestamp windows of webhook deliveries.
//!
//! Production runs on the [`Clock::System`] clock. Tests hand the server a
//! [`ManualClock`] (through `ServeArgs::clock`) and move it forward
//! themselves, so an expiry is reached by advancing the clock, not by
//! waiting. Connection deadlines (reading a request head, keep-alive) are
//! I/O timeouts and stay on tokio's timer.

use chrono::{DateTime, Utc};
use std::sync::Arc;
use std::time::Duration;
use tokio::sync::watch;

/// Where rules take the time from.
#[derive(Debug, Clone, Default)]
pub enum Clock {
    /// The system's clock; sleeps are tokio timers.
    #[default]
    System,
    /// A clock that moves only when told to (tests).
    Manual(ManualClock),
}

impl Clock {
    /// The current time.
    pub fn now(&self) -> DateTime<Utc> {
        match self {
            Clock::System => Utc::now(),
            Clock::Manual(manual) => manual.now(),
        }
    }

    /// Resolves once the clock reads `at` or later.
    pub async fn sleep_until(&self, at: DateTime<Utc>) {
        match self {
            Clock::System => loop {
                // Re-checked after waking: the system clock may have been set.
                let left = (at - Utc::now()).to_std().unwrap_or_default();
                if left.is_zero() {
                    return;
                }
                tokio::time::sleep(left).await;
            },
            Clock::Manual(manual) => manual.sleep_until(at).await,
        }
    }

    /// Resolves once `span` has passed on this clock.
    pub async fn sleep(&self, span: Duration) {
        if span.is_zero() {
            return;
        }
        match self.now().checked_add_signed(to_chrono(span)) {
            Some(at) => self.sleep_until(at).await,
            // Beyond the calendar: never.
            None => std::future::pending().await,
        }
    }
}

/// A clock that moves only when advanced; clones share one time.
#[derive(Debug, Clone)]
pub struct ManualClock {
    now: Arc<watch::Sender<DateTime<Utc>>>,
    sleeps: Arc<watch::Sender<Sleeps>>,
}

/// The sleeps on a manual clock.
#[derive(Debug, Clone, Copy, Default)]
struct Sleeps {
    /// Waiting now.
    waiting: usize,
    /// Begun since the clock was made (finished or not).
    begun: u64,
}

impl ManualClock {
    /// A clock reading `at`.
    pub fn starting_at(at: DateTime<Utc>) -> Self {
        ManualClock {
            now: Arc::new(watch::channel(at).0),
            sleeps: Arc::new(watch::channel(Sleeps::default()).0),
        }
    }

    /// A clock reading the system's time now (so times it stamps sit among
    /// those stamped by code that reads the system clock).
    pub fn starting_now() -> Self {
        Self::starting_at(Utc::now())
    }

    pub fn now(&self) -> DateTime<Utc> {
        *self.now.borrow()
    }

    /// Moves the clock forward by `span`, waking the sleeps it reaches.
    pub fn advance(&self, span: Duration) {
        self.now.send_modify(|now| *now += to_chrono(span));
    }

    /// How many sleeps are waiting on this clock now.
    pub fn sleeping(&self) -> usize {
        self.sleeps.borrow().waiting
    }

    /// How many sleeps have begun on this clock since it was made.
    pub fn sleeps_begun(&self) -> u64 {
        self.sleeps.borrow().begun
    }

    /// Resolves once at least `count` sleeps are waiting on this clock (so a
    /// test knows the code it drives has reached its wait).
    pub async fn until_sleeping(&self, count: usize) {
        let mut sleeps = self.sleeps.subscribe();
        // The sender lives as long as `self`: waiting cannot fail.
        let _ = sleeps.wait_for(|s| s.waiting >= count).await;
    }

    /// Resolves once `count` sleeps have begun since the clock was made (so
    /// a test knows the code it woke has come round to its next wait).
    pub async fn until_begun(&self, count: u64) {
        let mut sleeps = self.sleeps.subscribe();
        let _ = sleeps.wait_for(|s| s.begun >= count).await;
    }

    async fn sleep_until(&self, at: DateTime<Utc>) {
        let mut now = self.now.subscribe();
        if *now.borrow_and_update() >= at {
            return;
        }
        let _counted = Sleeping::begin(self.sleeps.clone());
        // The sender lives as long as `self`: waiting cannot fail.
        let _ = now.wait_for(|now| *now >= at).await;
    }
}

/// Counts one sleep while it waits (also when the sleep is dropped early).
struct Sleeping(Arc<watch::Sender<Sleeps>>);

impl Sleeping {
    fn begin(sleeps: Arc<watch::Sender<Sleeps>>) -> Self {
        sleeps.send_modify(|s| {
            s.waiting += 1;
            s.begun += 1;
        });
        Sleeping(sleeps)
    }
}

impl Drop for Sleeping {
    fn drop(&mut self) {
        self.0.send_modify(|s| s.waiting -= 1);
    }
}

/// A std duration as a chrono one (saturating at chrono's largest).
pub fn to_chrono(span: Duration) -> chrono::Duration {
    chrono::Duration::from_std(span).unwrap_or(chrono::Duration::MAX)
}

/// How long from `earlier` to `later`; zero when `later` is not later.
pub fn between(earlier: DateTime<Utc>, later: DateTime<Utc>) -> Duration {
    (later - earlier).to_std().unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;
    use futures::FutureExt;

    #[tokio::test]
    async fn a_manual_sleep_ends_when_the_clock_is_advanced_to_it() {
        let clock = ManualClock::starting_now();
        let shared = Clock::Manual(clock.clone());
        let start = clock.now();
        let sleep = tokio::spawn({
            let shared = shared.clone();
            async move { shared.sleep(Duration::from_secs(60)).await }
        });
        clock.until_sleeping(1).await;
        clock.advance(Duration::from_secs(59));
        tokio::task::yield_now().await;
        assert!(!sleep.is_finished(), "one second short: still asleep");
        assert_eq!(clock.sleeping(), 1);
        clock.advance(Duration::from_secs(1));
        sleep.await.unwrap();
        assert_eq!((clock.sleeping(), clock.sleeps_begun()), (0, 1));
        assert_eq!(shared.now() - start, chrono::Duration::seconds(60));
    }

    #[test]
    fn a_sleep_to_a_time_already_passed_ends_at_once() {
        let clock = Clock::Manual(ManualClock::starting_now());
        let past = clock.now() - chrono::Duration::seconds(1);
        assert!(clock.sleep_until(past).now_or_never().is_some());
        assert!(clock.sleep(Duration::ZERO).now_or_never().is_some());
    }

    #[test]
    fn a_dropped_sleep_is_no_longer_counted() {
        let clock = ManualClock::starting_now();
        let shared = Clock::Manual(clock.clone());
        let mut sleep = Box::pin(shared.sleep(Duration::from_secs(5)));
        assert!(sleep.as_mut().now_or_never().is_none());
        assert_eq!(clock.sleeping(), 1);
        drop(sleep);
        assert_eq!(clock.sleeping(), 0);
    }

    #[test]
    fn spans_between_times_are_never_negative() {
        let now = Utc::now();
        let later = now + chrono::Duration::seconds(3);
        assert_eq!(between(now, later), Duration::from_secs(3));
        assert_eq!(between(later, now), Duration::ZERO);
        assert_eq!(to_chrono(Duration::MAX), chrono::Duration::MAX);
    }
}
