//! `GET /api/stream`: the live stream as a view of the durable log.
//!
//! SSE ids are log sequence numbers. A client starts after `Last-Event-ID` (sent
//! by browsers on reconnect) or `?after=`, is replayed from the log up to the
//! head, and then receives live events. A subscriber that falls behind the
//! in-memory fan-out is told so with a `resync` frame (`{"from","to"}`),
//! catches up from the log instead of skipping anything, and is told
//! `caught_up` (`{"to"}`) when it has.
//!
//! One stream serves a whole page: `?topics=` multiplexes what its widgets
//! follow (`orders`: every order; `order:<id>`: one order; `exceptions`: the
//! exception queue; `money`: the finance dashboard; see [`Topic`]), each
//! authorised on the server; an event that matches several topics is sent
//! once. Streams per session are capped, and end with their session
//! (revoked, idle, expired or deleted: see `auth::session_watch`).

mod follower;
mod frames;
mod recipients;
mod slots;
mod subscription;

pub use slots::{StreamCount, StreamSlot};
pub use subscription::{Audience, Subscription};

use super::auth::{session_token, token_hash, Caller};
use super::store::Store;
use super::AppState;
use crate::model::{OrderId, Permission, Topic};
use axum::body::Body;
use axum::extract::{ConnectInfo, Query, State};
use axum::http::header;
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use futures::StreamExt;
use serde::Deserialize;
use std::convert::Infallible;
use std::net::SocketAddr;
use tokio_util::sync::CancellationToken;

/// Narrowing and resume point of a stream.
#[derive(Debug, Deserialize)]
pub struct StreamQuery {
    /// Only this order's events (the same as `topics=order:<id>`).
    pub order: Option<String>,
    /// Comma-separated topics (`orders`, `order:<id>`, `exceptions`,
    /// `money`); all orders when neither this nor `order` is given.
    pub topics: Option<String>,
    /// Start after this sequence number (ignored when `Last-Event-ID` is sent).
    pub after: Option<u64>,
}

/// The topics a query asks for.
fn topics(query: &StreamQuery) -> Result<Vec<Topic>, String> {
    let mut topics = Vec::new();
    if let Some(order) = &query.order {
        topics.push(Topic::Order(
            OrderId::parse(order).map_err(|e| e.to_string())?,
        ));
    }
    if let Some(text) = &query.topics {
        topics.extend(Topic::parse_list(text).map_err(|e| e.to_string())?);
    }
    if topics.is_empty() {
        topics.push(Topic::Orders);
    }
    if topics.len() > Topic::MAX_PER_STREAM {
        return Err(format!(
            "at most {} topics per stream",
            Topic::MAX_PER_STREAM
        ));
    }
    Ok(topics)
}

/// The `Last-Event-ID` header (browsers send it when they reconnect), if sent.
pub fn last_event_id(headers: &HeaderMap) -> Result<Option<u64>, &'static str> {
    headers
        .get("last-event-id")
        .map(|v| {
            v.to_str()
                .ok()
                .and_then(|s| s.trim().parse::<u64>().ok())
                .ok_or("Last-Event-ID must be a sequence number")
        })
        .transpose()
}

fn bad_request(message: String) -> Response {
    (StatusCode::BAD_REQUEST, message).into_response()
}

/// The SSE handler. Needs a signed-in caller allowed to view orders; every
/// event is shown through the caller's lens; the stream ends when the
/// caller's session does, for any reason.
pub async fn stream(
    State(state): State<AppState>,
    ConnectInfo(peer): ConnectInfo<SocketAddr>,
    headers: HeaderMap,
    Query(query): Query<StreamQuery>,
) -> Response {
    let staff = match state.auth.request_info(&headers, peer).await.caller {
        Caller::Staff(staff) if staff.may(Permission::ViewOrders) => staff,
        Caller::Staff(_) => {
            return (StatusCode::FORBIDDEN, "not available for your role").into_response()
        }
        Caller::Anonymous => return (StatusCode::UNAUTHORIZED, "please sign in").into_response(),
    };
    // A signed-in caller has a session cookie; its session is watched below.
    let Some(token) = session_token(&headers, state.auth.cookie_name()) else {
        return (StatusCode::UNAUTHORIZED, "please sign in").into_response();
    };
    let lens = staff.lens();
    let topics = match topics(&query) {
        Ok(t) => t,
        Err(m) => return bad_request(m),
    };
    let last_event_id = match last_event_id(&headers) {
        Ok(id) => id,
        Err(m) => return bad_request(m.to_string()),
    };
    // Someone's mentions are theirs alone.
    let not_theirs = |t: &Topic| matches!(t, Topic::Mentions(user) if *user != staff.username);
    if let Some(t) = topics
        .iter()
        .find(|t| !staff.may(t.permission()) || not_theirs(t))
    {
        return (
            StatusCode::FORBIDDEN,
            format!("topic {t} is not available for your role"),
        )
            .into_response();
    }
    let Some(slot) = state.streams.take(&staff.session_id) else {
        return (
            StatusCode::TOO_MANY_REQUESTS,
            "too many live streams for this session: close other tabs of the control room",
        )
            .into_response();
    };
    // The stream ends with the server, and with the session: revoked, idle,
    // expired or deleted (see `auth::session_watch`).
    let end = state.shutdown.child_token();
    tokio::spawn(
        state
            .auth
            .clone()
            .end_with_session(staff, token_hash(&token), end.clone()),
    );
    let start = last_event_id
        .or(query.after)
        .unwrap_or_else(|| state.store.head());
    let subscription = Subscription {
        topics,
        audience: Audience::Staff(lens),
    };
    respond(state.store, subscription, start, end, Some(slot))
}

/// The SSE response for one subscription: replayed from the log after
/// `after`, then live. See [`subscribe`].
pub fn respond(
    store: Store,
    subscription: Subscription,
    after: u64,
    end: CancellationToken,
    slot: Option<StreamSlot>,
) -> Response {
    let frames = follower::subscribe(store, subscription, after, end, slot);
    (
        [
            (header::CONTENT_TYPE, "text/event-stream"),
            (header::CACHE_CONTROL, "no-cache"),
        ],
        Body::from_stream(frames.map(Ok::<_, Infallible>)),
    )
        .into_response()
}
