//! The single writer: owns the write connection, assigns sequence numbers,
//! folds each append through the projections and commits a batch of appends
//! in one transaction, then publishes them in order.

use super::deliveries::{insert_delivery, record_accepted, settle_early, Row};
use super::order_cache::OrderCache;
use super::projections::{self, Change, Settled};
use super::reads;
use super::rows::{decode_event, insert_event, Folded};
use crate::model::evolve;
use crate::model::order::event::NotApplied;
use crate::model::{EventKind, OrderEvent, RecordedEvent};
use crate::server::store::wal_bound::WalKeeper;
use crate::server::store::{
    DeliveryRow, IfRefused, Ingested, LiveEvent, Receipt, Reported, StoreError,
};
use chrono::Utc;
use rusqlite::{Connection, Transaction, TransactionBehavior};
use std::collections::HashMap;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};
use tokio::sync::{broadcast, mpsc, oneshot};

/// Most requests folded into one transaction.
const MAX_BATCH: usize = 4096;
/// Most requests from the feed lane in one transaction: a batch commits in
/// time proportional to its size, and a prompt request waits for the batch
/// in progress.
const FEED_BATCH: usize = 1024;
/// Requests each lane queues before its senders wait.
const QUEUED: usize = 4096;
/// A commit that takes longer than this is logged at info level.
const SLOW_COMMIT: Duration = Duration::from_millis(250);

pub(super) type Reply<T> = oneshot::Sender<Result<T, StoreError>>;

/// A write to a table beside the log (the detectors' schedule, say), done
/// by the writer in its batch's transaction: it never waits for the write
/// lock, nor makes the writer wait for it, and costs no commit of its own.
/// It runs in a savepoint and returns how to tell its caller the outcome.
pub(super) type SideWrite = Box<dyn for<'c> FnOnce(&mut Transaction<'c>) -> Told + Send>;
/// Tells a side write's caller its outcome: `Ok` once its batch is committed.
pub(super) type Told = Box<dyn FnOnce(Result<(), Arc<StoreError>>) + Send>;
/// The side write that closes a [`Command::Together`]: told whether every
/// append before it went in or was refused by the lifecycle (`false`: one
/// failed otherwise, and the write should leave things as they are).
pub(super) type ClosingWrite = Box<dyn for<'c> FnOnce(&mut Transaction<'c>, bool) -> Told + Send>;

/// The writer's two queues. Each batch takes every prompt request waiting
/// (people's actions, the detectors' findings and state, rebuilds), then
/// fills up from the feed (webhook deliveries, the demo's and the history's
/// bulk appends): a flood from the feeds slows the feeds, not a person's
/// click or a timer's exception.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Lane {
    Prompt,
    Feed,
}

/// The senders of both lanes.
#[derive(Clone)]
pub(super) struct Lanes {
    pub prompt: mpsc::Sender<Command>,
    pub feed: mpsc::Sender<Command>,
}

impl Lanes {
    pub(super) fn of(&self, lane: Lane) -> &mpsc::Sender<Command> {
        match lane {
            Lane::Prompt => &self.prompt,
            Lane::Feed => &self.feed,
        }
    }
}

/// The receivers of both lanes, the writer's.
pub(super) struct Queues {
    prompt: mpsc::Receiver<Command>,
    feed: mpsc::Receiver<Command>,
    /// Requests taken from the feed since the batch began.
    fed: usize,
}

/// A pair of lanes.
pub(super) fn lanes() -> (Lanes, Queues) {
    let (prompt, prompt_rx) = mpsc::channel(QUEUED);
    let (feed, feed_rx) = mpsc::channel(QUEUED);
    (
        Lanes { prompt, feed },
        Queues {
            prompt: prompt_rx,
            feed: feed_rx,
            fed: 0,
        },
    )
}

