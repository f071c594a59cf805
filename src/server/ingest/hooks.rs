//! `POST /hooks/{integration}`: a delivery from a channel, warehouse or carrier.
//!
//! Unknown integration → 404; body over 1 MiB → 413 (before it is read); bad or
//! missing signature → 401; a body that does not parse → 400 naming the problem.
//! Those are listed in the delivery log and nothing else is stored. A valid
//! delivery is answered only after it is committed: 200 `accepted` with its
//! events, 200 `duplicate` when the same delivery was stored before (nothing
//! appended), or 202 `pending` when it is about an order or waybill we do not
//! know yet (kept, with its body).

use super::adapters::{self, Integration};
use super::signature::{self, Secrets};
use super::translate::{translate, Translation};
use crate::model::mapping::Mapping;
use crate::server::store::{Ingested, NewDelivery, StoreError};
use crate::server::AppState;
use axum::body::Bytes;
use axum::extract::{Path, RawQuery, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::Json;
use serde_json::json;

/// Largest delivery accepted.
pub const MAX_BODY: usize = 1024 * 1024;

/// What ingest needs: each integration's secrets and the mapping tables.
pub struct Ingest {
    pub secrets: Secrets,
    pub mappings: Vec<Mapping>,
}

fn answer(status: StatusCode, body: serde_json::Value) -> Response {
    (status, Json(body)).into_response()
}

async fn refuse(
    state: &AppState,
    integration: &str,
    status: StatusCode,
    reason: String,
) -> Response {
    if let Err(e) = state.store.reject_delivery(integration, &reason).await {
        tracing::error!(error = %e, "could not list a rejected delivery");
    }
    answer(status, json!({ "error": reason }))
}

/// The handler.
pub async fn receive(
    State(state): State<AppState>,
    Path(name): Path<String>,
    RawQuery(query): RawQuery,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    let Ok(integration) = name.parse::<Integration>() else {
        return answer(
            StatusCode::NOT_FOUND,
            json!({ "error": format!("unknown integration {name:?}") }),
        );
    };
    let name = integration.as_str();
    if let Err(e) = signature::verify(
        integration,
        &state.ingest.secrets,
        &headers,
        query.as_deref(),
        &body,
    ) {
        return refuse(&state, name, StatusCode::UNAUTHORIZED, e.to_string()).await;
    }
    let delivery = match adapters::parse(integration, &headers, &body) {
        Ok(d) => d,
        Err(e) => return refuse(&state, name, StatusCode::BAD_REQUEST, e.to_string()).await,
    };
    let translation = translate(
        &state.store,
        &state.ingest.mappings,
        integration,
        delivery.facts,
    )
    .await;
    let (events, pending) = match translation {
        Ok(Translation::Events(events)) => (events, None),
        Ok(Translation::UnknownOrder(reason)) => (Vec::new(), Some(reason)),
        Err(e) => return failed(e),
    };
    let record = NewDelivery {
        integration: name.to_string(),
        dedupe_key: delivery.dedupe_key,
        body: body.to_vec(),
        pending: pending.clone(),
    };
    match state.store.ingest(record, events).await {
        Ok(Ingested::Accepted(events)) => answer(
            StatusCode::OK,
            json!({ "status": "accepted", "events": events.iter().map(|e| e.seq).collect::<Vec<_>>() }),
        ),
        Ok(Ingested::Duplicate) => answer(StatusCode::OK, json!({ "status": "duplicate" })),
        Ok(Ingested::Pending) => answer(
            StatusCode::ACCEPTED,
            json!({ "status": "pending", "reason": pending.unwrap_or_default() }),
        ),
        // Two deliveries raced to place the same order: the sender retries.
        Err(StoreError::Refused(r)) => {
            answer(StatusCode::CONFLICT, json!({ "error": r.to_string() }))
        }
        Err(e) => failed(e),
    }
}

/// The store failed: not acknowledged, so the sender will retry.
fn failed(e: StoreError) -> Response {
    tracing::error!(error = %e, "a delivery could not be stored");
    answer(
        StatusCode::INTERNAL_SERVER_ERROR,
        json!({ "error": "the delivery could not be stored; please retry" }),
    )
}
