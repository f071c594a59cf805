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
//! once. Streams per session are capped.

use super::auth::Caller;
use super::store::{LiveEvent, LiveTail, Store, StoreError};
use super::AppState;
use crate::model::tracking::CustomerStep;
use crate::model::{Lens, OrderId, Permission, RecordedEvent, Topic};
use axum::body::{Body, Bytes};
use axum::extract::{ConnectInfo, Query, State};
use axum::http::header;
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use futures::{Stream, StreamExt};
use serde::Deserialize;
use std::collections::{HashMap, VecDeque};
use std::convert::Infallible;
use std::net::SocketAddr;
use std::sync::{Arc, Mutex};
use std::time::Duration;
use tokio::sync::broadcast::error::RecvError;
use tokio::time::{Instant, Interval};
use tokio_util::sync::CancellationToken;

/// Events replayed from the log per read.
const REPLAY_PAGE: u32 = 500;
/// Idle connections get a comment this often so proxies keep them open.
const HEARTBEAT: Duration = Duration::from_secs(15);

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

/// What one stream delivers, and to whom.
#[derive(Debug, Clone)]
pub struct Subscription {
    pub topics: Vec<Topic>,
    pub audience: Audience,
}

/// Who reads a stream, which decides what each frame says.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Audience {
    /// Staff: every event (`order_event`), seen through their lens.
    Staff(Lens),
    /// A customer through a tracking link: only the steps a customer may see,
    /// as customer timeline entries (`tracking_step`); nothing staff-only.
    Customer,
}

impl Subscription {
    fn matches(&self, e: &RecordedEvent) -> bool {
        self.topics.iter().any(|t| t.matches(e))
            && (self.audience != Audience::Customer || CustomerStep::visible(e))
    }

    /// With one order as the only topic, replay reads only that order's log.
    fn only_order(&self) -> Option<&OrderId> {
        match self.topics.as_slice() {
            [Topic::Order(id)] => Some(id),
            _ => None,
        }
    }
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

/// Open streams per session, so one session cannot hold the server's
/// connections (browsers allow six per origin anyway: pages share one).
pub struct StreamCount {
    max_per_session: usize,
    open: Mutex<HashMap<String, usize>>,
}

/// Held while a stream is open; dropping it releases the slot.
pub struct StreamSlot {
    count: Arc<StreamCount>,
    session: String,
}

impl StreamCount {
    pub fn new(max_per_session: usize) -> Arc<StreamCount> {
        Arc::new(StreamCount {
            max_per_session,
            open: Mutex::new(HashMap::new()),
        })
    }

