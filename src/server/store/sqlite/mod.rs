//! The embedded SQLite store: one writer thread that group-commits appends
//! (`writer`), and a pool of read-only connections (`reads`) that WAL lets read
//! while the writer writes. What is derived from the log lives in `projections`.

mod deliveries;
mod mention_reads;
mod order_cache;
mod projections;
mod queue_reads;
mod reads;
mod rows;
mod schema;
mod warehouse_reads;
mod writer;

pub use projections::{tables as projection_tables, Snapshot as ProjectionSnapshot};
pub(crate) use rows::time;
pub use schema::Durability;

use super::wal_bound::{
    passive_checkpointer, wal_bytes, wal_path, CheckpointTurn, ReadGate, WalBound, WalCounters,
    WalKeeper, WalReport,
};
use super::{
    AppendOutcome, CustomerAsk, DeliveryRow, FoundOrders, Ingested, LiveEvent, LiveTail,
    OrderStore, Receipt, Reported, StoreError,
};
use crate::model::views::query::OrderRows;
use crate::model::views::search::{phone_key, SearchPlan};
use crate::model::views::warehouse_load::{WarehouseFigures, WarehouseLoad};
use crate::model::warehouse::HourBucket;
use crate::model::{Channel, Order, OrderEvent, OrderId, OrderQuery, RecordedEvent};
use chrono::{DateTime, Utc};
use r2d2_sqlite::SqliteConnectionManager;
use rusqlite::Connection;
use std::path::Path;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;
use tokio::sync::{broadcast, mpsc, oneshot};
use writer::{
    lanes, ClosingWrite, Command, Job, Lane, Lanes, Rejected, Reply, SideWrite, Told, Writer,
};

/// Events the live tail buffers for a slow subscriber before it must catch up from the log.
const LIVE_BUFFER: usize = 4096;

/// SQLite behind the [`OrderStore`] boundary.
pub struct SqliteStore {
    /// While this lives, the checkpointer runs.
    _alive: Arc<()>,
    path: std::path::PathBuf,
    lanes: Lanes,
    readers: r2d2::Pool<SqliteConnectionManager>,
    /// Held by each read; closed by the writer to truncate the WAL.
    gate: ReadGate,
    head: Arc<AtomicU64>,
    live: broadcast::Sender<Arc<LiveEvent>>,
    /// What the writer's truncating checkpoints did.
    wal: Arc<WalCounters>,
}

impl SqliteStore {
    /// Opens (creating if needed) the store in `dir`, applies migrations and
    /// starts the writer thread; the WAL is kept under the default bound.
    pub fn open(dir: &Path, durability: Durability) -> Result<Self, StoreError> {
        Self::open_with(dir, durability, WalBound::default())
    }

    /// [`SqliteStore::open`], keeping the WAL under `wal_bound`. Projections
    /// stored in other versions than this build keeps are rebuilt first.
    pub fn open_with(
        dir: &Path,
        durability: Durability,
        wal_bound: WalBound,
    ) -> Result<Self, StoreError> {
        std::fs::create_dir_all(dir)?;
        let path = dir.join("orders.sqlite3");
        let conn = schema::open_writer(&path, durability)?;
        let readers = schema::reader_pool(&path)?;

        let (live, _) = broadcast::channel(LIVE_BUFFER);
        let (lanes, queues) = lanes();
        let turn = CheckpointTurn::default();
        let gate = ReadGate::default();
        let wal = Arc::new(WalCounters::default());
        let head = Arc::new(AtomicU64::new(0));
        let mut writer = Writer::new(
            conn,
            head.clone(),
            live.clone(),
            WalKeeper::new(
                wal_path(&path),
                wal_bound,
                turn.clone(),
                gate.clone(),
                wal.clone(),
            ),
        );
        writer.bring_projections_up_to_date()?;
        head.store(writer.head()?, Ordering::Release);
        std::thread::Builder::new()
            .name("store-writer".into())
            .spawn(move || writer.run(queues))?;
        let alive = Arc::new(());
        let weak = Arc::downgrade(&alive);
        let checkpoints = schema::open_checkpointer(&path, durability)?;
        std::thread::Builder::new()
            .name("store-checkpoint".into())
            .spawn(move || passive_checkpointer(checkpoints, weak, turn))?;
        Ok(SqliteStore {
            _alive: alive,
            path,
            lanes,
            readers,
            gate,
            head,
            live,
            wal,
        })
    }

