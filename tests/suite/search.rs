//! "Find anything from what the customer gives you", against the real server:
//! each kind of text (our order number, a channel's 19-digit id, a waybill, a
//! whole phone number, its last four digits with the name, a name) finds the
//! order through `orders/list`, newest first, and says by which field; the
//! 19-digit Douyin id crosses the wire as text, every digit kept; finance's
//! lens does not look up phones (and says so); an order is found by a
//! waybill only once a parcel ships under it; the customer's orders of the
//! last 30 days are one range of the index.

use crate::support::{order_id, TestServer};
use chrono::{DateTime, Duration, Utc};
use order_control_room::model::{
    Actor, Address, Channel, Component, ComponentId, ComponentKind, Currency, Customer, EventKind,
    Money, OrderEvent, ParcelId, Source,
};
use serde_json::{json, Value};

/// Above 2^53: a float would lose its last digit.
const DOUYIN_ID: &str = "6920331847716522931";
const WAYBILL: &str = "SF1234567890123";
const PHONE: &str = "13800138000";

fn at(order: &str, occurred_at: DateTime<Utc>, kind: EventKind) -> OrderEvent {
    OrderEvent {
        order_id: order_id(order),
        occurred_at,
        source: Source::ControlRoom,
        actor: Actor::Customer,
        kind,
    }
}

/// `order` placed `days_ago` on `channel` as `channel_order_id` by `name` with `phone`.
fn placed(
    order: &str,
    days_ago: i64,
    channel: Channel,
    channel_order_id: &str,
    name: &str,
    phone: &str,
) -> OrderEvent {
    let total = Money::new(26800, Currency::CNY);
    at(
        order,
        Utc::now() - Duration::days(days_ago),
        EventKind::OrderPlaced {
            channel,
            channel_order_id: channel_order_id.into(),
            customer: Customer {
                name: name.into(),
                phone: phone.into(),
                address: Address {
                    country: "CN".into(),
                    province: "浙江".into(),
                    city: "杭州".into(),
                    line: "西湖区 1 号".into(),
                },
            },
            components: vec![Component {
                id: ComponentId::parse("item-1").unwrap(),
                sku: "SER-ROSE-30".into(),
                name: "Rose serum".into(),
                kind: ComponentKind::Main,
                quantity: 1,
                unit_price: total,
                ships_later: false,
            }],
            total,
        },
    )
}

/// Paid, packed and shipped under `waybill`.
fn shipped(order: &str, waybill: &str) -> Vec<OrderEvent> {
    let now = Utc::now();
    let parcel = ParcelId::parse("P1").unwrap();
    vec![
        at(
            order,
            now,
            EventKind::PaymentCaptured {
                amount: Money::new(26800, Currency::CNY),
            },
        ),
        at(
            order,
            now,
            EventKind::ParcelPacked {
                parcel: parcel.clone(),
                components: vec![ComponentId::parse("item-1").unwrap()],
            },
        ),
        at(
            order,
            now,
            EventKind::ParcelShipped {
                parcel,
                carrier: "SF Express".into(),
                waybill: waybill.into(),
            },
        ),
    ]
}

/// Three orders of 张三 (same phone; the Douyin one newest, shipped under
/// [`WAYBILL`]), one of another 张三 (another phone), one of 李四.
async fn customers(server: &TestServer) {
    let mut events = vec![
        placed(
            "CR-SEARCHOLD",
            40,
            Channel::Tmall,
            "3000000000000000001",
            "张三",
            PHONE,
        ),
        placed(
            "CR-SEARCHMID",
            3,
            Channel::Wechat,
            "3700000000000000002",
            "张三",
            "+86 138-0013-8000",
        ),
        placed("CR-SEARCHNEW", 1, Channel::Douyin, DOUYIN_ID, "张三", PHONE),
        placed(
            "CR-SEARCHTWIN",
            2,
            Channel::Douyin,
            "6900000000000000003",
            "张三",
            "13912345678",
        ),
        placed(
            "CR-SEARCHLI",
            2,
            Channel::Xiaohongshu,
            "P100000000000000004",
            "李四",
            "13700001111",
        ),
    ];
    events.extend(shipped("CR-SEARCHNEW", WAYBILL));
    server.append(events).await;
}

