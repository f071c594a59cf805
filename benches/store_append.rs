//! Benchmark: acknowledged appends per second into the SQLite store, with
//! concurrent writers sharing group commits. `cargo bench --features ssr`.
//! Prints one line per (durability, writers) setting.

use order_control_room::model::{
    Actor, Address, Channel, Component, ComponentId, ComponentKind, Currency, Customer, EventKind,
    Money, OrderEvent, OrderId, Source,
};
use order_control_room::server::store::{Durability, OrderStore, SqliteStore};
use std::sync::Arc;
use std::time::Instant;

/// The allocator the server binary uses.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn event(order: &OrderId, kind: EventKind) -> OrderEvent {
    OrderEvent {
        order_id: order.clone(),
        occurred_at: chrono::Utc::now(),
        source: Source::ControlRoom,
        actor: Actor::System {
            name: "bench".into(),
        },
        kind,
    }
}

fn placed(order: &OrderId, n: usize) -> OrderEvent {
    let total = Money::new(9900, Currency::CNY);
    event(
        order,
        EventKind::OrderPlaced {
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
    )
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
