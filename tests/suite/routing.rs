//! The router in the real server: a paid order is routed from the
//! warehouses kept and their stock, with its decision recorded as an event;
//! a clear winner is allocated by the router itself, a close call waits in
//! the logistics queue until a person accepts or overrides it (with a
//! reason, as events), and orders whose SKUs no warehouse knows are left to
//! the WMS.

use crate::support::{placed_and_paid, TestServer};
use chrono::Utc;
use order_control_room::model::warehouse::{StockLine, WarehouseDraft};
use order_control_room::model::{EventKind, ExceptionCode};
use serde_json::json;

/// Keeps a warehouse in `province` with `stock` units of the test order's serum.
async fn warehouse(server: &TestServer, name: &str, province: &str, backlog_room: u64, stock: u64) {
    let w = WarehouseDraft {
        name: name.into(),
        province: province.into(),
        daily_capacity: backlog_room,
        carriers: vec!["ZTO Express".into()],
    }
    .parse()
    .unwrap();
    server
        .state
        .warehouses
        .save_warehouse(&w, Utc::now())
        .await
        .unwrap();
    server
        .state
        .warehouses
        .import_stock(
            vec![StockLine {
                warehouse: name.into(),
                sku: "SER-ROSE-30".into(),
                quantity: stock,
            }],
            Utc::now(),
        )
        .await
        .unwrap();
}

#[tokio::test]
async fn a_clear_winner_is_allocated_by_the_router_with_its_decision_on_the_log() {
    let dir = tempfile::tempdir().unwrap();
    let server = TestServer::spawn(dir.path()).await;
    warehouse(&server, "Shanghai DC", "上海", 1000, 40).await;
    warehouse(&server, "Chengdu DC", "四川", 1000, 40).await;
    server.append(placed_and_paid("CR-RT1")).await;
    server.state.detectors.pass(Utc::now()).await.unwrap();
    let order = server.order("CR-RT1").await;
    assert_eq!(
        order.warehouse.as_deref(),
        Some("Shanghai DC"),
        "in the buyer's province"
    );
    let route = order.route.unwrap();
    assert!(route.confidence_pct >= 85, "{route:?}");
    let log = server.state.store.order_events(&order.id).await.unwrap();
    let proposed = log
        .iter()
        .find_map(|e| match &e.event.kind {
            EventKind::RouteProposed { decision } => Some(decision.clone()),
            _ => None,
        })
        .expect("the decision is an event");
    assert_eq!(proposed.rule_version, 1);
    assert_eq!(
        proposed.inputs.warehouses.len(),
        2,
        "the snapshot it decided from"
    );
    assert_eq!(proposed.runner_up().unwrap().warehouse, "Chengdu DC");
    assert_eq!(
        log.last().unwrap().event.actor.to_string(),
        "router (automatic)"
    );
}

#[tokio::test]
async fn a_close_call_waits_for_logistics_who_override_it_with_a_reason() {
    let dir = tempfile::tempdir().unwrap();
    let server = TestServer::spawn(dir.path()).await;
    // Both a region away from 上海's buyer, one of them fuller.
    warehouse(&server, "Guangzhou DC", "广东", 1000, 40).await;
    warehouse(&server, "Chengdu DC", "四川", 1000, 40).await;
    server.append(placed_and_paid("CR-RT2")).await;
    server.state.detectors.pass(Utc::now()).await.unwrap();
    let order = server.order("CR-RT2").await;
    assert_eq!(order.warehouse, None, "not applied: {:?}", order.route);
    assert!(order.is_open(ExceptionCode::RouteReview, None));
    let logistics = server.login("logistics").await;
    let (_, queue) = server
        .call_as(
            &logistics,
            "exceptions/queue",
            json!({"team": "logistics", "after": null, "snoozed": false}),
        )
        .await;
    assert_eq!(
        queue["rows"][0]["exception"]["code"], "route_review",
        "{queue}"
    );

    let override_to = |warehouse: &str, reason: &str| json!({"order_id": "CR-RT2", "action": {"type": "override_route", "warehouse": warehouse, "reason": reason}});
    let cs = server.login("cs").await;
    let (status, _) = server
        .call_as(
            &cs,
            "orders/act",
            override_to("Guangzhou DC", "closer to the buyer"),
        )
        .await;
    assert_eq!(status, 403, "customer service does not route");
    let (status, body) = server
        .call_as(&logistics, "orders/act", override_to("Guangzhou DC", " "))
        .await;
    assert_eq!(status, 400, "a reason is needed: {body}");
    let proposed = order.route.as_ref().unwrap().proposed.clone().unwrap();
    let other = if proposed == "Chengdu DC" {
        "Guangzhou DC"
    } else {
        "Chengdu DC"
    };
    let (status, events) = server
        .call_as(
            &logistics,
            "orders/act",
            override_to(other, "顺丰今天在广州仓有空位"),
        )
        .await;
    assert_eq!(status, 200, "{events}");
    assert_eq!(events[0]["kind"]["type"], "route_overridden");
    assert_eq!(events[0]["actor"]["role"], "logistics");
    assert_eq!(events[1]["kind"]["type"], "warehouse_allocated");
    let decided = server.order("CR-RT2").await;
    assert_eq!(decided.warehouse.as_deref(), Some(other));
    assert!(
        !decided.is_open(ExceptionCode::RouteReview, None),
        "settled by the allocation"
    );
    let choice = decided.route.unwrap().decided.unwrap();
    assert!(choice.overridden);
    let (status, _) = server
        .call_as(
            &logistics,
            "orders/act",
            override_to(&proposed, "changed my mind"),
        )
        .await;
    assert_eq!(status, 409, "decided already");
}

#[tokio::test]
async fn orders_no_warehouse_knows_are_left_to_the_wms() {
    let dir = tempfile::tempdir().unwrap();
    let server = TestServer::spawn(dir.path()).await;
    server.append(placed_and_paid("CR-RT3")).await;
    let pass = server.state.detectors.pass(Utc::now()).await.unwrap();
    assert_eq!(pass.appended, 0, "no warehouses kept");
    let order = server.order("CR-RT3").await;
    assert_eq!((order.route, order.warehouse), (None, None));
}
