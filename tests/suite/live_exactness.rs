//! Exactness of the live stream under a flaky network: thousands of events are
//! published while the client drops its connection and resumes with
//! `Last-Event-ID` hundreds of times, and the server restarts once on the same
//! store. The client must receive every event exactly once, in order, on
//! fresh connections (the stream lane) and reused ones (axum) alike.

use crate::support;

use rand::{Rng, SeedableRng};
use std::time::Duration;
use support::{note, placed_and_paid, Lane, TestServer};
use tokio::task::JoinHandle;

/// Events per publishing phase (one before the restart, one after).
const PER_PHASE: usize = 1_500;

/// Publishes `PER_PHASE` notes in small batches, as traffic trickles in.
fn publish(server: &TestServer, phase: usize) -> JoinHandle<()> {
    let store = server.state.store.clone();
    tokio::spawn(async move {
        for batch in 0..(PER_PHASE / 10) {
            let notes = (0..10)
                .map(|i| note("CR-X1", &format!("phase {phase} note {}", batch * 10 + i)))
                .collect();
            store.append(notes).await.expect("append accepted");
            if batch % 5 == 0 {
                tokio::time::sleep(Duration::from_millis(2)).await;
            }
        }
    })
}

/// Reads from `server` until `until` events in all have been received,
/// dropping the connection after a random handful each time.
/// Reconnects alternate between a fresh connection (the stream lane) and one
/// that served a request before (axum), so both are held to exactness.
async fn follow(
    server: &TestServer,
    received: &mut Vec<u64>,
    until: u64,
    lanes: &mut Lanes,
    rng: &mut rand::rngs::StdRng,
) {
    let fresh = server.login_fresh_connections("admin").await;
    while (received.len() as u64) < until {
        let last = received.last().copied().unwrap_or(0);
        let mut live = if (lanes.stream + lanes.axum).is_multiple_of(2) {
            server.stream_as(&fresh, "?topics=orders", Some(last)).await
        } else {
            server
                .stream_on_used_connection(&server.http, "?topics=orders", Some(last))
                .await
        };
        match live.lane {
            Lane::Stream => lanes.stream += 1,
            Lane::Axum => lanes.axum += 1,
        }
        let take = rng.random_range(1..=12);
        for _ in 0..take {
            match live.next(Duration::from_secs(10)).await {
                Some(e) => received.push(e.seq),
                None => panic!("stalled after {} events", received.len()),
            }
            if received.len() as u64 == until {
                break;
            }
        }
        drop(live);
    }
}

/// How many connections each lane served.
#[derive(Default)]
struct Lanes {
    stream: usize,
    axum: usize,
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn dropped_and_resumed_hundreds_of_times_across_a_restart_nothing_is_missed_or_doubled() {
    let dir = tempfile::tempdir().unwrap();
    let mut rng = rand::rngs::StdRng::seed_from_u64(5);
    let mut received = Vec::new();
    let mut lanes = Lanes::default();

    let server = TestServer::spawn(dir.path()).await;
    server.append(placed_and_paid("CR-X1")).await;
    let publisher = publish(&server, 1);
    let first_half = 2 + PER_PHASE as u64;
    follow(&server, &mut received, first_half, &mut lanes, &mut rng).await;
    publisher.await.unwrap();
    server.stop().await;

    let server = TestServer::spawn(dir.path()).await;
    assert_eq!(
        server.state.store.head(),
        first_half,
        "the log survived the restart"
    );
    let publisher = publish(&server, 2);
    follow(
        &server,
        &mut received,
        first_half + PER_PHASE as u64,
        &mut lanes,
        &mut rng,
    )
    .await;
    publisher.await.unwrap();

    let expected: Vec<u64> = (1..=first_half + PER_PHASE as u64).collect();
    assert_eq!(
        received.len(),
        expected.len(),
        "no duplicates, nothing missing"
    );
    assert_eq!(received, expected, "every event once, in order");
    assert!(
        lanes.stream >= 100 && lanes.axum >= 100,
        "the client dropped and resumed {} times on the stream lane and {} on axum",
        lanes.stream,
        lanes.axum
    );
    let mut last = server
        .stream("?topics=orders", received.last().copied())
        .await;
    assert_eq!(
        last.next(Duration::from_millis(300)).await,
        None,
        "nothing after the last event"
    );
    server.stop().await;
}
