//! Exceptions end to end: events posted through the timeline write API raise
//! and clear them, and the order list filters to orders with open exceptions,
//! counts them and names them per row; the order's status agrees.

use crate::support;
use order_control_room::i18n::{words, Locale};
use order_control_room::model::{Money, SeenOrder, Status};
use serde_json::{json, Value};
use support::hooks::{server_with_secrets, shipped, timeline};
use support::{placed_and_paid, TestServer};

/// One timeline API event, happening now.
fn posted(event_id: &str, source: Value, event: Value) -> Vec<u8> {
    serde_json::to_vec(&json!({
        "event_id": event_id,
        "occurred_at": chrono::Utc::now().to_rfc3339(),
        "source": source,
        "event": event,
    }))
    .unwrap()
}

fn scan(event_id: &str, scan: &str, detail: &str) -> Vec<u8> {
    posted(
        event_id,
        json!({"kind": "carrier", "name": "yto"}),
        json!({"type": "carrier_scan", "waybill": "YT-EX1", "scan": scan,
               "location": "杭州 hub", "detail": detail}),
    )
}

/// A page of the list as admin; `open` asks for orders with open exceptions only.
async fn list(server: &TestServer, open: bool) -> Value {
    let (status, page) = server
        .call(
            "orders/list",
            json!({"query": {"page": 1, "per_page": 25, "status": null, "channel": null,
                             "search": null, "open_exceptions": open}}),
        )
        .await;
    assert_eq!(status, 200, "{page}");
    page
}

fn ids(page: &Value) -> Vec<&str> {
    let mut ids: Vec<&str> = page["orders"]
        .as_array()
        .unwrap()
        .iter()
        .map(|o| o["id"].as_str().unwrap())
        .collect();
    ids.sort();
    ids
}

/// A row's open exceptions: code and parcel of each.
fn marks(row: &Value) -> Vec<(Value, Value)> {
    row["exceptions"]
        .as_array()
        .expect("a row carries its open exceptions")
        .iter()
        .map(|e| (e["code"].clone(), e["parcel"].clone()))
        .collect()
}

/// A row as the browser reads it: the order through the viewer's lens.
fn seen(row: &Value) -> SeenOrder {
    serde_json::from_value(row.clone()).expect("a row is an order")
}

fn row<'a>(page: &'a Value, id: &str) -> &'a Value {
    page["orders"]
        .as_array()
        .unwrap()
        .iter()
        .find(|o| o["id"] == id)
        .unwrap_or_else(|| panic!("{id} is listed: {page}"))
}

