//! Links pending deliveries: follows the log's live tail, and when an order is
//! placed or a parcel ships, processes the deliveries that were waiting for it.
//! If it falls behind the live tail it catches up from the log.

use super::integrations::Integrations;
use super::pipeline::arrival_key;
use crate::model::RecordedEvent;
use std::sync::Arc;
use tokio::sync::broadcast::error::RecvError;
use tokio_util::sync::CancellationToken;

const CATCH_UP_PAGE: u32 = 1000;

/// Runs until `shutdown`.
pub async fn run(integrations: Arc<Integrations>, shutdown: CancellationToken) {
    let mut tail = integrations.store.subscribe();
    let mut last = integrations.store.head();
    loop {
        let next = tokio::select! {
            _ = shutdown.cancelled() => return,
            next = tail.recv() => next,
        };
        match next {
            Ok(event) if event.seq > last => {
                last = event.seq;
                follow(&integrations, &event.record).await;
            }
            Ok(_) => {}
            Err(RecvError::Lagged(_)) => loop {
                let page = match integrations
                    .store
                    .events_after(last, None, CATCH_UP_PAGE)
                    .await
                {
                    Ok(page) => page,
                    Err(e) => {
                        tracing::error!(error = %e, "the linker could not catch up");
                        break;
                    }
                };
                for event in &page {
                    last = event.seq;
                    follow(&integrations, event).await;
                }
                if page.len() < CATCH_UP_PAGE as usize {
                    break;
                }
            },
            Err(RecvError::Closed) => return,
        }
    }
}

async fn follow(integrations: &Integrations, event: &RecordedEvent) {
    if let Some(key) = arrival_key(&event.event.kind) {
        integrations.link(&key).await;
    }
}
