//! Detectors: the control room watching its own log and raising exceptions as
//! events of their own.

use super::store::{Store, StoreError};
use crate::model::order::detect::{detect, PaidNotShipped};
use chrono::Utc;
use std::time::Duration;

/// Raises `paid_not_shipped` on every paid order with nothing shipped within
/// `within` of being placed. Runs until the task is aborted.
pub async fn paid_not_shipped(store: Store, within: Duration) {
    let every = (within / 4).clamp(Duration::from_secs(1), Duration::from_secs(60));
    loop {
        tokio::time::sleep(every).await;
        match flag_unshipped(&store, within).await {
            Ok(0) => {}
            Ok(n) => tracing::info!(orders = n, "flagged paid orders not shipped"),
            Err(e) => tracing::warn!(error = %e, "paid-not-shipped detector failed"),
        }
    }
}

/// One pass of the detector: runs [`PaidNotShipped`] over the paid orders with
/// nothing shipped placed longer than `within` ago and appends what it returns
/// (the facts, not words); returns how many orders it flagged.
pub async fn flag_unshipped(store: &Store, within: Duration) -> Result<usize, StoreError> {
    let now = Utc::now();
    let detector = PaidNotShipped {
        within: chrono::Duration::from_std(within).unwrap_or(chrono::Duration::MAX),
    };
    let mut flagged = 0;
    for order in store.awaiting_shipment(now - detector.within).await? {
        let events = detect(&detector, &order, now);
        if events.is_empty() {
            continue;
        }
        match store.append(events).await {
            Ok(_) => flagged += 1,
            // The order moved on meanwhile (shipped, cancelled): nothing to flag.
            Err(StoreError::Refused(r)) => tracing::debug!(order = %order.id, %r, "not flagged"),
            Err(e) => return Err(e),
        }
    }
    Ok(flagged)
}
