//! The projections are derived from the log: rebuilding them from scratch gives
//! exactly what the incremental updates produced, for every projection in the
//! store's list (each compared table by table, row by row).

use order_control_room::model::{Actor, EventKind, ExceptionCode, OrderEvent, Role, Source};
use order_control_room::server::demo::next_script;
use order_control_room::server::store::{
    projection_snapshot, projection_tables, Durability, OrderStore, SqliteStore,
};
use rand::rngs::StdRng;
use rand::SeedableRng;

#[tokio::test]
async fn rebuilding_the_projection_equals_the_incremental_one() {
    let dir = tempfile::tempdir().unwrap();
    let store = SqliteStore::open(dir.path(), Durability::Normal).unwrap();
    let mut rng = StdRng::seed_from_u64(2026);
    let scripts: Vec<_> = (0..60)
        .map(|_| next_script(&mut rng, chrono::Utc::now()))
        .collect();
    // Interleave the orders' steps the way live traffic does.
    let longest = scripts.iter().map(|s| s.steps.len()).max().unwrap();
    let mut appended = 0;
    for i in 0..longest {
        for s in &scripts {
            if let Some(step) = s.steps.get(i) {
                store
                    .append(vec![OrderEvent {
                        order_id: s.order_id.clone(),
                        occurred_at: chrono::Utc::now() - step.backdate,
                        source: step.source.clone(),
                        actor: step.actor.clone(),
                        kind: step.kind.clone(),
                    }])
                    .await
                    .expect("scripted step accepted");
                appended += 1;
            }
        }
    }
    // The simulator writes no staff notes: a few notes mention colleagues.
    for s in scripts.iter().take(5) {
        store
            .append(vec![OrderEvent {
                order_id: s.order_id.clone(),
                occurred_at: chrono::Utc::now(),
                source: Source::Staff,
                actor: Actor::Staff {
                    user_id: "u-cs".into(),
                    name: "客服小王".into(),
                    role: Role::CustomerService,
                },
                kind: EventKind::NoteAdded {
                    text: "@logistics 请核对礼盒，@finance 留意退款".into(),
                },
            }])
            .await
            .expect("a note is accepted");
        appended += 1;
    }
    // Nothing the scripts raise stays open: people raise, claim and snooze a few.
    let logistics = Actor::Staff {
        user_id: "u-lg".into(),
        name: "物流小周".into(),
        role: Role::Logistics,
    };
    for s in scripts.iter().skip(5).take(3) {
        let code = order_control_room::model::ExceptionCode::DeliveryFailed;
        for kind in [
            EventKind::ExceptionRaised {
                code,
                parcel: None,
                detail: "顾客说包裹一直没到".into(),
                facts: None,
            },
            EventKind::ExceptionClaimed { code, parcel: None },
            EventKind::ExceptionSnoozed {
                code,
                parcel: None,
                until: chrono::Utc::now() + chrono::Duration::hours(1),
                reason: "仓库中午补发".into(),
            },
        ] {
            store
                .append(vec![OrderEvent {
                    order_id: s.order_id.clone(),
                    occurred_at: chrono::Utc::now(),
                    source: Source::Staff,
                    actor: logistics.clone(),
                    kind,
                }])
                .await
                .expect("a person's exception is accepted");
            appended += 1;
        }
    }
    // Carrier exceptions clear on the next scan: one order still in its
    // warehouse's care keeps an exception open (the load board counts it).
    let mut flagged = false;
    for s in &scripts {
        let order = store.order(&s.order_id).await.unwrap().unwrap();
        if order.warehouse.is_none() || order.branch.is_some_and(|b| b.is_terminal()) {
            continue;
        }
        store
            .append(vec![OrderEvent {
                order_id: s.order_id.clone(),
                occurred_at: chrono::Utc::now(),
                source: Source::ControlRoom,
                actor: Actor::System {
                    name: "test".into(),
                },
                kind: EventKind::ExceptionRaised {
                    code: ExceptionCode::DeliveryFailed,
                    parcel: None,
                    detail: "仓库爆仓，延迟发货".into(),
                    facts: None,
                },
            }])
            .await
            .expect("an exception is raised");
        appended += 1;
        flagged = true;
        break;
    }
    assert!(flagged, "the scripts allocate orders that are not closed");
    let incremental = projection_snapshot(dir.path()).unwrap();
    // Every table of every projection is compared, and the scripts (with the
    // notes) fill them.
    let tables: Vec<&str> = incremental.keys().map(String::as_str).collect();
    let mut listed = projection_tables();
    listed.sort();
    assert_eq!(tables, listed);
    for (table, rows) in &incremental {
        assert!(!rows.is_empty(), "the scripts left {table} empty");
    }
    assert_eq!(incremental["orders"].len(), 60);
    assert_eq!(incremental["channel_orders"].len(), 60);
    // Each note names two people.
    assert_eq!(incremental["mentions"].len(), 10);
    assert!(incremental["exception_queue"].len() >= 3);

    let folded = store.rebuild_projection().await.unwrap();
    assert_eq!(folded, appended);
    let rebuilt = projection_snapshot(dir.path()).unwrap();
    for (table, rows) in &incremental {
        assert_eq!(&rebuilt[table], rows, "{table} differs after a rebuild");
    }
    assert_eq!(rebuilt, incremental);
}

