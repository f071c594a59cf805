//! Property tests: no webhook body, however broken, makes an adapter panic.
//!
//! Each integration gets arbitrary bytes, arbitrary JSON-ish text, arbitrary JSON
//! trees built from the field names the adapters read, and mutated copies of the
//! real fixtures. The only requirement is that `parse` returns (Ok or Err).

use axum::http::{HeaderMap, HeaderValue};
use order_control_room::server::ingest::adapters::{kuaidi100_param, parse, Integration};
use proptest::prelude::*;
use serde_json::{Map, Number, Value};

const TOPICS: [&str; 6] = [
    "orders/create",
    "orders/updated",
    "orders/cancelled",
    "fulfillments/create",
    "products/create",
    "",
];

/// Field names the adapters look for, so generated trees reach deep paths.
const KEYS: &[&str] = &[
    "tag",
    "msgId",
    "msg_id",
    "data",
    "p_id",
    "pay_amount",
    "refund_amount",
    "pay_time",
    "apply_time",
    "FromUserName",
    "CreateTime",
    "Event",
    "order_info",
    "order_id",
    "finder_shop_aftersale_status_update",
    "status",
    "lastResult",
    "nu",
    "com",
    "state",
    "time",
    "areaName",
    "event",
    "number",
    "track_info",
    "latest_status",
    "latest_event",
    "tracking",
    "providers",
    "events",
    "time_utc",
    "time_iso",
    "time_raw",
    "date",
    "timezone",
    "sub_status",
    "stage",
    "accepted",
    "id",
    "description",
    "result",
    "tracking_code",
    "carrier",
    "tracking_details",
    "datetime",
    "tracking_location",
    "created_at",
    "currency",
    "total_price",
    "line_items",
    "price",
    "quantity",
    "financial_status",
    "fulfillment_status",
    "shipping_address",
    "message_id",
    "type",
    "channel",
    "channel_order_id",
    "warehouse",
    "parcel",
    "components",
    "waybill",
    "at",
];

const WORDS: &[&str] = &[
    "",
    "110",
    "0",
    "channels_ec_order_pay",
    "channels_ec_aftersale_update",
    "TRACKING_UPDATED",
    "tracker.updated",
    "3705115058471208928",
    "2026-11-20 18:02:11",
    "2024-07-31T15:00:00Z",
    "409.94",
    "USD",
    "packed",
    "shipped",
    "douyin",
    "P1",
    "在途",
    "{\"p_id\":1}",
];

fn arb_json() -> impl Strategy<Value = Value> {
    let leaf = prop_oneof![
        Just(Value::Null),
        any::<bool>().prop_map(Value::Bool),
        any::<u64>().prop_map(|n| Value::Number(n.into())),
        any::<i64>().prop_map(|n| Value::Number(n.into())),
        any::<f64>().prop_map(|f| Number::from_f64(f).map_or(Value::Null, Value::Number)),
        prop::sample::select(WORDS).prop_map(|s| Value::String(s.to_string())),
        ".{0,12}".prop_map(Value::String),
    ];
    leaf.prop_recursive(5, 64, 8, |inner| {
        prop_oneof![
            prop::collection::vec(inner.clone(), 0..4).prop_map(Value::Array),
            prop::collection::vec((prop::sample::select(KEYS), inner), 0..8).prop_map(|pairs| {
                Value::Object(
                    pairs
                        .into_iter()
                        .map(|(k, v)| (k.to_string(), v))
                        .collect::<Map<_, _>>(),
                )
            }),
        ]
    })
}

fn headers(topic: &str) -> HeaderMap {
    let mut h = HeaderMap::new();
    if let Ok(v) = HeaderValue::from_str(topic) {
        h.insert("X-Shopify-Topic", v);
    }
    h
}

/// Parses `body` with every integration under every Shopify topic.
fn parse_everywhere(body: &[u8]) {
    for integration in Integration::ALL {
        if integration == Integration::Shopify {
            for topic in TOPICS {
                let _ = parse(integration, &headers(topic), body);
            }
        } else {
            let _ = parse(integration, &HeaderMap::new(), body);
        }
    }
    let _ = kuaidi100_param(body);
}

