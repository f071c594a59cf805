//! Our WMS feed (`docs/wms-feed.md`): one JSON message per POST, signed with
//! `X-Control-Room-Signature: sha256=<hex HMAC-SHA256(secret, body)>`.

use super::json::merged;
use super::order_wire::Rendering;
use super::{WireDelivery, WireError};
use crate::model::{EventKind, Integration, Source, CHINA_TIME};
use chrono::SecondsFormat;
use serde_json::json;

pub(super) fn render(r: &Rendering) -> Result<WireDelivery, WireError> {
    let from = match &r.step.source {
        Source::Warehouse(name) => name.clone(),
        _ => String::new(),
    };
    let (kind, warehouse, extra) = match &r.step.kind {
        EventKind::WarehouseAllocated { warehouse } => {
            ("outbound_created", warehouse.clone(), json!({}))
        }
        EventKind::PickingStarted => ("picking", from, json!({})),
        EventKind::ParcelPacked { parcel, components } => {
            let components: Vec<_> = components
                .iter()
                .map(|c| r.wire.wire_component(c))
                .collect();
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
    let message = json!({
        "message_id": r.wire.message_id("wms"),
        "type": kind,
        "channel": r.wire.channel,
        "channel_order_id": r.wire.channel_order_id,
        "warehouse": warehouse,
        "at": r.at.with_timezone(&CHINA_TIME).to_rfc3339_opts(SecondsFormat::Millis, false),
    });
    let body = serde_json::to_vec(&merged(message, extra))?;
    let signature = hex::encode(r.keys.hmac_sha256(Integration::Wms, &body)?);
    Ok(WireDelivery::post("/hooks/wms".into(), "application/json")
        .header("X-Control-Room-Signature", format!("sha256={signature}"))
        .with_body(body))
}
