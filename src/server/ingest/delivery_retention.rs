//! How long the delivery log keeps its rows (`--delivery-log-retention-days`):
//! once an hour, rows older than that are pruned in small batches on the
//! integrations' own connection, each batch its own short transaction with a
//! pause after it, so the log's writer never waits long.
//!
//! Refused, duplicate and replayed rows are deleted. Accepted rows lose their
//! body and headers but keep their dedupe key, so a captured delivery replayed
//! after the retention is still a duplicate (for Shopify, also too old).
//! Pending rows are kept until their order or waybill arrives.

use super::integrations::Integrations;
use crate::server::store::StoreError;
use chrono::{DateTime, Utc};
use std::sync::Arc;
use std::time::Duration;
use tokio_util::sync::CancellationToken;

/// Rows looked at per batch.
const BATCH: u32 = 500;
/// Pause between batches, for the writer.
const PAUSE: Duration = Duration::from_millis(10);
/// How often the log is pruned, and how soon after start the first time.
const EVERY: Duration = Duration::from_secs(3600);
const FIRST: Duration = Duration::from_secs(60);

/// What one pruning did.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Pruned {
    pub deleted: u64,
    /// Accepted rows whose body and headers were dropped.
    pub slimmed: u64,
}

impl Integrations {
    /// Prunes the delivery log of rows received before `before`.
    pub async fn prune_delivery_log(&self, before: DateTime<Utc>) -> Result<Pruned, StoreError> {
        let mut pruned = Pruned::default();
        let mut after = 0;
        loop {
            let batch = self.settings.prune_deliveries(before, after, BATCH).await?;
            pruned.deleted += batch.deleted;
            pruned.slimmed += batch.slimmed;
            let Some(last) = batch.last else {
                return Ok(pruned);
            };
            after = last;
            tokio::time::sleep(PAUSE).await;
        }
    }
}

/// Prunes rows older than `retention` every hour until `shutdown`.
pub async fn run(
    integrations: Arc<Integrations>,
    retention: Duration,
    shutdown: CancellationToken,
) {
    let mut wait = FIRST;
    loop {
        tokio::select! {
            _ = shutdown.cancelled() => return,
            _ = tokio::time::sleep(wait) => {}
        }
        wait = EVERY;
        // A retention beyond the calendar keeps everything.
        let cutoff = chrono::TimeDelta::from_std(retention)
            .ok()
            .and_then(|age| integrations.clock().now().checked_sub_signed(age));
        let Some(cutoff) = cutoff else {
            return;
        };
        match integrations.prune_delivery_log(cutoff).await {
            Ok(p) if p == Pruned::default() => {}
            Ok(p) => tracing::info!(
                deleted = p.deleted,
                slimmed = p.slimmed,
                "delivery log pruned"
            ),
            Err(e) => tracing::warn!(error = %e, "could not prune the delivery log"),
        }
    }
}