/// The body as Kuaidi100 would post `param`.
fn as_form(param: &str) -> Vec<u8> {
    serde_urlencoded::to_string([("param", param), ("sign", "X")])
        .unwrap_or_default()
        .into_bytes()
}

fn fixtures() -> Vec<Vec<u8>> {
    let root = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures/");
    [
        "channels/shopify/orders-create.json",
        "channels/douyin/trade-paid.json",
        "channels/douyin/trade-pending.json",
        "channels/douyin/refund-created.json",
        "channels/wechat-channels/order-pay.json",
        "channels/wechat-channels/order-deliver.json",
        "carriers/kuaidi100/subscribe-push.param.json",
        "carriers/17track/tracking-stopped.json",
        "carriers/17track/trackinfo-exception-returning.json",
        "carriers/easypost/tracker-updated.json",
    ]
    .iter()
    .map(|p| std::fs::read(format!("{root}{p}")).unwrap_or_else(|e| panic!("{p}: {e}")))
    .collect()
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(256))]

    #[test]
    fn arbitrary_bytes_never_panic(body in prop::collection::vec(any::<u8>(), 0..512)) {
        parse_everywhere(&body);
    }

    #[test]
    fn arbitrary_json_ish_text_never_panics(text in r#"[\[\]{}":,0-9a-zA-Z_. \-+%=&]{0,200}"#) {
        parse_everywhere(text.as_bytes());
        parse_everywhere(&as_form(&text));
    }

    #[test]
    fn arbitrary_json_trees_never_panic(value in arb_json()) {
        let text = value.to_string();
        parse_everywhere(text.as_bytes());
        parse_everywhere(&as_form(&text));
        // Douyin carries `data` as a JSON string too.
        let wrapped = serde_json::json!({"tag": 110, "msgId": "m", "data": text});
        parse_everywhere(wrapped.to_string().as_bytes());
        // 17TRACK pushes wrap a track in `data`.
        let push = serde_json::json!({"event": "TRACKING_UPDATED", "data": value});
        parse_everywhere(push.to_string().as_bytes());
    }

    #[test]
    fn mutated_fixtures_never_panic(
        which in 0usize..10,
        edits in prop::collection::vec((any::<prop::sample::Index>(), any::<u8>()), 1..8),
        cut in any::<prop::sample::Index>(),
    ) {
        let mut body = fixtures()[which].clone();
        for (at, byte) in edits {
            let i = at.index(body.len());
            body[i] = byte;
        }
        parse_everywhere(&body);
        let end = cut.index(body.len() + 1);
        parse_everywhere(&body[..end]);
        if let Ok(text) = std::str::from_utf8(&body) {
            parse_everywhere(&as_form(text));
        }
    }
}

#[test]
fn the_real_fixtures_parse_with_their_own_integration() {
    let files = fixtures();
    let ok = |i: Integration, h: &HeaderMap, body: &[u8]| {
        parse(i, h, body).unwrap_or_else(|e| panic!("{i}: {e}"))
    };
    assert_eq!(
        ok(Integration::Shopify, &headers("orders/create"), &files[0])
            .facts
            .len(),
        3
    );
    for body in &files[1..4] {
        assert_eq!(
            ok(Integration::Douyin, &HeaderMap::new(), body).facts.len(),
            1
        );
    }
    for body in &files[4..6] {
        assert_eq!(
            ok(Integration::Wechat, &HeaderMap::new(), body).facts.len(),
            1
        );
    }
    let param = std::str::from_utf8(&files[6]).expect("utf-8 fixture");
    assert_eq!(
        ok(Integration::Kuaidi100, &HeaderMap::new(), &as_form(param))
            .facts
            .len(),
        2
    );
    assert!(ok(Integration::Track17, &HeaderMap::new(), &files[7])
        .facts
        .is_empty());
    assert_eq!(
        ok(Integration::Track17, &HeaderMap::new(), &files[8])
            .facts
            .len(),
        2
    );
    assert_eq!(
        ok(Integration::EasyPost, &HeaderMap::new(), &files[9])
            .facts
            .len(),
        7
    );
}
