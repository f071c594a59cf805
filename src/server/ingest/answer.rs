//! The answer the HTTP endpoints of ingest (webhooks and the timeline write
//! API) give: a status and a JSON body.

use crate::server::store::StoreError;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::Json;
use serde_json::json;

/// `body` as JSON with `status`.
pub(super) fn answer(status: StatusCode, body: serde_json::Value) -> Response {
    (status, Json(body)).into_response()
}

/// The store failed: not acknowledged, so the sender will retry.
pub(super) fn failed(e: StoreError) -> Response {
    tracing::error!(error = %e, "a delivery could not be stored");
    answer(
        StatusCode::INTERNAL_SERVER_ERROR,
        json!({ "error": "the delivery could not be stored; please retry" }),
    )
}
