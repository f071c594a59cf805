//! Detectors: the control room watching its own log and raising exceptions as
//! events of their own.

use super::store::{Store, StoreError};
use crate::model::{Actor, EventKind, ExceptionCode, OrderEvent, Source};
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

/// One pass of the detector; returns how many orders it flagged.
pub async fn flag_unshipped(store: &Store, within: Duration) -> Result<usize, StoreError> {
    let now = Utc::now();
    let limit = chrono::Duration::from_std(within).unwrap_or(chrono::Duration::MAX);
    let mut flagged = 0;
    for order in store.awaiting_shipment(now - limit).await? {
        if order
            .exceptions
            .iter()
            .any(|e| e.code == ExceptionCode::PaidNotShipped)
        {
            continue;
        }
        let waited = (now - order.placed_at).num_minutes();
        let event = OrderEvent {
            order_id: order.id.clone(),
            occurred_at: now,
            source: Source::ControlRoom,
            actor: Actor::System {
                name: "paid-not-shipped detector".into(),
            },
            kind: EventKind::ExceptionRaised {
                code: ExceptionCode::PaidNotShipped,
                detail: format!("placed {waited} min ago and paid; no parcel has shipped"),
            },
        };
        match store.append(vec![event]).await {
            Ok(_) => flagged += 1,
            // The order moved on meanwhile (shipped, cancelled): nothing to flag.
            Err(StoreError::Refused(r)) => tracing::debug!(order = %order.id, %r, "not flagged"),
            Err(e) => return Err(e),
        }
    }
    Ok(flagged)
}
