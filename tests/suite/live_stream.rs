//! The live stream is a view of the durable log: append → server function →
//! SSE; exact resume with Last-Event-ID, also across a server restart.

use crate::support;

use order_control_room::model::EventKind;
use serde_json::json;
use std::time::Duration;
use support::{note, placed_and_paid, Lane, TestServer};

fn exception_raised(order: &str) -> order_control_room::model::OrderEvent {
    let mut e = note(order, "");
    e.kind = EventKind::ExceptionRaised {
        code: order_control_room::model::ExceptionCode::DeliveryFailed,
        parcel: None,
        detail: "recipient unreachable".into(),
        facts: None,
    };
    e
}

fn seqs(events: &[order_control_room::model::RecordedEvent]) -> Vec<u64> {
    events.iter().map(|e| e.seq).collect()
}

#[tokio::test]
async fn a_note_added_through_the_server_function_is_queryable_and_streamed() {
    let dir = tempfile::tempdir().unwrap();
    let server = TestServer::spawn(dir.path()).await;
    server.append(placed_and_paid("CR-A1")).await;
    let mut live = server.stream("?order=CR-A1", None).await;

    let (status, body) = server
        .call(
            "orders/note",
            json!({"order_id": "CR-A1", "text": "customer asked about the gift box"}),
        )
        .await;
    assert_eq!(status, 200, "{body}");
    let seq = body["seq"].as_u64().expect("the recorded event has a seq");
    assert_eq!(seq, 3);

    let (status, detail) = server.call("orders/get", json!({"id": "CR-A1"})).await;
    assert_eq!(status, 200);
    let events = detail["events"].as_array().unwrap();
    assert_eq!(events.len(), 3);
    assert_eq!(
        events[2]["kind"]["text"],
        "customer asked about the gift box"
    );
    assert_eq!(events[2]["actor"]["type"], "staff");
    assert_eq!(events[2]["actor"]["role"], "admin");
    assert_eq!(events[2]["actor"]["name"], "Demo Admin");
    assert_eq!(detail["order"]["last_seq"], 3);

    let got = live.next(Duration::from_secs(5)).await.expect("streamed");
    assert_eq!(got.seq, seq);
    assert!(
        matches!(got.event.kind, EventKind::NoteAdded { ref text } if text.contains("gift box"))
    );
    server.stop().await;
}

#[tokio::test]
async fn a_stream_narrowed_to_one_order_sees_only_that_order() {
    let dir = tempfile::tempdir().unwrap();
    let server = TestServer::spawn(dir.path()).await;
    server.append(placed_and_paid("CR-A1")).await;
    server.append(placed_and_paid("CR-B2")).await;
    let mut live = server.stream("?order=CR-B2&after=0", None).await;
    server
        .append(vec![note("CR-A1", "a"), note("CR-B2", "b")])
        .await;
    let got = live.take(3).await;
    assert!(got.iter().all(|e| e.event.order_id.as_str() == "CR-B2"));
    assert_eq!(seqs(&got), vec![3, 4, 6]);
    assert_eq!(live.next(Duration::from_millis(300)).await, None);
    server.stop().await;
}

#[tokio::test]
async fn reconnecting_with_last_event_id_gets_exactly_the_missed_events() {
    let dir = tempfile::tempdir().unwrap();
    let server = TestServer::spawn(dir.path()).await;
    server.append(placed_and_paid("CR-A1")).await;

    let mut first = server.stream("?after=0", None).await;
    let seen = first.take(2).await;
    assert_eq!(seqs(&seen), vec![1, 2]);
    drop(first);

    // Missed while disconnected.
    for i in 0..20 {
        server
            .append(vec![note("CR-A1", &format!("missed {i}"))])
            .await;
    }
    // `after` is ignored when Last-Event-ID is present.
    let mut again = server.stream("?after=0", Some(2)).await;
    let replayed = again.take(20).await;
    assert_eq!(seqs(&replayed), (3..=22).collect::<Vec<_>>());
    // Then live ones, without duplicates.
    server.append(vec![note("CR-A1", "live")]).await;
    let live = again.take(1).await;
    assert_eq!(live[0].seq, 23);
    assert_eq!(
        again.next(Duration::from_millis(300)).await,
        None,
        "no duplicates"
    );
    server.stop().await;
}

