//! A merchant-sized past, written fast: `control-room demo-history --orders N
//! --days D` gives the store N demo orders placed evenly over the last D days,
//! each following its scripted fate with the script's delays stretched to a
//! real warehouse's and carrier's pace. Events still in the future are left
//! out, so the newest orders are in flight, as in a real store. Scripts whose
//! order id or channel order id is already taken are drawn again, so N new
//! orders are written (a second run adds to a store). Everything
//! goes through the store's own append path (the lifecycle, the projections),
//! in batches of whole orders.

use super::script::{next_script, Script};
use crate::model::{Channel, EventKind, OrderEvent, OrderId};
use crate::server::store::{OrderStore, StoreError};
use chrono::{DateTime, Utc};
use rand::rngs::StdRng;
use rand::SeedableRng;
use std::collections::HashSet;

/// What to write.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct HistorySettings {
    pub orders: u64,
    pub days: u32,
    pub seed: u64,
    /// The script's delays are made for a live demo (seconds); each is
    /// multiplied by this to read like a real order's life (the default,
    /// 600, turns 10 s between payment and allocation into 100 min).
    pub stretch: f64,
    /// Events per append (whole orders; an order is never split).
    pub batch: usize,
}

impl Default for HistorySettings {
    fn default() -> Self {
        HistorySettings {
            orders: 10_000,
            days: 90,
            seed: 2026,
            stretch: 600.0,
            batch: 2_000,
        }
    }
}

/// What was written.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Written {
    pub orders: u64,
    pub events: u64,
}

/// The events of one scripted order placed at `placed_at`, up to `now`.
fn events_of(
    script: Script,
    placed_at: DateTime<Utc>,
    stretch: f64,
    now: DateTime<Utc>,
) -> Vec<OrderEvent> {
    let mut at = placed_at;
    let mut events = Vec::with_capacity(script.steps.len());
    for step in script.steps {
        let delay =
            chrono::Duration::milliseconds((step.delay.as_secs_f64() * stretch * 1000.0) as i64);
        at += delay;
        if at > now {
            break;
        }
        let backdate = chrono::Duration::milliseconds(step.backdate.as_millis() as i64);
        let occurred_at = (at - backdate).max(placed_at);
        let step = step.dated(occurred_at);
        events.push(OrderEvent {
            order_id: script.order_id.clone(),
            occurred_at,
            source: step.source,
            actor: step.actor,
            kind: step.kind,
        });
    }
    events
}

/// The channel and the channel's order id the script's placement names.
fn channel_id(script: &Script) -> Option<(Channel, String)> {
    script.steps.first().and_then(|step| match &step.kind {
        EventKind::OrderPlaced {
            channel,
            channel_order_id,
            ..
        } => Some((*channel, channel_order_id.clone())),
        _ => None,
    })
}

/// Writes the history into `store`, calling `progress` after each batch.
pub async fn write_history(
    store: &dyn OrderStore,
    settings: HistorySettings,
    now: DateTime<Utc>,
    mut progress: impl FnMut(Written),
) -> Result<Written, StoreError> {
    let mut rng = StdRng::seed_from_u64(settings.seed);
    let span = chrono::Duration::days(settings.days.into());
    let start = now - span;
    let gap_ms = span.num_milliseconds() as f64 / settings.orders.max(1) as f64;
    let mut written = Written::default();
    let mut batch: Vec<OrderEvent> = Vec::with_capacity(settings.batch + 64);
    let mut seen = HashSet::<OrderId>::new();
    let mut seen_channel = HashSet::<(Channel, String)>::new();
    // Drawing stops at four scripts per order asked for, in case a store
    // already holds most of what this seed draws.
    let mut drawn = 0u64;
    while written.orders < settings.orders && drawn < settings.orders.saturating_mul(4) {
        drawn += 1;
        let placed_at =
            start + chrono::Duration::milliseconds((written.orders as f64 * gap_ms) as i64);
        let script = next_script(&mut rng, placed_at);
        // Ids can repeat (ours within a second, the channel's at random): a
        // repeat, or an order the store already has, is skipped rather than
        // refused as a second placement.
        let Some(channel_id) = channel_id(&script) else {
            continue;
        };
        if !seen.insert(script.order_id.clone())
            || !seen_channel.insert(channel_id.clone())
            || store.order(&script.order_id).await?.is_some()
            || store
                .order_for_channel(channel_id.0, &channel_id.1)
                .await?
                .is_some()
        {
            continue;
        }
        let events = events_of(script, placed_at, settings.stretch, now);
        written.orders += 1;
        written.events += events.len() as u64;
        batch.extend(events);
        if batch.len() >= settings.batch {
            store.append_fed(std::mem::take(&mut batch)).await?;
            progress(written);
        }
    }
    if !batch.is_empty() {
        store.append_fed(batch).await?;
        progress(written);
    }
    Ok(written)
}
