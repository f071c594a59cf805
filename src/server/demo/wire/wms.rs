//! Our WMS feed (`docs/wms-feed.md`): one JSON message per POST, signed with
//! `X-Control-Room-Signature: sha256=<hex HMAC-SHA256(secret, body)>`.

use super::{china, hmac_sha256, OrderWire, WireDelivery, WireError, WireKeys};
use crate::model::{EventKind, Integration, Source};
use crate::server::demo::Step;
use chrono::{DateTime, SecondsFormat, Utc};
use serde_json::{json, Value};

pub(super) fn render(
    order: &OrderWire,
    keys: &WireKeys,
    step: &Step,
    at: DateTime<Utc>,
) -> Result<WireDelivery, WireError> {
    let from = match &step.source {
        Source::Warehouse(name) => name.clone(),
        _ => String::new(),
    };
    let (kind, warehouse, extra) = match &step.kind {
        EventKind::WarehouseAllocated { warehouse } => {
            ("outbound_created", warehouse.clone(), json!({}))
        }
        EventKind::PickingStarted => ("picking", from, json!({})),
        EventKind::ParcelPacked { parcel, components } => {
            let components: Vec<_> = components.iter().map(|c| order.wire_component(c)).collect();
            (
                "packed",
                from,
                json!({"parcel": parcel, "components": components}),
            )
        }
        EventKind::ParcelShipped {
            parcel,
            carrier,
            waybill,
        } => (
            "shipped",
            from,
            json!({"parcel": parcel, "carrier": carrier, "waybill": waybill}),
        ),
        other => {
            return Err(WireError::Unsupported {
                format: "a WMS message",
                step: other.name(),
            })
        }
    };
    let mut message = json!({
        "message_id": order.message_id("wms"),
        "type": kind,
        "channel": order.channel,
        "channel_order_id": order.channel_order_id,
        "warehouse": warehouse,
        "at": at.with_timezone(&china()).to_rfc3339_opts(SecondsFormat::Millis, false),
    });
    if let (Some(message), Value::Object(extra)) = (message.as_object_mut(), extra) {
        message.extend(extra);
    }
    let body = serde_json::to_vec(&message)?;
    let secret = keys.secret(Integration::Wms)?;
    let signature = hex::encode(hmac_sha256(Integration::Wms, secret, &body)?);
    Ok(WireDelivery::post("/hooks/wms".into(), "application/json")
        .header("X-Control-Room-Signature", format!("sha256={signature}"))
        .with_body(body))
}
