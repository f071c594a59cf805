//! Tracking links against the real server: customer service makes a link, the
//! customer opens it without signing in and sees one order, masked, with no
//! staff note or actor; other roles cannot make links; unknown, revoked and
//! expired links answer the same 404; opens are counted; the live stream
//! carries customer steps only and ends when the link is revoked.

use crate::support;

use base64::Engine;
use chrono::Utc;
use eventsource_stream::Eventsource;
use futures::StreamExt;
use order_control_room::i18n::{words, Locale};
use order_control_room::model::views::tracking::StepKind;
use order_control_room::model::{
    Actor, Address, Channel, Component, ComponentId, ComponentKind, Currency, Customer, EventKind,
    ExceptionCode, Money, OrderEvent, ParcelId, Role, ScanKind, Source,
};
use serde_json::{json, Value};
use std::time::Duration;
use support::{order_id, TestServer};

const ORDER: &str = "CR-TRACK";
const NOTE: &str = "VIP — called twice about the gift box, offer a coupon";
const STAFF_NAME: &str = "Wang Fang";
const EXCEPTION_DETAIL: &str = "stuck behind the inventory audit";
const WAYBILL: &str = "SF1000200030";

fn event(kind: EventKind, actor: Actor) -> OrderEvent {
    OrderEvent {
        order_id: order_id(ORDER),
        occurred_at: Utc::now(),
        source: Source::ControlRoom,
        actor,
        kind,
    }
}

fn system() -> Actor {
    Actor::System {
        name: "wms-east".into(),
    }
}

fn staff_note(text: &str) -> OrderEvent {
    event(
        EventKind::NoteAdded { text: text.into() },
        Actor::Staff {
            user_id: "u_staff".into(),
            name: STAFF_NAME.into(),
            role: Role::CustomerService,
        },
    )
}

fn scan(kind: ScanKind, location: &str) -> OrderEvent {
    event(
        EventKind::CarrierScan {
            waybill: WAYBILL.into(),
            scan: kind,
            location: Some(location.into()),
            detail: "courier Zhao 13912345678".into(),
        },
        Actor::System {
            name: "kuaidi100".into(),
        },
    )
}

/// Placed with a gift box that ships later, paid, noted by staff, flagged by
/// the detector, the main item packed and shipped.
fn order_with_history() -> Vec<OrderEvent> {
    let price = Money::new(12800, Currency::CNY);
    let component = |id: &str, name: &str, kind, ships_later| Component {
        id: ComponentId::parse(id).unwrap(),
        sku: format!("SKU-{id}"),
        name: name.into(),
        kind,
        quantity: 1,
        unit_price: price,
        ships_later,
    };
    vec![
        event(
            EventKind::OrderPlaced {
                channel: Channel::Douyin,
                channel_order_id: "6912345678".into(),
                customer: Customer {
                    name: "李娜".into(),
                    phone: "13800138000".into(),
                    address: Address {
                        country: "CN".into(),
                        province: "上海".into(),
                        city: "上海".into(),
                        line: "浦东新区世纪大道 100 号".into(),
                    },
                },
                components: vec![
                    component("serum", "Rose serum", ComponentKind::Main, false),
                    component("giftbox", "Camellia gift box", ComponentKind::GiftBox, true),
                ],
                total: Money::new(25600, Currency::CNY),
            },
            Actor::Customer,
        ),
        event(
            EventKind::PaymentCaptured {
                amount: Money::new(25600, Currency::CNY),
            },
            Actor::Customer,
        ),
        staff_note(NOTE),
        event(
            EventKind::ExceptionRaised {
                code: ExceptionCode::PaidNotShipped,
                parcel: None,
                detail: EXCEPTION_DETAIL.into(),
                facts: None,
            },
            Actor::System {
                name: "paid-not-shipped detector".into(),
            },
        ),
        event(
            EventKind::ParcelPacked {
                parcel: ParcelId::parse("P1").unwrap(),
                components: vec![ComponentId::parse("serum").unwrap()],
            },
            system(),
        ),
        event(
            EventKind::ParcelShipped {
                parcel: ParcelId::parse("P1").unwrap(),
                carrier: "SF Express".into(),
                waybill: WAYBILL.into(),
            },
            system(),
        ),
    ]
}