/// What `client` gets from the order list searched for `text`.
async fn search(server: &TestServer, client: &reqwest::Client, text: &str) -> Value {
    let (status, page) = server
        .call_as(
            client,
            "orders/list",
            json!({"query": {"status": null, "channel": null, "search": text, "page": 1, "per_page": 25}}),
        )
        .await;
    assert_eq!(status, 200, "{text}: {page}");
    page
}

/// The found orders' ids, in the answer's order.
fn ids(page: &Value) -> Vec<&str> {
    page["orders"]
        .as_array()
        .unwrap()
        .iter()
        .map(|o| o["id"].as_str().unwrap())
        .collect()
}

/// The field each found order matched.
fn matched(page: &Value) -> Vec<&str> {
    page["search"]["matched"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f.as_str().unwrap())
        .collect()
}

#[tokio::test]
async fn each_kind_of_text_finds_the_order_and_says_by_which_field() {
    let dir = tempfile::tempdir().unwrap();
    let server = TestServer::spawn(dir.path()).await;
    customers(&server).await;
    let cs = server.login("cs").await;

    // (text, how it is read, orders found newest first, field each matched)
    let cases: [(&str, &str, &[&str], &str); 8] = [
        (
            "cr-searchmid",
            "order_number",
            &["CR-SEARCHMID"],
            "order_id",
        ),
        (DOUYIN_ID, "digits", &["CR-SEARCHNEW"], "channel_order_id"),
        (WAYBILL, "code", &["CR-SEARCHNEW"], "waybill"),
        ("sf1234567890123", "code", &["CR-SEARCHNEW"], "waybill"),
        (
            "+86 138 0013 8000",
            "phone",
            &["CR-SEARCHNEW", "CR-SEARCHMID", "CR-SEARCHOLD"],
            "phone",
        ),
        (
            "8000 张三",
            "phone_tail_and_name",
            &["CR-SEARCHNEW", "CR-SEARCHMID", "CR-SEARCHOLD"],
            "phone_tail_and_name",
        ),
        (
            "张三5678",
            "phone_tail_and_name",
            &["CR-SEARCHTWIN"],
            "phone_tail_and_name",
        ),
        (
            "张三",
            "name",
            &[
                "CR-SEARCHNEW",
                "CR-SEARCHTWIN",
                "CR-SEARCHMID",
                "CR-SEARCHOLD",
            ],
            "name",
        ),
    ];
    for (text, read_as, found, field) in cases {
        let page = search(&server, &cs, text).await;
        assert_eq!(page["search"]["probe"]["type"], read_as, "{text}: {page}");
        assert_eq!(ids(&page), found, "{text}");
        assert!(matched(&page).iter().all(|f| *f == field), "{text}: {page}");
        assert_eq!(page["total"], found.len(), "{text}");
        assert_eq!(page["search"]["more"], false);
        assert_eq!(page["search"]["ignored"], Value::Null);
    }

    // Nothing made up: one digit off finds nothing, and a part is not enough.
    for text in ["6920331847716522930", "CR-SEARCH", "李", "0000 张三"] {
        let page = search(&server, &cs, text).await;
        assert!(ids(&page).is_empty(), "{text}: {page}");
        assert_eq!(page["total"], 0);
    }
    server.stop().await;
}

#[tokio::test]
async fn a_19_digit_douyin_id_crosses_the_wire_as_text_with_every_digit() {
    let dir = tempfile::tempdir().unwrap();
    let server = TestServer::spawn(dir.path()).await;
    customers(&server).await;
    let cs = server.login("cs").await;
    let page = search(&server, &cs, DOUYIN_ID).await;
    assert_eq!(page["search"]["probe"]["text"], json!(DOUYIN_ID));
    assert_eq!(page["orders"][0]["channel_order_id"], json!(DOUYIN_ID));
    assert!(page["orders"][0]["channel_order_id"].is_string());
    server.stop().await;
}

