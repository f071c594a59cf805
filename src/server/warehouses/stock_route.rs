//! `POST /api/warehouses/stock.csv`: an admin sends a stock file as the
//! request body (`text/csv`); the answer is `{"imported": n}`, or 400 with
//! the reason naming the bad line (nothing written), 401/403 for callers who
//! may not, 413 for a body over [`MAX_BODY`].

use super::import::import_stock;
use crate::model::access::account::AuditKind;
use crate::model::warehouse::StockImport;
use crate::model::Permission;
use crate::server::auth::Caller;
use crate::server::AppState;
use axum::body::Bytes;
use axum::extract::{ConnectInfo, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::Json;
use std::net::SocketAddr;

/// The largest stock file accepted.
pub const MAX_BODY: usize = 4 * 1024 * 1024;

/// The handler.
pub async fn import(
    State(state): State<AppState>,
    ConnectInfo(peer): ConnectInfo<SocketAddr>,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    let request = state.auth.request_info(&headers, peer).await;
    let admin = match &request.caller {
        Caller::Staff(staff) if staff.may(Permission::ManageWarehouses) => staff,
        Caller::Staff(staff) => {
            state
                .auth
                .record_denial(staff, Permission::ManageWarehouses, &request.address)
                .await;
            return (StatusCode::FORBIDDEN, "not available for your role").into_response();
        }
        Caller::Anonymous => return (StatusCode::UNAUTHORIZED, "please sign in").into_response(),
    };
    match import_stock(&state.warehouses, &body).await {
        Ok(StockImport::Imported { lines }) => {
            state
                .auth
                .audit_entry(
                    AuditKind::StockImported,
                    Some(&admin.username),
                    &request.address,
                    format!("{lines} lines (stock.csv)"),
                )
                .await;
            Json(serde_json::json!({ "imported": lines })).into_response()
        }
        Ok(StockImport::Refused { problem }) => {
            (StatusCode::BAD_REQUEST, problem.to_string()).into_response()
        }
        Err(e) => {
            tracing::error!(error = %e, "a stock import could not be stored");
            (
                StatusCode::INTERNAL_SERVER_ERROR,
                "the stock could not be stored",
            )
                .into_response()
        }
    }
}
