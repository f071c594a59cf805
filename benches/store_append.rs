//! Benchmark: acknowledged appends per second into the SQLite store, with
//! concurrent writers sharing group commits. `cargo bench --features ssr`.
//! Prints one line per (durability, writers) setting.

#[path = "support/orders.rs"]
mod orders;

use order_control_room::model::{Channel, EventKind, OrderEvent, OrderId, Source};
use order_control_room::server::store::{Durability, OrderStore, SqliteStore};
use std::sync::Arc;
use std::time::Instant;

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

#[tokio::main]
async fn main() {
    for durability in [Durability::Full, Durability::Normal] {
        for (writers, per_writer) in [(1, 2_000), (16, 1_000), (128, 200)] {
            run(durability, writers, per_writer).await;
        }
    }
}
