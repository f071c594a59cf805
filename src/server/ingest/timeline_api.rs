//! `POST /api/v1/orders/{order}/events`: the timeline write API (documented in
//! `docs/timeline-api.md`). Any system with an API key appends one canonical
//! event; the lifecycle checks it like every other event, and amounts, lines
//! and quantities must be what a real order can hold ([`super::timeline_bounds`]).
//! A component's `kind` may be spelled as the sender spells it (`小样`): the
//! mapping table says which kind it is.
//! The `event_id` makes retries safe; every call is listed in the delivery log
//! as integration `api` (refused ones counted, and only a sample listed).

use super::answer::{answer, failed};
use super::integrations::Integrations;
use super::{kind_spellings, timeline_bounds};
use crate::model::ingest::delivery_refusal::RefusalReason;
use crate::model::ingest::mapping::MappingIndex;
use crate::model::{Actor, EventKind, OrderEvent, OrderId, Refusal, Source};
use crate::server::store::{DeliveryRow, IfRefused, Ingested, NewDelivery, Reported, StoreError};
use crate::server::AppState;
use axum::body::Bytes;
use axum::extract::{Path, State};
use axum::http::{header, HeaderMap, StatusCode};
use axum::response::Response;
use chrono::{DateTime, FixedOffset, Utc};
use serde::Deserialize;
use serde_json::json;

/// Largest body accepted.
pub const MAX_BODY: usize = 64 * 1024;
/// The name deliveries through this API are listed under.
pub const INTEGRATION: &str = "api";
/// Longest `event_id`.
const MAX_EVENT_ID: usize = 128;

/// The documented body.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct Body {
    event_id: String,
    occurred_at: DateTime<FixedOffset>,
    source: Source,
    event: EventKind,
}

/// The bearer token of the request, if any.
fn bearer(headers: &HeaderMap) -> Option<&str> {
    let value = headers.get(header::AUTHORIZATION)?.to_str().ok()?;
    let (scheme, token) = value.trim().split_once(' ')?;
    scheme
        .eq_ignore_ascii_case("bearer")
        .then(|| token.trim())
        .filter(|t| !t.is_empty())
}

/// Reads the body, naming the field that is wrong; component kinds are read
/// through `mappings` ([`kind_spellings`]).
fn read(body: &[u8], mappings: &MappingIndex) -> Result<Body, String> {
    let mut value: serde_json::Value =
        serde_json::from_slice(body).map_err(|e| format!("the body is not a valid event: {e}"))?;
    kind_spellings::canonical_kinds(&mut value, mappings)?;
    let parsed: Body = serde_path_to_error::deserialize(value).map_err(|e| {
        let path = e.path().to_string();
        let inner = e.into_inner();
        if path == "." || path.is_empty() {
            format!("the body is not a valid event: {inner}")
        } else {
            format!("field {path} is invalid: {inner}")
        }
    })?;
    let id = &parsed.event_id;
    if id.is_empty() || id.chars().count() > MAX_EVENT_ID || id.chars().any(char::is_control) {
        return Err(format!(
            "field event_id must be 1 to {MAX_EVENT_ID} printable characters"
        ));
    }
    timeline_bounds::check("event", &parsed.event).map_err(|e| e.to_string())?;
    Ok(parsed)
}

/// The handler.
pub async fn append(
    State(state): State<AppState>,
    Path(order): Path<String>,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    let integrations: &Integrations = &state.integrations;
    let refuse = |status: StatusCode, reason: String, key: Option<String>| async move {
        let why = match status {
            StatusCode::UNAUTHORIZED => RefusalReason::Unauthenticated,
            StatusCode::BAD_REQUEST => RefusalReason::Malformed,
            _ => RefusalReason::NotApplicable,
        };
        match integrations
            .refuse(INTEGRATION, why, key.as_deref(), status, reason)
            .await
        {
            super::pipeline::Answer::Refused { status, reason } => {
                answer(status, json!({ "error": reason }))
            }
            _ => answer(status, json!({ "error": "refused" })),
        }
    };
    let Some(key) = bearer(&headers) else {
        let reason = "an Authorization: Bearer <API key> header is required".to_string();
        return refuse(StatusCode::UNAUTHORIZED, reason, None).await;
    };
    let Some(key) = integrations.api_key(key).await else {
        let reason = "the API key is unknown or revoked".to_string();
        return refuse(StatusCode::UNAUTHORIZED, reason, None).await;
    };
    let order_id = match OrderId::parse(order) {
        Ok(id) => id,
        Err(e) => return refuse(StatusCode::BAD_REQUEST, format!("order id: {e}"), None).await,
    };
    let body_in = match read(&body, &integrations.mappings.rows()) {
        Ok(b) => b,
        Err(reason) => return refuse(StatusCode::BAD_REQUEST, reason, None).await,
    };
    let dedupe_key = body_in.event_id.clone();
    let event = OrderEvent {
        order_id,
        occurred_at: body_in.occurred_at.with_timezone(&Utc),
        source: body_in.source,
        actor: Actor::System {
            name: format!("{} (API)", key.name),
        },
        kind: body_in.event,
    };
    let record = NewDelivery {
        integration: INTEGRATION.to_string(),
        dedupe_key: dedupe_key.clone(),
        body: body.to_vec(),
        headers: Vec::new(),
        pending: None,
    };
    let reported = Reported {
        event,
        if_refused: IfRefused::Fail,
    };
    match state
        .store
        .ingest(DeliveryRow::New(record), vec![reported])
        .await
    {
        Ok(receipt) => match receipt.outcome {
            Ingested::Accepted(events) => answer(
                StatusCode::OK,
                json!({ "status": "accepted", "seq": events.first().map(|e| e.seq) }),
            ),
            Ingested::Duplicate | Ingested::Pending => {
                answer(StatusCode::OK, json!({ "status": "duplicate" }))
            }
        },
        // The writer knows every order: no read of our own before appending.
        Err(StoreError::Refused(Refusal::UnknownOrder(order))) => {
            let reason = format!("order {order} is not known");
            refuse(StatusCode::NOT_FOUND, reason, Some(dedupe_key)).await
        }
        Err(StoreError::Refused(r)) => {
            refuse(
                StatusCode::CONFLICT,
                format!("refused: {r}"),
                Some(dedupe_key),
            )
            .await
        }
        Err(e) => failed(e),
    }
}
