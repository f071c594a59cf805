//! Douyin shop (抖店) message pushes as the platform posts them: a JSON array
//! holding the message `{"tag": "101", "msg_id": …, "data": "<JSON text>"}`,
//! signed with header `event-sign` = hex MD5(app_key + body + app_secret) and
//! sent with the `app-id` header. Amounts are fen, times Unix seconds.

use super::json::{id_value, merged};
use super::order_wire::Rendering;
use super::{WireDelivery, WireError};
use crate::model::{EventKind, Integration};
use md5::{Digest, Md5};
use serde_json::{json, Value};

const SHOP_ID: u64 = 95_250_117;

pub(super) fn render(r: &Rendering) -> Result<WireDelivery, WireError> {
    let Rendering { wire, keys, at, .. } = *r;
    let (tag, data) = message(r)?;
    let msg_id = format!(
        "{SHOP_ID}::{tag}:{}:{}{:03}",
        at.timestamp(),
        wire.channel_order_id,
        wire.sent()
    );
    let body = serde_json::to_vec(&json!([{
        "tag": tag.to_string(),
        "msg_id": msg_id,
        "data": serde_json::to_string(&data)?,
    }]))?;
    let secret = keys.secret(Integration::Douyin)?;
    let (app_key, app_secret) = secret.split_once(':').ok_or(WireError::DouyinSecret)?;
    let mut md5 = Md5::new();
    md5.update(app_key.as_bytes());
    md5.update(&body);
    md5.update(app_secret.as_bytes());
    Ok(
        WireDelivery::post("/hooks/douyin".into(), "application/json")
            .header("app-id", app_key)
            .header("event-sign", hex::encode(md5.finalize()))
            .with_body(body),
    )
}

/// The message tag and its `data` for a step.
fn message(r: &Rendering) -> Result<(u32, Value), WireError> {
    let Rendering {
        wire, order, at, ..
    } = *r;
    let shipped = order.any_shipped();
    let p_id = id_value(&wire.channel_order_id);
    let time = at.timestamp();
    let after_sale = || {
        json!({
            "p_id": p_id,
            "s_id": p_id,
            "shop_id": SHOP_ID,
            "aftersale_id": wire.after_sale().unwrap_or_default(),
            // 0 return and refund, 1 refund after shipping, 2 refund before shipping
            "aftersale_type": match () {
                _ if wire.returning() => 0,
                _ if shipped => 1,
                _ => 2,
            },
            "refund_post_amount": 0,
            "refund_voucher_num": 0,
            "reason_code": 1,
        })
    };
    let trade = json!({
        "p_id": p_id,
        "s_ids": [p_id],
        "shop_id": SHOP_ID,
        "order_type": 0,
        "biz": 2,
    });
    Ok(match &r.step.kind {
        EventKind::PaymentCaptured { amount } => (
            101,
            merged(
                trade,
                json!({"order_status": 2, "pay_type": 1, "pay_time": time, "pay_amount": amount.minor}),
            ),
        ),
        EventKind::OrderCancelled { reason } => (
            106,
            merged(
                trade,
                json!({"order_status": 4, "cancel_time": time, "cancel_reason": reason}),
            ),
        ),
        EventKind::RefundRequested { amount, .. } => (
            200,
            merged(
                after_sale(),
                json!({"aftersale_status": 6, "refund_amount": amount.minor, "apply_time": time}),
            ),
        ),
        EventKind::Refunded { amount } => (
            206,
            merged(
                after_sale(),
                json!({"aftersale_status": 12, "refund_amount": amount.minor, "success_time": time}),
            ),
        ),
        other => {
            return Err(WireError::Unsupported {
                format: "a Douyin message",
                step: other.name(),
            })
        }
    })
}