impl Queues {
    /// The first request of a batch, prompt first; `None` once both lanes
    /// are closed.
    fn next(&mut self, waiting: &tokio::runtime::Runtime) -> Option<Command> {
        self.fed = 0;
        let (command, fed) = waiting.block_on(async {
            tokio::select! {
                biased;
                Some(c) = self.prompt.recv() => (Some(c), 0),
                Some(c) = self.feed.recv() => (Some(c), 1),
                else => (None, 0),
            }
        });
        self.fed += fed;
        command
    }

    /// The batch's next request already waiting, prompt first, the feed's
    /// until the batch holds its share of them.
    fn more(&mut self) -> Option<Command> {
        self.waiting(self.fed < FEED_BATCH)
    }

    /// A request already waiting, prompt first, the feed's only while
    /// `feed_room` allows.
    fn waiting(&mut self, feed_room: bool) -> Option<Command> {
        self.prompt.try_recv().ok().or_else(|| {
            if !feed_room {
                return None;
            }
            let fed = self.feed.try_recv().ok();
            self.fed += usize::from(fed.is_some());
            fed
        })
    }
}

/// What the writer is asked to do.
pub(super) enum Command {
    Append(Job, Reply<Receipt>),
    Write(SideWrite),
    /// Appends, each in a savepoint of its own, then a write that records
    /// what they were for, all in one transaction: one trip to the writer,
    /// and the record commits with what it records.
    Together(Vec<(Job, Reply<Receipt>)>, ClosingWrite),
    Reject(Rejected, Reply<()>),
    Rebuild(Reply<u64>),
}

/// One append request: events, and the delivery they came in, if any.
pub(super) struct Job {
    pub delivery: Option<DeliveryRow>,
    pub events: Vec<Reported>,
}

impl Job {
    /// Events of the control room's own (no delivery), all refused if one is.
    pub(super) fn of(events: Vec<OrderEvent>) -> Job {
        Job {
            delivery: None,
            events: events
                .into_iter()
                .map(|event| Reported {
                    event,
                    if_refused: IfRefused::Fail,
                })
                .collect(),
        }
    }
}

/// A delivery refused before it could be stored.
pub(super) struct Rejected {
    pub integration: String,
    pub dedupe_key: Option<String>,
    pub reason: String,
}

pub(super) struct Writer {
    conn: Connection,
    /// Committed orders the writer read or wrote lately.
    cache: OrderCache,
    head: Arc<AtomicU64>,
    live: broadcast::Sender<Arc<LiveEvent>>,
    /// Truncates the WAL between batches once it passes its bound.
    wal: WalKeeper,
}

/// What a batch holds, in the order it came.
enum Item {
    Append(Job, Reply<Receipt>),
    Write(SideWrite),
    Together(Vec<(Job, Reply<Receipt>)>, ClosingWrite),
}

/// One request inside a batch, done, waiting for the commit.
enum Pending {
    Append {
        reply: Reply<Receipt>,
        result: Result<Receipt, StoreError>,
        /// What to publish once the batch is committed.
        published: Vec<LiveEvent>,
    },
    Write(Told),
}

impl Writer {
    pub(super) fn new(
        conn: Connection,
        head: Arc<AtomicU64>,
        live: broadcast::Sender<Arc<LiveEvent>>,
        wal: WalKeeper,
    ) -> Self {
        Writer {
            conn,
            cache: OrderCache::default(),
            head,
            live,
            wal,
        }
    }

    /// Rebuilds the projections if the store holds other versions of them
    /// than this build keeps (after an upgrade); returns the events folded.
    pub(super) fn bring_projections_up_to_date(&mut self) -> Result<Option<u64>, StoreError> {
        if projections::current(&self.conn)? {
            return Ok(None);
        }
        self.rebuild().map(Some)
    }

    /// The sequence number of the last event in the log (0 when empty).
    pub(super) fn head(&self) -> Result<u64, StoreError> {
        Ok(self
            .conn
            .query_row("SELECT COALESCE(MAX(seq), 0) FROM events", [], |r| r.get(0))?)
    }

