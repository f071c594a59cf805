//! Tracking links at the edge, against the real server: opens are limited per
//! network address (429 with Retry-After); opens are counted in memory and
//! written in batches, not one write each; crawlers are told to stay out
//! (`robots.txt`, `X-Robots-Tag`); and the customer never sees the log's
//! sequence numbers: steps are numbered per order, and a stream resumes
//! exactly after the step its `Last-Event-ID` names.

use crate::support;

use eventsource_stream::Eventsource;
use futures::StreamExt;
use order_control_room::i18n::{words, Locale};
use order_control_room::model::views::tracking::StepKind;
use order_control_room::model::{Actor, EventKind, OrderEvent, ScanKind, Source};
use serde_json::{json, Value};
use std::time::Duration;
use support::hooks::shipped;
use support::{note, order_id, placed_and_paid, TestServer};

const ORDER: &str = "CR-EDGE";
const WAYBILL: &str = "YT5550001";

/// The order placed, paid, packed and shipped: four customer steps.
async fn server_with_order(
    dir: &std::path::Path,
    adjust: impl FnOnce(&mut order_control_room::server::config::ServeArgs),
) -> TestServer {
    let server = TestServer::spawn_with(dir, adjust).await;
    server.append(placed_and_paid(ORDER)).await;
    server.append(shipped(ORDER, WAYBILL)).await;
    server
}

/// A link made by admin: its id and token.
async fn link(server: &TestServer) -> (String, String) {
    let (status, created) = server
        .call(
            "orders/tracking-links/create",
            json!({"order_id": ORDER, "expires_in_days": null}),
        )
        .await;
    assert_eq!(status, 200, "{created}");
    let token = created["url"].as_str().unwrap().strip_prefix("/track/");
    (
        created["summary"]["id"].as_str().unwrap().to_string(),
        token.unwrap().to_string(),
    )
}

async fn get(client: &reqwest::Client, url: String) -> reqwest::Response {
    client.get(url).send().await.unwrap()
}

/// The link's open count as the store holds it (what has been written).
fn written_opens(dir: &std::path::Path, id: &str) -> u64 {
    let db = rusqlite::Connection::open(dir.join("orders.sqlite3")).unwrap();
    db.query_row(
        "SELECT opened FROM tracking_links WHERE id = ?1",
        [id],
        |r| r.get(0),
    )
    .unwrap()
}

#[tokio::test]
async fn opens_above_the_limit_per_address_get_429_with_retry_after() {
    let dir = tempfile::tempdir().unwrap();
    let server = server_with_order(dir.path(), |a| a.tracking_opens_per_minute = 5).await;
    let (_, token) = link(&server).await;
    let view = format!("{}/api/track/{token}", server.base);
    for n in 0..4 {
        assert_eq!(
            get(&server.anon, view.clone()).await.status(),
            200,
            "open {n}"
        );
    }
    // A live stream counts too: the fifth.
    let stream = get(&server.anon, format!("{view}/stream")).await;
    assert_eq!(stream.status(), 200);
    drop(stream);

    let refused = get(&server.anon, view.clone()).await;
    assert_eq!(refused.status(), 429);
    let wait: u64 = refused.headers()["retry-after"]
        .to_str()
        .unwrap()
        .parse()
        .unwrap();
    assert!((1..=12).contains(&wait), "Retry-After: {wait}");
    let body: Value = refused.json().await.unwrap();
    assert!(
        body["error"].as_str().unwrap().contains("try again"),
        "{body}"
    );
    // Streams, refreshes and guessed tokens are refused alike.
    for url in [
        format!("{view}/stream"),
        format!("{view}?refresh=true"),
        format!("{}/api/track/{}", server.base, "A".repeat(43)),
    ] {
        assert_eq!(get(&server.anon, url.clone()).await.status(), 429, "{url}");
    }
    server.stop().await;
}