async fn server_with_order(dir: &std::path::Path) -> TestServer {
    let server = TestServer::spawn(dir).await;
    server.append(order_with_history()).await;
    server
}

/// Makes a link as `client`; the answer's status and body.
async fn create_as(
    server: &TestServer,
    client: &reqwest::Client,
    days: Option<u32>,
) -> (u16, Value) {
    server
        .call_as(
            client,
            "orders/tracking-links/create",
            json!({"order_id": ORDER, "expires_in_days": days}),
        )
        .await
}

/// A link made by customer service: its id and token.
async fn link_by_customer_service(server: &TestServer) -> (String, String) {
    let cs = server.login("cs").await;
    let (status, created) = create_as(server, &cs, None).await;
    assert_eq!(status, 200, "{created}");
    let url = created["url"].as_str().unwrap();
    let token = url
        .strip_prefix("/track/")
        .expect("the URL is /track/<token>");
    (
        created["summary"]["id"].as_str().unwrap().to_string(),
        token.to_string(),
    )
}

/// `GET /api/track/{token}` as nobody.
async fn open(server: &TestServer, token: &str, query: &str) -> (u16, String) {
    let res = server
        .anon
        .get(format!("{}/api/track/{token}{query}", server.base))
        .send()
        .await
        .unwrap();
    (res.status().as_u16(), res.text().await.unwrap())
}

async fn links(server: &TestServer) -> Vec<Value> {
    let (status, list) = server
        .call("orders/tracking-links/list", json!({"order_id": ORDER}))
        .await;
    assert_eq!(status, 200, "{list}");
    list.as_array().unwrap().clone()
}

#[tokio::test]
async fn customer_service_makes_a_link_and_the_customer_sees_the_order_masked() {
    let dir = tempfile::tempdir().unwrap();
    let server = server_with_order(dir.path()).await;
    let (_, token) = link_by_customer_service(&server).await;

    // At least 128 random bits, URL-safe.
    let bytes = base64::engine::general_purpose::URL_SAFE_NO_PAD
        .decode(&token)
        .expect("the token is URL-safe base64");
    assert!(bytes.len() >= 16, "{} random bytes", bytes.len());

    let (status, body) = open(&server, &token, "").await;
    assert_eq!(status, 200, "{body}");
    let view: Value = serde_json::from_str(&body).unwrap();
    assert_eq!(view["order_number"], ORDER);
    assert_eq!(view["channel"], "douyin");
    assert_eq!(view["recipient"]["name"], "李*");
    assert_eq!(view["recipient"]["phone"], "138****8000");
    assert_eq!(view["recipient"]["city"], "上海");
    // "Where is my gift box?": not packed yet, ships later; the serum is in P1.
    let items = view["components"].as_array().unwrap();
    assert_eq!(items[0]["parcel"], "P1");
    assert_eq!(items[0]["status"], "shipped");
    assert_eq!(items[1]["name"], "Camellia gift box");
    assert_eq!(items[1]["parcel"], Value::Null);
    assert_eq!(items[1]["ships_later"], true);
    assert_eq!(view["parcels"][0]["waybill"], WAYBILL);
    assert_eq!(view["parcels"][0]["carrier"], "SF Express");
    assert_eq!(view["status"], "preparing");
    assert!(
        view.get("status_text").is_none(),
        "words are made in the browser"
    );
    let steps: Vec<String> = view["timeline"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| step_words(&s["step"]))
        .collect();
    assert_eq!(
        steps,
        vec![
            "Order placed on Douyin".to_string(),
            "Payment received".to_string(),
            "Parcel P1 packed".to_string(),
            format!("Parcel P1 handed to SF Express, waybill {WAYBILL}"),
        ]
    );
    for secret in [
        NOTE,
        STAFF_NAME,
        "u_staff",
        EXCEPTION_DETAIL,
        "paid_not_shipped",
        "wms-east",
        "李娜",
        "13800138000",
        "浦东新区",
        "6912345678",
        "\"actor\"",
        "\"source\"",
        "25600",
    ] {
        assert!(!body.contains(secret), "{secret:?} leaked: {body}");
    }
    server.stop().await;
}

