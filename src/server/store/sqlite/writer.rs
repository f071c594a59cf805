//! The single writer: owns the write connection, assigns sequence numbers,
//! folds each append through the projections and commits a batch of appends
//! in one transaction, then publishes them in order.

use super::deliveries::{insert_delivery, record_accepted, settle_early, Row};
use super::order_cache::OrderCache;
use super::projections::{self, Change, Settled};
use super::reads;
use super::rows::{decode_event, insert_event, Folded, Placed};
use crate::model::evolve;
use crate::model::order::event::NotApplied;
use crate::model::{EventKind, RecordedEvent};
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

/// Most append requests folded into one transaction.
const MAX_BATCH: usize = 4096;
/// A commit that takes longer than this is logged at info level.
const SLOW_COMMIT: Duration = Duration::from_millis(250);

pub(super) type Reply<T> = oneshot::Sender<Result<T, StoreError>>;

/// What the writer is asked to do.
pub(super) enum Command {
    Append(Job, Reply<Receipt>),
    Reject(Rejected, Reply<()>),
    Rebuild(Reply<u64>),
}

/// One append request: events, and the delivery they came in, if any.
pub(super) struct Job {
    pub delivery: Option<DeliveryRow>,
    pub events: Vec<Reported>,
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

/// One append request inside a batch.
struct Pending {
    reply: Reply<Receipt>,
    result: Result<Receipt, StoreError>,
    /// What to publish once the batch is committed.
    published: Vec<LiveEvent>,
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

    pub(super) fn run(mut self, mut rx: mpsc::Receiver<Command>) {
        while let Some(first) = rx.blocking_recv() {
            let mut appends = Vec::new();
            let mut next = Some(first);
            while let Some(command) = next.take() {
                match command {
                    Command::Append(events, reply) => appends.push((events, reply)),
                    Command::Rebuild(reply) => {
                        // Keep order: commit what came before, then rebuild.
                        self.commit_batch(std::mem::take(&mut appends));
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
                if appends.len() < MAX_BATCH {
                    next = rx.try_recv().ok();
                }
            }
            self.commit_batch(appends);
            self.wal.after_commit(&self.conn);
        }
        tracing::debug!("store writer stopped");
    }

    fn commit_batch(&mut self, appends: Vec<(Job, Reply<Receipt>)>) {
        if appends.is_empty() {
            return;
        }
        let span = tracing::debug_span!("commit", batch = appends.len());
        let _in = span.enter();
        let started = Instant::now();
        let start_head = self.head.load(Ordering::Acquire);
        let mut pending: Vec<Pending> = Vec::with_capacity(appends.len());
        let Writer { conn, cache, .. } = self;
        let mut written: HashMap<String, Folded> = HashMap::new();
        let outcome = (|| -> Result<(), StoreError> {
            // IMMEDIATE: take the write lock at BEGIN (waiting up to busy_timeout
            // for the accounts connection), not on the first write, where a busy
            // lock fails at once.
            let mut tx = conn.transaction_with_behavior(TransactionBehavior::Immediate)?;
            let mut seq = start_head;
            for (job, reply) in appends {
                let mut published = Vec::new();
                let result =
                    append_job(&mut tx, &mut seq, job, cache, &mut written, &mut published);
                if result.is_err() {
                    published.clear();
                }
                pending.push(Pending {
                    reply,
                    result,
                    published,
                });
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
        let results: Vec<_> = pending
            .into_iter()
            .map(|p| {
                let result = match &failed {
                    None => {
                        committed.extend(p.published);
                        p.result
                    }
                    Some(e) => Err(StoreError::Batch(e.clone())),
                };
                (p.reply, result)
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
                    None => Arc::new(Placed::new(after.clone())?),
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
    let mut orders: HashMap<String, Folded> = HashMap::new();
    let mut recorded = Vec::with_capacity(job.events.len());
    let now = Utc::now();
    for Reported { event, if_refused } in job.events {
        let key = event.order_id.to_string();
        // This job's (taken, not copied), this batch's, or the last committed state.
        let current = match orders.remove(&key) {
            Some(o) => Some(o),
            None => match written.get(&key).or_else(|| cache.get(&key)) {
                Some(o) => Some(o.clone()),
                None => reads::folded(&sp, &key)?,
            },
        };
        let before = current.as_ref().map(|f| &f.order);
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
            (Err(_), IfRefused::Skip) => {
                if let Some(current) = current {
                    orders.insert(key, current);
                }
                continue;
            }
            (Err(refusal), _) => return Err(refusal.into()),
        };
        let json = insert_event(&sp, &rec)?;
        let placed = match &current {
            Some(f) => f.placed.clone(),
            None => Arc::new(Placed::new(order.clone())?),
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
    for folded in orders.values() {
        projections::settle(
            &sp,
            &Settled {
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