    pub(super) fn run(mut self, mut queues: Queues) {
        let waiting = match tokio::runtime::Builder::new_current_thread().build() {
            Ok(rt) => rt,
            Err(e) => {
                tracing::error!(error = %e, "store writer could not start");
                return;
            }
        };
        while let Some(first) = queues.next(&waiting) {
            let mut batch = Vec::new();
            // Requests in the batch, each append of a group counted.
            let mut held = 0;
            let mut next = Some(first);
            while let Some(command) = next.take() {
                held += 1;
                match command {
                    Command::Append(job, reply) => batch.push(Item::Append(job, reply)),
                    Command::Write(write) => batch.push(Item::Write(write)),
                    Command::Together(appends, then) => {
                        held += appends.len();
                        batch.push(Item::Together(appends, then));
                    }
                    Command::Rebuild(reply) => {
                        // Keep order: commit what came before, then rebuild.
                        held = 0;
                        self.commit_batch(std::mem::take(&mut batch));
                        let _ = reply.send(self.rebuild());
                    }
                    Command::Reject(r, reply) => {
                        let row = Row {
                            integration: &r.integration,
                            dedupe_key: r.dedupe_key.as_deref(),
                            outcome: "rejected",
                            reason: &r.reason,
                            events: 0,
                            body: None,
                            headers: None,
                            awaits: None,
                        };
                        let _ = reply.send(insert_delivery(&self.conn, &row).map(|_| ()));
                    }
                }
                if held < MAX_BATCH {
                    next = queues.more();
                }
            }
            self.commit_batch(batch);
            self.wal.after_commit(&self.conn);
        }
        tracing::debug!("store writer stopped");
    }

