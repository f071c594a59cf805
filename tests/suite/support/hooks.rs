//! Test support for deliveries: fixtures, signed posts to `/hooks/…` and the
//! timeline API, and the shipped events carrier pushes need.

use super::{order_id, TestServer};
use hmac::{Hmac, Mac};
use md5::{Digest, Md5};
use order_control_room::model::ingest::integration::Integration;
use order_control_room::model::{Actor, ComponentId, EventKind, OrderEvent, ParcelId, Source};
use serde_json::Value;

/// The Kuaidi100 salt the delivery tests' servers are provisioned with.
pub const KUAIDI100_SALT: &str = "kuaidi100-test-salt";

/// A server over `dir` provisioned with the Kuaidi100 salt and `more`
/// secrets, as the environment would provision them (through its
/// configuration: tests never set process-wide variables).
pub async fn server_with_secrets(
    dir: &std::path::Path,
    more: &[(Integration, &str)],
) -> TestServer {
    let mut secrets = vec![(Integration::Kuaidi100, KUAIDI100_SALT.to_string())];
    secrets.extend(more.iter().map(|(i, s)| (*i, s.to_string())));
    TestServer::spawn_with(dir, |args| args.provisioned_secrets = secrets).await
}

pub fn fixture(path: &str) -> Vec<u8> {
    std::fs::read(format!(
        "{}/tests/fixtures/{path}",
        env!("CARGO_MANIFEST_DIR")
    ))
    .unwrap()
}

pub async fn post(
    server: &TestServer,
    path: &str,
    headers: &[(&str, String)],
    body: Vec<u8>,
) -> (u16, Value) {
    let mut req = server
        .anon
        .post(format!("{}/hooks/{path}", server.base))
        .body(body);
    for (k, v) in headers {
        req = req.header(*k, v);
    }
    let res = req.send().await.unwrap();
    let status = res.status().as_u16();
    (status, res.json().await.unwrap_or(Value::Null))
}

pub fn kuaidi100_body(param: &str) -> Vec<u8> {
    let sign = Md5::digest(format!("{param}{KUAIDI100_SALT}").as_bytes())
        .iter()
        .map(|b| format!("{b:02X}"))
        .collect::<String>();
    serde_urlencoded::to_string([("param", param), ("sign", sign.as_str())])
        .unwrap()
        .into_bytes()
}

pub async fn kuaidi100(server: &TestServer, param: &str) -> (u16, Value) {
    let headers = [(
        "content-type",
        "application/x-www-form-urlencoded".to_string(),
    )];
    post(server, "kuaidi100", &headers, kuaidi100_body(param)).await
}

pub fn shipped(order: &str, waybill: &str) -> Vec<OrderEvent> {
    let event = |kind| OrderEvent {
        order_id: order_id(order),
        occurred_at: chrono::Utc::now(),
        source: Source::Warehouse("Shanghai".into()),
        actor: Actor::System {
            name: "test".into(),
        },
        kind,
    };
    vec![
        event(EventKind::ParcelPacked {
            parcel: ParcelId::parse("P1").unwrap(),
            components: vec![ComponentId::parse("item-1").unwrap()],
        }),
        event(EventKind::ParcelShipped {
            parcel: ParcelId::parse("P1").unwrap(),
            carrier: "YTO Express".into(),
            waybill: waybill.into(),
        }),
    ]
}

/// The hex HMAC-SHA256 the WMS feed and our docs use.
pub fn hmac_hex(secret: &str, body: &[u8]) -> String {
    let mut mac = Hmac::<sha2::Sha256>::new_from_slice(secret.as_bytes()).expect("any key");
    mac.update(body);
    hex::encode(mac.finalize().into_bytes())
}

/// Posts a WMS message signed with `secret` (docs/wms-feed.md); returns the answer.
pub async fn wms(server: &TestServer, secret: &str, message: &Value) -> (u16, Value) {
    let body = serde_json::to_vec(message).expect("json");
    let headers = [
        ("content-type", "application/json".to_string()),
        (
            "x-control-room-signature",
            format!("sha256={}", hmac_hex(secret, &body)),
        ),
    ];
    post(server, "wms", &headers, body).await
}

/// Posts to the timeline write API with `key` (docs/timeline-api.md).
pub async fn timeline(
    server: &TestServer,
    key: Option<&str>,
    order: &str,
    body: Vec<u8>,
) -> (u16, Value) {
    let mut req = server
        .anon
        .post(format!("{}/api/v1/orders/{order}/events", server.base))
        .header("content-type", "application/json")
        .body(body);
    if let Some(key) = key {
        req = req.header("authorization", format!("Bearer {key}"));
    }
    let res = req.send().await.expect("request is sent");
    let status = res.status().as_u16();
    (status, res.json().await.unwrap_or(Value::Null))
}