#[tokio::test]
async fn only_customer_service_and_admin_make_links() {
    let dir = tempfile::tempdir().unwrap();
    let server = server_with_order(dir.path()).await;
    for (who, expected) in [("logistics", 403), ("finance", 403)] {
        let client = server.login(who).await;
        let (status, body) = create_as(&server, &client, Some(5)).await;
        assert_eq!(status, expected, "{who}: {body}");
        let (status, _) = server
            .call_as(
                &client,
                "orders/tracking-links/list",
                json!({"order_id": ORDER}),
            )
            .await;
        assert_eq!(status, expected, "{who} lists");
    }
    let (status, _) = create_as(&server, &server.anon, Some(5)).await;
    assert_eq!(status, 401, "anonymous");
    assert!(links(&server).await.is_empty(), "a refusal made nothing");

    let (status, body) = create_as(&server, &server.http, Some(90)).await;
    assert_eq!(status, 200, "admin: {body}");
    for days in [0, 91] {
        let (status, body) = create_as(&server, &server.http, Some(days)).await;
        assert_eq!(status, 400, "{days} days: {body}");
    }
    let (status, _) = server
        .call(
            "orders/tracking-links/create",
            json!({"order_id": "CR-NOSUCH", "expires_in_days": null}),
        )
        .await;
    assert_eq!(status, 404, "no link to an order that does not exist");
    server.stop().await;
}

#[tokio::test]
async fn unknown_revoked_and_expired_links_answer_the_same_404() {
    let dir = tempfile::tempdir().unwrap();
    let server = server_with_order(dir.path()).await;
    let (revoked_id, revoked) = link_by_customer_service(&server).await;
    let (expired_id, expired) = link_by_customer_service(&server).await;
    let cs = server.login("cs").await;
    let (status, body) = server
        .call_as(
            &cs,
            "orders/tracking-links/revoke",
            json!({"id": revoked_id}),
        )
        .await;
    assert_eq!(status, 200, "{body}");
    assert!(body["revoked_at"].is_string());
    // Expired: moved into the past in the store itself.
    let db = rusqlite::Connection::open(dir.path().join("orders.sqlite3")).unwrap();
    db.execute(
        "UPDATE tracking_links SET expires_at = '2020-01-01T00:00:00.000000Z' WHERE id = ?1",
        [&expired_id],
    )
    .unwrap();

    let unknown = "A".repeat(43);
    let mut answers = Vec::new();
    for token in [
        unknown.as_str(),
        revoked.as_str(),
        expired.as_str(),
        "not a token!",
    ] {
        let (status, body) = open(&server, token, "").await;
        assert_eq!(status, 404, "{token}: {body}");
        answers.push(body);
        let res = server
            .anon
            .get(format!("{}/api/track/{token}/stream", server.base))
            .send()
            .await
            .unwrap();
        assert_eq!(res.status().as_u16(), 404, "no stream for {token}");
    }
    assert!(
        answers.windows(2).all(|w| w[0] == w[1]),
        "the answers do not tell the cases apart: {answers:?}"
    );
    assert!(answers[0].contains("not valid"), "{}", answers[0]);

    let list = links(&server).await;
    let state = |id: &str| {
        let link = list.iter().find(|l| l["id"] == id).unwrap();
        (link["revoked_at"].is_string(), link["opened"].as_u64())
    };
    assert_eq!(
        state(&revoked_id),
        (true, Some(0)),
        "refused opens are not counted"
    );
    assert_eq!(state(&expired_id), (false, Some(0)));

    // Both actions are in the audit trail.
    for kind in ["tracking_link_created", "tracking_link_revoked"] {
        let (_, audit) = server
            .call("admin/audit", json!({"page": 1, "kind": kind}))
            .await;
        let entries = audit["entries"].as_array().unwrap();
        assert!(
            entries
                .iter()
                .any(|e| e["username"] == "cs" && e["detail"].as_str().unwrap().contains(ORDER)),
            "{kind}: {audit}"
        );
    }
    server.stop().await;
}

