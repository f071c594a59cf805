//! Benchmark: acknowledged appends per second into the SQLite store, with
//! concurrent writers sharing group commits. `cargo bench --features ssr`.
//! Prints one line per (durability, writers) setting, then a sustained
//! ingest with readers running: the WAL's size at the end and at its largest,
//! against the default bound, and the longest pause the WAL checkpoints caused.
//!
//! `cargo bench --features ssr --bench store_append -- fill [orders]` runs only
//! the fill: a fresh store filled with single-event orders (1,000,000 unless
//! given) through the same append path at full speed, then its size on disk.

#[path = "support/orders.rs"]
mod orders;

use order_control_room::model::{Channel, EventKind, OrderEvent, OrderId, OrderQuery, Source};
use order_control_room::server::store::{Durability, OrderStore, SqliteStore, WalBound};
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

/// The allocator the server binary uses.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn event(order: &OrderId, kind: EventKind) -> OrderEvent {
    orders::event(order, Source::ControlRoom, kind)
}

fn placed(order: &OrderId, n: usize) -> OrderEvent {
    orders::placed(order, Channel::Tmall, format!("3{n:017}"))
}

async fn run(durability: Durability, writers: usize, per_writer: usize) {
    let dir = tempfile::tempdir().unwrap();
    let store = Arc::new(SqliteStore::open(dir.path(), durability).unwrap());
    let orders: Vec<OrderId> = (0..writers)
        .map(|i| OrderId::parse(format!("CR-BENCH{i}")).unwrap())
        .collect();
    for (i, o) in orders.iter().enumerate() {
        store.append(vec![placed(o, i)]).await.unwrap();
    }
    let start = Instant::now();
    let tasks: Vec<_> = orders
        .into_iter()
        .map(|order| {
            let store = store.clone();
            tokio::spawn(async move {
                for i in 0..per_writer {
                    let note = EventKind::NoteAdded {
                        text: format!("note {i}"),
                    };
                    store.append(vec![event(&order, note)]).await.unwrap();
                }
            })
        })
        .collect();
    for t in tasks {
        t.await.unwrap();
    }
    let secs = start.elapsed().as_secs_f64();
    let total = writers * per_writer;
    println!(
        "store_append durability={durability:?} writers={writers}: {total} events in {secs:.2} s = {:.0} acknowledged events/s",
        total as f64 / secs
    );
}

/// New orders from `writers` appenders for `seconds`, while `readers` list
/// orders and read them back, under the default WAL bound.
async fn sustained(durability: Durability, writers: usize, readers: usize, seconds: u64) {
    let dir = tempfile::tempdir().unwrap();
    let bound = WalBound::default();
    let store = Arc::new(SqliteStore::open_with(dir.path(), durability, bound).unwrap());
    let stop = Arc::new(AtomicBool::new(false));
    let largest_wal = Arc::new(AtomicU64::new(0));
    let watcher = {
        let (store, stop, largest_wal) = (store.clone(), stop.clone(), largest_wal.clone());
        tokio::spawn(async move {
            while !stop.load(Ordering::Relaxed) {
                largest_wal.fetch_max(store.wal_bytes(), Ordering::Relaxed);
                tokio::time::sleep(Duration::from_millis(10)).await;
            }
        })
    };
    let reads: Vec<_> = (0..readers)
        .map(|_| {
            let (store, stop) = (store.clone(), stop.clone());
            tokio::spawn(async move {
                let mut done = 0u64;
                while !stop.load(Ordering::Relaxed) {
                    let page = store.list_orders(&OrderQuery::default()).await.unwrap();
                    if let Some(first) = page.orders.first() {
                        let id = OrderId::parse(first.id.clone()).unwrap();
                        store.order(&id).await.unwrap();
                    }
                    done += 1;
                }
                done
            })
        })
        .collect();
    let start = Instant::now();
    let appends: Vec<_> = (0..writers)
        .map(|w| {
            let (store, stop) = (store.clone(), stop.clone());
            tokio::spawn(async move {
                let mut n = 0usize;
                while !stop.load(Ordering::Relaxed) {
                    let order = OrderId::parse(format!("CR-S{w}X{n}")).unwrap();
                    store
                        .append(vec![placed(&order, w * 10_000_000 + n)])
                        .await
                        .unwrap();
                    n += 1;
                }
                n
            })
        })
        .collect();
    tokio::time::sleep(Duration::from_secs(seconds)).await;
    stop.store(true, Ordering::Relaxed);
    let mut orders = 0;
    for t in appends {
        orders += t.await.unwrap();
    }
    let secs = start.elapsed().as_secs_f64();
    let mut read_rounds = 0;
    for t in reads {
        read_rounds += t.await.unwrap();
    }
    watcher.await.unwrap();
    let mib = |b: u64| b as f64 / (1 << 20) as f64;
    let db_bytes = std::fs::metadata(store.path()).unwrap().len();
    let wal = store.wal_report();
    println!(
        "store_append sustained durability={durability:?} writers={writers} readers={readers}: \
         {orders} orders in {secs:.1} s ({:.0}/s), {read_rounds} read rounds; \
         database {:.0} MiB; WAL at end {:.1} MiB, largest {:.1} MiB (bound {:.0} MiB); \
         {} truncating checkpoints ({} blocked by readers), longest pause {:.1} ms, total {:.0} ms",
        orders as f64 / secs,
        mib(db_bytes),
        mib(store.wal_bytes()),
        mib(largest_wal.load(Ordering::Relaxed)),
        mib(bound.max_bytes()),
        wal.truncations,
        wal.blocked,
        wal.longest_pause.as_secs_f64() * 1000.0,
        wal.total_pause.as_secs_f64() * 1000.0,
    );
}

