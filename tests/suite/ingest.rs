//! Webhooks into the log, with the real fixtures: signatures, redelivery,
//! bad input, unknown orders kept, carrier scans mapped, unmapped values kept;
//! what a signature does not cover (Shopify's headers, WeChat plain-text
//! mode's body) and how old a delivery may be.

use crate::support;

use base64::Engine;
use chrono::{SecondsFormat, Utc};
use hmac::{Hmac, Mac};
use order_control_room::model::{Channel, EventKind, Stage, Status};
use order_control_room::server::ingest::wechat_safe_mode::{plain_signature, WechatKey};
use serde_json::{json, Value};
use sha2::Sha256;
use support::hooks::{fixture, kuaidi100, post, shipped};
use support::{order_id, placed_and_paid, TestServer};

const SHOPIFY_SECRET: &str = "shopify-test-secret";

async fn server(dir: &std::path::Path) -> TestServer {
    support::hooks::server_with_secrets(
        dir,
        &[(
            order_control_room::model::ingest::integration::Integration::Shopify,
            SHOPIFY_SECRET,
        )],
    )
    .await
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
    shopify_as(
        server,
        "orders/create",
        body,
        signature,
        Some(webhook_id),
        &[],
    )
    .await
}

/// A Shopify delivery under `topic`, with `more` headers.
async fn shopify_as(
    server: &TestServer,
    topic: &str,
    body: Vec<u8>,
    signature: Option<String>,
    webhook_id: Option<&str>,
    more: &[(&'static str, String)],
) -> (u16, Value) {
    let mut headers = vec![
        ("content-type", "application/json".to_string()),
        ("x-shopify-topic", topic.to_string()),
    ];
    if let Some(id) = webhook_id {
        headers.push(("x-shopify-webhook-id", id.to_string()));
    }
    if let Some(sig) = signature {
        headers.push(("x-shopify-hmac-sha256", sig));
    }
    headers.extend(more.iter().cloned());
    post(server, "shopify", &headers, body).await
}

/// The published order sample as Shopify would send it today: created and
/// updated now (the sample itself dates from 2008), with `edit` applied.
fn fresh_order(edit: impl FnOnce(&mut Value)) -> Vec<u8> {
    let mut order: Value =
        serde_json::from_slice(&fixture("channels/shopify/orders-create.json")).unwrap();
    let now = Utc::now().to_rfc3339_opts(SecondsFormat::Secs, true);
    order["created_at"] = now.clone().into();
    order["updated_at"] = now.into();
    edit(&mut order);
    serde_json::to_vec(&order).unwrap()
}

async fn shopify_order(server: &TestServer) -> order_control_room::model::Order {
    server
        .state
        .store
        .order_for_channel(Channel::Shopify, "450789469")
        .await
        .unwrap()
        .expect("the order was placed")
}

#[tokio::test]
async fn a_signed_shopify_order_is_placed_once_however_often_it_is_delivered() {
    let dir = tempfile::tempdir().unwrap();
    let server = server(dir.path()).await;
    let body = fresh_order(|_| {});
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

    // The same body again, under the same, a new or no webhook id (the id is
    // not signed): a duplicate each time.
    for id in [Some("wh-1"), Some("wh-new"), Some("wh-newer"), None] {
        let (status, answer) = shopify_as(
            &server,
            "orders/create",
            body.clone(),
            Some(sig.clone()),
            id,
            &[],
        )
        .await;
        assert_eq!(
            (status, answer["status"].as_str()),
            (200, Some("duplicate")),
            "{id:?}"
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

#[tokio::test]
async fn a_swapped_shopify_topic_header_does_not_change_what_a_signed_body_means() {
    let dir = tempfile::tempdir().unwrap();
    let server = server(dir.path()).await;
    let body = fresh_order(|_| {});
    let sig = shopify_signature(&body);

    // An orders/create body, captured and resent as orders/cancelled: a
    // duplicate, nothing appended, nothing cancelled.
    let (status, answer) = shopify(&server, body.clone(), Some(sig.clone()), "wh-a").await;
    assert_eq!(
        (status, answer["status"].as_str()),
        (200, Some("accepted")),
        "{answer}"
    );
    let head = server.state.store.head();
    let (status, answer) = shopify_as(
        &server,
        "orders/cancelled",
        body.clone(),
        Some(sig.clone()),
        Some("wh-b"),
        &[],
    )
    .await;
    assert_eq!(
        (status, answer["status"].as_str()),
        (200, Some("duplicate")),
        "{answer}"
    );
    assert_eq!(server.state.store.head(), head, "nothing appended");
    assert_ne!(shopify_order(&server).await.status(), Status::Cancelled);

    // A later version of the order, delivered first under the cancel topic:
    // read from the body, which does not say cancelled.
    let updated = fresh_order(|o| {
        o["financial_status"] = "paid".into();
        o["updated_at"] = Utc::now()
            .checked_add_signed(chrono::TimeDelta::seconds(5))
            .unwrap()
            .to_rfc3339_opts(SecondsFormat::Secs, true)
            .into();
    });
    let (status, answer) = shopify_as(
        &server,
        "orders/cancelled",
        updated.clone(),
        Some(shopify_signature(&updated)),
        Some("wh-c"),
        &[],
    )
    .await;
    assert_eq!(
        (status, answer["status"].as_str()),
        (200, Some("accepted")),
        "{answer}"
    );
    let order = shopify_order(&server).await;
    assert_eq!(order.status(), Status::Paid, "paid, not cancelled");

    // Only a body that says cancelled_at cancels, whatever the topic.
    let cancelled = fresh_order(|o| {
        o["financial_status"] = "voided".into();
        let later = Utc::now() + chrono::TimeDelta::seconds(10);
        let at = later.to_rfc3339_opts(SecondsFormat::Secs, true);
        o["updated_at"] = at.clone().into();
        o["cancelled_at"] = at.into();
    });
    let (status, answer) = shopify_as(
        &server,
        "orders/updated",
        cancelled.clone(),
        Some(shopify_signature(&cancelled)),
        None,
        &[],
    )
    .await;
    assert_eq!(status, 200, "{answer}");
    assert_eq!(shopify_order(&server).await.status(), Status::Cancelled);
}

#[tokio::test]
async fn shopify_deliveries_dated_too_long_ago_are_refused() {
    let dir = tempfile::tempdir().unwrap();
    let server = server(dir.path()).await;

    // Signed, but its body was last updated in 2001.
    let old = fresh_order(|o| {
        o["created_at"] = "2001-09-09T01:46:40Z".into();
        o["updated_at"] = "2001-09-09T01:46:40Z".into();
    });
    let (status, answer) =
        shopify(&server, old.clone(), Some(shopify_signature(&old)), "wh-o").await;
    assert_eq!(status, 400, "{answer}");
    let error = answer["error"].as_str().unwrap();
    assert!(
        error.contains("too old") && error.contains("updated_at 2001"),
        "{error}"
    );

    // A fresh body that says (unsigned) it was triggered in 2001.
    let body = fresh_order(|_| {});
    let triggered = [(
        "x-shopify-triggered-at",
        "2001-09-09T01:46:40.000Z".to_string(),
    )];
    let (status, answer) = shopify_as(
        &server,
        "orders/create",
        body.clone(),
        Some(shopify_signature(&body)),
        Some("wh-t"),
        &triggered,
    )
    .await;
    assert_eq!(status, 400, "{answer}");
    assert!(
        answer["error"]
            .as_str()
            .unwrap()
            .contains("X-Shopify-Triggered-At"),
        "{answer}"
    );

    // The published sample as it is (2008).
    let sample = fixture("channels/shopify/orders-create.json");
    let (status, _) = shopify(
        &server,
        sample.clone(),
        Some(shopify_signature(&sample)),
        "wh-s",
    )
    .await;
    assert_eq!(status, 400);
    assert_eq!(server.state.store.head(), 0, "nothing was appended");

    // The same fresh body, triggered now, is accepted.
    let now = [("x-shopify-triggered-at", Utc::now().to_rfc3339())];
    let (status, answer) = shopify_as(
        &server,
        "orders/create",
        body.clone(),
        Some(shopify_signature(&body)),
        None,
        &now,
    )
    .await;
    assert_eq!(
        (status, answer["status"].as_str()),
        (200, Some("accepted")),
        "{answer}"
    );
}

#[tokio::test]
async fn the_maximum_delivery_age_is_configurable() {
    let dir = tempfile::tempdir().unwrap();
    let server = TestServer::spawn_with(dir.path(), |args| {
        args.ingest.max_delivery_age_hours = 30 * 365 * 24;
    })
    .await;
    let given = json!({"kind": "given", "value": SHOPIFY_SECRET});
    let (status, answer) = server
        .call(
            "admin/integrations/secret",
            json!({"integration": "shopify", "secret": given, "overlap_hours": 0}),
        )
        .await;
    assert_eq!(status, 200, "{answer}");
    let sample = fixture("channels/shopify/orders-create.json");
    let (status, answer) = shopify(
        &server,
        sample.clone(),
        Some(shopify_signature(&sample)),
        "wh",
    )
    .await;
    assert_eq!(
        (status, answer["status"].as_str()),
        (200, Some("accepted")),
        "{answer}"
    );
}

// ---- WeChat Channels ----

const WECHAT_ORDER: &str = "3705115058471208928";
const WECHAT_AES: &str = "abcdefghijklmnopqrstuvwxyz0123456789ABCDEFG";

/// Places an unpaid WeChat Channels order `order` known to WeChat as
/// [`WECHAT_ORDER`].
async fn wechat_order(server: &TestServer, order: &str) {
    let mut placed = placed_and_paid(order).remove(0);
    if let EventKind::OrderPlaced {
        channel,
        channel_order_id,
        ..
    } = &mut placed.kind
    {
        *channel = Channel::Wechat;
        *channel_order_id = WECHAT_ORDER.to_string();
    }
    server.append(vec![placed]).await;
}

/// A WeChat event message about [`WECHAT_ORDER`].
fn wechat_message(event: &str, created: i64) -> Vec<u8> {
    serde_json::to_vec(&json!({
        "ToUserName": "gh_test", "FromUserName": "OPENID", "CreateTime": created,
        "MsgType": "event", "Event": event,
        "order_info": {"order_id": WECHAT_ORDER, "pay_time": created}
    }))
    .unwrap()
}

/// A safe-mode push of `message` signed with `secret` at `timestamp`: the
/// query and the body.
fn wechat_safe(secret: &str, timestamp: i64, nonce: &str, message: &[u8]) -> (String, Vec<u8>) {
    let key = WechatKey::parse(secret).unwrap();
    let encrypt = key.seal(*b"0123456789abcdef", message);
    let timestamp = timestamp.to_string();
    let msg_signature = hex::encode(key.msg_signature(&timestamp, nonce, &encrypt));
    let query = format!(
        "timestamp={timestamp}&nonce={nonce}&encrypt_type=aes&msg_signature={msg_signature}"
    );
    let body = serde_json::to_vec(&json!({"ToUserName": "gh_test", "Encrypt": encrypt})).unwrap();
    (query, body)
}

/// A plain-text mode push: the query signs token, timestamp and nonce only.
fn wechat_plain_query(token: &str, timestamp: i64, nonce: &str) -> String {
    let timestamp = timestamp.to_string();
    let signature = hex::encode(plain_signature(token, &timestamp, nonce));
    format!("signature={signature}&timestamp={timestamp}&nonce={nonce}")
}

async fn wechat(server: &TestServer, query: &str, body: Vec<u8>) -> (u16, Value) {
    let headers = [("content-type", "application/json".to_string())];
    post(server, &format!("wechat?{query}"), &headers, body).await
}

async fn set_wechat_secret(server: &TestServer, secret: &str) -> (u16, Value) {
    server
        .call(
            "admin/integrations/secret",
            json!({"integration": "wechat", "secret": {"kind": "given", "value": secret}, "overlap_hours": 0}),
        )
        .await
}

#[tokio::test]
async fn wechat_safe_mode_pushes_are_accepted_and_their_signature_covers_the_body() {
    let dir = tempfile::tempdir().unwrap();
    let server = server(dir.path()).await;
    let secret = format!("WxToken1:{WECHAT_AES}:wxb11529c136998cb6");
    let (status, answer) = set_wechat_secret(&server, &secret).await;
    assert_eq!(status, 200, "{answer}");
    wechat_order(&server, "CR-WX1").await;
    let now = Utc::now().timestamp();

    // A good safe-mode push: accepted, the order is paid.
    let (query, body) = wechat_safe(
        &secret,
        now,
        "nonce-1",
        &wechat_message("channels_ec_order_pay", now),
    );
    let (status, answer) = wechat(&server, &query, body.clone()).await;
    assert_eq!(
        (status, answer["status"].as_str()),
        (200, Some("accepted")),
        "{answer}"
    );
    assert_eq!(server.order("CR-WX1").await.status(), Status::Paid);
    let head = server.state.store.head();

    // The captured query with another body: refused, nothing appended.
    let cancel = wechat_message("channels_ec_order_cancel", now);
    let (_, sealed_cancel) = wechat_safe(&secret, now, "nonce-2", &cancel);
    for forged in [sealed_cancel, cancel] {
        let (status, answer) = wechat(&server, &query, forged).await;
        assert_eq!(status, 401, "{answer}");
    }
    assert_eq!(server.state.store.head(), head);
    assert_eq!(server.order("CR-WX1").await.status(), Status::Paid);

    // The same push again is a duplicate.
    let (status, answer) = wechat(&server, &query, body).await;
    assert_eq!(
        (status, answer["status"].as_str()),
        (200, Some("duplicate")),
        "{answer}"
    );

    // A well-signed push with an old timestamp is refused.
    let (query, body) = wechat_safe(&secret, 1, "nonce-3", &cancel_message(now));
    let (status, answer) = wechat(&server, &query, body).await;
    assert_eq!(status, 401, "{answer}");
    assert!(
        answer["error"].as_str().unwrap().contains("timestamp"),
        "{answer}"
    );

    // Plain-text mode is not allowed here.
    let query = wechat_plain_query("WxToken1", now, "nonce-4");
    let (status, answer) = wechat(&server, &query, cancel_message(now)).await;
    assert_eq!(status, 401, "{answer}");
    assert!(
        answer["error"]
            .as_str()
            .unwrap()
            .contains("plain-text mode"),
        "{answer}"
    );
    assert_eq!(server.state.store.head(), head);
    assert_eq!(server.order("CR-WX1").await.status(), Status::Paid);
}

fn cancel_message(created: i64) -> Vec<u8> {
    wechat_message("channels_ec_order_cancel", created)
}

#[tokio::test]
async fn wechat_plain_mode_where_allowed_has_a_window_and_single_use_nonces() {
    let dir = tempfile::tempdir().unwrap();
    let strict = server(dir.path()).await;
    // Without the option, a bare token is refused when it is set.
    let (status, answer) = set_wechat_secret(&strict, "PlainToken1").await;
    assert_eq!(status, 400, "{answer}");
    assert!(answer.to_string().contains("plain-text mode"), "{answer}");
    strict.stop().await;

    let dir = tempfile::tempdir().unwrap();
    let server =
        TestServer::spawn_with(dir.path(), |args| args.ingest.wechat_allow_plain = true).await;
    let (status, answer) = set_wechat_secret(&server, "PlainToken1").await;
    assert_eq!(status, 200, "{answer}");
    wechat_order(&server, "CR-WX2").await;
    let now = Utc::now().timestamp();

    let query = wechat_plain_query("PlainToken1", now, "n-1");
    let pay = wechat_message("channels_ec_order_pay", now);
    let (status, answer) = wechat(&server, &query, pay.clone()).await;
    assert_eq!(
        (status, answer["status"].as_str()),
        (200, Some("accepted")),
        "{answer}"
    );
    let head = server.state.store.head();

    // The captured query with a forged cancel: the nonce is spent.
    let (status, answer) = wechat(&server, &query, cancel_message(now)).await;
    assert_eq!(status, 401, "{answer}");
    assert!(
        answer["error"].as_str().unwrap().contains("nonce"),
        "{answer}"
    );
    // The same delivery again (a retry) is a duplicate.
    let (status, answer) = wechat(&server, &query, pay).await;
    assert_eq!(
        (status, answer["status"].as_str()),
        (200, Some("duplicate")),
        "{answer}"
    );
    // An old timestamp is refused, whatever the nonce.
    let old = wechat_plain_query("PlainToken1", 1, "n-2");
    let (status, answer) = wechat(&server, &old, cancel_message(now)).await;
    assert_eq!(status, 401, "{answer}");
    assert_eq!(server.state.store.head(), head);
    assert_eq!(server.order("CR-WX2").await.status(), Status::Paid);
}
