//! A delivery's way into the log, shared by the webhook endpoint, the linker
//! and replay: verify the signature, check it is fresh, parse, drop a
//! duplicate with a read, translate through the mapping table in force, then
//! one store transaction for the delivery row and its events. Pending
//! deliveries are linked when their order or waybill arrives.
//!
//! Refusals and duplicates are counted in memory and only a sample of them is
//! listed in the delivery log (see [`super::refusals`]), their text capped,
//! so traffic that proves nothing costs the single writer (almost) nothing.

use super::adapters::{self, Integration};
use super::freshness::StaleError;
use super::integrations::{IntegrationError, Integrations};
use super::signature;
use super::translate::{translate, Translation};
use crate::model::ingest::delivery_refusal::RefusalReason;
use crate::model::{EventKind, OrderEvent, RecordedEvent};
use crate::server::logged_text::capped;
use crate::server::store::{
    Awaiting, DeliveryRow, IfRefused, Ingested, NewDelivery, Receipt, Reported, StoreError,
    StoredDelivery,
};
use axum::http::{HeaderMap, HeaderName, HeaderValue, StatusCode};
use chrono::Utc;
use std::collections::HashMap;

/// Longest refusal reason kept (and answered): it may quote what was sent.
pub const MAX_REASON_CHARS: usize = 300;
/// Longest dedupe key kept with a refused delivery.
const MAX_KEY_CHARS: usize = 200;

/// The answer and the counted reason for a delivery that is not fresh.
fn stale(e: &StaleError) -> (StatusCode, RefusalReason) {
    match e {
        StaleError::PlainModeOff => (StatusCode::UNAUTHORIZED, RefusalReason::Unauthenticated),
        StaleError::OutsideWindow { .. } | StaleError::NonceReused => {
            (StatusCode::UNAUTHORIZED, RefusalReason::Stale)
        }
        StaleError::NoncesFull => (StatusCode::SERVICE_UNAVAILABLE, RefusalReason::Stale),
        StaleError::TooOld { .. } => (StatusCode::BAD_REQUEST, RefusalReason::Stale),
        StaleError::BadTimestamp => (StatusCode::BAD_REQUEST, RefusalReason::Malformed),
    }
}

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
    /// Receives one delivery of `integration` exactly as sent (in a span
    /// naming the integration and, once parsed, the delivery's dedupe key).
    #[tracing::instrument(
        name = "delivery",
        skip_all,
        fields(integration = integration.as_str(), dedupe_key = tracing::field::Empty)
    )]
    pub async fn receive(
        &self,
        integration: Integration,
        headers: &HeaderMap,
        query: Option<&str>,
        body: &[u8],
    ) -> Answer {
        let name = integration.as_str();
        let now = Utc::now();
        let secrets = self.secrets();
        let opened = match signature::open(integration, &secrets, headers, query, body) {
            Ok(opened) => opened,
            Err(e) => {
                let reason = RefusalReason::Unauthenticated;
                return self
                    .refuse(name, reason, None, StatusCode::UNAUTHORIZED, e.to_string())
                    .await;
            }
        };
        self.verified(integration, now);
        if let Some(stamp) = &opened.wechat {
            if let Err(e) = self.freshness.check_wechat(stamp, body, now) {
                let (status, reason) = stale(&e);
                return self.refuse(name, reason, None, status, e.to_string()).await;
            }
        }
        let delivery = match adapters::parse(integration, headers, &opened.body) {
            Ok(d) => d,
            Err(e) => {
                let reason = RefusalReason::Malformed;
                return self
                    .refuse(name, reason, None, StatusCode::BAD_REQUEST, e.to_string())
                    .await;
            }
        };
        tracing::Span::current().record("dedupe_key", delivery.dedupe_key.as_str());
        if let Err(e) = self.freshness.check_age(&delivery.dated, now) {
            let (status, reason) = stale(&e);
            let key = Some(delivery.dedupe_key.as_str());
            return self.refuse(name, reason, key, status, e.to_string()).await;
        }
        let record = NewDelivery {
            integration: name.to_string(),
            dedupe_key: delivery.dedupe_key,
            body: opened.body.into_owned(),
            headers: kept_headers(headers),
            pending: None,
        };
        match self
            .settings
            .delivery_stored(name, &record.dedupe_key)
            .await
        {
            Ok(true) => return self.duplicate(name, record).await,
            Ok(false) => {}
            // The writer checks again; only the shortcut is lost.
            Err(e) => tracing::warn!(error = %e, "could not look for a duplicate"),
        }
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
            pending: pending.clone(),
            ..record
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

    /// Answers a delivery stored before: counted, and listed as a duplicate
    /// (through the writer) only if it is one of the sample.
    async fn duplicate(&self, integration: &'static str, record: NewDelivery) -> Answer {
        let now = Utc::now();
        if !self
            .refusals
            .count(integration, RefusalReason::Duplicate, now)
        {
            return Answer::Duplicate;
        }
        match self
            .store
            .ingest(DeliveryRow::New(record), Vec::new())
            .await
        {
            Ok(receipt) => self.answer(receipt, None).await,
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

    /// Refuses a delivery and says why: counted under `integration` and
    /// `reason`, and listed in the delivery log (its reason and key capped)
    /// only if it is one of the sample.
    pub(super) async fn refuse(
        &self,
        integration: &'static str,
        reason: RefusalReason,
        dedupe_key: Option<&str>,
        status: StatusCode,
        text: String,
    ) -> Answer {
        let text = capped(&text, MAX_REASON_CHARS);
        if self.refusals.count(integration, reason, Utc::now()) {
            let key = dedupe_key.map(|k| capped(k, MAX_KEY_CHARS));
            if let Err(e) = self
                .store
                .reject_delivery(integration, key.as_deref(), &text)
                .await
            {
                tracing::error!(error = %e, "could not list a rejected delivery");
            }
        }
        Answer::Refused {
            status,
            reason: text,
        }
    }

    /// Refuses a delivery to an integration that does not exist: counted
    /// under [`UNKNOWN_INTEGRATION`], the name itself only in a capped reason.
    ///
    /// [`UNKNOWN_INTEGRATION`]: crate::model::ingest::delivery_refusal::UNKNOWN_INTEGRATION
    pub async fn refuse_unknown(&self, name: &str) -> Answer {
        use crate::model::ingest::delivery_refusal::UNKNOWN_INTEGRATION;
        let text = format!("unknown integration {:?}", capped(name, 64));
        let reason = RefusalReason::UnknownIntegration;
        self.refuse(
            UNKNOWN_INTEGRATION,
            reason,
            None,
            StatusCode::NOT_FOUND,
            text,
        )
        .await
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
