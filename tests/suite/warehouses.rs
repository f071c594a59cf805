//! The warehouse load board: its figures follow the log (allocation adds to
//! the backlog, the first parcel shipping moves an order to "shipped today",
//! a cancellation takes it off, an exception counts while open), stock comes
//! in as CSV (all lines or, at a bad line, none, with the line named), and
//! only the roles allowed see or change any of it.

use crate::support::{self, placed_and_paid, TestServer};
use order_control_room::model::views::warehouse_load::WarehouseLoad;
use order_control_room::model::{
    Actor, ComponentId, EventKind, ExceptionCode, OrderEvent, ParcelId, Source,
};
use serde_json::{json, Value};

const DC: &str = "Chengdu Shuangliu DC";

fn event(order: &str, kind: EventKind) -> OrderEvent {
    OrderEvent {
        order_id: support::order_id(order),
        occurred_at: chrono::Utc::now(),
        source: Source::Warehouse(DC.into()),
        actor: Actor::System { name: "WMS".into() },
        kind,
    }
}

/// Placed, paid, confirmed and allocated to [`DC`].
fn allocated(order: &str) -> Vec<OrderEvent> {
    let mut events = placed_and_paid(order);
    events.push(event(order, EventKind::OrderConfirmed));
    events.push(event(
        order,
        EventKind::WarehouseAllocated {
            warehouse: DC.into(),
        },
    ));
    events
}

fn shipped(order: &str) -> Vec<OrderEvent> {
    vec![
        event(
            order,
            EventKind::ParcelPacked {
                parcel: ParcelId::parse("P1").unwrap(),
                components: vec![ComponentId::parse("item-1").unwrap()],
            },
        ),
        event(
            order,
            EventKind::ParcelShipped {
                parcel: ParcelId::parse("P1").unwrap(),
                carrier: "SF Express".into(),
                waybill: format!("SF{order}"),
            },
        ),
    ]
}

async fn add_dc(server: &TestServer, capacity: u64) {
    let (status, body) = server
        .call(
            "warehouses/save",
            json!({"draft": {"name": DC, "province": "四川", "daily_capacity": capacity, "carriers": ["SF Express, JD Logistics"]}}),
        )
        .await;
    assert_eq!(status, 200, "{body}");
    assert_eq!(body["carriers"], json!(["SF Express", "JD Logistics"]));
}

/// The board's row of [`DC`], as logistics sees it.
async fn row(server: &TestServer, logistics: &reqwest::Client) -> Value {
    let (status, board) = server
        .call_as(logistics, "warehouses/board", json!({}))
        .await;
    assert_eq!(status, 200, "{board}");
    board["rows"]
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["warehouse"]["name"] == DC)
        .cloned()
        .unwrap_or_else(|| panic!("{DC} is on the board: {board}"))
}

#[tokio::test]
async fn the_load_follows_allocation_shipping_cancellation_and_exceptions() {
    let dir = tempfile::tempdir().unwrap();
    let server = TestServer::spawn(dir.path()).await;
    add_dc(&server, 1).await;
    let logistics = server.login("logistics").await;

    let empty = row(&server, &logistics).await;
    assert_eq!(empty["backlog"], 0);
    assert_eq!(empty["oldest"], Value::Null);
    assert_eq!(empty["hourly"].as_array().unwrap().len(), 24);

    server.append(allocated("CR-WH-1")).await;
    server.append(allocated("CR-WH-2")).await;
    let two = row(&server, &logistics).await;
    assert_eq!(two["backlog"], 2);
    assert_eq!(two["oldest"]["order_id"], "CR-WH-1");
    assert_eq!(two["shipped_today"], 0);
    // What the over-capacity check reads: two waiting, one a day.
    let load = server.state.store.warehouse_load(DC).await.unwrap();
    assert_eq!(
        load,
        Some(WarehouseLoad {
            backlog: 2,
            daily_capacity: 1
        })
    );
    assert!(load.unwrap().over_capacity());
    assert_eq!(
        server
            .state
            .store
            .warehouse_load("Nowhere DC")
            .await
            .unwrap(),
        None
    );

    server.append(shipped("CR-WH-1")).await;
    let one = row(&server, &logistics).await;
    assert_eq!(one["backlog"], 1);
    assert_eq!(one["oldest"]["order_id"], "CR-WH-2");
    assert_eq!(one["shipped_today"], 1);
    assert_eq!(one["hourly"][23]["shipped"], 1, "shipped this hour: {one}");

    server
        .append(vec![event(
            "CR-WH-2",
            EventKind::ExceptionRaised {
                code: ExceptionCode::DeliveryFailed,
                parcel: None,
                detail: "库存不足".into(),
                facts: None,
            },
        )])
        .await;
    assert_eq!(row(&server, &logistics).await["open_exceptions"], 1);

    server
        .append(vec![event(
            "CR-WH-2",
            EventKind::OrderCancelled {
                reason: "客户取消".into(),
            },
        )])
        .await;
    let none = row(&server, &logistics).await;
    assert_eq!(none["backlog"], 0);
    assert_eq!(none["shipped_today"], 1);
    assert_eq!(none["oldest"], Value::Null);
}