#[tokio::test]
async fn opens_are_written_in_batches_not_one_write_each() {
    let dir = tempfile::tempdir().unwrap();
    const OPENS: u64 = 20;
    // No periodic write during this part of the test.
    let server = server_with_order(dir.path(), |a| a.tracking_open_flush_ms = 3_600_000).await;
    let (id, token) = link(&server).await;
    for _ in 0..OPENS {
        let res = get(&server.anon, format!("{}/api/track/{token}", server.base)).await;
        assert_eq!(res.status(), 200);
    }
    assert_eq!(
        written_opens(dir.path(), &id),
        0,
        "{OPENS} opens made no write of their own"
    );
    // Staff see them already (counted in memory).
    let (_, list) = server
        .call("orders/tracking-links/list", json!({"order_id": ORDER}))
        .await;
    assert_eq!(list[0]["opened"], OPENS, "{list}");
    assert!(list[0]["last_opened_at"].is_string());
    // Stopping the server writes what was counted.
    server.stop().await;
    assert_eq!(written_opens(dir.path(), &id), OPENS);

    // With a short period, the count is written while the server runs.
    let server = TestServer::spawn_with(dir.path(), |a| a.tracking_open_flush_ms = 100).await;
    for _ in 0..3 {
        let res = get(&server.anon, format!("{}/api/track/{token}", server.base)).await;
        assert_eq!(res.status(), 200);
    }
    let deadline = tokio::time::Instant::now() + Duration::from_secs(5);
    while written_opens(dir.path(), &id) != OPENS + 3 {
        assert!(
            tokio::time::Instant::now() < deadline,
            "the count is written within the period"
        );
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    server.stop().await;
}

#[tokio::test]
async fn crawlers_are_asked_to_stay_out_and_not_to_index() {
    let dir = tempfile::tempdir().unwrap();
    let server = server_with_order(dir.path(), |_| {}).await;
    let (_, token) = link(&server).await;

    let robots = get(&server.anon, format!("{}/robots.txt", server.base)).await;
    assert_eq!(robots.status(), 200);
    assert!(robots.headers()["content-type"]
        .to_str()
        .unwrap()
        .starts_with("text/plain"));
    let text = robots.text().await.unwrap();
    for rule in ["User-agent: *", "Disallow: /api/"] {
        assert!(text.lines().any(|l| l == rule), "{rule} in {text}");
    }
    // Links stay fetchable so a crawler reads their `noindex`.
    assert!(!text.lines().any(|l| l.starts_with("Disallow: /track")));

    // Fresh connections: the stream takes the stream lane.
    let fresh = reqwest::Client::builder()
        .pool_max_idle_per_host(0)
        .build()
        .unwrap();
    for (client, url) in [
        (&server.anon, format!("{}/track/{token}", server.base)),
        (&server.anon, format!("{}/api/track/{token}", server.base)),
        (
            &server.anon,
            format!("{}/api/track/{}", server.base, "B".repeat(43)),
        ),
        (&fresh, format!("{}/api/track/{token}/stream", server.base)),
        (
            &server.anon,
            format!("{}/api/track/{token}/stream", server.base),
        ),
    ] {
        let res = get(client, url.clone()).await;
        let tag = res
            .headers()
            .get("x-robots-tag")
            .map(|v| v.to_str().unwrap().to_string());
        assert!(
            tag.as_deref().is_some_and(|t| t.contains("noindex")),
            "{url}: {tag:?}"
        );
    }
    server.stop().await;
}

type Frames = support::SseStream;

/// Follows the link, resuming after step `last_event_id` if given.
async fn follow(server: &TestServer, token: &str, last_event_id: Option<&str>) -> Frames {
    let mut req = server
        .anon
        .get(format!("{}/api/track/{token}/stream", server.base));
    if let Some(id) = last_event_id {
        req = req.header("Last-Event-ID", id);
    }
    let res = req.send().await.unwrap();
    assert_eq!(res.status().as_u16(), 200);
    Box::pin(res.bytes_stream().eventsource())
}

/// The next step: its SSE id and its text.
async fn next_step(frames: &mut Frames) -> (String, String) {
    loop {
        let frame = tokio::time::timeout(Duration::from_secs(10), frames.next())
            .await
            .expect("a step arrives")
            .expect("the stream is open")
            .expect("well-formed SSE");
        if frame.event == "tracking_step" {
            let step: Value = serde_json::from_str(&frame.data).unwrap();
            assert_eq!(
                step["number"].to_string(),
                frame.id,
                "the id is the step's number"
            );
            assert!(step.get("seq").is_none(), "{}", frame.data);
            let kind: StepKind = serde_json::from_value(step["step"].clone()).unwrap();
            return (frame.id, words::step(Locale::en, &kind));
        }
    }
}

async fn nothing_more(frames: &mut Frames) {
    let more = tokio::time::timeout(Duration::from_millis(300), async {
        loop {
            match frames.next().await {
                Some(Ok(f)) if f.event == "tracking_step" => return Some(f),
                Some(Ok(_)) => {}
                _ => return None,
            }
        }
    })
    .await;
    assert!(matches!(more, Err(_) | Ok(None)), "unexpected {more:?}");
}

fn scan(kind: ScanKind, location: &str) -> OrderEvent {
    OrderEvent {
        order_id: order_id(ORDER),
        occurred_at: chrono::Utc::now(),
        source: Source::Carrier("YTO Express".into()),
        actor: Actor::System {
            name: "kuaidi100".into(),
        },
        kind: EventKind::CarrierScan {
            waybill: WAYBILL.into(),
            scan: kind,
            location: Some(location.into()),
            detail: String::new(),
        },
    }
}

#[tokio::test]
async fn steps_are_numbered_per_order_and_a_stream_resumes_exactly_after_one() {
    let dir = tempfile::tempdir().unwrap();
    let server = TestServer::spawn(dir.path()).await;
    // Another order's events first, so this order's log positions are far
    // from its step numbers.
    server.append(placed_and_paid("CR-BUSY")).await;
    let busy: Vec<_> = (0..30).map(|i| note("CR-BUSY", &format!("n{i}"))).collect();
    server.append(busy).await;
    server.append(placed_and_paid(ORDER)).await;
    server.append(shipped(ORDER, WAYBILL)).await;
    let (_, token) = link(&server).await;

    let res = get(&server.anon, format!("{}/api/track/{token}", server.base)).await;
    let view: Value = res.json().await.unwrap();
    assert_eq!(view["last_step"], 4, "{view}");
    assert!(view.get("last_seq").is_none());
    let numbers: Vec<u64> = view["timeline"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s["number"].as_u64().unwrap())
        .collect();
    assert_eq!(numbers, vec![1, 2, 3, 4]);
    let head = server.state.store.head();
    assert!(head > 30);
    let body = view.to_string();
    assert!(!body.contains("\"seq\""), "{body}");

    let mut live = follow(&server, &token, None).await;
    let picked = server
        .append(vec![
            note(ORDER, "internal"),
            scan(ScanKind::PickedUp, "上海"),
        ])
        .await;
    let transit = server
        .append(vec![
            note(ORDER, "internal again"),
            scan(ScanKind::InTransit, "杭州转运中心"),
        ])
        .await;
    let (id, text) = next_step(&mut live).await;
    assert_eq!(id, "5");
    assert_eq!(
        text,
        format!("Picked up by the carrier at 上海 (waybill {WAYBILL})")
    );
    assert_ne!(id, picked[1].seq.to_string());
    let (id, _) = next_step(&mut live).await;
    assert_eq!(id, "6");
    assert_ne!(id, transit[1].seq.to_string());

    // A browser reconnecting with Last-Event-ID gets exactly what follows.
    let mut resumed = follow(&server, &token, Some("5")).await;
    let (id, text) = next_step(&mut resumed).await;
    assert_eq!(id, "6");
    assert_eq!(
        text,
        format!("In transit at 杭州转运中心 (waybill {WAYBILL})")
    );
    nothing_more(&mut resumed).await;
    let mut from_view = follow(&server, &token, Some("4")).await;
    assert_eq!(next_step(&mut from_view).await.0, "5");
    assert_eq!(next_step(&mut from_view).await.0, "6");
    nothing_more(&mut from_view).await;

    // Caught up: the next new step follows, numbered on.
    let mut caught_up = follow(&server, &token, Some("6")).await;
    server
        .append(vec![scan(ScanKind::OutForDelivery, "杭州")])
        .await;
    assert_eq!(next_step(&mut caught_up).await.0, "7");
    assert_eq!(next_step(&mut live).await.0, "7");

    // Not a number: refused.
    let res = server
        .anon
        .get(format!("{}/api/track/{token}/stream", server.base))
        .header("Last-Event-ID", "seq-12")
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 400);
    server.stop().await;
}