    fn commit_batch(&mut self, batch: Vec<Item>) {
        if batch.is_empty() {
            return;
        }
        let span = tracing::debug_span!("commit", batch = batch.len());
        let _in = span.enter();
        let started = Instant::now();
        let start_head = self.head.load(Ordering::Acquire);
        let mut pending: Vec<Pending> = Vec::with_capacity(batch.len());
        let Writer { conn, cache, .. } = self;
        let mut written: HashMap<String, Folded> = HashMap::new();
        let outcome = (|| -> Result<(), StoreError> {
            // IMMEDIATE: take the write lock at BEGIN (waiting up to busy_timeout
            // for the accounts connection), not on the first write, where a busy
            // lock fails at once.
            let mut tx = conn.transaction_with_behavior(TransactionBehavior::Immediate)?;
            let mut seq = start_head;
            let mut append = |tx: &mut Transaction<'_>, job, reply, pending: &mut Vec<Pending>| {
                let mut published = Vec::new();
                let result = append_job(tx, &mut seq, job, cache, &mut written, &mut published);
                let went = matches!(result, Ok(_) | Err(StoreError::Refused(_)));
                if result.is_err() {
                    published.clear();
                }
                pending.push(Pending::Append {
                    reply,
                    result,
                    published,
                });
                went
            };
            for item in batch {
                match item {
                    Item::Append(job, reply) => {
                        append(&mut tx, job, reply, &mut pending);
                    }
                    Item::Write(write) => pending.push(Pending::Write(write(&mut tx))),
                    Item::Together(appends, then) => {
                        let mut all_went = true;
                        for (job, reply) in appends {
                            all_went &= append(&mut tx, job, reply, &mut pending);
                        }
                        pending.push(Pending::Write(then(&mut tx, all_went)));
                    }
                }
            }
            tx.commit()?;
            Ok(())
        })();
        // Only what is committed may be remembered.
        let failed = match outcome {
            Ok(()) => {
                cache.remember(written);
                None
            }
            Err(e) => {
                cache.forget_all();
                Some(Arc::new(e))
            }
        };
        let mut committed: Vec<LiveEvent> = Vec::new();
        let mut told: Vec<Told> = Vec::new();
        let results: Vec<_> = pending
            .into_iter()
            .filter_map(|p| {
                let (reply, result, published) = match p {
                    Pending::Append {
                        reply,
                        result,
                        published,
                    } => (reply, result, published),
                    Pending::Write(tell) => {
                        told.push(tell);
                        return None;
                    }
                };
                let result = match &failed {
                    None => {
                        committed.extend(published);
                        result
                    }
                    Some(e) => Err(StoreError::Batch(e.clone())),
                };
                Some((reply, result))
            })
            .collect();
        // The head moves before anyone hears of the commit: an appender that
        // reads the head after its reply sees its own events, and a subscriber
        // that reads the head after subscribing misses nothing published later.
        if let Some(last) = committed.last() {
            self.head.store(last.seq, Ordering::Release);
        }
        let took = started.elapsed();
        let events = committed.len();
        // The failure itself is logged once, by each caller that gives up on it.
        if took >= SLOW_COMMIT {
            tracing::info!(
                events,
                took_ms = took.as_millis() as u64,
                ok = failed.is_none(),
                "slow commit"
            );
        } else {
            tracing::debug!(
                events,
                took_us = took.as_micros() as u64,
                ok = failed.is_none(),
                "committed"
            );
        }
        for (reply, result) in results {
            let _ = reply.send(result);
        }
        for tell in told {
            tell(failed.clone().map_or(Ok(()), Err));
        }
        for e in committed {
            let _ = self.live.send(Arc::new(e));
        }
    }

    /// Throws every projection away and folds the whole log through them
    /// again, in one transaction; returns the number of events folded.
    fn rebuild(&mut self) -> Result<u64, StoreError> {
        let span = tracing::info_span!("rebuild");
        let _in = span.enter();
        let started = Instant::now();
        self.cache.forget_all();
        let tx = self
            .conn
            .transaction_with_behavior(TransactionBehavior::Immediate)?;
        projections::clear(&tx)?;
        // The orders folded lately stay in memory; the others are read back
        // from the order rows this transaction has written so far.
        let mut folding = OrderCache::default();
        let mut folded = 0u64;
        {
            let mut stmt = tx.prepare("SELECT body FROM events ORDER BY seq")?;
            let mut rows = stmt.query([])?;
            while let Some(row) = rows.next()? {
                let rec = decode_event(row.get_ref(0)?.as_str().map_err(rusqlite::Error::from)?)?;
                let key = rec.event.order_id.to_string();
                let before = match folding.take(&key) {
                    Some(f) => Some(f),
                    None => reads::folded(&tx, &key)?,
                };
                let after = evolve(before.as_ref().map(|f| &f.order), &rec).map_err(|refusal| {
                    StoreError::Unfoldable {
                        seq: rec.seq,
                        refusal,
                    }
                })?;
                let placed = match &before {
                    Some(f) => f.placed.clone(),
                    None => Arc::new(after.clone()),
                };
                projections::apply(
                    &tx,
                    &Change {
                        event: &rec,
                        before: before.as_ref().map(|f| &f.order),
                        after: &after,
                    },
                )?;
                projections::settle(
                    &tx,
                    &Settled {
                        before: before.as_ref().map(|f| &f.order),
                        order: &after,
                        placed: &placed,
                    },
                )?;
                folding.put(
                    key,
                    Folded {
                        order: after,
                        placed,
                    },
                );
                folded += 1;
            }
        }
        projections::record_versions(&tx)?;
        tx.commit()?;
        tracing::info!(
            events = folded,
            took_ms = started.elapsed().as_millis() as u64,
            "projections rebuilt"
        );
        Ok(folded)
    }
}

