//! Keeps the write-ahead log under a configured size.
//!
//! Two checkpointers share the work. A background thread runs PASSIVE
//! checkpoints every few milliseconds: they copy committed pages into the
//! database without waiting for anyone, but they never shrink the WAL, and
//! under sustained ingest some reader always holds a snapshot that keeps the
//! WAL from being reset. So the writer itself, between two batches, checks the
//! WAL's size; once it passes three quarters of the bound it runs a TRUNCATE
//! checkpoint (copy every frame, wait briefly for readers on old snapshots, then
//! cut the file to zero bytes). Running it on the writer's thread means no new
//! frames are appended meanwhile, so it cannot be starved by the writer; and it
//! first closes the store's [`ReadGate`] (waiting briefly for the reads under
//! way), because overlapping short reads would otherwise keep the old WAL
//! snapshots in use and starve it too (measured: most truncations gave up with
//! four readers listing orders). The pause it causes, to the writer and to the
//! reads that arrive meanwhile, is measured and logged. A reader that holds an
//! old snapshot longer than the brief wait makes the checkpoint give up: the WAL may then
//! grow past the bound until that reader lets go, and the writer tries again a
//! little later (sooner at first, then less and less often).
//!
//! TRUNCATE rather than RESTART: both wait for the same readers, but RESTART
//! leaves the file at its high-water mark, and the bound is on the file.

use rusqlite::Connection;
use std::path::PathBuf;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex, PoisonError, Weak};
use std::time::{Duration, Instant};

/// How often the background checkpointer copies committed WAL pages.
const PASSIVE_EVERY: Duration = Duration::from_millis(50);
/// How long a truncating checkpoint waits for readers on old snapshots.
const READER_WAIT: Duration = Duration::from_millis(200);
/// After a checkpoint a reader blocked, how long before the writer tries again;
/// doubled after each blocked attempt in a row, up to [`RETRY_AT_MOST`], so a
/// reader that stays long costs the writer one short wait now and then.
const RETRY_AFTER: Duration = Duration::from_millis(100);
/// The longest the writer waits between two blocked attempts.
const RETRY_AT_MOST: Duration = Duration::from_secs(2);
/// The busy timeout of the writer's connection outside checkpoints.
pub(super) const WRITER_BUSY: Duration = Duration::from_secs(5);

/// The most the WAL may hold, in bytes, before the writer truncates it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct WalBound {
    max_bytes: u64,
}

impl WalBound {
    /// A bound of `mb` mebibytes (at least one).
    pub fn megabytes(mb: u64) -> Self {
        WalBound {
            max_bytes: mb.max(1).saturating_mul(1 << 20),
        }
    }

    /// The bound, in bytes.
    pub fn max_bytes(self) -> u64 {
        self.max_bytes
    }

    /// The size at which the writer truncates: three quarters of the bound,
    /// so the batch committed just before the check still fits under it.
    fn trigger_bytes(self) -> u64 {
        self.max_bytes / 4 * 3
    }
}

impl Default for WalBound {
    fn default() -> Self {
        WalBound::megabytes(256)
    }
}

/// What the truncating checkpoints did so far.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct WalReport {
    /// Checkpoints that truncated the WAL.
    pub truncations: u64,
    /// Checkpoints a reader on an old snapshot kept from finishing.
    pub blocked: u64,
    /// The longest the writer paused for one checkpoint (finished or not).
    pub longest_pause: Duration,
    /// All the writer's pauses for checkpoints together.
    pub total_pause: Duration,
}

/// Counters the writer updates and anyone may read.
#[derive(Debug, Default)]
pub(super) struct WalCounters {
    truncations: AtomicU64,
    blocked: AtomicU64,
    longest_pause_ns: AtomicU64,
    total_pause_ns: AtomicU64,
}

impl WalCounters {
    fn pause(&self, pause: Duration) {
        let ns = u64::try_from(pause.as_nanos()).unwrap_or(u64::MAX);
        self.longest_pause_ns.fetch_max(ns, Ordering::Relaxed);
        self.total_pause_ns.fetch_add(ns, Ordering::Relaxed);
    }

    pub(super) fn report(&self) -> WalReport {
        WalReport {
            truncations: self.truncations.load(Ordering::Relaxed),
            blocked: self.blocked.load(Ordering::Relaxed),
            longest_pause: Duration::from_nanos(self.longest_pause_ns.load(Ordering::Relaxed)),
            total_pause: Duration::from_nanos(self.total_pause_ns.load(Ordering::Relaxed)),
        }
    }
}