#[tokio::test]
async fn a_link_expires_and_its_open_stream_ends_on_the_servers_clock() {
    use order_control_room::server::clock::{Clock, ManualClock};
    let dir = tempfile::tempdir().unwrap();
    let clock = ManualClock::starting_now();
    let server = server_with_order(dir.path(), |a| a.clock = Clock::Manual(clock.clone())).await;
    let (status, created) = server
        .call(
            "orders/tracking-links/create",
            json!({"order_id": ORDER, "expires_in_days": 1}),
        )
        .await;
    assert_eq!(status, 200, "{created}");
    let view = format!("{}/api{}", server.base, created["url"].as_str().unwrap());
    assert_eq!(get(&server.anon, view.clone()).await.status(), 200);
    let stream = get(&server.anon, format!("{view}/stream")).await;
    assert_eq!(stream.status(), 200);
    let mut frames = stream.bytes_stream().eventsource();
    // The stream waits for the link's expiry on the clock.
    clock.until_sleeping(1).await;

    clock.advance(Duration::from_secs(24 * 3600 - 1));
    assert_eq!(
        get(&server.anon, view.clone()).await.status(),
        200,
        "a second before the expiry"
    );
    clock.advance(Duration::from_secs(1));
    // A guard against a hang, not a timing: the stream ends at once.
    tokio::time::timeout(Duration::from_secs(10), async {
        while let Some(Ok(_)) = frames.next().await {}
    })
    .await
    .expect("the open stream ends at the expiry");
    assert_eq!(get(&server.anon, view).await.status(), 404);
    server.stop().await;
}