/// Posts a stock file as `client`.
async fn post_stock(server: &TestServer, client: &reqwest::Client, body: &[u8]) -> (u16, String) {
    let res = client
        .post(format!("{}/api/warehouses/stock.csv", server.base))
        .header("content-type", "text/csv")
        .body(body.to_vec())
        .send()
        .await
        .unwrap();
    (res.status().as_u16(), res.text().await.unwrap())
}

async fn stock(server: &TestServer) -> Value {
    let (status, lines) = server
        .call("warehouses/stock", json!({"warehouse": DC}))
        .await;
    assert_eq!(status, 200, "{lines}");
    lines
}

#[tokio::test]
async fn stock_imports_as_csv_whole_or_not_at_all() {
    let dir = tempfile::tempdir().unwrap();
    let server = TestServer::spawn(dir.path()).await;
    add_dc(&server, 300).await;

    let good = "\u{feff}warehouse,sku,quantity\r\nChengdu Shuangliu DC,TEA-LJ-250,\"1,200\"\r\nChengdu Shuangliu DC,LIP-VEL-12,7\r\n";
    let (status, body) = post_stock(&server, &server.http, good.as_bytes()).await;
    assert_eq!(status, 200, "{body}");
    assert_eq!(serde_json::from_str::<Value>(&body).unwrap()["imported"], 2);
    let before = stock(&server).await;
    assert_eq!(
        before,
        json!([
            {"warehouse": DC, "sku": "LIP-VEL-12", "quantity": 7},
            {"warehouse": DC, "sku": "TEA-LJ-250", "quantity": 1200},
        ])
    );

    let bad = "warehouse,sku,quantity\nChengdu Shuangliu DC,LIP-VEL-12,9\nChengdu Shuangliu DC,TEA-LJ-250,lots\n";
    let (status, body) = post_stock(&server, &server.http, bad.as_bytes()).await;
    assert_eq!(status, 400);
    assert!(body.starts_with("line 3: "), "{body}");
    assert_eq!(
        stock(&server).await,
        before,
        "nothing of a bad file is written"
    );

    let unknown =
        "warehouse,sku,quantity\nChengdu Shuangliu DC,LIP-VEL-12,9\nHarbin DC,LIP-VEL-12,1\n";
    let (status, body) = post_stock(&server, &server.http, unknown.as_bytes()).await;
    assert_eq!(status, 400);
    assert!(
        body.contains("line 3") && body.contains("Harbin DC"),
        "{body}"
    );
    assert_eq!(stock(&server).await, before);

    // The board's form sends the same file as text, and hears why as data.
    let (status, answer) = server
        .call("warehouses/stock/import", json!({"csv": bad}))
        .await;
    assert_eq!(status, 200, "{answer}");
    assert_eq!(answer["type"], "refused");
    assert_eq!(answer["problem"]["type"], "line");
    assert_eq!(answer["problem"]["line"], 3);

    let logistics = server.login("logistics").await;
    assert_eq!(
        post_stock(&server, &logistics, good.as_bytes()).await.0,
        403
    );
    assert_eq!(
        post_stock(&server, &server.anon, good.as_bytes()).await.0,
        401
    );
    assert_eq!(stock(&server).await, before);
}