#[tokio::test]
async fn the_list_filters_and_counts_orders_with_exceptions_raised_and_cleared_by_posted_events() {
    let dir = tempfile::tempdir().unwrap();
    let server = server_with_secrets(dir.path(), &[]).await;
    for id in ["CR-EX1", "CR-EX2", "CR-EX3"] {
        server.append(placed_and_paid(id)).await;
    }
    server.append(shipped("CR-EX1", "YT-EX1")).await;
    let (status, created) = server
        .call("admin/api-keys/create", json!({"name": "Ops"}))
        .await;
    assert_eq!(status, 200, "{created}");
    let key = created["key"].as_str().unwrap().to_string();
    let post = |order: &'static str, body: Vec<u8>| {
        let (server, key) = (&server, key.clone());
        async move {
            let (status, answer) = timeline(server, Some(&key), order, body).await;
            assert_eq!(status, 200, "{order}: {answer}");
        }
    };

    assert_eq!(list(&server, false).await["with_exceptions"], 0);

    // The carrier reports a failed delivery of CR-EX1's parcel; someone
    // raises paid-not-shipped on CR-EX2 through the API.
    post(
        "CR-EX1",
        scan("yto-1", "exception", "recipient unreachable"),
    )
    .await;
    post(
        "CR-EX2",
        posted(
            "ops-1",
            json!({"kind": "control_room"}),
            json!({"type": "exception_raised", "code": "paid_not_shipped",
                   "detail": "stuck behind an inventory audit"}),
        ),
    )
    .await;

    let all = list(&server, false).await;
    assert_eq!(
        (all["total"].clone(), all["with_exceptions"].clone()),
        (json!(3), json!(2))
    );
    assert!(marks(row(&all, "CR-EX3")).is_empty());
    let flagged = list(&server, true).await;
    assert_eq!(ids(&flagged), ["CR-EX1", "CR-EX2"]);
    assert_eq!(flagged["total"], 2);
    assert_eq!(flagged["with_exceptions"], 2);
    assert_eq!(
        marks(row(&flagged, "CR-EX1")),
        [(json!("delivery_failed"), json!("P1"))]
    );
    assert_eq!(
        seen(row(&flagged, "CR-EX1")).status(),
        Status::DeliveryException
    );
    assert_eq!(
        marks(row(&flagged, "CR-EX2")),
        [(json!("paid_not_shipped"), Value::Null)]
    );
    // The order itself holds the same one list, with the carrier's reason.
    let order = server.order("CR-EX1").await;
    assert_eq!(order.exceptions.len(), 1);
    assert_eq!(
        words::open_exception(Locale::en, &order.exceptions[0]),
        "Delivery failed: recipient unreachable (at 杭州 hub)"
    );

    // A later progress scan clears CR-EX1's; shipping CR-EX2 settles its own.
    post("CR-EX1", scan("yto-2", "out_for_delivery", "派送中")).await;
    let warehouse = json!({"kind": "warehouse", "name": "Shanghai"});
    post(
        "CR-EX2",
        posted(
            "wms-1",
            warehouse.clone(),
            json!({"type": "parcel_packed", "parcel": "P1", "components": ["item-1"]}),
        ),
    )
    .await;
    assert_eq!(
        list(&server, true).await["total"],
        1,
        "packing is not shipping"
    );
    post(
        "CR-EX2",
        posted(
            "wms-2",
            warehouse,
            json!({"type": "parcel_shipped", "parcel": "P1", "carrier": "YTO",
                   "waybill": "YT-EX2"}),
        ),
    )
    .await;

    let flagged = list(&server, true).await;
    assert_eq!(
        (flagged["total"].clone(), flagged["with_exceptions"].clone()),
        (json!(0), json!(0))
    );
    assert_eq!(list(&server, false).await["with_exceptions"], 0);
    assert!(server.order("CR-EX1").await.exceptions.is_empty());
    assert_ne!(
        server.order("CR-EX1").await.status(),
        order_control_room::model::Status::DeliveryException
    );
}

#[tokio::test]
async fn the_paid_not_shipped_detector_stores_facts_once_and_shipping_clears_it() {
    use order_control_room::model::order::exceptions::{Cause, ExceptionFacts};
    use order_control_room::model::{EventKind, OrderId};

    let dir = tempfile::tempdir().unwrap();
    let server = TestServer::spawn(dir.path()).await;
    server.append(placed_and_paid("CR-DET1")).await;
    let watch = &server.state.detectors;
    let store = &server.state.store;
    let placed = server.order("CR-DET1").await.placed_at;
    let day = chrono::Duration::hours(24);
    // A pass a second before the threshold finds nothing; one at it raises.
    watch
        .pass(placed + day - chrono::Duration::seconds(1))
        .await
        .unwrap();
    assert!(server.order("CR-DET1").await.exceptions.is_empty());
    let pass = watch.pass(placed + day).await.unwrap();
    assert_eq!(pass.appended, 1, "{pass:?}");
    let again = watch.pass(placed + day).await.unwrap();
    assert_eq!(again.appended, 0, "already open: nothing appended");
    let order = server.order("CR-DET1").await;
    assert_eq!(order.exceptions.len(), 1);
    assert_eq!(
        order.exceptions[0].cause,
        Cause::Found {
            facts: ExceptionFacts::NotShipped {
                placed_at: order.placed_at,
                within_secs: 24 * 3600,
            }
        }
    );
    // The event in the log holds the facts, and no words that would go stale.
    let log = store
        .order_events(&OrderId::parse("CR-DET1").unwrap())
        .await
        .unwrap();
    let EventKind::ExceptionRaised { detail, facts, .. } = &log.last().unwrap().event.kind else {
        panic!("the detector's event is last: {log:?}");
    };
    assert!(detail.is_empty(), "{detail}");
    assert!(facts.is_some());
    let plain = |m: &Money| m.to_string();
    assert!(!words::meaning(Locale::en, &log.last().unwrap().event.kind, &plain).contains("ago"));
    assert_eq!(list(&server, true).await["total"], 1);

    server.append(shipped("CR-DET1", "YT-DET1")).await;
    assert!(server.order("CR-DET1").await.exceptions.is_empty());
    assert_eq!(watch.pass(placed + day * 2).await.unwrap().appended, 0);
    assert_eq!(list(&server, true).await["total"], 0);
}
