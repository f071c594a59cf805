//! The embedded SQLite store: one writer thread that group-commits appends, and a
//! pool of read-only connections (WAL lets them read while the writer writes).

use super::wal_bound::{
    passive_checkpointer, wal_bytes, wal_path, CheckpointTurn, ReadGate, WalBound, WalCounters,
    WalKeeper, WalReport, WRITER_BUSY,
};
use super::{
    DeliveryRow, FoundOrders, IfRefused, Ingested, LiveEvent, LiveTail, NewDelivery, OrderStore,
    Receipt, Reported, StoreError,
};
use crate::model::order::event::NotApplied;
use crate::model::order::lifecycle::{evolve, fold};
use crate::model::{
    EventKind, Order, OrderEvent, OrderId, OrderPage, OrderQuery, RecordedEvent, Refusal, Status,
};
use chrono::{DateTime, SecondsFormat, Utc};
use r2d2_sqlite::SqliteConnectionManager;
use rusqlite::{
    params, Connection, OpenFlags, OptionalExtension, Transaction, TransactionBehavior,
};
use rusqlite_migration::{Migrations, M};
use std::collections::HashMap;
use std::path::Path;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, LazyLock};
use tokio::sync::{broadcast, mpsc, oneshot};

/// Schema migrations, kept in `migrations/sqlite/` and applied at start.
static MIGRATIONS: LazyLock<Migrations<'static>> = LazyLock::new(|| {
    Migrations::new(vec![
        M::up(include_str!(
            "../../../migrations/sqlite/0001_event_log.sql"
        )),
        M::up(include_str!("../../../migrations/sqlite/0002_accounts.sql")),
        M::up(include_str!("../../../migrations/sqlite/0003_ingest.sql")),
        M::up(include_str!(
            "../../../migrations/sqlite/0004_integrations.sql"
        )),
        M::up(include_str!(
            "../../../migrations/sqlite/0005_tracking_links.sql"
        )),
    ])
});

/// The writer's page cache, KiB.
const CACHE_KIB: u32 = 64 * 1024;
/// How much of the database file connections map into memory.
const MMAP_BYTES: u64 = 1 << 30;

/// Most append requests folded into one transaction.
const MAX_BATCH: usize = 512;
/// Events the live tail buffers for a slow subscriber before it must catch up from the log.
const LIVE_BUFFER: usize = 4096;

/// How hard a commit is pushed to disk before it is acknowledged.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Durability {
    /// `synchronous=FULL`: the WAL is fsynced at every commit; survives power loss.
    Full,
    /// `synchronous=NORMAL`: survives a crash of the process, not of the machine.
    Normal,
}

type Reply<T> = oneshot::Sender<Result<T, StoreError>>;

enum Command {
    Append(Job, Reply<Receipt>),
    Reject(Rejected, Reply<()>),
    Rebuild(Reply<u64>),
}

/// One append request: events, and the delivery they came in, if any.
struct Job {
    delivery: Option<DeliveryRow>,
    events: Vec<Reported>,
}

/// A delivery refused before it could be stored.
struct Rejected {
    integration: String,
    dedupe_key: Option<String>,
    reason: String,
}

/// SQLite behind the [`OrderStore`] boundary.
pub struct SqliteStore {
    /// While this lives, the checkpointer runs.
    _alive: Arc<()>,
    path: std::path::PathBuf,
    commands: mpsc::Sender<Command>,
    readers: r2d2::Pool<SqliteConnectionManager>,
    /// Held by each read; closed by the writer to truncate the WAL.
    gate: ReadGate,
    head: Arc<AtomicU64>,
    live: broadcast::Sender<Arc<LiveEvent>>,
    /// What the writer's truncating checkpoints did.
    wal: Arc<WalCounters>,
}

pub(super) fn db(err: impl std::fmt::Display) -> StoreError {
    tracing::error!(error = %err, "sqlite");
    StoreError::Database(err.to_string())
}

pub(super) fn time(t: DateTime<Utc>) -> String {
    t.to_rfc3339_opts(SecondsFormat::Micros, true)
}