#[tokio::test]
async fn a_store_whose_projections_are_missing_is_rebuilt_when_it_opens() {
    let dir = tempfile::tempdir().unwrap();
    let mut rng = StdRng::seed_from_u64(7);
    let mut appended = 0;
    {
        let store = SqliteStore::open(dir.path(), Durability::Normal).unwrap();
        for _ in 0..5 {
            let s = next_script(&mut rng, chrono::Utc::now());
            for step in s.steps.iter().take(3) {
                store
                    .append(vec![OrderEvent {
                        order_id: s.order_id.clone(),
                        occurred_at: chrono::Utc::now() - step.backdate,
                        source: step.source.clone(),
                        actor: step.actor.clone(),
                        kind: step.kind.clone(),
                    }])
                    .await
                    .unwrap();
                appended += 1;
            }
        }
    }
    let before = projection_snapshot(dir.path()).unwrap();
    // As after an upgrade that changed a projection: its version is not the one
    // this build keeps, and its rows are gone.
    let conn = rusqlite::Connection::open(dir.path().join("orders.sqlite3")).unwrap();
    conn.execute_batch("UPDATE projections SET version = version + 1; DELETE FROM orders;")
        .unwrap();
    drop(conn);
    let store = SqliteStore::open(dir.path(), Durability::Normal).unwrap();
    assert_eq!(projection_snapshot(dir.path()).unwrap(), before);
    assert_eq!(store.head(), appended);
}

/// A store written before the lean rows (schema 0001–0005: events with their
/// columns repeated, order rows with the whole order as JSON) opens, its
/// projections are rebuilt, and it reads as before.
#[tokio::test]
async fn a_store_written_before_the_lean_rows_opens_and_reads_the_same() {
    use order_control_room::model::{evolve, Order, RecordedEvent};
    use rusqlite_migration::{Migrations, M};

    let dir = tempfile::tempdir().unwrap();
    let mut conn = rusqlite::Connection::open(dir.path().join("orders.sqlite3")).unwrap();
    Migrations::new(vec![
        M::up(include_str!("../../migrations/sqlite/0001_event_log.sql")),
        M::up(include_str!("../../migrations/sqlite/0002_accounts.sql")),
        M::up(include_str!("../../migrations/sqlite/0003_ingest.sql")),
        M::up(include_str!(
            "../../migrations/sqlite/0004_integrations.sql"
        )),
        M::up(include_str!(
            "../../migrations/sqlite/0005_tracking_links.sql"
        )),
    ])
    .to_latest(&mut conn)
    .unwrap();
    let time =
        |t: chrono::DateTime<chrono::Utc>| t.to_rfc3339_opts(chrono::SecondsFormat::Micros, true);
    let mut rng = StdRng::seed_from_u64(5);
    let mut seq = 0;
    let mut written: Vec<(Order, Vec<RecordedEvent>)> = Vec::new();
    for _ in 0..4 {
        let s = next_script(&mut rng, chrono::Utc::now());
        let mut order: Option<Order> = None;
        let mut events = Vec::new();
        for step in &s.steps {
            seq += 1;
            let rec = RecordedEvent {
                seq,
                recorded_at: chrono::Utc::now(),
                event: OrderEvent {
                    order_id: s.order_id.clone(),
                    occurred_at: chrono::Utc::now() - step.backdate,
                    source: step.source.clone(),
                    actor: step.actor.clone(),
                    kind: step.kind.clone(),
                },
            };
            order = Some(evolve(order.as_ref(), &rec).unwrap());
            conn.execute(
                "INSERT INTO events (seq, order_id, kind, source, occurred_at, recorded_at, body) \
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
                rusqlite::params![
                    seq as i64,
                    rec.event.order_id.as_str(),
                    rec.event.kind.name(),
                    rec.event.source.family(),
                    time(rec.event.occurred_at),
                    time(rec.recorded_at),
                    serde_json::to_string(&rec).unwrap(),
                ],
            )
            .unwrap();
            events.push(rec);
        }
        let order = order.unwrap();
        conn.execute(
            "INSERT INTO orders (order_id, channel, channel_order_id, status, placed_at, \
             updated_at, last_seq, body) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
            rusqlite::params![
                order.id.as_str(),
                order.channel.as_str(),
                order.channel_order_id,
                order.status().as_str(),
                time(order.placed_at),
                time(order.updated_at),
                order.last_seq as i64,
                serde_json::to_string(&order).unwrap(),
            ],
        )
        .unwrap();
        written.push((order, events));
    }
    drop(conn);

    let store = SqliteStore::open(dir.path(), Durability::Normal).unwrap();
    assert_eq!(store.head(), seq);
    for (order, events) in &written {
        assert_eq!(store.order(&order.id).await.unwrap().as_ref(), Some(order));
        assert_eq!(&store.order_events(&order.id).await.unwrap(), events);
        let by_channel = store
            .order_for_channel(order.channel, &order.channel_order_id)
            .await
            .unwrap();
        assert_eq!(by_channel.as_ref(), Some(order));
    }
    let page = store
        .list_orders(&order_control_room::model::OrderQuery::default())
        .await
        .unwrap();
    assert_eq!(page.total, written.len() as u64);
}

