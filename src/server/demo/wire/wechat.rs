//! WeChat Channels shop (视频号小店) event pushes, JSON and plain-text mode: the
//! URL carries `signature` (hex SHA1 of the sorted token, `timestamp` and
//! `nonce`), which signs the query only.

use super::{digits_of, hex_of, OrderWire, WireDelivery, WireError, WireKeys};
use crate::model::{EventKind, Integration};
use chrono::{DateTime, Utc};
use serde_json::{json, Value};
use sha1::{Digest, Sha1};

/// The shop's official account id (`ToUserName`).
const SHOP: &str = "gh_5c1d7e0a93f2";

pub(super) fn render(
    order: &OrderWire,
    keys: &WireKeys,
    kind: &EventKind,
    at: DateTime<Utc>,
) -> Result<WireDelivery, WireError> {
    let time = at.timestamp();
    let order_id = id_value(&order.channel_order_id);
    let after_sale = |status: &str| {
        json!({
            "finder_shop_aftersale_status_update": {
                "status": status,
                "after_sale_order_id": order.after_sale.clone().unwrap_or_default(),
                "order_id": order.channel_order_id,
            }
        })
    };
    let (event, payload) = match kind {
        EventKind::PaymentCaptured { .. } => (
            "channels_ec_order_pay",
            json!({"order_info": {"order_id": order_id, "pay_time": time}}),
        ),
        EventKind::OrderCancelled { .. } => (
            "channels_ec_order_cancel",
            // cancel_type 1: not paid in time
            json!({"order_info": {"order_id": order_id, "cancel_type": 1}}),
        ),
        EventKind::RefundRequested { .. } => (
            "channels_ec_aftersale_update",
            after_sale("MERCHANT_PROCESSING"),
        ),
        EventKind::Refunded { .. } => (
            "channels_ec_aftersale_update",
            after_sale("MERCHANT_REFUND_SUCCESS"),
        ),
        other => {
            return Err(WireError::Unsupported {
                format: "a WeChat Channels event",
                step: other.name(),
            })
        }
    };
    let mut body = json!({
        "ToUserName": SHOP,
        "FromUserName": format!("o{}", &hex_of(&order.key, "wechat-openid")[..27]),
        "CreateTime": time,
        "MsgType": "event",
        "Event": event,
    });
    if let (Some(body), Value::Object(payload)) = (body.as_object_mut(), payload) {
        body.extend(payload);
    }
    let body = serde_json::to_vec(&body)?;
    let token = keys.secret(Integration::Wechat)?;
    let timestamp = time.to_string();
    let nonce = digits_of(&order.key, &format!("wechat-nonce:{}", order.sent), 10);
    let mut parts = [token, timestamp.as_str(), nonce.as_str()];
    parts.sort_unstable();
    let mut sha1 = Sha1::new();
    for part in parts {
        sha1.update(part.as_bytes());
    }
    let signature = hex::encode(sha1.finalize());
    Ok(WireDelivery::post(
        format!("/hooks/wechat?signature={signature}&timestamp={timestamp}&nonce={nonce}"),
        "application/json",
    )
    .with_body(body))
}

/// WeChat sends order ids as JSON numbers where they fit in u64.
fn id_value(id: &str) -> Value {
    id.parse::<u64>().map_or_else(|_| json!(id), |n| json!(n))
}