impl SqliteStore {
    /// Opens (creating if needed) the store in `dir`, applies migrations and
    /// starts the writer thread; the WAL is kept under the default bound.
    pub fn open(dir: &Path, durability: Durability) -> Result<Self, StoreError> {
        Self::open_with(dir, durability, WalBound::default())
    }

    /// [`SqliteStore::open`], keeping the WAL under `wal_bound`.
    pub fn open_with(
        dir: &Path,
        durability: Durability,
        wal_bound: WalBound,
    ) -> Result<Self, StoreError> {
        std::fs::create_dir_all(dir).map_err(db)?;
        let path = dir.join("orders.sqlite3");
        // The writer connection is used by its one thread only: no SQLite mutex.
        let flags = OpenFlags::SQLITE_OPEN_READ_WRITE
            | OpenFlags::SQLITE_OPEN_CREATE
            | OpenFlags::SQLITE_OPEN_URI
            | OpenFlags::SQLITE_OPEN_NO_MUTEX;
        let mut conn = Connection::open_with_flags(&path, flags).map_err(db)?;
        let sync = match durability {
            Durability::Full => "FULL",
            Durability::Normal => "NORMAL",
        };
        // A large page cache and memory-mapped reads keep the hot pages of the
        // projection off the read() path; checkpoints run on their own thread,
        // and on the writer's when the WAL passes its bound (see `wal_bound`).
        conn.execute_batch(&format!(
            "PRAGMA journal_mode=WAL; PRAGMA synchronous={sync}; PRAGMA foreign_keys=ON; \
             PRAGMA cache_size=-{CACHE_KIB}; PRAGMA mmap_size={MMAP_BYTES}; \
             PRAGMA wal_autocheckpoint=0;"
        ))
        .map_err(db)?;
        conn.busy_timeout(WRITER_BUSY).map_err(db)?;
        MIGRATIONS.to_latest(&mut conn).map_err(db)?;
        let head: u64 = conn
            .query_row("SELECT COALESCE(MAX(seq), 0) FROM events", [], |r| r.get(0))
            .map_err(db)?;

        let manager = SqliteConnectionManager::file(&path).with_init(|c| {
            c.execute_batch(&format!(
                "PRAGMA query_only=ON; PRAGMA busy_timeout=5000; PRAGMA mmap_size={MMAP_BYTES};"
            ))
        });
        let readers = r2d2::Pool::builder()
            .max_size(8)
            .build(manager)
            .map_err(db)?;

        let head = Arc::new(AtomicU64::new(head));
        let (live, _) = broadcast::channel(LIVE_BUFFER);
        let (commands, rx) = mpsc::channel(4096);
        let turn = CheckpointTurn::default();
        let gate = ReadGate::default();
        let wal = Arc::new(WalCounters::default());
        let writer = Writer {
            conn,
            cache: OrderCache::default(),
            head: head.clone(),
            live: live.clone(),
            wal: WalKeeper::new(
                wal_path(&path),
                wal_bound,
                turn.clone(),
                gate.clone(),
                wal.clone(),
            ),
        };
        std::thread::Builder::new()
            .name("store-writer".into())
            .spawn(move || writer.run(rx))
            .map_err(db)?;
        let alive = Arc::new(());
        let weak = Arc::downgrade(&alive);
        let checkpoints = Connection::open(&path).map_err(db)?;
        checkpoints
            .execute_batch(&format!(
                "PRAGMA busy_timeout=5000; PRAGMA synchronous={sync};"
            ))
            .map_err(db)?;
        std::thread::Builder::new()
            .name("store-checkpoint".into())
            .spawn(move || passive_checkpointer(checkpoints, weak, turn))
            .map_err(db)?;
        Ok(SqliteStore {
            _alive: alive,
            path,
            commands,
            readers,
            gate,
            head,
            live,
            wal,
        })
    }

    /// What the truncating checkpoints did so far (for benchmarks and tests).
    pub fn wal_report(&self) -> WalReport {
        self.wal.report()
    }

    /// The bytes the WAL file holds now.
    pub fn wal_bytes(&self) -> u64 {
        wal_bytes(&wal_path(&self.path))
    }