#[tokio::test]
async fn a_refused_event_in_a_batch_writes_nothing_of_that_batch() {
    let dir = tempfile::tempdir().unwrap();
    let store = SqliteStore::open(dir.path(), Durability::Normal).unwrap();
    let mut rng = StdRng::seed_from_u64(1);
    let script = next_script(&mut rng, chrono::Utc::now());
    let place = OrderEvent {
        order_id: script.order_id.clone(),
        occurred_at: chrono::Utc::now(),
        source: script.steps[0].source.clone(),
        actor: script.steps[0].actor.clone(),
        kind: script.steps[0].kind.clone(),
    };
    // Placing the same order twice in one append: the second is refused, so
    // the whole append is refused and the log stays empty.
    let err = store.append(vec![place.clone(), place.clone()]).await;
    assert!(err.is_err());
    assert_eq!(store.head(), 0);
    let snapshot = projection_snapshot(dir.path()).unwrap();
    assert!(snapshot.values().all(Vec::is_empty), "{snapshot:?}");
    // The same order placed once is fine, and sequence numbers have no gap.
    let ok = store.append(vec![place]).await.unwrap();
    assert_eq!(ok[0].seq, 1);
}

#[tokio::test]
async fn the_head_includes_an_append_as_soon_as_it_is_acknowledged() {
    let dir = tempfile::tempdir().unwrap();
    let store = std::sync::Arc::new(SqliteStore::open(dir.path(), Durability::Normal).unwrap());
    let mut rng = StdRng::seed_from_u64(3);
    // Many concurrent appenders, each checking the head right after its reply.
    let tasks: Vec<_> = (0..32)
        .map(|_| {
            let script = next_script(&mut rng, chrono::Utc::now());
            let store = store.clone();
            tokio::spawn(async move {
                let step = &script.steps[0];
                let recorded = store
                    .append(vec![OrderEvent {
                        order_id: script.order_id.clone(),
                        occurred_at: chrono::Utc::now(),
                        source: step.source.clone(),
                        actor: step.actor.clone(),
                        kind: step.kind.clone(),
                    }])
                    .await
                    .unwrap();
                assert!(
                    store.head() >= recorded[0].seq,
                    "head lags an acknowledged append"
                );
            })
        })
        .collect();
    for t in tasks {
        t.await.unwrap();
    }
    assert_eq!(store.head(), 32);
}

#[tokio::test]
async fn a_channel_order_id_placed_again_under_another_order_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    let store = SqliteStore::open(dir.path(), Durability::Normal).unwrap();
    let mut rng = StdRng::seed_from_u64(9);
    let script = next_script(&mut rng, chrono::Utc::now());
    let step = &script.steps[0];
    let place = |order_id| OrderEvent {
        order_id,
        occurred_at: chrono::Utc::now(),
        source: step.source.clone(),
        actor: step.actor.clone(),
        kind: step.kind.clone(),
    };
    store
        .append(vec![place(script.order_id.clone())])
        .await
        .unwrap();
    let other = order_control_room::model::OrderId::parse("CR-OTHER1").unwrap();
    let refused = store.append(vec![place(other.clone())]).await;
    assert!(
        matches!(
            refused,
            Err(order_control_room::server::store::StoreError::Refused(
                order_control_room::model::Refusal::AlreadyExists(_)
            ))
        ),
        "{refused:?}"
    );
    assert_eq!(store.head(), 1);
    assert_eq!(store.order(&other).await.unwrap(), None);
    assert_eq!(projection_snapshot(dir.path()).unwrap()["orders"].len(), 1);
}
