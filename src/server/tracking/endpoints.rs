//! The customer's endpoints, open without signing in: the link's token is the
//! only credential. `GET /api/track/{token}` answers the masked view of the
//! one order (each load counted as an open); `GET /api/track/{token}/stream`
//! follows it live with customer frames only (see [`live::Audience`]).
//!
//! Both count against the caller's network address (at most so many a
//! minute; more get 429 with `Retry-After`), before the token is looked at.
//! Steps are numbered per order, so the customer never sees the log's
//! sequence numbers (how busy the whole shop is).
//!
//! An unknown, expired or revoked token gets the same 404 and the same words,
//! so the answer does not tell which. A stream is refused for a link that does
//! not open, and ends when the link is revoked or expires; streams per link
//! are capped like streams per session.

use super::links::TrackingLinks;
use super::open_limit::retry_after_secs;
use crate::model::Topic;
use crate::server::live::{self, Audience, Subscription};
use crate::server::AppState;
use axum::extract::{ConnectInfo, Path, Query, State};
use axum::http::{header, HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::Json;
use chrono::{DateTime, Utc};
use serde::Deserialize;
use std::net::SocketAddr;
use std::sync::Arc;
use tokio::sync::broadcast::error::RecvError;
use tokio_util::sync::CancellationToken;

/// What the customer reads when a link does not open.
pub const NOT_VALID: &str = "This tracking link is not valid: it may have expired or been \
     withdrawn. Please ask customer service for a new one.";

fn not_valid() -> Response {
    (
        StatusCode::NOT_FOUND,
        Json(serde_json::json!({ "error": NOT_VALID })),
    )
        .into_response()
}

fn failed(e: impl std::fmt::Display) -> Response {
    tracing::error!(error = %e, "tracking link request failed");
    (
        StatusCode::INTERNAL_SERVER_ERROR,
        Json(serde_json::json!({
            "error": "The order could not be loaded right now; please try again in a minute."
        })),
    )
        .into_response()
}

/// `?refresh=true`: the customer's open page reloading itself after a live
/// event (not counted as another open).
#[derive(Debug, Deserialize)]
pub struct ViewQuery {
    #[serde(default)]
    pub refresh: bool,
}

/// 429 with `Retry-After` for an address that opened links too often.
fn too_many(wait: std::time::Duration) -> Response {
    let secs = retry_after_secs(wait);
    (
        StatusCode::TOO_MANY_REQUESTS,
        [(header::RETRY_AFTER, secs.to_string())],
        Json(serde_json::json!({
            "error": format!(
                "Too many requests from your network; please try again in {secs} s."
            )
        })),
    )
        .into_response()
}

/// `GET /api/track/{token}`: the customer's view of the order.
pub async fn view(
    State(state): State<AppState>,
    ConnectInfo(peer): ConnectInfo<SocketAddr>,
    Path(token): Path<String>,
    Query(query): Query<ViewQuery>,
) -> Response {
    if let Err(wait) = state.tracking.admit(peer.ip()) {
        return too_many(wait);
    }
    match state.tracking.open(&token, !query.refresh).await {
        Ok(Some(view)) => Json(view).into_response(),
        Ok(None) => not_valid(),
        Err(e) => failed(e),
    }
}

/// Where a stream resumes: after step `?after=` of the order (ignored when
/// `Last-Event-ID` is sent). Steps are numbered per order (the view's
/// `last_step`, each frame's id), never by the log's sequence numbers.
#[derive(Debug, Deserialize)]
pub struct StreamQuery {
    pub after: Option<u64>,
}

/// `GET /api/track/{token}/stream`: the order's customer steps, live.
pub async fn stream(
    State(state): State<AppState>,
    ConnectInfo(peer): ConnectInfo<SocketAddr>,
    Path(token): Path<String>,
    headers: HeaderMap,
    Query(query): Query<StreamQuery>,
) -> Response {
    if let Err(wait) = state.tracking.admit(peer.ip()) {
        return too_many(wait);
    }
    let after_step = match live::last_event_id(&headers) {
        Ok(id) => id.or(query.after),
        Err(_) => {
            return (
                StatusCode::BAD_REQUEST,
                "Last-Event-ID must be a step number",
            )
                .into_response()
        }
    };
    // Subscribed before the check, so a revocation cannot fall between the two.
    let revocations = state.tracking.revocations();
    let link = match state.tracking.active(&token).await {
        Ok(Some(link)) => link,
        Ok(None) => return not_valid(),
        Err(e) => return failed(e),
    };
    let (after_step, start) = match state.tracking.resume_point(&link, after_step).await {
        Ok(point) => point,
        Err(e) => return failed(e),
    };
    let Some(slot) = state.streams.take(&format!("tracking-link:{}", link.id)) else {
        return (
            StatusCode::TOO_MANY_REQUESTS,
            "too many pages follow this tracking link at once: close some of them",
        )
            .into_response();
    };
    let end = state.shutdown.child_token();
    tokio::spawn(end_when_withdrawn(
        state.tracking.clone(),
        token,
        link.id,
        revocations,
        link.expires_at,
        end.clone(),
    ));
    let subscription = Subscription {
        topics: vec![Topic::Order(link.order_id)],
        audience: Audience::Customer { after_step },
    };
    live::respond(state.store, subscription, start, end, Some(slot))
}

/// Ends the stream (cancels `end`) when the link is revoked or expires.
async fn end_when_withdrawn(
    tracking: Arc<TrackingLinks>,
    token: String,
    link_id: String,
    mut revocations: tokio::sync::broadcast::Receiver<String>,
    expires_at: DateTime<Utc>,
    end: CancellationToken,
) {
    let clock = tracking.clock().clone();
    let expiry = clock.sleep_until(expires_at);
    tokio::pin!(expiry);
    loop {
        tokio::select! {
            _ = end.cancelled() => return,
            _ = &mut expiry => return end.cancel(),
            r = revocations.recv() => match r {
                Ok(id) if id == link_id => return end.cancel(),
                Ok(_) => {}
                // Missed some: ask the store whether this link still opens.
                Err(RecvError::Lagged(_)) => match tracking.active(&token).await {
                    Ok(Some(_)) => {}
                    Ok(None) => return end.cancel(),
                    Err(e) => tracing::warn!(error = %e, "could not re-check a tracking link"),
                },
                Err(RecvError::Closed) => return,
            },
        }
    }
}