    /// A slot for one more stream of `session`, if it has one left.
    pub fn take(self: &Arc<Self>, session: &str) -> Option<StreamSlot> {
        let mut open = self.open.lock().unwrap_or_else(|e| e.into_inner());
        let n = open.entry(session.to_string()).or_default();
        if *n >= self.max_per_session {
            return None;
        }
        *n += 1;
        Some(StreamSlot {
            count: self.clone(),
            session: session.to_string(),
        })
    }
}

impl Drop for StreamSlot {
    fn drop(&mut self) {
        let mut open = self.count.open.lock().unwrap_or_else(|e| e.into_inner());
        if let Some(n) = open.get_mut(&self.session) {
            *n -= 1;
            if *n == 0 {
                open.remove(&self.session);
            }
        }
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
    let topics = match topics(&query) {
        Ok(t) => t,
        Err(m) => return bad_request(m),
    };
    if let Some(t) = topics.iter().find(|t| !staff.may(t.permission())) {
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
    let frames = subscribe(store, subscription, after, end, slot);
    (
        [
            (header::CONTENT_TYPE, "text/event-stream"),
            (header::CACHE_CONTROL, "no-cache"),
        ],
        Body::from_stream(frames.map(Ok::<_, Infallible>)),
    )
        .into_response()
}

/// One connection's frames, encoded: replayed from the log after `after`,
/// then live, with a heartbeat comment every [`HEARTBEAT`]. The connection's
/// own task polls this stream directly (no task or queue per viewer in
/// between), so a frame waits for nothing but its socket; a live event's frame
/// for the full lens is encoded once and shared by every viewer. The stream
/// ends when `end` is cancelled, and cancels `end` when it is dropped (the
/// client went away), releasing the session's slot.
fn subscribe(
    store: Store,
    topic: Subscription,
    after: u64,
    end: CancellationToken,
    slot: Option<StreamSlot>,
) -> impl Stream<Item = Bytes> + Send + 'static {
    // Subscribe first, then read the head: every event is either at or below
    // the head (replayed from the log) or arrives on the live tail.
    let live = store.subscribe();
    let head = store.head();
    let follower = Follower {
        live,
        seen: after,
        replay_to: head.max(after),
        backlog: VecDeque::new(),
        catching_up: None,
        heartbeat: tokio::time::interval_at(Instant::now() + HEARTBEAT, HEARTBEAT),
        _ends: end.clone().drop_guard(),
        _slot: slot,
        store,
        topic,
    };
    futures::stream::unfold(follower, |mut f| async move {
        match f.next().await {
            Ok(frame) => Some((frame, f)),
            Err(e) => {
                tracing::warn!(error = %e, "live stream ended");
                None
            }
        }
    })
    .take_until(end.cancelled_owned())
}

/// The state of one connection's stream.
struct Follower {
    store: Store,
    topic: Subscription,
    live: LiveTail,
    /// The last sequence number handled (sent or skipped as not matching).
    seen: u64,
    /// Replay from the log until here before taking live events.
    replay_to: u64,
    /// Frames read from the log, at most one page.
    backlog: VecDeque<Bytes>,
    /// After a `resync`: the head to reach before saying `caught_up`.
    catching_up: Option<u64>,
    /// Idle connections get a comment so proxies keep them open.
    heartbeat: Interval,
    _ends: tokio_util::sync::DropGuard,
    _slot: Option<StreamSlot>,
}

impl Follower {
    async fn next(&mut self) -> Result<Bytes, StoreError> {
        loop {
            if let Some(frame) = self.backlog.pop_front() {
                return Ok(frame);
            }
            if self.seen < self.replay_to {
                self.replay_page().await?;
                continue;
            }
            if let Some(to) = self.catching_up.take() {
                // The catch-up a `resync` announced is done: live again.
                return Ok(sse_frame(None, "caught_up", &format!(r#"{{"to":{to}}}"#)));
            }
            let received = tokio::select! {
                biased;
                received = self.live.recv() => received,
                _ = self.heartbeat.tick() => return Ok(Bytes::from_static(b":heartbeat\n\n")),
            };
            match received {
                Ok(e) if e.seq <= self.seen => {}
                Ok(e) if e.seq > self.seen + 1 => {
                    // Missed on the tail (published before we subscribed, or
                    // skipped): from the log first, this one included.
                    self.replay_to = e.seq;
                }
                Ok(e) => {
                    self.seen = e.seq;
                    if self.topic.matches(&e) {
                        return Ok(live_frame(&e, &self.topic.audience));
                    }
                }
                Err(RecvError::Lagged(skipped)) => {
                    tracing::debug!(skipped, "subscriber lagged; catching up from the log");
                    let head = self.store.head();
                    self.replay_to = head;
                    self.catching_up = Some(head);
                    // Said out loud, so the client knows it is catching up.
                    let from = self.seen;
                    return Ok(sse_frame(
                        None,
                        "resync",
                        &format!(r#"{{"from":{from},"to":{head}}}"#),
                    ));
                }
                Err(RecvError::Closed) => return Err(StoreError::Closed),
            }
        }
    }

    /// Reads the next page of `(seen, replay_to]` from the log into the backlog.
    async fn replay_page(&mut self) -> Result<(), StoreError> {
        let page = self
            .store
            .events_after(self.seen, self.topic.only_order(), REPLAY_PAGE)
            .await?;
        let full = page.len() == REPLAY_PAGE as usize;
        for e in page.iter().filter(|e| e.seq <= self.replay_to) {
            if self.topic.matches(e) {
                self.backlog.push_back(frame(e, &self.topic.audience));
            }
        }
        self.seen = match page.last() {
            // A narrowed page may end below the target: continue after it.
            Some(last) if full && last.seq < self.replay_to => last.seq,
            _ => self.replay_to,
        };
        Ok(())
    }
}

fn frame(e: &RecordedEvent, audience: &Audience) -> Bytes {
    let lens = match audience {
        Audience::Staff(lens) => lens,
        Audience::Customer => return customer_frame(e),
    };
    let data = if *lens == Lens::FULL {
        serde_json::to_string(e)
    } else {
        let mut seen = e.clone();
        lens.event(&mut seen);
        serde_json::to_string(&seen)
    }
    .unwrap_or_else(|_| "{}".into());
    sse_frame(Some(e.seq), ORDER_EVENT, &data)
}

/// A customer's frame: the event as a customer timeline entry (only events
/// [`CustomerStep::visible`] reach here; see [`Subscription::matches`]).
fn customer_frame(e: &RecordedEvent) -> Bytes {
    let data = CustomerStep::of(e)
        .and_then(|step| serde_json::to_string(&step).ok())
        .unwrap_or_else(|| "{}".into());
    sse_frame(Some(e.seq), "tracking_step", &data)
}

/// A live event's frame: through the full lens, the frame made once from the
/// JSON the writer already encoded, shared by every such viewer.
fn live_frame(e: &LiveEvent, audience: &Audience) -> Bytes {
    if *audience == Audience::Staff(Lens::FULL) {
        e.full_frame
            .get_or_init(|| sse_frame(Some(e.seq), ORDER_EVENT, &e.json))
            .clone()
    } else {
        frame(e, audience)
    }
}

/// The SSE event name of log events for staff.
const ORDER_EVENT: &str = "order_event";

/// One SSE frame: optional id, event name, data (one `data:` line per line).
fn sse_frame(id: Option<u64>, event: &str, data: &str) -> Bytes {
    let mut out = String::with_capacity(data.len() + event.len() + 40);
    if let Some(id) = id {
        out.push_str("id: ");
        out.push_str(&id.to_string());
        out.push('\n');
    }
    out.push_str("event: ");
    out.push_str(event);
    out.push('\n');
    for line in data.split('\n') {
        out.push_str("data: ");
        out.push_str(line.strip_suffix('\r').unwrap_or(line));
        out.push('\n');
    }
    out.push('\n');
    Bytes::from(out)
}
