//! One connection's stream of frames: replayed from the log, then live from
//! the in-memory tail, with `resync`/`caught_up` when it falls behind and a
//! heartbeat while idle.

use super::frames::{customer_frame, full_frame, sse_frame, staff_frame};
use super::recipients::Recipients;
use super::slots::StreamSlot;
use super::subscription::{Audience, Subscription};
use crate::model::live::sse::SseEvent;
use crate::model::RecordedEvent;
use crate::server::store::{LiveEvent, LiveTail, Store, StoreError};
use axum::body::Bytes;
use futures::{Stream, StreamExt};
use std::collections::VecDeque;
use std::time::Duration;
use tokio::sync::broadcast::error::RecvError;
use tokio::time::{Instant, Interval};
use tokio_util::sync::CancellationToken;

/// Events replayed from the log per read.
const REPLAY_PAGE: u32 = 500;
/// Idle connections get a comment this often so proxies keep them open.
const HEARTBEAT: Duration = Duration::from_secs(15);

/// One connection's frames, encoded: replayed from the log after `after`,
/// then live, with a heartbeat comment every [`HEARTBEAT`]. The connection's
/// own task polls this stream directly (no task or queue per viewer in
/// between), so a frame waits for nothing but its socket; a live event's frame
/// for the full lens is encoded once and shared by every viewer. The stream
/// ends when `end` is cancelled, and cancels `end` when it is dropped (the
/// client went away), releasing the session's slot.
pub(super) fn subscribe(
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
    let step = match topic.audience {
        Audience::Customer { after_step } => after_step,
        Audience::Staff(_) => 0,
    };
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
        step,
        recipients: Recipients::default(),
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
    /// A customer stream: the number of the last step sent.
    step: u64,
    /// Whom orders go to, for lenses that mask contact details in free text.
    recipients: Recipients,
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
                return Ok(sse_frame(
                    None,
                    SseEvent::CaughtUp.name(),
                    &self.positions(&format!(r#"{{"to":{to}}}"#)),
                ));
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
                        return self.render(&e, Some(e.as_ref())).await;
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
                        SseEvent::Resync.name(),
                        &self.positions(&format!(r#"{{"from":{from},"to":{head}}}"#)),
                    ));
                }
                Err(RecvError::Closed) => return Err(StoreError::Closed),
            }
        }
    }

    /// The frame of a matching event for this stream's audience (`live`: the
    /// same event as it came from the tail, whose full-lens frame is shared).
    async fn render(
        &mut self,
        e: &RecordedEvent,
        live: Option<&LiveEvent>,
    ) -> Result<Bytes, StoreError> {
        if e.event.kind.may_change_contact() {
            self.recipients.forget(&e.event.order_id);
        }
        let recipient = if self.topic.audience.wants_recipient(e) {
            self.recipients.of(&self.store, &e.event.order_id).await?
        } else {
            None
        };
        Ok(match (self.topic.audience, live) {
            (Audience::Staff(lens), Some(live)) if !lens.hides_anything() => full_frame(live),
            (Audience::Staff(lens), _) => staff_frame(e, &lens, recipient.as_deref()),
            (Audience::Customer { .. }, _) => {
                self.step += 1;
                customer_frame(e, self.step, recipient.as_deref())
            }
        })
    }

    /// The data of a `resync` or `caught_up` frame: log positions for staff;
    /// customers are not told log positions, only that it happens.
    fn positions(&self, staff_data: &str) -> String {
        match self.topic.audience {
            Audience::Staff(_) => staff_data.to_string(),
            Audience::Customer { .. } => "{}".to_string(),
        }
    }

    /// Reads the next page of `(seen, replay_to]` from the log into the backlog.
    async fn replay_page(&mut self) -> Result<(), StoreError> {
        let page = self
            .store
            .events_after(self.seen, self.topic.only_order(), REPLAY_PAGE)
            .await?;
        let full = page.len() == REPLAY_PAGE as usize;
        let replay_to = self.replay_to;
        for e in page.iter().filter(|e| e.seq <= replay_to) {
            if self.topic.matches(e) {
                let frame = self.render(e, None).await?;
                self.backlog.push_back(frame);
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