    /// Writes to the tables beside the log done by the writer itself (see
    /// [`SideWrites`]).
    pub fn side_writes(&self) -> SideWrites {
        SideWrites {
            prompt: self.lanes.prompt.clone(),
        }
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
            let conn = pool.get()?;
            f(&conn)
        })
        .await?
    }

    /// Appends `events` through the writer's `lane`.
    async fn append_in(
        &self,
        lane: Lane,
        events: Vec<OrderEvent>,
    ) -> Result<Vec<RecordedEvent>, StoreError> {
        if events.is_empty() {
            return Ok(Vec::new());
        }
        let job = Job::of(events);
        self.command(lane, |reply| Command::Append(job, reply))
            .await
            .map(appended)
    }

    async fn command<T>(
        &self,
        lane: Lane,
        make: impl FnOnce(Reply<T>) -> Command,
    ) -> Result<T, StoreError> {
        let (tx, rx) = oneshot::channel();
        self.lanes
            .of(lane)
            .send(make(tx))
            .await
            .map_err(|_| StoreError::Closed)?;
        rx.await.map_err(|_| StoreError::Closed)?
    }
}

/// Writes to the tables beside the log (the detectors' schedule and cursor)
/// that the writer thread does in its own batches: a connection of their own
/// would wait for the write lock the writer holds through a busy stream, hold
/// the writer up in turn, and pay a commit each.
#[derive(Clone)]
pub struct SideWrites {
    prompt: mpsc::Sender<Command>,
}

impl SideWrites {
    /// Runs `write` in the writer's next transaction (all or nothing) and
    /// returns what it returned once that is committed.
    pub async fn write<T, F>(&self, write: F) -> Result<T, StoreError>
    where
        T: Send + 'static,
        F: FnOnce(&Connection) -> Result<T, rusqlite::Error> + Send + 'static,
    {
        let (reply, answer) = oneshot::channel::<Result<T, StoreError>>();
        let run: SideWrite = Box::new(move |tx| tell(reply, in_savepoint(tx, write)));
        self.prompt
            .send(Command::Write(run))
            .await
            .map_err(|_| StoreError::Closed)?;
        answer.await.map_err(|_| StoreError::Closed)?
    }

    /// Appends each of `appends` (each all or nothing, a refusal its own),
    /// then runs `write`, all in the writer's next transaction: one trip to
    /// the writer, and what `write` records commits with the appends. When an
    /// append fails other than by the lifecycle's refusal, `write` is not run
    /// (its value is `None`). Returns each append's outcome, in order.
    pub async fn append_each_then<T, F>(
        &self,
        appends: Vec<Vec<OrderEvent>>,
        write: F,
    ) -> Result<(Vec<AppendOutcome>, Option<T>), StoreError>
    where
        T: Send + 'static,
        F: FnOnce(&Connection) -> Result<T, rusqlite::Error> + Send + 'static,
    {
        let mut jobs = Vec::with_capacity(appends.len());
        let mut replies = Vec::with_capacity(appends.len());
        for events in appends {
            let (reply, answer) = oneshot::channel();
            jobs.push((Job::of(events), reply));
            replies.push(answer);
        }
        let (reply, answer) = oneshot::channel::<Result<Option<T>, StoreError>>();
        let then: ClosingWrite = Box::new(move |tx, all_went| {
            let done = match all_went {
                true => in_savepoint(tx, write).map(Some),
                false => Ok(None),
            };
            tell(reply, done)
        });
        self.prompt
            .send(Command::Together(jobs, then))
            .await
            .map_err(|_| StoreError::Closed)?;
        let written = answer.await.map_err(|_| StoreError::Closed)?;
        let mut outcomes = Vec::with_capacity(replies.len());
        for answer in replies {
            let outcome = answer.await.map_err(|_| StoreError::Closed)?;
            outcomes.push(outcome.map(appended));
        }
        Ok((outcomes, written?))
    }
}

/// Runs `write` in a savepoint of `tx`: all of it, or nothing.
fn in_savepoint<T>(
    tx: &mut rusqlite::Transaction<'_>,
    write: impl FnOnce(&Connection) -> Result<T, rusqlite::Error>,
) -> Result<T, rusqlite::Error> {
    let sp = tx.savepoint()?;
    let value = write(&sp)?;
    sp.commit()?;
    Ok(value)
}

