//! WeChat Channels shop (视频号小店) event pushes, JSON and safe mode: the
//! message is sealed in `Encrypt` (AES-256-CBC with the EncodingAESKey) and
//! the URL carries `msg_signature` (hex SHA1 of the sorted token, `timestamp`,
//! `nonce` and `Encrypt`), with `signature` (over the first three) beside it
//! as WeChat sends it. `timestamp` is when the push is sent; `CreateTime`
//! inside the message is when the step happened.

use super::{digits_of, hex_of, OrderWire, WireDelivery, WireError, WireKeys};
use crate::model::{EventKind, Integration};
use crate::server::ingest::wechat_safe_mode::{plain_signature, WechatKey};
use chrono::{DateTime, Utc};
use serde_json::{json, Value};

/// The shop's official account id (`ToUserName`).
const SHOP: &str = "gh_5c1d7e0a93f2";

pub(super) fn render(
    order: &OrderWire,
    keys: &WireKeys,
    kind: &EventKind,
    at: DateTime<Utc>,
    sent: DateTime<Utc>,
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
    let message = serde_json::to_vec(&body)?;
    let key =
        WechatKey::parse(keys.secret(Integration::Wechat)?).map_err(|_| WireError::WechatSecret)?;
    let random = hex_of(&order.key, &format!("wechat-random:{}", order.sent));
    let mut first = [0u8; 16];
    first.copy_from_slice(&random.as_bytes()[..16]);
    let encrypt = key.seal(first, &message);
    let timestamp = sent.timestamp().to_string();
    let nonce = digits_of(&order.key, &format!("wechat-nonce:{}", order.sent), 10);
    let msg_signature = hex::encode(key.msg_signature(&timestamp, &nonce, &encrypt));
    let signature = hex::encode(plain_signature(key.token(), &timestamp, &nonce));
    let body = serde_json::to_vec(&json!({"ToUserName": SHOP, "Encrypt": encrypt}))?;
    Ok(WireDelivery::post(
        format!(
            "/hooks/wechat?signature={signature}&timestamp={timestamp}&nonce={nonce}\
             &encrypt_type=aes&msg_signature={msg_signature}"
        ),
        "application/json",
    )
    .with_body(body))
}

/// WeChat sends order ids as JSON numbers where they fit in u64.
fn id_value(id: &str) -> Value {
    id.parse::<u64>().map_or_else(|_| json!(id), |n| json!(n))
}