    /// The database file (accounts open their own connection to it).
    pub fn path(&self) -> &Path {
        &self.path
    }

    async fn read<T, F>(&self, f: F) -> Result<T, StoreError>
    where
        T: Send + 'static,
        F: FnOnce(&Connection) -> Result<T, StoreError> + Send + 'static,
    {
        let pool = self.readers.clone();
        let gate = self.gate.clone();
        tokio::task::spawn_blocking(move || {
            let _open = gate.read();
            let conn = pool.get().map_err(db)?;
            f(&conn)
        })
        .await
        .map_err(db)?
    }

    async fn command<T>(&self, make: impl FnOnce(Reply<T>) -> Command) -> Result<T, StoreError> {
        let (tx, rx) = oneshot::channel();
        self.commands
            .send(make(tx))
            .await
            .map_err(|_| StoreError::Closed)?;
        rx.await.map_err(|_| StoreError::Closed)?
    }
}

fn decode<T: serde::de::DeserializeOwned>(body: &str) -> Result<T, StoreError> {
    serde_json::from_str(body).map_err(db)
}

fn load_order(conn: &Connection, id: &str) -> Result<Option<Order>, StoreError> {
    conn.prepare_cached("SELECT body FROM orders WHERE order_id = ?1")
        .map_err(db)?
        .query_row([id], |r| r.get::<_, String>(0))
        .optional()
        .map_err(db)?
        .map(|body| decode(&body))
        .transpose()
}

fn collect_events(rows: &mut rusqlite::Rows<'_>) -> Result<Vec<RecordedEvent>, StoreError> {
    let mut out = Vec::new();
    while let Some(row) = rows.next().map_err(db)? {
        let body: String = row.get(0).map_err(db)?;
        out.push(decode(&body)?);
    }
    Ok(out)
}

#[async_trait::async_trait]
impl OrderStore for SqliteStore {
    async fn append(&self, events: Vec<OrderEvent>) -> Result<Vec<RecordedEvent>, StoreError> {
        if events.is_empty() {
            return Ok(Vec::new());
        }
        let job = Job {
            delivery: None,
            events: events
                .into_iter()
                .map(|event| Reported {
                    event,
                    if_refused: IfRefused::Fail,
                })
                .collect(),
        };
        match self
            .command(|reply| Command::Append(job, reply))
            .await?
            .outcome
        {
            Ingested::Accepted(events) => Ok(events),
            other => Err(StoreError::Database(format!(
                "an append without a delivery came back {other:?}"
            ))),
        }
    }

    async fn ingest(&self, row: DeliveryRow, events: Vec<Reported>) -> Result<Receipt, StoreError> {
        let job = Job {
            delivery: Some(row),
            events,
        };
        self.command(|reply| Command::Append(job, reply)).await
    }

    async fn reject_delivery(
        &self,
        integration: &str,
        dedupe_key: Option<&str>,
        reason: &str,
    ) -> Result<(), StoreError> {
        let rejected = Rejected {
            integration: integration.to_string(),
            dedupe_key: dedupe_key.map(str::to_string),
            reason: reason.to_string(),
        };
        self.command(|reply| Command::Reject(rejected, reply)).await
    }

    async fn order_for_channel(
        &self,
        channel: crate::model::Channel,
        channel_order_id: &str,
    ) -> Result<Option<Order>, StoreError> {
        let id = channel_order_id.to_string();
        self.read(move |c| {
            c.prepare_cached("SELECT body FROM orders WHERE channel = ?1 AND channel_order_id = ?2")
                .map_err(db)?
                .query_row(params![channel.as_str(), id], |r| r.get::<_, String>(0))
                .optional()
                .map_err(db)?
                .map(|body| decode(&body))
                .transpose()
        })
        .await
    }

    async fn order_for_waybill(&self, waybill: &str) -> Result<Option<Order>, StoreError> {
        let waybill = waybill.to_string();
        self.read(move |c| {
            let order: Option<String> = c
                .prepare_cached("SELECT order_id FROM waybills WHERE waybill = ?1")
                .map_err(db)?
                .query_row([waybill], |r| r.get(0))
                .optional()
                .map_err(db)?;
            match order {
                Some(id) => load_order(c, &id),
                None => Ok(None),
            }
        })
        .await
    }