#[tokio::test]
async fn finance_does_not_find_by_phone_or_its_tail_and_is_told_so() {
    let dir = tempfile::tempdir().unwrap();
    let server = TestServer::spawn(dir.path()).await;
    customers(&server).await;
    let finance = server.login("finance").await;
    for text in [PHONE, "8000 张三", "张三8000"] {
        let page = search(&server, &finance, text).await;
        assert!(
            ids(&page).is_empty(),
            "finance found {text} by phone: {page}"
        );
        assert_eq!(page["search"]["ignored"], "phone_withheld", "{text}");
        assert_eq!(page["total"], 0);
    }
    // What finance may see, it finds: the name, the order numbers, the waybill.
    let page = search(&server, &finance, "张三").await;
    assert_eq!(ids(&page).len(), 4);
    assert_eq!(page["search"]["ignored"], Value::Null);
    let page = search(&server, &finance, WAYBILL).await;
    assert_eq!(ids(&page), ["CR-SEARCHNEW"]);
    assert!(
        !page.to_string().contains(PHONE),
        "the order is shown through finance's lens: {page}"
    );

    // Logistics sees phones, so finds by them.
    let logistics = server.login("logistics").await;
    let page = search(&server, &logistics, "8000 张三").await;
    assert_eq!(ids(&page).len(), 3);
    assert_eq!(page["search"]["ignored"], Value::Null);
    server.stop().await;
}

#[tokio::test]
async fn a_search_keeps_to_the_filters_and_a_waybill_finds_its_order_once_shipped() {
    let dir = tempfile::tempdir().unwrap();
    let server = TestServer::spawn(dir.path()).await;
    customers(&server).await;
    let cs = server.login("cs").await;
    let (status, page) = server
        .call_as(
            &cs,
            "orders/list",
            json!({"query": {"status": null, "channel": "douyin", "search": "张三", "page": 1, "per_page": 25}}),
        )
        .await;
    assert_eq!(status, 200);
    assert_eq!(ids(&page), ["CR-SEARCHNEW", "CR-SEARCHTWIN"]);

    let waybill = "YT998877665544";
    assert!(ids(&search(&server, &cs, waybill).await).is_empty());
    server.append(shipped("CR-SEARCHLI", waybill)).await;
    let page = search(&server, &cs, waybill).await;
    assert_eq!(ids(&page), ["CR-SEARCHLI"]);
    assert_eq!(matched(&page), ["waybill"]);

    // The index is a projection: rebuilt from the log, it finds the same.
    server.state.store.rebuild_projection().await.unwrap();
    assert_eq!(ids(&search(&server, &cs, waybill).await), ["CR-SEARCHLI"]);
    assert_eq!(ids(&search(&server, &cs, "8000 张三").await).len(), 3);
    server.stop().await;
}

#[tokio::test]
async fn the_customers_orders_of_the_last_30_days_are_one_range_of_the_index() {
    let dir = tempfile::tempdir().unwrap();
    let server = TestServer::spawn(dir.path()).await;
    customers(&server).await;
    let store = &server.state.store;
    let since = Utc::now() - Duration::days(30);
    let ids = |orders: Vec<order_control_room::model::Order>| -> Vec<String> {
        orders.into_iter().map(|o| o.id.to_string()).collect()
    };
    // However the phone is written; the 40-day-old order is left out.
    for phone in [PHONE, "+86 138 0013 8000"] {
        let found = store.customer_orders(phone, since, 100).await.unwrap();
        assert_eq!(ids(found), ["CR-SEARCHNEW", "CR-SEARCHMID"], "{phone}");
    }
    let all = store
        .customer_orders(PHONE, Utc::now() - Duration::days(90), 100)
        .await
        .unwrap();
    assert_eq!(ids(all).len(), 3);
    let one = store.customer_orders(PHONE, since, 1).await.unwrap();
    assert_eq!(ids(one), ["CR-SEARCHNEW"]);
    // The detectors ask on behalf of an order, which is left out.
    let ask = order_control_room::server::store::CustomerAsk {
        phone: PHONE.into(),
        since,
        besides: Some(order_control_room::model::OrderId::parse("CR-SEARCHNEW").unwrap()),
    };
    let mut others = store.customers_orders(vec![ask], 100).await.unwrap();
    assert_eq!(ids(others.pop().unwrap()), ["CR-SEARCHMID"]);
    assert!(store
        .customer_orders("", since, 10)
        .await
        .unwrap()
        .is_empty());
    server.stop().await;
}
