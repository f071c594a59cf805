//! CSV exports against the real server: the order list with its filters,
//! streamed page after page (every matching order once), with a byte-order
//! mark for Excel, in the caller's language and through their lens; the
//! customer's 30 days; a bad filter refused before anything is written; every
//! export in the audit trail; nobody signed in gets nothing.

use crate::support;

use order_control_room::model::{EventKind, OrderEvent};
use serde_json::json;
use support::{note, placed_and_paid, TestServer};

const BOM: &str = "\u{feff}";

async fn get(server: &TestServer, client: &reqwest::Client, path: &str) -> (u16, String, String) {
    let res = client
        .get(format!("{}{path}", server.base))
        .send()
        .await
        .expect("request is sent");
    let status = res.status().as_u16();
    let kind = res
        .headers()
        .get("content-type")
        .map(|v| v.to_str().unwrap().to_string())
        .unwrap_or_default();
    (status, kind, res.text().await.unwrap())
}

fn records(text: &str) -> (Vec<String>, Vec<Vec<String>>) {
    assert!(text.starts_with(BOM), "the export starts with a BOM");
    let mut reader = csv::Reader::from_reader(&text.as_bytes()[BOM.len()..]);
    let header = reader
        .headers()
        .unwrap()
        .iter()
        .map(str::to_string)
        .collect();
    let rows = reader
        .records()
        .map(|r| r.unwrap().iter().map(str::to_string).collect())
        .collect();
    (header, rows)
}

fn cancelled(order: &str) -> OrderEvent {
    let mut e = note(order, "");
    e.kind = EventKind::OrderCancelled {
        reason: "customer asked".into(),
    };
    e
}

#[tokio::test]
async fn the_filtered_list_exports_every_order_once_through_the_lens_and_is_audited() {
    let dir = tempfile::tempdir().unwrap();
    let server = TestServer::spawn(dir.path()).await;
    let mut events = Vec::new();
    for i in 0..130 {
        events.extend(placed_and_paid(&format!("CR-EXP-{i:03}")));
    }
    events.push(cancelled("CR-EXP-000"));
    server.append(events).await;

    let (status, kind, text) =
        get(&server, &server.http, "/api/export/orders.csv?status=paid").await;
    assert_eq!(status, 200, "{text}");
    assert_eq!(kind, "text/csv; charset=utf-8");
    let (header, rows) = records(&text);
    // The admin has chosen no language: Chinese.
    assert_eq!(header[0], "订单号");
    let mut ids: Vec<&str> = rows.iter().map(|r| r[0].as_str()).collect();
    assert_eq!(ids.len(), 129, "two pages, the cancelled order left out");
    ids.sort();
    ids.dedup();
    assert_eq!(ids.len(), 129, "no order twice");
    assert!(rows.iter().all(|r| r[4] == "待发货" && r[9] == "268.00"));

    // Logistics exports the same orders without their money, in English.
    let logistics = server.login("logistics").await;
    let (status, _, text) = get(
        &server,
        &logistics,
        "/api/export/orders.csv?status=paid&channel=douyin&lang=en",
    )
    .await;
    assert_eq!(status, 200);
    let (header, rows) = records(&text);
    assert_eq!(header[0], "Order");
    assert_eq!(rows.len(), 129);
    assert!(rows.iter().all(|r| r[9].is_empty() && r[10].is_empty()));

    let (_, audit) = server
        .call("admin/audit", json!({"page": 1, "kind": "orders_exported"}))
        .await;
    let entries = audit["entries"].as_array().unwrap();
    assert_eq!(entries.len(), 2, "{audit}");
    assert!(entries[0]["detail"]
        .as_str()
        .unwrap()
        .contains("status paid, channel douyin"));
    server.stop().await;
}

#[tokio::test]
async fn a_bad_filter_or_nobody_signed_in_gets_no_export() {
    let dir = tempfile::tempdir().unwrap();
    let server = TestServer::spawn(dir.path()).await;
    server.append(placed_and_paid("CR-EXP-BAD")).await;
    for path in [
        "/api/export/orders.csv?status=teleported",
        "/api/export/orders.csv?channel=fax",
        "/api/export/orders.csv?exceptions=maybe",
        "/api/export/orders.csv?lang=fr",
        "/api/export/customer.csv?order=not%20an%20id",
    ] {
        let (status, _, text) = get(&server, &server.http, path).await;
        assert_eq!(status, 400, "{path}: {text}");
        assert!(!text.contains("CR-EXP-BAD"));
    }
    let (status, _, text) = get(&server, &server.anon, "/api/export/orders.csv").await;
    assert_eq!((status, text.contains("CR-EXP-BAD")), (401, false));
    let (_, audit) = server
        .call("admin/audit", json!({"page": 1, "kind": "orders_exported"}))
        .await;
    assert_eq!(audit["entries"].as_array().unwrap().len(), 0, "{audit}");
    server.stop().await;
}

#[tokio::test]
async fn the_customers_thirty_days_export_with_notes() {
    let dir = tempfile::tempdir().unwrap();
    let server = TestServer::spawn(dir.path()).await;
    server.append(placed_and_paid("CR-EXP-C1")).await;
    server.append(placed_and_paid("CR-EXP-C2")).await;
    server
        .append(vec![note("CR-EXP-C1", "客户来电催发货")])
        .await;
    let (status, _, text) = get(
        &server,
        &server.http,
        "/api/export/customer.csv?order=CR-EXP-C1&lang=en",
    )
    .await;
    assert_eq!(status, 200, "{text}");
    let (header, rows) = records(&text);
    assert_eq!(header.last().unwrap(), "Likely duplicate of");
    let ids: Vec<&str> = rows.iter().map(|r| r[0].as_str()).collect();
    assert_eq!(ids, ["CR-EXP-C2", "CR-EXP-C1"]);
    assert_eq!(rows[0][16], "CR-EXP-C1", "same items within 72 hours");
    assert_eq!(rows[1][15], "客户来电催发货");
    server.stop().await;
}