    async fn find_orders(
        &self,
        by_channel: Vec<(crate::model::Channel, String)>,
        by_waybill: Vec<String>,
    ) -> Result<FoundOrders, StoreError> {
        // One blocking read for the whole delivery, not one per fact.
        self.read(move |c| {
            let mut found = FoundOrders::default();
            let mut stmt = c
                .prepare_cached(
                    "SELECT body FROM orders WHERE channel = ?1 AND channel_order_id = ?2",
                )
                .map_err(db)?;
            for (channel, id) in by_channel {
                let body: Option<String> = stmt
                    .query_row(params![channel.as_str(), id], |r| r.get(0))
                    .optional()
                    .map_err(db)?;
                if let Some(body) = body {
                    found.by_channel.insert((channel, id), decode(&body)?);
                }
            }
            let mut stmt = c
                .prepare_cached(
                    "SELECT o.body FROM waybills w JOIN orders o ON o.order_id = w.order_id \
                     WHERE w.waybill = ?1",
                )
                .map_err(db)?;
            for waybill in by_waybill {
                let body: Option<String> = stmt
                    .query_row([&waybill], |r| r.get(0))
                    .optional()
                    .map_err(db)?;
                if let Some(body) = body {
                    found.by_waybill.insert(waybill, decode(&body)?);
                }
            }
            Ok(found)
        })
        .await
    }

    async fn order_events_at(
        &self,
        id: &OrderId,
        times: Vec<DateTime<Utc>>,
    ) -> Result<Vec<RecordedEvent>, StoreError> {
        let id = id.to_string();
        let times: std::collections::HashSet<String> = times.into_iter().map(time).collect();
        self.read(move |c| {
            let mut stmt = c
                .prepare_cached(
                    "SELECT occurred_at, body FROM events WHERE order_id = ?1 ORDER BY seq",
                )
                .map_err(db)?;
            let mut rows = stmt.query([id]).map_err(db)?;
            let mut out = Vec::new();
            // Only rows at one of the times are decoded.
            while let Some(row) = rows.next().map_err(db)? {
                let at = row.get_ref(0).map_err(db)?.as_str().map_err(db)?;
                if times.contains(at) {
                    out.push(decode(row.get_ref(1).map_err(db)?.as_str().map_err(db)?)?);
                }
            }
            Ok(out)
        })
        .await
    }

    async fn order(&self, id: &OrderId) -> Result<Option<Order>, StoreError> {
        let id = id.to_string();
        self.read(move |c| load_order(c, &id)).await
    }

    async fn order_events(&self, id: &OrderId) -> Result<Vec<RecordedEvent>, StoreError> {
        let id = id.to_string();
        self.read(move |c| {
            let mut stmt = c
                .prepare_cached("SELECT body FROM events WHERE order_id = ?1 ORDER BY seq")
                .map_err(db)?;
            let mut rows = stmt.query([id]).map_err(db)?;
            collect_events(&mut rows)
        })
        .await
    }

    async fn list_orders(&self, query: &OrderQuery) -> Result<OrderPage, StoreError> {
        let (page, per_page) = query.bounds();
        let status = query.status.map(Status::as_str);
        let channel = query.channel.map(|c| c.as_str());
        let search = query.search_text().map(str::to_uppercase);
        // Read before the rows: they reflect at least every event up to it.
        let as_of = self.head();
        self.read(move |c| {
            let filter = "(?1 IS NULL OR status = ?1) AND (?2 IS NULL OR channel = ?2) \
                AND (?3 IS NULL OR instr(upper(order_id), ?3) > 0 OR instr(upper(channel_order_id), ?3) > 0)";
            let total: u64 = c
                .prepare_cached(&format!("SELECT COUNT(*) FROM orders WHERE {filter}"))
                .map_err(db)?
                .query_row(params![status, channel, search], |r| r.get(0))
                .map_err(db)?;
            let mut stmt = c
                .prepare_cached(&format!(
                    "SELECT body FROM orders WHERE {filter} \
                     ORDER BY placed_at DESC, order_id LIMIT ?4 OFFSET ?5"
                ))
                .map_err(db)?;
            let offset = u64::from(page - 1) * u64::from(per_page);
            let mut rows = stmt
                .query(params![status, channel, search, per_page, offset])
                .map_err(db)?;
            let mut orders = Vec::new();
            while let Some(row) = rows.next().map_err(db)? {
                let body: String = row.get(0).map_err(db)?;
                orders.push(decode::<Order>(&body)?);
            }
            Ok(OrderPage {
                // Full here; the server function narrows it to the caller's lens.
                lens: crate::model::Lens::FULL,
                orders,
                total,
                page,
                per_page,
                as_of,
            })
        })
        .await
    }

