//! Lenses reach into notes and free text, against the real server: a channel
//! refund larger than what is refundable is kept as a `status_reported` event
//! whose amounts are structured fields, so logistics (no money) never reads
//! them, neither in `orders/get` nor on the live stream, while finance does;
//! a carrier scan whose description names a phone number reaches finance
//! (contact details masked) with the number masked, and customer service
//! (who sees contact details) whole.

use crate::support;

use eventsource_stream::Eventsource;
use futures::StreamExt;
use md5::{Digest, Md5};
use order_control_room::model::{Actor, EventKind, OrderEvent, ScanKind, Source};
use serde_json::{json, Value};
use std::time::Duration;
use support::hooks::{post, shipped};
use support::{order_id, placed_and_paid, TestServer};

const DOUYIN_SECRET: &str = "7001234567890:lens-test-app-secret";
/// ¥999,999.99 asked, ¥268.00 refundable (what `placed_and_paid` pays).
const ASKED_FEN: i64 = 99_999_999;
const AMOUNT_TEXTS: [&str; 4] = ["999999.99", "99999999", "268.00", "26800"];

/// Posts a Douyin "refund created" message asking `fen` back for `order`,
/// signed as Douyin signs (MD5 of app key, body and app secret).
async fn douyin_refund(server: &TestServer, order: &str, fen: i64) -> (u16, Value) {
    let body = serde_json::to_vec(&json!({
        "tag": 200,
        "msgId": format!("lens-refund-{order}"),
        "data": {"p_id": format!("69{order}"), "refund_amount": fen, "apply_time": 1_763_600_000}
    }))
    .unwrap();
    let (app_key, app_secret) = DOUYIN_SECRET.split_once(':').unwrap();
    let mut signed = app_key.as_bytes().to_vec();
    signed.extend_from_slice(&body);
    signed.extend_from_slice(app_secret.as_bytes());
    let sign = hex::encode(Md5::digest(&signed));
    post(
        server,
        "douyin",
        &[
            ("content-type", "application/json".to_string()),
            ("event-sign", sign),
        ],
        body,
    )
    .await
}

async fn server_with_douyin(dir: &std::path::Path) -> TestServer {
    let server = TestServer::spawn(dir).await;
    let (status, shown) = server
        .call(
            "admin/integrations/secret",
            json!({"integration": "douyin", "secret": {"kind": "given", "value": DOUYIN_SECRET}, "overlap_hours": 0}),
        )
        .await;
    assert_eq!(status, 200, "{shown}");
    server
}

/// The raw data of the first `order_event` frame of `kind` on `query`, read
/// as `client`.
async fn raw_event(
    server: &TestServer,
    client: &reqwest::Client,
    query: &str,
    kind: &str,
) -> String {
    let res = client
        .get(format!("{}/api/stream{query}", server.base))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status().as_u16(), 200);
    let mut frames = res.bytes_stream().eventsource();
    loop {
        let frame = tokio::time::timeout(Duration::from_secs(10), frames.next())
            .await
            .expect("a frame arrives")
            .expect("the stream is open")
            .expect("well-formed SSE");
        if frame.event != "order_event" {
            continue;
        }
        let event: Value = serde_json::from_str(&frame.data).unwrap();
        if event["kind"]["type"] == kind {
            return frame.data;
        }
    }
}

/// The `status_reported` event of `order` as `client` reads it in `orders/get`,
/// with the whole answer as text.
async fn reported_in_get(
    server: &TestServer,
    client: &reqwest::Client,
    order: &str,
) -> (Value, String) {
    let (status, detail) = server
        .call_as(client, "orders/get", json!({"id": order}))
        .await;
    assert_eq!(status, 200, "{detail}");
    let reported = detail["events"]
        .as_array()
        .unwrap()
        .iter()
        .find(|e| e["kind"]["type"] == "status_reported")
        .cloned()
        .expect("the refused refund is kept as status_reported");
    (reported, detail.to_string())
}

