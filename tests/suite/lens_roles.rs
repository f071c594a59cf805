//! What reaches the browser, per role, against the real server: the order
//! list, the order page's answer and the live stream's frames (replayed from
//! the log and live), read as raw JSON.
//!
//! - logistics sees no amount at all: every amount field is absent or `null`
//!   (withheld), never a number — not even zero;
//! - finance sees the amounts but no whole phone number or address line, not
//!   even in free text;
//! - customer service and admin see everything.

use crate::support;

use eventsource_stream::Eventsource;
use futures::{Stream, StreamExt};
use order_control_room::model::{Actor, EventKind, Money, OrderEvent, Source};
use serde_json::{json, Value};
use std::pin::Pin;
use std::time::Duration;
use support::{note, order_id, placed_and_paid, TestServer};

const ORDER: &str = "CR-ROLES";
const PHONE: &str = "13800138000";
const ADDRESS_LINE: &str = "浦东新区";
/// Every field of the read models that holds an amount.
const AMOUNT_FIELDS: [&str; 8] = [
    "total",
    "paid",
    "refunded",
    "refund_requested",
    "unit_price",
    "amount",
    "requested",
    "refundable",
];

/// The roles (by their test account) and whether their lens shows money.
const ROLES: [(&str, bool); 4] = [
    ("cs", true),
    ("logistics", false),
    ("finance", true),
    ("admin", true),
];

fn cny(minor: i64) -> Money {
    Money::new(minor, order_control_room::model::Currency::CNY)
}

fn event(kind: EventKind) -> OrderEvent {
    OrderEvent {
        order_id: order_id(ORDER),
        occurred_at: chrono::Utc::now(),
        source: Source::ControlRoom,
        actor: Actor::Customer,
        kind,
    }
}

/// Placed and paid (¥268.00), a note naming the recipient's phone and
/// address, and a refund of ¥10.00 asked for: every kind of amount the order
/// page shows.
fn log() -> Vec<OrderEvent> {
    let mut events = placed_and_paid(ORDER);
    events.push(note(
        ORDER,
        &format!("customer asks to call {PHONE} before coming to {ADDRESS_LINE}"),
    ));
    events.push(event(EventKind::RefundRequested {
        amount: cny(1000),
        reason: "gift missing".into(),
    }));
    events
}

/// Every amount field anywhere in `v`, with its path.
fn amounts(v: &Value, path: &str, out: &mut Vec<(String, Value)>) {
    match v {
        Value::Object(fields) => {
            for (key, value) in fields {
                let here = format!("{path}.{key}");
                if AMOUNT_FIELDS.contains(&key.as_str()) && !value.is_array() {
                    out.push((here.clone(), value.clone()));
                }
                amounts(value, &here, out);
            }
        }
        Value::Array(items) => {
            for (n, item) in items.iter().enumerate() {
                amounts(item, &format!("{path}[{n}]"), out);
            }
        }
        _ => {}
    }
}

/// Checks one answer or frame as `role` receives it.
fn check(role: &str, money: bool, what: &str, v: &Value) {
    let mut found = Vec::new();
    amounts(v, "", &mut found);
    assert!(
        !found.is_empty(),
        "{role}: {what} carries amount fields: {v}"
    );
    for (path, value) in &found {
        if money {
            assert!(
                value["minor"].is_i64(),
                "{role} sees {path} in {what}: {value}"
            );
        } else {
            assert!(
                value.is_null(),
                "{role} must not see {path} in {what}, got {value}"
            );
        }
    }
    let text = v.to_string();
    if !money {
        assert!(
            !text.contains("\"minor\""),
            "{role}: a figure in {what}: {text}"
        );
    }
    match role {
        "finance" => {
            assert!(
                !text.contains(PHONE),
                "finance: whole phone in {what}: {text}"
            );
            assert!(
                !text.contains(ADDRESS_LINE),
                "finance: address line in {what}: {text}"
            );
        }
        _ => {
            assert!(text.contains(PHONE), "{role}: phone in {what}: {text}");
            assert!(
                text.contains(ADDRESS_LINE),
                "{role}: address in {what}: {text}"
            );
        }
    }
}

type Frames = Pin<Box<dyn Stream<Item = String> + Send>>;

/// The data of the `order_event` frames of `query`, as `client` reads them.
async fn frames(server: &TestServer, client: &reqwest::Client, query: &str) -> Frames {
    let res = client
        .get(format!("{}/api/stream{query}", server.base))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status().as_u16(), 200);
    Box::pin(res.bytes_stream().eventsource().filter_map(|frame| async {
        let frame = frame.expect("well-formed SSE");
        (frame.event == "order_event").then_some(frame.data)
    }))
}

async fn next_frame(frames: &mut Frames) -> Value {
    let data = tokio::time::timeout(Duration::from_secs(10), frames.next())
        .await
        .expect("a frame arrives")
        .expect("the stream is open");
    serde_json::from_str(&data).expect("event JSON")
}

#[tokio::test]
async fn each_role_receives_only_what_its_lens_shows() {
    let dir = tempfile::tempdir().unwrap();
    let server = TestServer::spawn(dir.path()).await;
    let logged = log();
    let mut count = logged.len();
    server.append(logged).await;

    for (role, money) in ROLES {
        let client = server.login(role).await;

        let (status, page) = server
            .call_as(
                &client,
                "orders/list",
                json!({"query": {"page": 1, "per_page": 5, "status": null, "channel": null, "search": null}}),
            )
            .await;
        assert_eq!(status, 200, "{role}: {page}");
        let row = &page["orders"][0];
        assert_eq!(row["id"], ORDER);
        // Each row is the order in full (the browser folds live events into
        // it), so every amount in it goes through the lens.
        check(role, money, "orders/list", row);
        if money {
            assert_eq!(row["total"]["minor"], 26800, "{role}");
        } else {
            assert!(row["total"].is_null(), "{role}: {page}");
        }
        assert_eq!(page["lens"]["money"], money);

        let (status, detail) = server
            .call_as(&client, "orders/get", json!({"id": ORDER}))
            .await;
        assert_eq!(status, 200, "{role}: {detail}");
        check(role, money, "orders/get", &detail);
        let order = &detail["order"];
        if money {
            assert_eq!(order["paid"]["minor"], 26800, "{role}");
            assert_eq!(order["refund_requested"]["minor"], 1000, "{role}");
        } else {
            // Withheld, yet the order still reads as paid, refund asked.
            assert_eq!(order["stage"], "paid", "{role}: {order}");
            assert_eq!(order["branch"], "refund_requested", "{role}");
        }

        // The log replayed on the stream, then an event live.
        let query = format!("?topics=order:{ORDER}&after=0");
        let mut stream = frames(&server, &client, &query).await;
        let mut replayed = Vec::new();
        for _ in 0..count {
            replayed.push(next_frame(&mut stream).await);
        }
        check(role, money, "the replayed stream", &Value::Array(replayed));
        server
            .append(vec![event(EventKind::PaymentCaptured {
                amount: cny(26800),
            })])
            .await;
        let live = next_frame(&mut stream).await;
        assert_eq!(live["kind"]["type"], "payment_captured");
        if money {
            assert_eq!(live["kind"]["amount"]["minor"], 26800, "{role}: {live}");
        } else {
            assert!(live["kind"]["amount"].is_null(), "{role}: {live}");
        }
        count += 1;
    }
    server.stop().await;
}
