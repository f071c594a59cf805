//! The projection is derived from the log: rebuilding it from scratch gives
//! exactly what the incremental updates produced.

use order_control_room::model::OrderEvent;
use order_control_room::server::demo::next_script;
use order_control_room::server::store::{projection_snapshot, Durability, OrderStore, SqliteStore};
use rand::rngs::StdRng;
use rand::SeedableRng;

#[tokio::test]
async fn rebuilding_the_projection_equals_the_incremental_one() {
    let dir = tempfile::tempdir().unwrap();
    let store = SqliteStore::open(dir.path(), Durability::Normal).unwrap();
    let mut rng = StdRng::seed_from_u64(2026);
    let scripts: Vec<_> = (0..60).map(|_| next_script(&mut rng)).collect();
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
    let incremental = projection_snapshot(dir.path()).unwrap();
    assert_eq!(incremental.len(), 60);

    let folded = store.rebuild_projection().await.unwrap();
    assert_eq!(folded, appended);
    let rebuilt = projection_snapshot(dir.path()).unwrap();
    assert_eq!(rebuilt, incremental);
}

#[tokio::test]
async fn a_refused_event_in_a_batch_writes_nothing_of_that_batch() {
    let dir = tempfile::tempdir().unwrap();
    let store = SqliteStore::open(dir.path(), Durability::Normal).unwrap();
    let mut rng = StdRng::seed_from_u64(1);
    let script = next_script(&mut rng);
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
    assert!(projection_snapshot(dir.path()).unwrap().is_empty());
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
            let script = next_script(&mut rng);
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