#[tokio::test]
async fn resume_stays_exact_across_a_server_restart() {
    let dir = tempfile::tempdir().unwrap();
    let server = TestServer::spawn(dir.path()).await;
    server.append(placed_and_paid("CR-A1")).await;
    for i in 0..5 {
        server
            .append(vec![note("CR-A1", &format!("before {i}"))])
            .await;
    }
    let mut live = server.stream("?after=0", None).await;
    let seen = live.take(4).await;
    let last = seen.last().unwrap().seq;
    drop(live);
    server.stop().await;

    let server = TestServer::spawn(dir.path()).await;
    assert_eq!(server.state.store.head(), 7, "the log survived the restart");
    for i in 0..3 {
        server
            .append(vec![note("CR-A1", &format!("after {i}"))])
            .await;
    }
    let mut live = server.stream("", Some(last)).await;
    let rest = live.take(6).await;
    assert_eq!(seqs(&rest), (5..=10).collect::<Vec<_>>());
    assert_eq!(
        live.next(Duration::from_millis(300)).await,
        None,
        "no duplicates"
    );
    server.stop().await;
}

#[tokio::test]
async fn a_stream_without_a_cursor_starts_at_the_head() {
    let dir = tempfile::tempdir().unwrap();
    let server = TestServer::spawn(dir.path()).await;
    server.append(placed_and_paid("CR-A1")).await;
    let mut live = server.stream("", None).await;
    server.append(vec![note("CR-A1", "new")]).await;
    assert_eq!(live.take(1).await[0].seq, 3);
    server.stop().await;
}

#[tokio::test]
async fn bad_stream_parameters_are_refused() {
    let dir = tempfile::tempdir().unwrap();
    let server = TestServer::spawn(dir.path()).await;
    let res = server
        .http
        .get(format!("{}/api/stream?order=../x", server.base))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status().as_u16(), 400);
    let res = server
        .http
        .get(format!("{}/api/stream", server.base))
        .header("Last-Event-ID", "yesterday")
        .send()
        .await
        .unwrap();
    assert_eq!(res.status().as_u16(), 400);
    server.stop().await;
}

#[tokio::test]
async fn one_stream_multiplexes_topics_and_sends_each_event_once() {
    let dir = tempfile::tempdir().unwrap();
    let server = TestServer::spawn(dir.path()).await;
    server.append(placed_and_paid("CR-T1")).await;
    server.append(placed_and_paid("CR-T2")).await;
    let mut live = server
        .stream("?topics=order:CR-T1,exceptions,order:CR-T1&after=0", None)
        .await;
    server.append(vec![note("CR-T2", "not followed")]).await;
    server
        .append(vec![exception_raised("CR-T2"), note("CR-T1", "followed")])
        .await;
    let got = live.take(4).await;
    assert_eq!(
        seqs(&got),
        vec![1, 2, 6, 7],
        "CR-T1's events and the exception, once each"
    );
    assert_eq!(live.next(Duration::from_millis(300)).await, None);
    server.stop().await;
}

#[tokio::test]
async fn the_money_topic_is_for_finance_and_carries_only_money_events() {
    let dir = tempfile::tempdir().unwrap();
    let server = TestServer::spawn(dir.path()).await;
    server.append(placed_and_paid("CR-M1")).await;
    let cs = server.login("cs").await;
    assert_eq!(server.stream_status(&cs, "?topics=money").await, 403);
    assert_eq!(
        server.stream_status(&cs, "?topics=orders,money").await,
        403,
        "one refused topic refuses the stream"
    );
    assert_eq!(server.stream_status(&cs, "?topics=orders").await, 200);

    let finance = server.login("finance").await;
    let mut live = server
        .stream_as(&finance, "?topics=money&after=0", None)
        .await;
    let amount =
        order_control_room::model::Money::new(100, order_control_room::model::Currency::CNY);
    let mut requested = note("CR-M1", "");
    requested.kind = EventKind::RefundRequested {
        amount,
        reason: "gift missing".into(),
    };
    let mut refunded = note("CR-M1", "");
    refunded.kind = EventKind::Refunded { amount };
    server
        .append(vec![note("CR-M1", "not money"), requested, refunded])
        .await;
    let got = live.take(4).await;
    assert_eq!(
        seqs(&got),
        vec![1, 2, 4, 5],
        "placed, paid, refund requested and refunded; not the note"
    );
    assert_eq!(live.next(Duration::from_millis(300)).await, None);
    server.stop().await;
}

