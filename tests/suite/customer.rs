//! The customer at a glance against the real server: from one order, the
//! same customer's orders of the last 30 days (by phone, newest first), with
//! notes, the likely duplicate flagged (same items within 72 hours), nobody
//! else's orders and nothing older; through each caller's lens.

use crate::support;

use chrono::{Duration, Utc};
use order_control_room::model::EventKind;
use serde_json::{json, Value};
use support::{note, placed_and_paid, TestServer};

/// `placed_and_paid(id)`, placed `hours_ago`, to `phone`.
fn placed(id: &str, hours_ago: i64, phone: &str) -> Vec<order_control_room::model::OrderEvent> {
    let mut events = placed_and_paid(id);
    for e in &mut events {
        e.occurred_at = Utc::now() - Duration::hours(hours_ago);
        if let EventKind::OrderPlaced { customer, .. } = &mut e.kind {
            customer.phone = phone.to_string();
        }
    }
    events
}

fn ids(answer: &Value) -> Vec<&str> {
    answer["orders"]
        .as_array()
        .unwrap()
        .iter()
        .map(|o| o["order"]["id"].as_str().unwrap())
        .collect()
}

#[tokio::test]
async fn the_customers_recent_orders_flag_the_repeat_and_leave_out_others() {
    let dir = tempfile::tempdir().unwrap();
    let server = TestServer::spawn(dir.path()).await;
    let phone = "13912340001";
    server.append(placed("CR-CUST-OLD", 24 * 40, phone)).await;
    server.append(placed("CR-CUST-1", 30, phone)).await;
    server
        .append(placed("CR-CUST-2", 2, "+86 139-1234-0001"))
        .await;
    server
        .append(placed("CR-CUST-OTHER", 1, "13700000000"))
        .await;
    server
        .append(vec![note("CR-CUST-1", "客户说下单两次了")])
        .await;

    let (status, answer) = server
        .call("orders/customer", json!({"id": "CR-CUST-2"}))
        .await;
    assert_eq!(status, 200, "{answer}");
    assert_eq!(ids(&answer), ["CR-CUST-2", "CR-CUST-1"]);
    assert_eq!(answer["orders"][0]["duplicate_of"], "CR-CUST-1");
    assert_eq!(answer["orders"][1]["duplicate_of"], Value::Null);
    assert_eq!(answer["orders"][1]["notes"], json!(["客户说下单两次了"]));
    assert_eq!(answer["more"], false);

    // Logistics sees the same orders without their money.
    let logistics = server.login("logistics").await;
    let (status, seen) = server
        .call_as(&logistics, "orders/customer", json!({"id": "CR-CUST-1"}))
        .await;
    assert_eq!(status, 200, "{seen}");
    assert_eq!(ids(&seen), ["CR-CUST-2", "CR-CUST-1"]);
    assert_eq!(seen["orders"][0]["order"]["total"], Value::Null);

    let (status, _) = server
        .call("orders/customer", json!({"id": "CR-NO-SUCH"}))
        .await;
    assert_eq!(status, 404);
    server.stop().await;
}