/// How a side write's caller is told: its value once the batch is committed,
/// or why not.
fn tell<T: Send + 'static>(reply: Reply<T>, done: Result<T, rusqlite::Error>) -> Told {
    Box::new(move |committed| {
        let _ = reply.send(match (done, committed) {
            (Err(e), _) => Err(e.into()),
            (Ok(value), Ok(())) => Ok(value),
            (Ok(_), Err(batch)) => Err(StoreError::Batch(batch)),
        });
    })
}

/// The events a plain append (no delivery) recorded.
fn appended(receipt: Receipt) -> Vec<RecordedEvent> {
    match receipt.outcome {
        Ingested::Accepted(events) => events,
        Ingested::Pending | Ingested::Duplicate => {
            unreachable!("only a delivery can be pending or a duplicate")
        }
    }
}

/// The list's filters of `query`, as the reads take them.
fn list_filter(query: &OrderQuery) -> reads::ListFilter {
    reads::ListFilter {
        status: query.status.map(|s| s.as_str()),
        channel: query.channel.map(|c| c.as_str()),
        open_exceptions: query.open_exceptions,
    }
}

/// Every row of every projection of the store in `dir`, by table: for comparing
/// a rebuild with the incremental state.
pub fn projection_snapshot(dir: &Path) -> Result<ProjectionSnapshot, StoreError> {
    let conn = Connection::open(dir.join("orders.sqlite3"))?;
    projections::snapshot(&conn)
}

#[async_trait::async_trait]
impl OrderStore for SqliteStore {
    async fn append(&self, events: Vec<OrderEvent>) -> Result<Vec<RecordedEvent>, StoreError> {
        self.append_in(Lane::Prompt, events).await
    }

    async fn append_fed(&self, events: Vec<OrderEvent>) -> Result<Vec<RecordedEvent>, StoreError> {
        self.append_in(Lane::Feed, events).await
    }

    async fn ingest(&self, row: DeliveryRow, events: Vec<Reported>) -> Result<Receipt, StoreError> {
        let job = Job {
            delivery: Some(row),
            events,
        };
        self.command(Lane::Feed, |reply| Command::Append(job, reply))
            .await
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
        self.command(Lane::Feed, |reply| Command::Reject(rejected, reply))
            .await
    }

    async fn order_for_channel(
        &self,
        channel: Channel,
        channel_order_id: &str,
    ) -> Result<Option<Order>, StoreError> {
        let id = channel_order_id.to_string();
        self.read(move |c| reads::order_for_channel(c, channel, &id))
            .await
    }

    async fn order_for_waybill(&self, waybill: &str) -> Result<Option<Order>, StoreError> {
        let waybill = waybill.to_string();
        self.read(move |c| reads::order_for_waybill(c, &waybill))
            .await
    }

    async fn find_orders(
        &self,
        by_channel: Vec<(Channel, String)>,
        by_waybill: Vec<String>,
    ) -> Result<FoundOrders, StoreError> {
        // One blocking read for the whole delivery, not one per fact.
        self.read(move |c| reads::find_orders(c, by_channel, by_waybill))
            .await
    }

    async fn order(&self, id: &OrderId) -> Result<Option<Order>, StoreError> {
        let id = id.to_string();
        self.read(move |c| reads::order(c, &id)).await
    }

    async fn order_events(&self, id: &OrderId) -> Result<Vec<RecordedEvent>, StoreError> {
        let id = id.to_string();
        self.read(move |c| reads::order_events(c, &id)).await
    }

    async fn list_orders(&self, query: &OrderQuery) -> Result<OrderRows, StoreError> {
        let (page, per_page) = query.bounds();
        let q = reads::ListQuery {
            filter: list_filter(query),
            at: query.at.clone(),
            page,
            per_page,
        };
        // Read before the rows: they reflect at least every event up to it.
        let as_of = self.head();
        self.read(move |c| reads::list_orders(c, q, as_of)).await
    }