#[tokio::test]
async fn logistics_never_reads_the_amounts_of_an_over_refund_note() {
    let dir = tempfile::tempdir().unwrap();
    let server = server_with_douyin(dir.path()).await;
    const ORDER: &str = "CR-LENS-REFUND";
    server.append(placed_and_paid(ORDER)).await;
    let logistics = server.login("logistics").await;
    let finance = server.login("finance").await;

    // Logistics follows the order live while the refund arrives (from the
    // head before it, so the stream may open before or after it).
    let query = format!("?topics=order:{ORDER}&after={}", server.state.store.head());
    let live = raw_event(&server, &logistics, &query, "status_reported");
    let (frame, (status, answer)) = tokio::join!(live, douyin_refund(&server, ORDER, ASKED_FEN));
    assert_eq!(status, 200, "{answer}");
    assert_eq!(answer["status"], "accepted", "{answer}");

    let event: Value = serde_json::from_str(&frame).unwrap();
    assert_eq!(event["kind"]["type"], "status_reported", "{frame}");
    assert_eq!(event["kind"]["not_applied"]["type"], "refund_too_large");
    assert!(
        event["kind"]["not_applied"]["requested"].is_null(),
        "{frame}"
    );
    assert!(
        event["kind"]["not_applied"]["refundable"].is_null(),
        "{frame}"
    );
    for amount in AMOUNT_TEXTS {
        assert!(
            !frame.contains(amount),
            "{amount} on logistics' stream: {frame}"
        );
    }

    // The same from the log, in `orders/get`.
    let (reported, body) = reported_in_get(&server, &logistics, ORDER).await;
    assert_eq!(reported["kind"]["note"], "not applied");
    for amount in AMOUNT_TEXTS {
        assert!(
            !body.contains(amount),
            "{amount} in logistics' orders/get: {body}"
        );
    }
    // A replay of the stream from the log is seen through the lens too.
    let query = format!("?topics=order:{ORDER}&after=0");
    let replayed = raw_event(&server, &logistics, &query, "status_reported").await;
    for amount in AMOUNT_TEXTS {
        assert!(
            !replayed.contains(amount),
            "{amount} replayed to logistics: {replayed}"
        );
    }

    // Finance sees the amounts, as data.
    let (reported, _) = reported_in_get(&server, &finance, ORDER).await;
    assert_eq!(
        reported["kind"]["not_applied"]["requested"]["minor"],
        ASKED_FEN
    );
    assert_eq!(
        reported["kind"]["not_applied"]["refundable"]["minor"],
        26_800
    );
    server.stop().await;
}

fn scan(order: &str, detail: &str) -> OrderEvent {
    OrderEvent {
        order_id: order_id(order),
        occurred_at: chrono::Utc::now(),
        source: Source::Carrier("YTO Express".into()),
        actor: Actor::System {
            name: "kuaidi100".into(),
        },
        kind: EventKind::CarrierScan {
            waybill: "YT7700112233".into(),
            scan: ScanKind::Exception,
            location: Some("上海浦东新区 派送点".into()),
            detail: detail.into(),
        },
    }
}

#[tokio::test]
async fn a_phone_number_in_a_scan_is_masked_for_finance_and_whole_for_customer_service() {
    let dir = tempfile::tempdir().unwrap();
    let server = TestServer::spawn(dir.path()).await;
    const ORDER: &str = "CR-LENS-SCAN";
    server.append(placed_and_paid(ORDER)).await;
    server.append(shipped(ORDER, "YT7700112233")).await;
    let detail = "派件员 王师傅 13912345678 联系不上收件人 13800138000";
    let finance = server.login("finance").await;
    let cs = server.login("cs").await;
    let logistics = server.login("logistics").await;

    let query = format!("?topics=order:{ORDER}&after={}", server.state.store.head());
    let live = raw_event(&server, &finance, &query, "carrier_scan");
    let (frame, _) = tokio::join!(live, server.append(vec![scan(ORDER, detail)]));

    // Finance: masked on the live stream and in orders/get.
    let event: Value = serde_json::from_str(&frame).unwrap();
    assert_eq!(
        event["kind"]["detail"], "派件员 王师傅 139****5678 联系不上收件人 138****8000",
        "{frame}"
    );
    // The location named the recipient's address line (浦东新区).
    assert_eq!(event["kind"]["location"], "上海••• 派送点");
    assert_eq!(
        event["kind"]["waybill"], "YT7700112233",
        "structured fields stay"
    );
    let (_, body) = server
        .call_as(&finance, "orders/get", json!({"id": ORDER}))
        .await;
    let body = body.to_string();
    for phone in ["13912345678", "13800138000"] {
        assert!(!body.contains(phone), "{phone} reached finance: {body}");
    }
    assert!(body.contains("139****5678"), "{body}");

    // Customer service and logistics see contact details: the text is whole.
    for client in [&cs, &logistics] {
        let (_, body) = server
            .call_as(client, "orders/get", json!({"id": ORDER}))
            .await;
        let scan = body["events"]
            .as_array()
            .unwrap()
            .iter()
            .find(|e| e["kind"]["type"] == "carrier_scan")
            .cloned()
            .unwrap();
        assert_eq!(scan["kind"]["detail"], detail);
    }
    let query = format!("?topics=order:{ORDER}&after=0");
    let whole = raw_event(&server, &cs, &query, "carrier_scan").await;
    assert!(whole.contains(detail), "{whole}");
    let masked = raw_event(&server, &finance, &query, "carrier_scan").await;
    assert!(
        !masked.contains("13912345678"),
        "replayed to finance: {masked}"
    );
    server.stop().await;
}