    async fn events_after(
        &self,
        after: u64,
        order: Option<&OrderId>,
        limit: u32,
    ) -> Result<Vec<RecordedEvent>, StoreError> {
        let order = order.map(|o| o.to_string());
        self.read(move |c| {
            let after = after as i64;
            let mut stmt;
            let mut rows = match &order {
                Some(id) => {
                    stmt = c
                        .prepare_cached(
                            "SELECT body FROM events WHERE order_id = ?1 AND seq > ?2 ORDER BY seq LIMIT ?3",
                        )
                        .map_err(db)?;
                    stmt.query(params![id, after, limit]).map_err(db)?
                }
                None => {
                    stmt = c
                        .prepare_cached("SELECT body FROM events WHERE seq > ?1 ORDER BY seq LIMIT ?2")
                        .map_err(db)?;
                    stmt.query(params![after, limit]).map_err(db)?
                }
            };
            collect_events(&mut rows)
        })
        .await
    }

    async fn awaiting_shipment(
        &self,
        placed_before: DateTime<Utc>,
    ) -> Result<Vec<Order>, StoreError> {
        let before = time(placed_before);
        self.read(move |c| {
            let mut stmt = c
                .prepare_cached(
                    "SELECT body FROM orders WHERE placed_at < ?1 \
                     AND status IN ('paid', 'confirmed', 'allocated', 'picking', 'packed')",
                )
                .map_err(db)?;
            let mut rows = stmt.query([before]).map_err(db)?;
            let mut out = Vec::new();
            while let Some(row) = rows.next().map_err(db)? {
                let body: String = row.get(0).map_err(db)?;
                let order: Order = decode(&body)?;
                if !order.any_shipped() {
                    out.push(order);
                }
            }
            Ok(out)
        })
        .await
    }

    async fn rebuild_projection(&self) -> Result<u64, StoreError> {
        self.command(Command::Rebuild).await
    }

    fn head(&self) -> u64 {
        self.head.load(Ordering::Acquire)
    }

    fn subscribe(&self) -> LiveTail {
        self.live.subscribe()
    }
}

/// The latest committed state of orders the writer touched, so appending to
/// them needs no read and no decoding. Bounded: when full it starts over.
#[derive(Default)]
struct OrderCache {
    orders: HashMap<String, Order>,
}

/// Orders the writer keeps in memory at most.
const CACHED_ORDERS: usize = 20_000;

impl OrderCache {
    fn get(&self, id: &str) -> Option<&Order> {
        self.orders.get(id)
    }

    /// Takes the orders of a committed batch.
    fn remember(&mut self, written: HashMap<String, Order>) {
        if self.orders.len() + written.len() > CACHED_ORDERS {
            self.orders.clear();
        }
        self.orders.extend(written);
    }

    /// After a failed commit (or a rebuild) nothing remembered can be trusted.
    fn forget_all(&mut self) {
        self.orders.clear();
    }
}