/// Fills a fresh store with `orders` single-event orders from 64 appenders at
/// full speed (`full` durability, default WAL bound), then prints the database
/// and WAL sizes (largest while filling, at the end, and the database once the
/// WAL is checkpointed into it) and the bytes each order costs.
async fn fill(orders: usize) {
    const WRITERS: usize = 64;
    let dir = tempfile::tempdir().unwrap();
    let bound = WalBound::default();
    let store = Arc::new(SqliteStore::open_with(dir.path(), Durability::Full, bound).unwrap());
    let path = store.path().to_path_buf();
    let stop = Arc::new(AtomicBool::new(false));
    let largest_wal = Arc::new(AtomicU64::new(0));
    let watcher = {
        let (store, stop, largest_wal) = (store.clone(), stop.clone(), largest_wal.clone());
        tokio::spawn(async move {
            while !stop.load(Ordering::Relaxed) {
                largest_wal.fetch_max(store.wal_bytes(), Ordering::Relaxed);
                tokio::time::sleep(Duration::from_millis(10)).await;
            }
        })
    };
    let next = Arc::new(AtomicU64::new(0));
    let start = Instant::now();
    let appends: Vec<_> = (0..WRITERS)
        .map(|_| {
            let (store, next) = (store.clone(), next.clone());
            tokio::spawn(async move {
                loop {
                    let n = next.fetch_add(1, Ordering::Relaxed) as usize;
                    if n >= orders {
                        break;
                    }
                    let order = OrderId::parse(format!("CR-F{n:07}")).unwrap();
                    store.append(vec![placed(&order, n)]).await.unwrap();
                    if n.is_multiple_of(100_000) && n > 0 {
                        eprintln!("{n} orders after {:.0} s", start.elapsed().as_secs_f64());
                    }
                }
            })
        })
        .collect();
    for t in appends {
        t.await.unwrap();
    }
    let secs = start.elapsed().as_secs_f64();
    stop.store(true, Ordering::Relaxed);
    watcher.await.unwrap();
    let largest = largest_wal.load(Ordering::Relaxed).max(store.wal_bytes());
    let db_end = std::fs::metadata(&path).unwrap().len();
    let wal_end = store.wal_bytes();
    drop(store);
    // Everything in the WAL into the database: what the orders cost on disk.
    let conn = rusqlite::Connection::open(&path).unwrap();
    conn.busy_timeout(Duration::from_secs(30)).unwrap();
    conn.query_row("PRAGMA wal_checkpoint(TRUNCATE)", [], |_| Ok(()))
        .unwrap();
    let db_after = std::fs::metadata(&path).unwrap().len();
    let mib = |b: u64| b as f64 / (1 << 20) as f64;
    println!(
        "store_append fill: {orders} single-event orders in {secs:.1} s ({:.0}/s), {WRITERS} appenders, \
         durability full; WAL largest {:.1} MiB (bound {:.0} MiB), at the end {:.1} MiB; \
         database at the end {:.1} MiB, {:.1} MiB once checkpointed = {:.0} bytes per order",
        orders as f64 / secs,
        mib(largest),
        mib(bound.max_bytes()),
        mib(wal_end),
        mib(db_end),
        mib(db_after),
        db_after as f64 / orders as f64,
    );
    // Where the bytes are, by table and index (SQLite's dbstat).
    let mut stmt = conn
        .prepare(
            "SELECT name, SUM(pgsize), SUM(payload), SUM(unused) FROM dbstat \
             GROUP BY name ORDER BY SUM(pgsize) DESC",
        )
        .unwrap();
    let rows = stmt
        .query_map([], |r| {
            Ok((
                r.get::<_, String>(0)?,
                r.get::<_, i64>(1)?,
                r.get::<_, i64>(2)?,
                r.get::<_, i64>(3)?,
            ))
        })
        .unwrap();
    for row in rows {
        let (name, pages, payload, unused) = row.unwrap();
        if pages > 1 << 20 {
            println!(
                "  {name}: {:.1} MiB = {:.0} bytes per order ({:.0} of payload, {:.0} unused)",
                mib(pages as u64),
                pages as f64 / orders as f64,
                payload as f64 / orders as f64,
                unused as f64 / orders as f64,
            );
        }
    }
}

#[tokio::main]
async fn main() {
    let args: Vec<String> = std::env::args().collect();
    if let Some(at) = args.iter().position(|a| a == "fill") {
        let orders = args
            .get(at + 1)
            .and_then(|n| n.parse().ok())
            .unwrap_or(1_000_000);
        fill(orders).await;
        return;
    }
    for durability in [Durability::Full, Durability::Normal] {
        for (writers, per_writer) in [(1, 2_000), (16, 1_000), (128, 200)] {
            run(durability, writers, per_writer).await;
        }
    }
    sustained(Durability::Full, 64, 4, 30).await;
}
