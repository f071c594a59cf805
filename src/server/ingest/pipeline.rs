//! A delivery's way into the log, shared by the webhook endpoint, the linker
//! and replay: verify the signature, parse, translate through the mapping
//! table in force, then one store transaction for the delivery row and its
//! events. Pending deliveries are linked when their order or waybill arrives.

use super::adapters::{self, Integration};
use super::integrations::{IntegrationError, Integrations};
use super::signature;
use super::translate::{translate, Translation};
use crate::model::{EventKind, OrderEvent, RecordedEvent};
use crate::server::store::{
    Awaiting, DeliveryRow, IfRefused, Ingested, NewDelivery, Receipt, Reported, StoreError,
    StoredDelivery,
};
use axum::http::{HeaderMap, HeaderName, HeaderValue, StatusCode};
use std::collections::HashMap;

/// What became of a received delivery, for the sender.
#[derive(Debug)]
pub enum Answer {
    /// Committed: the delivery's row and the sequence numbers of its events.
    Accepted {
        delivery: i64,
        seqs: Vec<u64>,
    },
    Duplicate,
    Pending(Awaiting),
    /// Refused and listed; nothing else stored.
    Refused {
        status: StatusCode,
        reason: String,
    },
    /// The store failed: not acknowledged.
    Failed(StoreError),
}

/// Headers never kept with a stored delivery.
const PRIVATE_HEADERS: [&str; 3] = ["cookie", "authorization", "proxy-authorization"];

/// The headers kept with a stored delivery, so it can be processed again.
fn kept_headers(headers: &HeaderMap) -> Vec<(String, String)> {
    headers
        .iter()
        .filter(|(name, _)| !PRIVATE_HEADERS.contains(&name.as_str()))
        .filter_map(|(name, value)| Some((name.to_string(), value.to_str().ok()?.to_string())))
        .collect()
}

fn header_map(headers: &[(String, String)]) -> HeaderMap {
    let mut map = HeaderMap::new();
    for (name, value) in headers {
        if let (Ok(name), Ok(value)) = (
            HeaderName::from_bytes(name.as_bytes()),
            HeaderValue::from_str(value),
        ) {
            map.append(name, value);
        }
    }
    map
}

impl Integrations {
    /// Receives one delivery of `integration` exactly as sent.
    pub async fn receive(
        &self,
        integration: Integration,
        headers: &HeaderMap,
        query: Option<&str>,
        body: &[u8],
    ) -> Answer {
        let name = integration.as_str();
        let secrets = self.secrets();
        if let Err(e) = signature::verify(integration, &secrets, headers, query, body) {
            return self
                .refuse(name, None, StatusCode::UNAUTHORIZED, e.to_string())
                .await;
        }
        let delivery = match adapters::parse(integration, headers, body) {
            Ok(d) => d,
            Err(e) => {
                return self
                    .refuse(name, None, StatusCode::BAD_REQUEST, e.to_string())
                    .await
            }
        };
        let rows = self.mappings.rows();
        let translation = translate(&self.store, &rows, integration, delivery.facts).await;
        let (events, pending) = match translation {
            // Carriers resend a parcel's whole history with every push: each
            // scan goes into the log once.
            Ok(Translation::Events(events)) if integration.is_carrier() => {
                match self.not_in_log(events, false).await {
                    Ok(events) => (events, None),
                    Err(e) => return Answer::Failed(e),
                }
            }
            Ok(Translation::Events(events)) => (events, None),
            Ok(Translation::UnknownOrder(awaiting)) => (Vec::new(), Some(awaiting)),
            Err(e) => return Answer::Failed(e),
        };
        let record = NewDelivery {
            integration: name.to_string(),
            dedupe_key: delivery.dedupe_key,
            body: body.to_vec(),
            headers: kept_headers(headers),
            pending: pending.clone(),
        };
        match self.store.ingest(DeliveryRow::New(record), events).await {
            Ok(receipt) => self.answer(receipt, pending).await,
            // Two deliveries raced to place the same order: the sender retries.
            Err(StoreError::Refused(r)) => Answer::Refused {
                status: StatusCode::CONFLICT,
                reason: r.to_string(),
            },
            Err(e) => Answer::Failed(e),
        }
    }

    async fn answer(&self, receipt: Receipt, pending: Option<Awaiting>) -> Answer {
        match (receipt.outcome, pending) {
            (Ingested::Accepted(events), _) => Answer::Accepted {
                delivery: receipt.delivery_id.unwrap_or_default(),
                seqs: events.iter().map(|e| e.seq).collect(),
            },
            (Ingested::Duplicate, _) => Answer::Duplicate,
            (Ingested::Pending, Some(awaiting)) => {
                // The order may have arrived between translating and storing:
                // then the linker has already looked, so link now.
                if self.arrived(&awaiting.key).await {
                    self.link(&awaiting.key).await;
                }
                Answer::Pending(awaiting)
            }
            (Ingested::Pending, None) => Answer::Duplicate,
        }
    }

