//! Calls of the timeline write API (`docs/timeline-api.md`): the step's own
//! canonical event, its source and time, under an `event_id` unique to the
//! delivery, with the API key as a Bearer token.

use super::order_wire::Rendering;
use super::{WireDelivery, WireError};
use crate::model::{EventKind, Source};
use chrono::SecondsFormat;
use serde::Serialize;

/// The documented body.
#[derive(Serialize)]
struct Body<'a> {
    event_id: String,
    occurred_at: String,
    source: &'a Source,
    event: &'a EventKind,
}

pub(super) fn render(r: &Rendering) -> Result<WireDelivery, WireError> {
    if r.keys.api_key.is_empty() {
        return Err(WireError::NoApiKey);
    }
    let body = serde_json::to_vec(&Body {
        event_id: r.wire.message_id("control-room-demo"),
        occurred_at: r.at.to_rfc3339_opts(SecondsFormat::AutoSi, true),
        source: &r.step.source,
        event: &r.step.kind,
    })?;
    Ok(WireDelivery::post(
        format!("/api/v1/orders/{}/events", r.wire.order_id()),
        "application/json",
    )
    .header("Authorization", format!("Bearer {}", r.keys.api_key))
    .with_body(body))
}