/// The single writer: owns the write connection, assigns sequence numbers,
/// commits batches and then publishes them in order.
struct Writer {
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
    fn run(mut self, mut rx: mpsc::Receiver<Command>) {
        while let Some(first) = rx.blocking_recv() {
            let mut appends = Vec::new();
            let mut next = Some(first);
            while let Some(command) = next.take() {
                match command {
                    Command::Append(events, reply) => appends.push((events, reply)),
                    Command::Rebuild(reply) => {
                        // Keep order: commit what came before, then rebuild.
                        self.commit_batch(std::mem::take(&mut appends));
                        self.cache.forget_all();
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
        let start_head = self.head.load(Ordering::Acquire);
        let mut pending: Vec<Pending> = Vec::with_capacity(appends.len());
        // IMMEDIATE: take the write lock at BEGIN (waiting up to busy_timeout for
        // the accounts connection), not on the first write, where a busy lock
        // fails at once.
        let Writer { conn, cache, .. } = self;
        let mut written: HashMap<String, Order> = HashMap::new();
        let outcome = (|| -> Result<(), StoreError> {
            let mut tx = conn
                .transaction_with_behavior(TransactionBehavior::Immediate)
                .map_err(db)?;
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
            tx.commit().map_err(db)
        })();
        // Only what is committed may be remembered.
        match &outcome {
            Ok(()) => cache.remember(written),
            Err(_) => cache.forget_all(),
        }
        let mut committed: Vec<LiveEvent> = Vec::new();
        let results: Vec<_> = pending
            .into_iter()
            .map(|p| {
                let result = match (&outcome, p.result) {
                    (Ok(()), result) => {
                        committed.extend(p.published);
                        result
                    }
                    (Err(e), _) => Err(StoreError::Database(e.to_string())),
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
        for (reply, result) in results {
            let _ = reply.send(result);
        }
        for e in committed {
            let _ = self.live.send(Arc::new(e));
        }
    }

    fn rebuild(&mut self) -> Result<u64, StoreError> {
        let tx = self
            .conn
            .transaction_with_behavior(TransactionBehavior::Immediate)
            .map_err(db)?;
        let events = {
            let mut stmt = tx
                .prepare("SELECT body FROM events ORDER BY seq")
                .map_err(db)?;
            let mut rows = stmt.query([]).map_err(db)?;
            collect_events(&mut rows)?
        };
        let orders = fold(&events).map_err(|(seq, refusal)| {
            StoreError::Database(format!("the log does not fold at seq {seq}: {refusal}"))
        })?;
        tx.execute("DELETE FROM orders", []).map_err(db)?;
        tx.execute("DELETE FROM waybills", []).map_err(db)?;
        for order in orders.values() {
            save_order(&tx, order)?;
            for waybill in order.parcels.iter().filter_map(|p| p.waybill.as_deref()) {
                index_waybill(&tx, waybill, order.id.as_str())?;
            }
        }
        tx.commit().map_err(db)?;
        Ok(events.len() as u64)
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
    written: &mut HashMap<String, Order>,
    published: &mut Vec<LiveEvent>,
) -> Result<Receipt, StoreError> {
    let sp = tx.savepoint().map_err(db)?;
    if let Some(early) = settle_early(&sp, job.delivery.as_ref())? {
        sp.commit().map_err(db)?;
        return Ok(early);
    }
    let mut next_seq = *seq;
    let mut orders: HashMap<String, Order> = HashMap::new();
    let mut recorded = Vec::with_capacity(job.events.len());
    let now = Utc::now();
    for Reported { event, if_refused } in job.events {
        let key = event.order_id.to_string();
        // This job's (taken, not copied), this batch's, or the last committed state.
        let current = match orders.remove(&key) {
            Some(o) => Some(o),
            None => match written.get(&key).or_else(|| cache.get(&key)) {
                Some(o) => Some(o.clone()),
                None => load_order(&sp, &key)?,
            },
        };
        let mut rec = RecordedEvent {
            seq: next_seq + 1,
            recorded_at: now,
            event,
        };
        let order = match (evolve(current.as_ref(), &rec), if_refused) {
            (Ok(order), _) => order,
            (Err(refusal), IfRefused::Keep { dialect, value }) if current.is_some() => {
                // The reason as data: amounts stay fields a lens withholds.
                rec.event.kind = EventKind::StatusReported {
                    dialect,
                    value,
                    note: NotApplied::NOTE.into(),
                    not_applied: Some(NotApplied::of(&refusal)),
                };
                evolve(current.as_ref(), &rec)?
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
        published.push(LiveEvent {
            record: rec.clone(),
            json,
            full_frame: Default::default(),
        });
        if let EventKind::ParcelShipped { waybill, .. } = &rec.event.kind {
            index_waybill(&sp, waybill, &key)?;
        }
        if current.is_none() && channel_order_taken(&sp, &order)? {
            return Err(Refusal::AlreadyExists(format!(
                "{} {}",
                order.channel.as_str(),
                order.channel_order_id
            ))
            .into());
        }
        orders.insert(key, order);
        next_seq += 1;
        recorded.push(rec);
    }
    for order in orders.values() {
        save_order(&sp, order)?;
    }
    let n = recorded.len();
    let delivery_id = match &job.delivery {
        None => None,
        Some(DeliveryRow::New(d)) => Some(insert_delivery(
            &sp,
            &Row::stored(d, "accepted", "", n, None),
        )?),
        Some(DeliveryRow::Settle { id }) => {
            sp.prepare_cached(
                "UPDATE deliveries SET outcome = 'accepted', events = ?2, awaits = NULL, \
                 reason = 'linked when its order or waybill arrived' WHERE id = ?1",
            )
            .map_err(db)?
            .execute(params![id, n as i64])
            .map_err(db)?;
            Some(*id)
        }
        Some(DeliveryRow::Replay { of, integration }) => Some(insert_delivery(
            &sp,
            &Row {
                integration,
                dedupe_key: None,
                outcome: "replayed",
                reason: &format!("replay of delivery #{of}"),
                events: n,
                body: None,
                headers: None,
                awaits: None,
            },
        )?),
    };
    sp.commit().map_err(db)?;
    *seq = next_seq;
    written.extend(orders);
    Ok(Receipt {
        delivery_id,
        outcome: Ingested::Accepted(recorded),
    })
}

/// The answer for a delivery that appends nothing: a duplicate, a pending one,
/// or a settle of a delivery that is no longer pending.
fn settle_early(
    conn: &Connection,
    delivery: Option<&DeliveryRow>,
) -> Result<Option<Receipt>, StoreError> {
    match delivery {
        Some(DeliveryRow::New(d)) => {
            if delivery_stored(conn, d)? {
                let row = Row::stored(d, "duplicate", "already received", 0, None);
                let id = insert_delivery(
                    conn,
                    &Row {
                        body: None,
                        headers: None,
                        ..row
                    },
                )?;
                return Ok(Some(Receipt {
                    delivery_id: Some(id),
                    outcome: Ingested::Duplicate,
                }));
            }
            if let Some(awaiting) = &d.pending {
                let row = Row::stored(d, "pending", &awaiting.reason, 0, Some(&awaiting.key));
                let id = insert_delivery(conn, &row)?;
                return Ok(Some(Receipt {
                    delivery_id: Some(id),
                    outcome: Ingested::Pending,
                }));
            }
            Ok(None)
        }
        Some(DeliveryRow::Settle { id }) => {
            let pending = conn
                .prepare_cached("SELECT 1 FROM deliveries WHERE id = ?1 AND outcome = 'pending'")
                .map_err(db)?
                .exists([id])
                .map_err(db)?;
            Ok((!pending).then_some(Receipt {
                delivery_id: Some(*id),
                outcome: Ingested::Duplicate,
            }))
        }
        Some(DeliveryRow::Replay { .. }) | None => Ok(None),
    }
}

fn delivery_stored(conn: &Connection, d: &NewDelivery) -> Result<bool, StoreError> {
    conn.prepare_cached(
        "SELECT 1 FROM deliveries WHERE integration = ?1 AND dedupe_key = ?2 \
         AND outcome IN ('accepted', 'pending')",
    )
    .map_err(db)?
    .exists(params![d.integration, d.dedupe_key])
    .map_err(db)
}

/// A row of the delivery log.
struct Row<'a> {
    integration: &'a str,
    dedupe_key: Option<&'a str>,
    outcome: &'a str,
    reason: &'a str,
    events: usize,
    body: Option<&'a [u8]>,
    headers: Option<String>,
    awaits: Option<&'a str>,
}

impl<'a> Row<'a> {
    /// The row for a received delivery, with its body and headers.
    fn stored(
        d: &'a NewDelivery,
        outcome: &'a str,
        reason: &'a str,
        events: usize,
        awaits: Option<&'a str>,
    ) -> Row<'a> {
        Row {
            integration: &d.integration,
            dedupe_key: Some(&d.dedupe_key),
            outcome,
            reason,
            events,
            body: Some(&d.body),
            headers: Some(serde_json::to_string(&d.headers).unwrap_or_default()),
            awaits,
        }
    }
}

/// Lists a delivery in the delivery log; returns its id.
fn insert_delivery(conn: &Connection, row: &Row<'_>) -> Result<i64, StoreError> {
    conn.prepare_cached(
        "INSERT INTO deliveries (integration, dedupe_key, received_at, outcome, reason, events, \
         body, headers, awaits) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)",
    )
    .map_err(db)?
    .execute(params![
        row.integration,
        row.dedupe_key,
        time(Utc::now()),
        row.outcome,
        row.reason,
        row.events as i64,
        row.body,
        row.headers,
        row.awaits,
    ])
    .map_err(db)?;
    Ok(conn.last_insert_rowid())
}

fn index_waybill(conn: &Connection, waybill: &str, order_id: &str) -> Result<(), StoreError> {
    conn.prepare_cached("INSERT OR IGNORE INTO waybills (waybill, order_id) VALUES (?1, ?2)")
        .map_err(db)?
        .execute(params![waybill, order_id])
        .map_err(db)?;
    Ok(())
}

fn channel_order_taken(conn: &Connection, order: &Order) -> Result<bool, StoreError> {
    conn.prepare_cached("SELECT 1 FROM orders WHERE channel = ?1 AND channel_order_id = ?2")
        .map_err(db)?
        .exists(params![order.channel.as_str(), order.channel_order_id])
        .map_err(db)
}

/// Inserts one event; returns its JSON as stored.
fn insert_event(conn: &Connection, rec: &RecordedEvent) -> Result<String, StoreError> {
    let body = serde_json::to_string(rec).map_err(db)?;
    conn.prepare_cached(
        "INSERT INTO events (seq, order_id, kind, source, occurred_at, recorded_at, body) \
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
    )
    .map_err(db)?
    .execute(params![
        rec.seq as i64,
        rec.event.order_id.as_str(),
        rec.event.kind.name(),
        rec.event.source.family(),
        time(rec.event.occurred_at),
        time(rec.recorded_at),
        &body
    ])
    .map_err(db)?;
    Ok(body)
}

fn save_order(conn: &Connection, order: &Order) -> Result<(), StoreError> {
    let body = serde_json::to_string(order).map_err(db)?;
    conn.prepare_cached(
        "INSERT INTO orders (order_id, channel, channel_order_id, status, placed_at, updated_at, last_seq, body) \
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8) \
         ON CONFLICT (order_id) DO UPDATE SET status = excluded.status, \
           updated_at = excluded.updated_at, last_seq = excluded.last_seq, body = excluded.body",
    )
    .map_err(db)?
    .execute(params![
        order.id.as_str(),
        order.channel.as_str(),
        order.channel_order_id,
        order.status().as_str(),
        time(order.placed_at),
        time(order.updated_at),
        order.last_seq as i64,
        body
    ])
    .map_err(db)?;
    Ok(())
}

/// Every row of the projection, for comparing a rebuild with the incremental state.
pub fn projection_snapshot(dir: &Path) -> Result<Vec<(String, String, String)>, StoreError> {
    let conn = Connection::open(dir.join("orders.sqlite3")).map_err(db)?;
    let mut stmt = conn
        .prepare("SELECT order_id, status, body FROM orders ORDER BY order_id")
        .map_err(db)?;
    let rows = stmt
        .query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))
        .map_err(db)?;
    rows.collect::<Result<_, _>>().map_err(db)
}