/// Appends one request inside a savepoint: all or nothing. With a delivery:
/// a duplicate appends nothing, a pending one is kept without events, and an
/// event the lifecycle refuses is handled as its [`IfRefused`] says.
fn append_job(
    tx: &mut Transaction<'_>,
    seq: &mut u64,
    job: Job,
    cache: &OrderCache,
    written: &mut HashMap<String, Folded>,
    published: &mut Vec<LiveEvent>,
) -> Result<Receipt, StoreError> {
    let sp = tx.savepoint()?;
    if let Some(early) = settle_early(&sp, job.delivery.as_ref())? {
        sp.commit()?;
        return Ok(early);
    }
    let mut next_seq = *seq;
    // Each order's state before this job (this batch's, or the last committed
    // one) and after its events so far.
    let mut befores: HashMap<String, Option<Folded>> = HashMap::new();
    let mut orders: HashMap<String, Folded> = HashMap::new();
    let mut recorded = Vec::with_capacity(job.events.len());
    let now = Utc::now();
    for Reported { event, if_refused } in job.events {
        let key = event.order_id.to_string();
        if !befores.contains_key(&key) {
            let loaded = match written.get(&key).or_else(|| cache.get(&key)) {
                Some(o) => Some(o.clone()),
                None => reads::folded(&sp, &key)?,
            };
            befores.insert(key.clone(), loaded);
        }
        let current = orders
            .get(&key)
            .or_else(|| befores.get(&key).and_then(Option::as_ref));
        let before = current.map(|f| &f.order);
        let mut rec = RecordedEvent {
            seq: next_seq + 1,
            recorded_at: now,
            event,
        };
        let order = match (evolve(before, &rec), if_refused) {
            (Ok(order), _) => order,
            (Err(refusal), IfRefused::Keep { dialect, value }) if before.is_some() => {
                // The reason as data: amounts stay fields a lens withholds.
                rec.event.kind = EventKind::StatusReported {
                    dialect,
                    value,
                    note: NotApplied::NOTE.into(),
                    not_applied: Some(NotApplied::of(&refusal)),
                };
                evolve(before, &rec)?
            }
            (Err(_), IfRefused::Skip) => continue,
            (Err(refusal), _) => return Err(refusal.into()),
        };
        let json = insert_event(&sp, &rec)?;
        let placed = match current {
            Some(f) => f.placed.clone(),
            None => Arc::new(order.clone()),
        };
        projections::apply(
            &sp,
            &Change {
                event: &rec,
                before,
                after: &order,
            },
        )?;
        published.push(LiveEvent {
            record: rec.clone(),
            json,
            full_frame: Default::default(),
        });
        orders.insert(key, Folded { order, placed });
        next_seq += 1;
        recorded.push(rec);
    }
    for (key, folded) in &orders {
        projections::settle(
            &sp,
            &Settled {
                before: befores.get(key).and_then(Option::as_ref).map(|f| &f.order),
                order: &folded.order,
                placed: &folded.placed,
            },
        )?;
    }
    let delivery_id = record_accepted(&sp, job.delivery.as_ref(), recorded.len())?;
    sp.commit()?;
    *seq = next_seq;
    written.extend(orders);
    Ok(Receipt {
        delivery_id,
        outcome: Ingested::Accepted(recorded),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn write() -> Command {
        Command::Write(Box::new(|_| Box::new(|_| ())))
    }

    fn rebuild() -> Command {
        Command::Rebuild(oneshot::channel().0)
    }

    /// A prompt request queued after a flood from the feeds is taken first,
    /// and a full share of the feed's leaves the rest of the feed waiting.
    #[test]
    fn the_prompt_lane_goes_before_the_feed() {
        let (lanes, mut queues) = lanes();
        for _ in 0..3 {
            lanes.feed.try_send(write()).unwrap();
        }
        lanes.prompt.try_send(rebuild()).unwrap();
        let waiting = tokio::runtime::Builder::new_current_thread()
            .build()
            .unwrap();
        assert!(matches!(queues.next(&waiting), Some(Command::Rebuild(_))));
        assert!(matches!(queues.next(&waiting), Some(Command::Write(_))));
        lanes.prompt.try_send(rebuild()).unwrap();
        assert!(matches!(queues.waiting(false), Some(Command::Rebuild(_))));
        assert!(queues.waiting(false).is_none(), "the feed's share is taken");
        assert!(matches!(queues.waiting(true), Some(Command::Write(_))));
        drop(lanes);
        assert!(matches!(queues.next(&waiting), Some(Command::Write(_))));
        assert!(queues.next(&waiting).is_none(), "both lanes closed");
    }
}
