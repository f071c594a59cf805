//! WeChat Channels shop (视频号小店) event pushes, JSON and safe mode: the
//! message is sealed in `Encrypt` (AES-256-CBC with the EncodingAESKey) and
//! the URL carries `msg_signature` (hex SHA1 of the sorted token, `timestamp`,
//! `nonce` and `Encrypt`), with `signature` (over the first three) beside it
//! as WeChat sends it. `timestamp` is when the push is sent; `CreateTime`
//! inside the message is when the step happened.

use super::ids::{digits_of, hex_of};
use super::json::{id_value, merged};
use super::order_wire::Rendering;
use super::{WireDelivery, WireError};
use crate::model::{EventKind, Integration};
use crate::server::ingest::wechat_safe_mode::{plain_signature, WechatKey};
use serde_json::json;

/// The shop's official account id (`ToUserName`).
const SHOP: &str = "gh_5c1d7e0a93f2";

pub(super) fn render(r: &Rendering) -> Result<WireDelivery, WireError> {
    let time = r.at.timestamp();
    let order_id = id_value(&r.wire.channel_order_id);
    let after_sale = |status: &str| {
        json!({
            "finder_shop_aftersale_status_update": {
                "status": status,
                "after_sale_order_id": r.wire.after_sale().unwrap_or_default(),
                "order_id": r.wire.channel_order_id,
            }
        })
    };
    let (event, payload) = match &r.step.kind {
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
    let body = json!({
        "ToUserName": SHOP,
        "FromUserName": format!("o{}", &hex_of(&r.wire.key, "wechat-openid")[..27]),
        "CreateTime": time,
        "MsgType": "event",
        "Event": event,
    });
    let message = serde_json::to_vec(&merged(body, payload))?;
    let key = WechatKey::parse(r.keys.secret(Integration::Wechat)?)
        .map_err(|_| WireError::WechatSecret)?;
    let random = hex_of(&r.wire.key, &format!("wechat-random:{}", r.wire.sent()));
    let mut first = [0u8; 16];
    first.copy_from_slice(&random.as_bytes()[..16]);
    let encrypt = key.seal(first, &message);
    let timestamp = r.sent.timestamp().to_string();
    let nonce = digits_of(&r.wire.key, &format!("wechat-nonce:{}", r.wire.sent()), 10);
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
