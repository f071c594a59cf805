//! The pace of demo traffic: new orders arrive as a Poisson stream at the
//! configured rate, and each order's steps are sent when they fall due.

use super::feed::Feed;
use super::script::{next_script, Step};
use super::wire::OrderWire;
use crate::model::{EventKind, OrderId};
use chrono::Utc;
use rand::rngs::StdRng;
use rand::{Rng, SeedableRng};
use std::collections::VecDeque;
use std::time::Duration;
use tokio::time::Instant;

/// How much traffic, from which seed.
#[derive(Debug, Clone, Copy)]
pub struct Settings {
    pub orders_per_second: f64,
    pub seed: u64,
}

/// An order in flight: its remaining steps, when the next is due, and what the
/// wire remembers of it.
struct Flight {
    order_id: OrderId,
    steps: VecDeque<Step>,
    due: Instant,
    wire: Option<OrderWire>,
}

/// Runs the simulator until the task is aborted, sending every step to `feed`.
pub async fn run(feed: Feed, settings: Settings) {
    let mut rng = StdRng::seed_from_u64(settings.seed);
    let rate = settings.orders_per_second.clamp(0.01, 5000.0);
    let mut flights: Vec<Flight> = Vec::new();
    let mut next_order = Instant::now();
    let mut tick = tokio::time::interval(Duration::from_millis(100));
    tick.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Skip);
    loop {
        tick.tick().await;
        let now = Instant::now();
        while next_order <= now {
            let script = next_script(&mut rng);
            flights.push(Flight {
                wire: feed.wire_for(&script),
                order_id: script.order_id,
                steps: script.steps.into(),
                due: now,
            });
            // Exponential gaps: a Poisson stream of orders at `rate`.
            let gap = -(1.0 - rng.random::<f64>()).ln() / rate;
            next_order += Duration::from_secs_f64(gap.min(60.0));
        }
        // The steps due now, one per order in flight, sent at once (as
        // many systems would): the store commits them together.
        let sends: Vec<_> = flights
            .iter_mut()
            .filter(|f| f.due <= now)
            .filter_map(|flight| {
                let step = flight.steps.pop_front()?;
                if let Some(next) = flight.steps.front() {
                    flight.due = now + next.delay;
                }
                // Live orders are allocated by the control room's router, in
                // the open; the script's own allocation (kept for history) is
                // not sent.
                if matches!(step.kind, EventKind::WarehouseAllocated { .. }) {
                    return None;
                }
                let at = Utc::now() - step.backdate;
                Some(feed.send(&flight.order_id, flight.wire.as_mut(), step.dated(at), at))
            })
            .collect();
        futures::future::join_all(sends).await;
        flights.retain(|f| !f.steps.is_empty());
    }
}