    /// Lists a refused delivery and says why.
    pub(super) async fn refuse(
        &self,
        integration: &str,
        dedupe_key: Option<&str>,
        status: StatusCode,
        reason: String,
    ) -> Answer {
        if let Err(e) = self
            .store
            .reject_delivery(integration, dedupe_key, &reason)
            .await
        {
            tracing::error!(error = %e, "could not list a rejected delivery");
        }
        Answer::Refused { status, reason }
    }

    /// Whether what `key` waits for is known now.
    async fn arrived(&self, key: &str) -> bool {
        let found = if let Some(waybill) = key.strip_prefix("waybill:") {
            self.store.order_for_waybill(waybill).await
        } else if let Some((channel, id)) = key
            .strip_prefix("order:")
            .and_then(|rest| rest.split_once(':'))
        {
            match channel.parse() {
                Ok(channel) => self.store.order_for_channel(channel, id).await,
                Err(_) => return false,
            }
        } else {
            return false;
        };
        matches!(found, Ok(Some(_)))
    }

    /// Processes a stored delivery again with the mapping table in force and
    /// writes it as `row` says. With `only_new`, events the log already has
    /// (same order, time, source and kind) are left out, and events the
    /// lifecycle refuses are skipped rather than kept.
    pub(super) async fn reprocess(
        &self,
        stored: &StoredDelivery,
        row: DeliveryRow,
        only_new: bool,
    ) -> Result<(Receipt, Option<Awaiting>), IntegrationError> {
        let integration: Integration =
            stored
                .integration
                .parse()
                .map_err(|e: adapters::UnknownIntegration| {
                    IntegrationError::BadRequest(e.to_string())
                })?;
        let delivery = adapters::parse(integration, &header_map(&stored.headers), &stored.body)
            .map_err(|e| {
                IntegrationError::BadRequest(format!("the stored body no longer parses: {e}"))
            })?;
        let rows = self.mappings.rows();
        let mut events = match translate(&self.store, &rows, integration, delivery.facts).await? {
            Translation::Events(events) => events,
            Translation::UnknownOrder(awaiting) => {
                let receipt = Receipt {
                    delivery_id: Some(stored.id),
                    outcome: Ingested::Pending,
                };
                return Ok((receipt, Some(awaiting)));
            }
        };
        if only_new {
            events = self.not_in_log(events, true).await?;
        }
        Ok((self.store.ingest(row, events).await?, None))
    }

    /// `events` without those the log already has; with `skip_refused`, the
    /// rest are left out if the lifecycle refuses them.
    async fn not_in_log(
        &self,
        events: Vec<Reported>,
        skip_refused: bool,
    ) -> Result<Vec<Reported>, StoreError> {
        // Per order, only the logged events at the times these happened.
        let mut times: HashMap<String, Vec<chrono::DateTime<chrono::Utc>>> = HashMap::new();
        for r in &events {
            times
                .entry(r.event.order_id.to_string())
                .or_default()
                .push(r.event.occurred_at);
        }
        let mut logs: HashMap<String, Vec<RecordedEvent>> = HashMap::new();
        let mut out = Vec::new();
        for r in events {
            let key = r.event.order_id.to_string();
            if !logs.contains_key(&key) {
                let at = times.remove(&key).unwrap_or_default();
                let logged = self.store.order_events_at(&r.event.order_id, at).await?;
                logs.insert(key.clone(), logged);
            }
            let same = |e: &RecordedEvent| same_fact(&e.event, &r.event);
            if !logs[&key].iter().any(same) {
                let if_refused = match skip_refused {
                    true => IfRefused::Skip,
                    false => r.if_refused,
                };
                out.push(Reported {
                    event: r.event,
                    if_refused,
                });
            }
        }
        Ok(out)
    }

    /// Links every pending delivery waiting for `key`.
    pub async fn link(&self, key: &str) {
        let waiting = match self.settings.awaiting(key).await {
            Ok(w) => w,
            Err(e) => {
                tracing::error!(error = %e, key, "could not read pending deliveries");
                return;
            }
        };
        for stored in waiting {
            let row = DeliveryRow::Settle { id: stored.id };
            match self.reprocess(&stored, row, false).await {
                Ok((_, Some(still))) => {
                    tracing::debug!(delivery = stored.id, awaits = %still.key, "still pending")
                }
                Ok(_) => tracing::info!(delivery = stored.id, key, "pending delivery linked"),
                Err(e) => tracing::warn!(delivery = stored.id, error = %e, "could not link"),
            }
        }
    }
}

/// Whether two events state the same fact (a replay finding it in the log).
fn same_fact(a: &OrderEvent, b: &OrderEvent) -> bool {
    a.order_id == b.order_id
        && a.occurred_at == b.occurred_at
        && a.source == b.source
        && a.kind == b.kind
}

/// What a pending delivery waits for, from an event just committed.
pub fn arrival_key(kind: &EventKind) -> Option<String> {
    match kind {
        EventKind::OrderPlaced {
            channel,
            channel_order_id,
            ..
        } => Some(Awaiting::order(*channel, channel_order_id).key),
        EventKind::ParcelShipped { waybill, .. } => Some(Awaiting::waybill(waybill).key),
        _ => None,
    }
}