#[tokio::test]
async fn each_open_is_counted_and_the_page_refreshing_itself_is_not() {
    let dir = tempfile::tempdir().unwrap();
    let server = server_with_order(dir.path()).await;
    let (id, token) = link_by_customer_service(&server).await;
    for query in ["", "", "?refresh=true"] {
        assert_eq!(open(&server, &token, query).await.0, 200);
    }
    let list = links(&server).await;
    let link = list.iter().find(|l| l["id"] == id).unwrap();
    assert_eq!(link["opened"], 2, "{link}");
    assert!(link["last_opened_at"].is_string());
    assert_eq!(link["hint"].as_str().unwrap(), &token[..6]);
    assert!(
        !serde_json::to_string(&list).unwrap().contains(&token),
        "the list never carries the token"
    );
    server.stop().await;
}

type Frames = support::SseStream;

async fn follow(server: &TestServer, token: &str, query: &str) -> Frames {
    let res = server
        .anon
        .get(format!("{}/api/track/{token}/stream{query}", server.base))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status().as_u16(), 200);
    Box::pin(res.bytes_stream().eventsource())
}

/// The next frame, `Some(None)` when the stream ended, `None` when nothing
/// came within `wait`.
async fn next_frame(
    frames: &mut Frames,
    wait: Duration,
) -> Option<Option<eventsource_stream::Event>> {
    tokio::time::timeout(wait, frames.next())
        .await
        .ok()
        .map(|f| f.map(|f| f.expect("well-formed SSE")))
}

#[tokio::test]
async fn the_stream_carries_a_new_scan_but_no_staff_note_and_ends_when_revoked() {
    let dir = tempfile::tempdir().unwrap();
    let server = server_with_order(dir.path()).await;
    let (id, token) = link_by_customer_service(&server).await;
    let mut frames = follow(&server, &token, "").await;

    server
        .append(vec![staff_note("internal: refund risk")])
        .await;
    let scan = server
        .append(vec![scan(ScanKind::InTransit, "杭州转运中心")])
        .await;
    let frame = next_frame(&mut frames, Duration::from_secs(10))
        .await
        .expect("a frame arrives")
        .expect("the stream is open");
    assert_eq!(frame.event, "tracking_step");
    // Placed, paid, packed and shipped were steps 1–4; the note is skipped.
    assert_eq!(frame.id, "5", "the scan is the order's fifth step");
    assert_ne!(
        frame.id,
        scan[0].seq.to_string(),
        "not the log's sequence number"
    );
    let step: Value = serde_json::from_str(&frame.data).unwrap();
    assert_eq!(
        step_words(&step["step"]),
        format!("In transit at 杭州转运中心 (waybill {WAYBILL})")
    );
    for secret in [
        "refund risk",
        "courier Zhao",
        "kuaidi100",
        "actor",
        "source",
    ] {
        assert!(
            !frame.data.contains(secret),
            "{secret:?} leaked: {}",
            frame.data
        );
    }

    // Resuming after the step before both replays only the scan.
    let mut resumed = follow(&server, &token, "?after=4").await;
    let frame = next_frame(&mut resumed, Duration::from_secs(10))
        .await
        .flatten()
        .expect("the scan is replayed");
    assert_eq!(frame.id, "5");
    drop(resumed);

    // The view follows too.
    let (_, body) = open(&server, &token, "?refresh=true").await;
    let view: Value = serde_json::from_str(&body).unwrap();
    assert_eq!(view["parcels"][0]["status"], "in_transit");
    assert!(!body.contains("refund risk"));

    let cs = server.login("cs").await;
    let (status, _) = server
        .call_as(&cs, "orders/tracking-links/revoke", json!({"id": id}))
        .await;
    assert_eq!(status, 200);
    assert_eq!(
        next_frame(&mut frames, Duration::from_secs(5)).await,
        Some(None),
        "the open stream ends when the link is revoked"
    );
    let res = server
        .anon
        .get(format!("{}/api/track/{token}/stream", server.base))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status().as_u16(), 404, "and does not start again");
    server.stop().await;
}

/// A step of the wire's timeline in English, as the browser words it.
fn step_words(step: &Value) -> String {
    let kind: StepKind = serde_json::from_value(step.clone()).unwrap();
    words::step(Locale::en, &kind)
}
