//! Webhooks into the log, with the real fixtures: signatures, redelivery,
//! bad input, unknown orders kept, carrier scans mapped, unmapped values kept.

mod support;

use base64::Engine;
use hmac::{Hmac, Mac};
use order_control_room::model::{Channel, EventKind, Stage, Status};
use serde_json::Value;
use sha2::Sha256;
use support::hooks::{fixture, kuaidi100, post, shipped};
use support::{order_id, placed_and_paid, TestServer};

const SHOPIFY_SECRET: &str = "shopify-test-secret";

/// Every test uses the same secrets, so setting them from parallel tests is harmless.
async fn server(dir: &std::path::Path) -> TestServer {
    std::env::set_var("CONTROL_ROOM_SHOPIFY_SECRET", SHOPIFY_SECRET);
    support::hooks::provision_env_secrets();
    TestServer::spawn(dir).await
}

fn shopify_signature(body: &[u8]) -> String {
    let mut mac = Hmac::<Sha256>::new_from_slice(SHOPIFY_SECRET.as_bytes()).unwrap();
    mac.update(body);
    base64::engine::general_purpose::STANDARD.encode(mac.finalize().into_bytes())
}

async fn shopify(
    server: &TestServer,
    body: Vec<u8>,
    signature: Option<String>,
    webhook_id: &str,
) -> (u16, Value) {
    let mut headers = vec![
        ("content-type", "application/json".to_string()),
        ("x-shopify-topic", "orders/create".to_string()),
        ("x-shopify-webhook-id", webhook_id.to_string()),
    ];
    if let Some(sig) = signature {
        headers.push(("x-shopify-hmac-sha256", sig));
    }
    post(server, "shopify", &headers, body).await
}

#[tokio::test]
async fn a_signed_shopify_order_is_placed_once_however_often_it_is_delivered() {
    let dir = tempfile::tempdir().unwrap();
    let server = server(dir.path()).await;
    let body = fixture("channels/shopify/orders-create.json");
    let sig = shopify_signature(&body);

    let (status, answer) = shopify(&server, body.clone(), Some(sig.clone()), "wh-1").await;
    assert_eq!(status, 200, "{answer}");
    assert_eq!(answer["status"], "accepted");
    let order = server
        .state
        .store
        .order_for_channel(Channel::Shopify, "450789469")
        .await
        .unwrap()
        .expect("the order was placed");
    assert_eq!(order.customer.name, "Bob Norman");
    let head = server.state.store.head();

    for _ in 0..3 {
        let (status, answer) = shopify(&server, body.clone(), Some(sig.clone()), "wh-1").await;
        assert_eq!(
            (status, answer["status"].as_str()),
            (200, Some("duplicate"))
        );
    }
    assert_eq!(
        server.state.store.head(),
        head,
        "redeliveries append nothing"
    );
    let (_, page) = server
        .call("orders/list", serde_json::json!({"query": {"page": 1, "per_page": 10, "status": null, "channel": "shopify", "search": null}}))
        .await;
    assert_eq!(page["total"], 1);
}

#[tokio::test]
async fn bad_deliveries_are_refused_and_store_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let server = server(dir.path()).await;
    let body = fixture("channels/shopify/orders-create.json");
    let sig = shopify_signature(&body);

    let mut tampered = body.clone();
    let at = tampered.iter().position(|b| *b == b'4').unwrap();
    tampered[at] = b'5';
    let (status, answer) = shopify(&server, tampered, Some(sig.clone()), "wh-2").await;
    assert_eq!(status, 401, "{answer}");
    assert_eq!(answer["error"], "the signature does not match");

    let (status, answer) = shopify(&server, body.clone(), None, "wh-3").await;
    assert_eq!(status, 401);
    assert!(
        answer["error"].as_str().unwrap().contains("missing"),
        "{answer}"
    );

    let not_json = b"{\"id\": ".to_vec();
    let (status, answer) = shopify(
        &server,
        not_json.clone(),
        Some(shopify_signature(&not_json)),
        "wh-4",
    )
    .await;
    assert_eq!(status, 400);
    assert!(
        answer["error"].as_str().unwrap().contains("JSON"),
        "{answer}"
    );

    let huge = vec![b' '; 2 * 1024 * 1024];
    let (status, _) = shopify(
        &server,
        huge.clone(),
        Some(shopify_signature(&huge)),
        "wh-5",
    )
    .await;
    assert_eq!(status, 413);

    let (status, answer) = post(&server, "ebay", &[], body).await;
    assert_eq!(status, 404);
    assert!(answer["error"].as_str().unwrap().contains("ebay"));

    assert_eq!(server.state.store.head(), 0, "nothing was appended");
}

#[tokio::test]
async fn a_scan_for_an_unknown_waybill_is_kept_and_scans_move_known_parcels() {
    let dir = tempfile::tempdir().unwrap();
    let server = server(dir.path()).await;
    let param = String::from_utf8(fixture("carriers/kuaidi100/subscribe-push.param.json")).unwrap();

    let (status, answer) = kuaidi100(&server, &param).await;
    assert_eq!(status, 202, "{answer}");
    assert_eq!(answer["status"], "pending");
    assert!(answer["reason"]
        .as_str()
        .unwrap()
        .contains("YT2506789012345"));
    assert_eq!(server.state.store.head(), 0);
    // The same push again is a duplicate of the kept one.
    assert_eq!(kuaidi100(&server, &param).await.1["status"], "duplicate");

    server.append(placed_and_paid("CR-K1")).await;
    server.append(shipped("CR-K1", "YT2506789012345")).await;
    let changed = param.replace("\"message\": \"ok\"", "\"message\": \"ok again\"");
    let (status, answer) = kuaidi100(&server, &changed).await;
    assert_eq!(status, 200, "{answer}");
    let order = server.order("CR-K1").await;
    assert_eq!(
        order.parcels[0].stage,
        Stage::InTransit,
        "picked up, then in transit"
    );
    assert_eq!(order.status(), Status::InTransit);
}

#[tokio::test]
async fn an_unmapped_value_is_kept_in_the_log_without_changing_the_status() {
    let dir = tempfile::tempdir().unwrap();
    let server = server(dir.path()).await;
    server.append(placed_and_paid("CR-K2")).await;
    server.append(shipped("CR-K2", "YT2506789012345")).await;
    let param = String::from_utf8(fixture("carriers/kuaidi100/subscribe-push.param.json"))
        .unwrap()
        .replace("\"state\": \"0\"", "\"state\": \"99\"");
    let before = server.state.store.head();
    let (status, answer) = kuaidi100(&server, &param).await;
    assert_eq!(status, 200, "{answer}");
    let events = server
        .state
        .store
        .order_events(&order_id("CR-K2"))
        .await
        .unwrap();
    let reported = events[before as usize..]
        .iter()
        .filter(|e| matches!(&e.event.kind, EventKind::StatusReported { value, note, .. } if value == "99" && note == "no mapping yet"))
        .count();
    assert_eq!(reported, 1, "the unmapped state is in the log");
    let order = server.order("CR-K2").await;
    assert_eq!(
        order.parcels[0].stage,
        Stage::PickedUp,
        "only the mapped older scan moved it"
    );
}
