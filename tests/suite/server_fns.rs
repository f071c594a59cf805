//! Server functions over HTTP: answers, errors with the right status, and
//! refusals that write nothing; plus health and SPA deep links.

use crate::support;

use serde_json::json;
use support::{placed_and_paid, TestServer};

#[tokio::test]
async fn the_order_list_filters_searches_and_pages() {
    let dir = tempfile::tempdir().unwrap();
    let server = TestServer::spawn(dir.path()).await;
    for i in 0..30 {
        server.append(placed_and_paid(&format!("CR-L{i:02}"))).await;
    }
    let (status, first) = server
        .call("orders/list", json!({"query": {"status": null, "channel": null, "search": null, "page": 1, "per_page": 25}}))
        .await;
    assert_eq!(status, 200, "{first}");
    assert_eq!(first["total"], 30);
    assert_eq!(first["orders"].as_array().unwrap().len(), 25);
    // The next page starts after the last row shown (keyset pages).
    let last = &first["orders"][24];
    let micros = chrono::DateTime::parse_from_rfc3339(last["placed_at"].as_str().unwrap())
        .unwrap()
        .timestamp_micros();
    let (status, page) = server
        .call("orders/list", json!({"query": {"status": null, "channel": null, "search": null, "page": 2, "per_page": 25,
            "at": {"kind": "after", "key": {"placed_micros": micros, "order_id": last["id"]}}}}))
        .await;
    assert_eq!(status, 200, "{page}");
    assert_eq!(page["total"], 30);
    assert_eq!(page["orders"].as_array().unwrap().len(), 5);
    let shown: Vec<&str> = first["orders"]
        .as_array()
        .unwrap()
        .iter()
        .chain(page["orders"].as_array().unwrap())
        .map(|o| o["id"].as_str().unwrap())
        .collect();
    let mut distinct = shown.clone();
    distinct.sort();
    distinct.dedup();
    assert_eq!(distinct.len(), 30, "every order once across the two pages");

    let (_, page) = server
        .call("orders/list", json!({"query": {"status": "paid", "channel": "douyin", "search": "cr-l07", "page": 1, "per_page": 25}}))
        .await;
    assert_eq!(page["total"], 1, "search is case-insensitive on our id");
    assert_eq!(page["orders"][0]["id"], "CR-L07");

    let (_, page) = server
        .call("orders/list", json!({"query": {"status": "delivered", "channel": null, "search": null, "page": 1, "per_page": 25}}))
        .await;
    assert_eq!(page["total"], 0);
    server.stop().await;
}

#[tokio::test]
async fn the_order_list_carries_each_rows_order_through_the_lens_and_its_log_position() {
    let dir = tempfile::tempdir().unwrap();
    let server = TestServer::spawn(dir.path()).await;
    server.append(placed_and_paid("CR-R1")).await;
    let head = server.state.store.head();
    let list = json!({"query": {"status": null, "channel": null, "search": null, "page": 1, "per_page": 25}});

    let finance = server.login("finance").await;
    let (status, page) = server.call_as(&finance, "orders/list", list.clone()).await;
    assert_eq!(status, 200, "{page}");
    assert_eq!(page["as_of"], head, "the log head the rows reflect");
    let row = &page["orders"][0];
    assert_eq!(row["id"], "CR-R1");
    assert_eq!(
        row["last_seq"], head,
        "the row's order in full, to fold events into"
    );
    assert_eq!(row["paid"]["minor"], 26800);
    assert_eq!(
        row["customer"]["phone"], "138****8000",
        "masked for finance"
    );

    let logistics = server.login("logistics").await;
    let (_, page) = server.call_as(&logistics, "orders/list", list).await;
    assert_eq!(page["lens"]["money"], false);
    assert!(page["orders"][0]["total"].is_null(), "amounts withheld");
    assert!(page["orders"][0]["paid"].is_null());
    server.stop().await;
}

#[tokio::test]
async fn errors_carry_a_status_and_a_clear_message_and_write_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let server = TestServer::spawn(dir.path()).await;
    server.append(placed_and_paid("CR-A1")).await;
    let head = server.state.store.head();

    let (status, body) = server.call("orders/get", json!({"id": "CR-NOPE"})).await;
    assert_eq!(status, 404);
    assert_eq!(body, json!({"NotFound": "order CR-NOPE"}));

    let (status, _) = server.call("orders/get", json!({"id": "bad id!"})).await;
    assert_eq!(status, 400);

    let (status, body) = server
        .call("orders/note", json!({"order_id": "CR-A1", "text": "   "}))
        .await;
    assert_eq!(status, 400, "{body}");
    let (status, _) = server
        .call("orders/note", json!({"order_id": "CR-ZZ", "text": "hi"}))
        .await;
    assert_eq!(status, 404);

    let res = server
        .http
        .post(format!("{}/api/orders/note", server.base))
        .header("content-type", "application/json")
        .body("{not json")
        .send()
        .await
        .unwrap();
    assert_eq!(
        res.status().as_u16(),
        400,
        "malformed JSON is a bad request"
    );
    let message = res.text().await.unwrap();
    assert!(message.contains("BadRequest"), "{message}");

    let res = server
        .http
        .post(format!("{}/api/orders/note", server.base))
        .header("content-type", "application/json")
        .body(format!(
            r#"{{"order_id":"CR-A1","text":"{}"}}"#,
            "x".repeat(70 * 1024)
        ))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status().as_u16(), 413, "oversized body");

    assert_eq!(server.state.store.head(), head, "nothing was written");
    server.stop().await;
}

#[tokio::test]
async fn health_and_deep_links_answer() {
    let dir = tempfile::tempdir().unwrap();
    let server = TestServer::spawn(dir.path()).await;
    let health: serde_json::Value = server
        .http
        .get(format!("{}/healthz", server.base))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(health["status"], "ok");

    let res = server
        .http
        .get(format!("{}/orders/CR-A1", server.base))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status().as_u16(), 200);
    assert!(res.text().await.unwrap().contains("test app shell"));
    server.stop().await;
}