    async fn search_orders(
        &self,
        plan: &SearchPlan,
        query: &OrderQuery,
    ) -> Result<OrderRows, StoreError> {
        let (plan, filter) = (plan.clone(), list_filter(query));
        let as_of = self.head();
        self.read(move |c| reads::search_orders(c, &plan, filter, as_of))
            .await
    }

    async fn customer_orders(
        &self,
        phone: &str,
        since: DateTime<Utc>,
        limit: u32,
    ) -> Result<Vec<Order>, StoreError> {
        let ask = CustomerAsk {
            phone: phone.to_string(),
            since,
            besides: None,
        };
        let mut found = self.customers_orders(vec![ask], limit).await?;
        Ok(found.pop().unwrap_or_default())
    }

    async fn orders_by_id(&self, ids: Vec<OrderId>) -> Result<Vec<Option<Order>>, StoreError> {
        self.read(move |c| ids.iter().map(|id| reads::order(c, id.as_str())).collect())
            .await
    }

    async fn customers_orders(
        &self,
        asks: Vec<CustomerAsk>,
        limit: u32,
    ) -> Result<Vec<Vec<Order>>, StoreError> {
        self.read(move |c| {
            asks.iter()
                .map(|ask| {
                    let phone = phone_key(&ask.phone);
                    if phone.is_empty() {
                        Ok(Vec::new())
                    } else {
                        let besides = ask.besides.as_ref().map(OrderId::as_str);
                        reads::customer_orders(c, &phone, ask.since, besides, limit)
                    }
                })
                .collect()
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
        self.read(move |c| reads::events_after(c, after, order.as_deref(), limit))
            .await
    }

    async fn orders_changed_after(
        &self,
        after: u64,
        limit: u32,
    ) -> Result<Vec<(u64, OrderId)>, StoreError> {
        self.read(move |c| queue_reads::orders_changed_after(c, after, limit))
            .await
    }

    async fn queue_entries(
        &self,
        code: crate::model::ExceptionCode,
        after: (i64, String, String),
        now: DateTime<Utc>,
        snoozed: bool,
        limit: u32,
    ) -> Result<Vec<crate::model::views::exception_queue::QueueEntry>, StoreError> {
        self.read(move |c| queue_reads::queue_entries(c, code, &after, now, snoozed, limit))
            .await
    }

    async fn queue_counts(
        &self,
        codes: Vec<crate::model::ExceptionCode>,
        now: DateTime<Utc>,
    ) -> Result<(u64, u64), StoreError> {
        self.read(move |c| queue_reads::queue_counts(c, &codes, now))
            .await
    }

    async fn rebuild_projection(&self) -> Result<u64, StoreError> {
        self.command(Lane::Prompt, Command::Rebuild).await
    }

    fn head(&self) -> u64 {
        self.head.load(Ordering::Acquire)
    }

    fn subscribe(&self) -> LiveTail {
        self.live.subscribe()
    }

    async fn mentions_of(
        &self,
        username: &str,
        before: u64,
        limit: u32,
    ) -> Result<Vec<RecordedEvent>, StoreError> {
        let username = username.to_string();
        self.read(move |c| mention_reads::mentions_of(c, &username, before, limit))
            .await
    }

    async fn mentions_between(
        &self,
        username: &str,
        after: u64,
        up_to: u64,
    ) -> Result<u64, StoreError> {
        let username = username.to_string();
        self.read(move |c| mention_reads::mentions_between(c, &username, after, up_to))
            .await
    }

    async fn warehouse_figures(
        &self,
        since: HourBucket,
    ) -> Result<(Vec<WarehouseFigures>, u64), StoreError> {
        // Read before the rows: they reflect at least every event up to it.
        let as_of = self.head();
        let figures = self
            .read(move |c| warehouse_reads::warehouse_figures(c, since))
            .await?;
        Ok((figures, as_of))
    }

    async fn raised_in_warehouse(
        &self,
        name: &str,
        code: crate::model::ExceptionCode,
        limit: u32,
    ) -> Result<Vec<OrderId>, StoreError> {
        let name = name.to_string();
        self.read(move |c| queue_reads::raised_in_warehouse(c, &name, code, limit))
            .await
    }

    async fn warehouse_load(&self, name: &str) -> Result<Option<WarehouseLoad>, StoreError> {
        let name = name.to_string();
        self.read(move |c| warehouse_reads::warehouse_load(c, &name))
            .await
    }
}