/// The WAL file of the database at `db`.
pub(super) fn wal_path(db: &std::path::Path) -> PathBuf {
    let mut name = db.as_os_str().to_owned();
    name.push("-wal");
    PathBuf::from(name)
}

/// The bytes the WAL file holds now (zero when there is none).
pub(super) fn wal_bytes(wal: &std::path::Path) -> u64 {
    std::fs::metadata(wal).map(|m| m.len()).unwrap_or(0)
}

/// Reads through the store's pool hold this open (shared); a truncating
/// checkpoint closes it (exclusive). Fair: once a checkpoint waits for it, new
/// reads wait behind the checkpoint instead of overtaking it.
pub(super) type ReadGate = Arc<parking_lot::RwLock<()>>;

/// One checkpoint at a time: SQLite refuses a second one outright (without
/// calling the busy handler), so the two checkpointers take turns.
pub(super) type CheckpointTurn = Arc<Mutex<()>>;

/// The writer's side: truncates the WAL between batches once it is too big.
pub(super) struct WalKeeper {
    wal: PathBuf,
    bound: WalBound,
    turn: CheckpointTurn,
    gate: ReadGate,
    counters: Arc<WalCounters>,
    /// After a blocked checkpoint: not before this.
    retry_at: Option<Instant>,
    /// How long to wait after the next blocked checkpoint.
    backoff: Duration,
}

impl WalKeeper {
    pub(super) fn new(
        wal: PathBuf,
        bound: WalBound,
        turn: CheckpointTurn,
        gate: ReadGate,
        counters: Arc<WalCounters>,
    ) -> Self {
        WalKeeper {
            wal,
            bound,
            turn,
            gate,
            counters,
            retry_at: None,
            backoff: RETRY_AFTER,
        }
    }

    /// Called by the writer between batches, outside any transaction.
    pub(super) fn after_commit(&mut self, conn: &Connection) {
        if self.retry_at.is_some_and(|at| Instant::now() < at) {
            return;
        }
        let before = wal_bytes(&self.wal);
        if before < self.bound.trigger_bytes() {
            return;
        }
        let start = Instant::now();
        let outcome = match self.gate.try_write_for(READER_WAIT) {
            Some(_closed) => {
                let _turn = self.turn.lock().unwrap_or_else(PoisonError::into_inner);
                truncate(conn)
            }
            None => Ok(Checkpoint::Blocked),
        };
        let pause = start.elapsed();
        self.counters.pause(pause);
        let pause_ms = pause.as_secs_f64() * 1000.0;
        match outcome {
            Ok(Checkpoint::Truncated) => {
                self.retry_at = None;
                self.backoff = RETRY_AFTER;
                self.counters.truncations.fetch_add(1, Ordering::Relaxed);
                tracing::info!(
                    wal_bytes = before,
                    pause_ms,
                    "WAL checkpointed and truncated"
                );
            }
            Ok(Checkpoint::Blocked) => {
                self.retry_at = Some(Instant::now() + self.backoff);
                self.backoff = (self.backoff * 2).min(RETRY_AT_MOST);
                self.counters.blocked.fetch_add(1, Ordering::Relaxed);
                tracing::debug!(
                    wal_bytes = before,
                    pause_ms,
                    "a reader on an old snapshot kept the WAL from being truncated; retrying later"
                );
            }
            Err(error) => {
                self.retry_at = Some(Instant::now() + RETRY_AT_MOST);
                tracing::warn!(%error, wal_bytes = before, "WAL checkpoint failed");
            }
        }
    }
}

enum Checkpoint {
    Truncated,
    Blocked,
}

/// A TRUNCATE checkpoint that waits at most [`READER_WAIT`] for readers.
fn truncate(conn: &Connection) -> rusqlite::Result<Checkpoint> {
    conn.busy_timeout(READER_WAIT)?;
    // The first column is 1 when the checkpoint could not finish (SQLITE_BUSY).
    let busy = conn.query_row("PRAGMA wal_checkpoint(TRUNCATE)", [], |r| {
        r.get::<_, i64>(0)
    });
    conn.busy_timeout(WRITER_BUSY)?;
    Ok(match busy? {
        0 => Checkpoint::Truncated,
        _ => Checkpoint::Blocked,
    })
}