#[tokio::test]
async fn only_logistics_and_admin_see_the_board_and_only_admin_changes_it() {
    let dir = tempfile::tempdir().unwrap();
    let server = TestServer::spawn(dir.path()).await;
    add_dc(&server, 300).await;
    for (who, board, save) in [
        ("cs", 403, 403),
        ("finance", 403, 403),
        ("logistics", 200, 403),
        ("admin", 200, 200),
    ] {
        let client = server.login(who).await;
        let (status, _) = server.call_as(&client, "warehouses/board", json!({})).await;
        assert_eq!(status, board, "{who} and the board");
        let draft =
            json!({"draft": {"name": DC, "province": "四川", "daily_capacity": 5, "carriers": []}});
        let (status, _) = server.call_as(&client, "warehouses/save", draft).await;
        assert_eq!(status, save, "{who} and saving a warehouse");
        let topic = server.stream_status(&client, "?topics=warehouses").await;
        assert_eq!(topic, board, "{who} and the warehouses topic");
    }
    let (status, body) = server
        .call(
            "warehouses/save",
            json!({"draft": {"name": " ", "province": "四川", "daily_capacity": 5, "carriers": []}}),
        )
        .await;
    assert_eq!(status, 400, "{body}");
    let (status, _) = server
        .call("warehouses/remove", json!({"name": "Harbin DC"}))
        .await;
    assert_eq!(status, 404);
    let (status, _) = server.call("warehouses/remove", json!({"name": DC})).await;
    assert_eq!(status, 200);
    assert!(server
        .state
        .warehouses
        .warehouses()
        .await
        .unwrap()
        .is_empty());
}

#[tokio::test]
async fn the_warehouses_topic_carries_what_moves_the_board_and_nothing_else() {
    let dir = tempfile::tempdir().unwrap();
    let server = TestServer::spawn(dir.path()).await;
    let logistics = server.login("logistics").await;
    let mut live = server
        .stream_as(&logistics, "?topics=warehouses", None)
        .await;
    let mut events = placed_and_paid("CR-WH-LIVE");
    events.push(support::note("CR-WH-LIVE", "备货中"));
    server.append(events).await;
    server.append(allocated("CR-WH-LIVE").split_off(2)).await;
    server.append(shipped("CR-WH-LIVE")).await;
    // Placed, paid, the note and the confirmation do not move the board.
    let carried: Vec<&str> = live
        .take(2)
        .await
        .iter()
        .map(|e| e.event.kind.name())
        .collect();
    assert_eq!(carried, ["warehouse_allocated", "parcel_shipped"]);
}

#[tokio::test]
async fn over_capacity_clears_when_the_backlog_falls_back_not_at_the_orders_next_event() {
    let dir = tempfile::tempdir().unwrap();
    let server = TestServer::spawn(dir.path()).await;
    add_dc(&server, 1).await;
    let watch = &server.state.detectors;
    server.append(allocated("CR-CAP-1")).await;
    server.append(allocated("CR-CAP-2")).await;
    watch.pass(chrono::Utc::now()).await.unwrap();
    let raised = |o: &order_control_room::model::Order| {
        o.is_open(ExceptionCode::WarehouseOverCapacity, None)
    };
    assert!(
        raised(&server.order("CR-CAP-2").await),
        "two waiting, one a day"
    );
    let before = server.order("CR-CAP-2").await.last_seq;

    // The other order ships: the backlog is back within capacity, and
    // CR-CAP-2, whose own log did not move, is cleared by the next pass.
    server.append(shipped("CR-CAP-1")).await;
    watch.pass(chrono::Utc::now()).await.unwrap();
    let after = server.order("CR-CAP-2").await;
    assert!(!raised(&after), "cleared: {:?}", after.exceptions);
    let events = server.state.store.order_events(&after.id).await.unwrap();
    let since: Vec<_> = events
        .iter()
        .filter(|e| e.seq > before)
        .map(|e| e.event.kind.name())
        .collect();
    assert_eq!(since, vec!["exception_cleared"], "its only new event");
}