#[tokio::test]
async fn the_stream_lane_and_axum_send_the_same_frames_and_refuse_alike() {
    let dir = tempfile::tempdir().unwrap();
    let server = TestServer::spawn(dir.path()).await;
    server.append(placed_and_paid("CR-L1")).await;
    let fresh = server.login_fresh_connections("admin").await;
    let mut on_lane = server
        .stream_as(&fresh, "?topics=order:CR-L1&after=0", None)
        .await;
    let mut on_axum = server
        .stream_on_used_connection(&server.http, "?topics=order:CR-L1&after=0", None)
        .await;
    assert_eq!(on_lane.lane, Lane::Stream);
    assert_eq!(on_axum.lane, Lane::Axum);
    server.append(vec![note("CR-L1", "both see this")]).await;
    let (a, b) = (on_lane.take(3).await, on_axum.take(3).await);
    assert_eq!(a, b, "the same events, the same JSON");
    assert_eq!(seqs(&a), vec![1, 2, 3]);

    // Refusals on a fresh connection come from the same handler.
    let anon_fresh = reqwest::Client::builder()
        .pool_max_idle_per_host(0)
        .build()
        .unwrap();
    assert_eq!(server.stream_status(&anon_fresh, "").await, 401);
    assert_eq!(server.stream_status(&fresh, "?topics=finance").await, 400);
    let cs = server.login_fresh_connections("cs").await;
    assert_eq!(server.stream_status(&cs, "?topics=money").await, 403);
    let res = fresh
        .get(format!("{}/api/stream", server.base))
        .header("Last-Event-ID", "yesterday")
        .send()
        .await
        .unwrap();
    assert_eq!(res.status().as_u16(), 400);
    assert!(res.text().await.unwrap().contains("Last-Event-ID"));

    // A request head that does not parse is answered 400 and closed.
    use tokio::io::{AsyncReadExt, AsyncWriteExt};
    let mut raw = tokio::net::TcpStream::connect(server.base.trim_start_matches("http://"))
        .await
        .unwrap();
    raw.write_all(b"GET /api/stream HTTP/1.1\r\nno colon here\r\n\r\n")
        .await
        .unwrap();
    let mut answer = String::new();
    tokio::time::timeout(Duration::from_secs(5), raw.read_to_string(&mut answer))
        .await
        .expect("answered and closed")
        .unwrap();
    assert!(answer.starts_with("HTTP/1.1 400"), "{answer}");
    server.stop().await;
}

#[tokio::test]
async fn unknown_topics_and_too_many_streams_are_refused() {
    let dir = tempfile::tempdir().unwrap();
    let server = TestServer::spawn_with(dir.path(), |args| args.max_streams_per_session = 2).await;
    assert_eq!(
        server.stream_status(&server.http, "?topics=finance").await,
        400
    );
    assert_eq!(
        server
            .stream_status(&server.http, "?topics=order:../x")
            .await,
        400
    );
    let first = server.stream("", None).await;
    let _second = server.stream("", None).await;
    let third = server.stream_status(&server.http, "").await;
    assert_eq!(third, 429, "a third stream of the same session is refused");
    let other_session = server.login("cs").await;
    assert_eq!(server.stream_status(&other_session, "").await, 200);
    drop(first);
    let mut freed = false;
    for _ in 0..100 {
        if server.stream_status(&server.http, "").await == 200 {
            freed = true;
            break;
        }
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    assert!(freed, "closing a stream frees its slot");
    server.stop().await;
}

#[tokio::test]
async fn a_client_too_slow_for_the_fan_out_is_told_to_resync_then_caught_up_and_misses_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let server = TestServer::spawn(dir.path()).await;
    server.append(placed_and_paid("CR-S1")).await;
    let mut live = server.stream("?after=2", None).await;
    // The client reads nothing while far more is committed than the in-memory
    // fan-out (4,096 events) and the socket buffers between them hold.
    let total = 40_000;
    for batch in 0..(total / 500) {
        let notes = (0..500)
            .map(|i| note("CR-S1", &format!("n{}", batch * 500 + i)))
            .collect();
        server.append(notes).await;
    }
    let got = live.take(total).await;
    assert_eq!(seqs(&got), (3..=(total as u64 + 2)).collect::<Vec<_>>());
    assert!(live.resyncs >= 1, "the server said the client fell behind");
    // Nothing more, but the frame closing the last catch-up.
    assert_eq!(live.next(Duration::from_millis(500)).await, None);
    assert_eq!(
        live.caught_up_to.len(),
        live.resyncs,
        "every catch-up it announced was reported done"
    );
    assert!(live.caught_up_to.iter().all(|&to| to <= total as u64 + 2));
    server.stop().await;
}