/// Copies committed WAL pages into the database file off the writer's thread
/// (PASSIVE: never waits for, nor blocks, the writer or readers), until the
/// store is dropped.
pub(super) fn passive_checkpointer(conn: Connection, alive: Weak<()>, turn: CheckpointTurn) {
    while alive.upgrade().is_some() {
        std::thread::sleep(PASSIVE_EVERY);
        let _turn = turn.lock().unwrap_or_else(PoisonError::into_inner);
        if let Err(e) = conn.query_row("PRAGMA wal_checkpoint(PASSIVE)", [], |_| Ok(())) {
            tracing::warn!(error = %e, "checkpoint failed");
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{
        Actor, Address, Channel, Component, ComponentId, ComponentKind, Currency, Customer,
        EventKind, Money, OrderEvent, OrderId, Source,
    };
    use crate::server::store::{Durability, OrderStore, SqliteStore};

    /// A placed one-item order: a few KB of WAL per append.
    fn placed(n: usize) -> OrderEvent {
        let total = Money::new(9900, Currency::CNY);
        OrderEvent {
            order_id: OrderId::parse(format!("CR-WAL{n}")).unwrap(),
            occurred_at: chrono::Utc::now(),
            source: Source::Channel(Channel::Tmall),
            actor: Actor::System {
                name: "wal test".into(),
            },
            kind: EventKind::OrderPlaced {
                channel: Channel::Tmall,
                channel_order_id: format!("3{n:017}"),
                customer: Customer {
                    name: "张伟".into(),
                    phone: "13900139000".into(),
                    address: Address {
                        country: "CN".into(),
                        province: "浙江".into(),
                        city: "杭州".into(),
                        line: "西湖区".into(),
                    },
                },
                components: vec![Component {
                    id: ComponentId::parse("item-1").unwrap(),
                    sku: "MSK-HYD-10".into(),
                    name: "Hydrating masks".into(),
                    kind: ComponentKind::Main,
                    quantity: 1,
                    unit_price: total,
                    ships_later: false,
                }],
                total,
            },
        }
    }

    /// Appends one order after another, noting the largest WAL seen.
    struct Workload {
        store: SqliteStore,
        wal: PathBuf,
        next: usize,
    }

    impl Workload {
        async fn append(&mut self) -> u64 {
            self.store.append(vec![placed(self.next)]).await.unwrap();
            self.next += 1;
            wal_bytes(&self.wal)
        }

        /// Appends `n` orders; the largest WAL size seen after each.
        async fn append_many(&mut self, n: usize) -> u64 {
            let mut largest = 0;
            for _ in 0..n {
                largest = largest.max(self.append().await);
            }
            largest
        }
    }

    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn the_wal_stays_under_the_bound_and_comes_back_under_it_after_a_long_reader() {
        let bound = WalBound::megabytes(4);
        let dir = tempfile::tempdir().unwrap();
        let store = SqliteStore::open_with(dir.path(), Durability::Normal, bound).unwrap();
        let db = store.path().to_path_buf();
        let mut load = Workload {
            wal: wal_path(&db),
            store,
            next: 0,
        };

        // Sustained appends, no long reader: never over the bound, though the
        // appends write several times the bound through the WAL.
        let largest = load.append_many(8_000).await;
        assert!(
            largest <= bound.max_bytes(),
            "WAL reached {largest} bytes, bound {}",
            bound.max_bytes()
        );
        // Each truncation cuts a WAL past three quarters of the bound: four
        // mean more than three times the bound went through it.
        let truncations = load.store.wal_report().truncations;
        assert!(truncations >= 4, "only {truncations} truncations");

        // A reader holds a snapshot (a long query): the WAL cannot be cut and
        // grows past the bound while it does.
        let reader = Connection::open(&db).unwrap();
        reader.execute_batch("BEGIN").unwrap();
        let _: i64 = reader
            .query_row("SELECT COUNT(*) FROM events", [], |r| r.get(0))
            .unwrap();
        while wal_bytes(&load.wal) <= bound.max_bytes() {
            load.append_many(100).await;
            assert!(load.next < 200_000, "the WAL never grew past the bound");
        }
        assert!(load.store.wal_report().blocked > 0);

        // The reader lets go: a checkpoint truncates the WAL again...
        reader.execute_batch("COMMIT").unwrap();
        let deadline = Instant::now() + Duration::from_secs(120);
        while wal_bytes(&load.wal) > bound.max_bytes() {
            load.append_many(10).await;
            assert!(Instant::now() < deadline, "the WAL stayed over the bound");
        }
        assert!(load.store.wal_report().truncations > 0);
        // ...and sustained appends keep it under the bound from then on.
        let largest = load.append_many(8_000).await;
        assert!(
            largest <= bound.max_bytes(),
            "WAL reached {largest} bytes after the reader let go, bound {}",
            bound.max_bytes()
        );
    }
}
