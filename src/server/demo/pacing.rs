//! The pace of demo traffic: new orders arrive as a Poisson stream at the
//! configured rate, and each order's steps are sent when they fall due.

use super::feed::Feed;
use super::script::{next_script, Step};
use super::wire::OrderWire;
use crate::model::{EventKind, OrderId, Source};
use chrono::Utc;
use futures::stream::{FuturesUnordered, StreamExt};
use rand::rngs::StdRng;
use rand::{Rng, SeedableRng};
use std::collections::{HashMap, VecDeque};
use std::time::Duration;
use tokio::time::Instant;

/// How much traffic, from which seed.
#[derive(Debug, Clone, Copy)]
pub struct Settings {
    pub orders_per_second: f64,
    pub seed: u64,
    /// Only a sales peak's steps: each order's steps up to its first from a
    /// warehouse (see [`peak_steps`]).
    pub peak: bool,
}

/// An order in flight: its remaining steps, when the next is due, and what the
/// wire remembers of it (taken while one of its steps is being sent).
struct Flight {
    order_id: OrderId,
    steps: VecDeque<Step>,
    due: Instant,
    wire: Option<OrderWire>,
    /// A step of it is being sent: the next waits for its answer, so an
    /// order's steps arrive in order.
    sending: bool,
}

/// The steps of an order at a sales peak: up to its first warehouse step,
/// which in real life comes hours later (and every step after it).
fn peak_steps(mut steps: Vec<Step>) -> Vec<Step> {
    if let Some(first) = steps
        .iter()
        .position(|s| matches!(s.source, Source::Warehouse(_)))
    {
        steps.truncate(first);
    }
    steps
}

/// Sends one step, handing back which flight it was and its wire.
async fn send(
    feed: &Feed,
    key: u64,
    order_id: OrderId,
    mut wire: Option<OrderWire>,
    step: Step,
) -> (u64, Option<OrderWire>) {
    let at = Utc::now() - step.backdate;
    feed.send(&order_id, wire.as_mut(), step.dated(at), at)
        .await;
    (key, wire)
}

/// Runs the simulator until the task is aborted, sending every step to `feed`.
/// New orders keep their pace however long the sends take: steps are sent
/// without waiting for earlier ones, except an order's own previous step.
pub async fn run(feed: Feed, settings: Settings) {
    let mut rng = StdRng::seed_from_u64(settings.seed);
    let rate = settings.orders_per_second.clamp(0.01, 5000.0);
    let mut flights: HashMap<u64, Flight> = HashMap::new();
    let mut serial = 0u64;
    let mut sending = FuturesUnordered::new();
    let mut next_order = Instant::now();
    let mut tick = tokio::time::interval(Duration::from_millis(100));
    tick.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Skip);
    loop {
        tokio::select! {
            _ = tick.tick() => {}
            Some((key, wire)) = sending.next(), if !sending.is_empty() => {
                if let Some(flight) = flights.get_mut(&key) {
                    flight.wire = wire;
                    flight.sending = false;
                    if flight.steps.is_empty() {
                        flights.remove(&key);
                    }
                }
                continue;
            }
        }
        let now = Instant::now();
        while next_order <= now {
            let script = next_script(&mut rng, Utc::now());
            let wire = feed.wire_for(&script);
            let steps = if settings.peak {
                peak_steps(script.steps)
            } else {
                script.steps
            };
            serial += 1;
            flights.insert(
                serial,
                Flight {
                    wire,
                    order_id: script.order_id,
                    steps: steps.into(),
                    due: now,
                    sending: false,
                },
            );
            // Exponential gaps: a Poisson stream of orders at `rate`.
            let gap = -(1.0 - rng.random::<f64>()).ln() / rate;
            next_order += Duration::from_secs_f64(gap.min(60.0));
        }
        // The steps due now, one per order in flight, sent at once (as
        // many systems would): the store commits them together.
        for (&key, flight) in flights.iter_mut() {
            if flight.sending || flight.due > now {
                continue;
            }
            let Some(step) = flight.steps.pop_front() else {
                continue;
            };
            if let Some(next) = flight.steps.front() {
                flight.due = now + next.delay;
            }
            // Live orders are allocated by the control room's router, in
            // the open; the script's own allocation (kept for history) is
            // not sent.
            if matches!(step.kind, EventKind::WarehouseAllocated { .. }) {
                continue;
            }
            flight.sending = true;
            let (order_id, wire) = (flight.order_id.clone(), flight.wire.take());
            sending.push(send(&feed, key, order_id, wire, step));
        }
        flights.retain(|_, f| f.sending || !f.steps.is_empty());
    }
}
