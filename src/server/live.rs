//! `GET /api/stream`: the live stream as a view of the durable log.
//!
//! SSE ids are log sequence numbers. A client starts after `Last-Event-ID` (sent
//! by browsers on reconnect) or `?after=`, is replayed from the log up to the
//! head, and then receives live events. A subscriber that falls behind the
//! in-memory fan-out catches up from the log instead of skipping anything.

use super::auth::Caller;
use super::store::{Store, StoreError};
use super::AppState;
use crate::model::{Lens, OrderId, Permission, RecordedEvent};
use axum::extract::{ConnectInfo, Query, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::sse::{Event, KeepAlive, Sse};
use axum::response::{IntoResponse, Response};
use futures::Stream;
use serde::Deserialize;
use std::convert::Infallible;
use std::net::SocketAddr;
use std::time::Duration;
use tokio::sync::broadcast::error::RecvError;
use tokio::sync::mpsc;
use tokio_stream::wrappers::ReceiverStream;
use tokio_util::sync::CancellationToken;

/// Events replayed from the log per read.
const REPLAY_PAGE: u32 = 500;
/// Frames buffered per connection; a slow client stalls its own pump, not the server.
const CONNECTION_BUFFER: usize = 64;
/// Idle connections get a comment this often so proxies keep them open.
pub const HEARTBEAT: Duration = Duration::from_secs(15);

/// Narrowing and resume point of a stream.
#[derive(Debug, Deserialize)]
pub struct StreamQuery {
    /// Only this order's events.
    pub order: Option<String>,
    /// Start after this sequence number (ignored when `Last-Event-ID` is sent).
    pub after: Option<u64>,
}

/// What a stream delivers: all events, or one order's, seen through a lens.
#[derive(Debug, Clone)]
pub struct Topic {
    pub order: Option<OrderId>,
    pub lens: Lens,
}

impl Topic {
    fn matches(&self, e: &RecordedEvent) -> bool {
        self.order.as_ref().is_none_or(|o| o == &e.event.order_id)
    }
}

fn bad_request(message: String) -> Response {
    (StatusCode::BAD_REQUEST, message).into_response()
}

/// The SSE handler. Needs a signed-in caller allowed to view orders; every
/// event is shown through the caller's lens.
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
    let lens = staff.lens();
    // The stream ends with the session: server shutdown, or the session revoked.
    let end = state.shutdown.child_token();
    let mut revocations = state.auth.revocations();
    let ended = end.clone();
    tokio::spawn(async move {
        loop {
            tokio::select! {
                _ = ended.cancelled() => return,
                r = revocations.recv() => match r {
                    Ok(r) if r.ends(&staff) => return ended.cancel(),
                    Ok(_) | Err(RecvError::Lagged(_)) => {}
                    Err(RecvError::Closed) => return,
                },
            }
        }
    });
    let order = match query.order.as_deref().map(OrderId::parse).transpose() {
        Ok(o) => o,
        Err(e) => return bad_request(e.to_string()),
    };
    let last_event_id = match headers.get("last-event-id").map(|v| {
        v.to_str()
            .ok()
            .and_then(|s| s.trim().parse::<u64>().ok())
            .ok_or("Last-Event-ID must be a sequence number")
    }) {
        Some(Ok(seq)) => Some(seq),
        Some(Err(m)) => return bad_request(m.to_string()),
        None => None,
    };
    let start = last_event_id
        .or(query.after)
        .unwrap_or_else(|| state.store.head());
    Sse::new(subscribe(state.store, Topic { order, lens }, start, end))
        .keep_alive(KeepAlive::new().interval(HEARTBEAT).text("heartbeat"))
        .into_response()
}

/// Starts a pump for one connection and returns its frames; the stream ends
/// when `end` is cancelled (and cancels `end` when it ends for another reason).
pub fn subscribe(
    store: Store,
    topic: Topic,
    after: u64,
    end: CancellationToken,
) -> impl Stream<Item = Result<Event, Infallible>> {
    let (tx, rx) = mpsc::channel(CONNECTION_BUFFER);
    tokio::spawn(async move {
        let closed = tx.clone();
        tokio::select! {
            result = pump(store, topic, after, tx) => match result {
                Ok(()) | Err(PumpError::Gone) => {}
                Err(e) => tracing::warn!(error = %e, "live stream ended"),
            },
            _ = closed.closed() => {}
            _ = end.cancelled() => {}
        }
        // Whatever ended the pump ends everything tied to this stream.
        end.cancel();
    });
    ReceiverStream::new(rx)
}

fn frame(e: &RecordedEvent, lens: &Lens) -> Event {
    let data = if *lens == Lens::FULL {
        serde_json::to_string(e)
    } else {
        let mut seen = e.clone();
        lens.event(&mut seen);
        serde_json::to_string(&seen)
    }
    .unwrap_or_else(|_| "{}".into());
    Event::default()
        .id(e.seq.to_string())
        .event("order_event")
        .data(data)
}

/// Why a pump stopped.
#[derive(Debug, thiserror::Error)]
enum PumpError {
    #[error("client went away")]
    Gone,
    #[error(transparent)]
    Store(#[from] StoreError),
}

type Frames = mpsc::Sender<Result<Event, Infallible>>;

async fn send(tx: &Frames, topic: &Topic, e: &RecordedEvent) -> Result<(), PumpError> {
    tx.send(Ok(frame(e, &topic.lens)))
        .await
        .map_err(|_| PumpError::Gone)
}

/// Sends every matching event in `(from, to]` from the log.
async fn replay(
    store: &Store,
    topic: &Topic,
    from: u64,
    to: u64,
    tx: &Frames,
) -> Result<u64, PumpError> {
    let mut cursor = from;
    while cursor < to {
        let page = store
            .events_after(cursor, topic.order.as_ref(), REPLAY_PAGE)
            .await?;
        let full = page.len() == REPLAY_PAGE as usize;
        for e in page.iter().filter(|e| e.seq <= to) {
            send(tx, topic, e).await?;
        }
        match page.last() {
            Some(last) if full && last.seq < to => cursor = last.seq,
            _ => break,
        }
    }
    Ok(to.max(from))
}

async fn pump(store: Store, topic: Topic, after: u64, tx: Frames) -> Result<(), PumpError> {
    // Subscribe first, then read the head: every event is either at or below
    // the head (replayed from the log) or arrives on the live tail.
    let mut live = store.subscribe();
    let mut seen = replay(&store, &topic, after, store.head(), &tx).await?;
    loop {
        match live.recv().await {
            Ok(e) => {
                if e.seq <= seen {
                    continue;
                }
                if e.seq > seen + 1 {
                    replay(&store, &topic, seen, e.seq - 1, &tx).await?;
                }
                seen = e.seq;
                if topic.matches(&e) {
                    send(&tx, &topic, &e).await?;
                }
            }
            Err(RecvError::Lagged(skipped)) => {
                tracing::debug!(skipped, "subscriber lagged; catching up from the log");
                seen = replay(&store, &topic, seen, store.head(), &tx).await?;
            }
            Err(RecvError::Closed) => return Ok(()),
        }
    }
}
