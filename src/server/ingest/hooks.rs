//! `POST /hooks/{integration}`: a delivery from a channel, warehouse or carrier.
//!
//! Unknown integration → 404; body over 1 MiB → 413 (before it is read); bad or
//! missing signature, WeChat plain-text mode where not allowed, a WeChat
//! timestamp outside the window or a reused nonce → 401; a body that does not
//! parse, or one dated older than the maximum age → 400 naming the problem.
//! Those are counted per integration and reason, a sample of them is listed in
//! the delivery log, and nothing else is stored. A valid delivery is answered
//! only after it is committed: 200 `accepted` with its events, 200 `duplicate`
//! when the same delivery was stored before (nothing appended), or 202
//! `pending` when it is about an order or waybill we do not know yet (kept,
//! with its body, and linked when that arrives).

use super::adapters::Integration;
use super::answer::{answer, failed};
use super::pipeline::Answer;
use crate::server::AppState;
use axum::body::Bytes;
use axum::extract::{Path, RawQuery, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::Response;
use serde_json::json;

/// Largest delivery accepted.
pub const MAX_BODY: usize = 1024 * 1024;

/// The handler.
pub async fn receive(
    State(state): State<AppState>,
    Path(name): Path<String>,
    RawQuery(query): RawQuery,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    let received = match name.parse::<Integration>() {
        Ok(integration) => {
            state
                .integrations
                .receive(integration, &headers, query.as_deref(), &body)
                .await
        }
        Err(_) => state.integrations.refuse_unknown(&name).await,
    };
    match received {
        Answer::Accepted { seqs, .. } => answer(
            StatusCode::OK,
            json!({ "status": "accepted", "events": seqs }),
        ),
        Answer::Duplicate => answer(StatusCode::OK, json!({ "status": "duplicate" })),
        Answer::Pending(awaiting) => answer(
            StatusCode::ACCEPTED,
            json!({ "status": "pending", "reason": awaiting.reason }),
        ),
        Answer::Refused { status, reason } => answer(status, json!({ "error": reason })),
        Answer::Failed(e) => failed(e),
    }
}
