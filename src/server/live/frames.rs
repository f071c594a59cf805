//! SSE frames: each event rendered for its audience (staff through their
//! lens, customers as timeline entries), a live event's full-lens frame
//! encoded once and shared, and the frame format itself.

use crate::model::live::sse::SseEvent;
use crate::model::views::tracking::CustomerStep;
use crate::model::{Customer, Lens, RecordedEvent};
use crate::server::store::LiveEvent;
use axum::body::Bytes;

/// Staff's frame of an event through `lens`; free text is masked knowing
/// `recipient`, the order's recipient, when the lens hides contact details.
pub(super) fn staff_frame(e: &RecordedEvent, lens: &Lens, recipient: Option<&Customer>) -> Bytes {
    let data = if lens.hides_anything() {
        let mut seen = e.clone();
        lens.event_about(&mut seen, recipient);
        serde_json::to_string(&seen)
    } else {
        serde_json::to_string(e)
    }
    .unwrap_or_else(|_| "{}".into());
    sse_frame(Some(&e.seq.to_string()), SseEvent::OrderEvent.name(), &data)
}

/// A customer's frame: the event as a customer timeline entry, numbered
/// `step` in the link's own count (only events [`CustomerStep::visible`]
/// reach here; see `Subscription::matches`). The SSE id is that number,
/// never the log's sequence number.
pub(super) fn customer_frame(e: &RecordedEvent, step: u64, recipient: Option<&Customer>) -> Bytes {
    let data = CustomerStep::of(e, step, recipient)
        .and_then(|step| serde_json::to_string(&step).ok())
        .unwrap_or_else(|| "{}".into());
    sse_frame(
        Some(&step.to_string()),
        SseEvent::TrackingStep.name(),
        &data,
    )
}

/// A live event's frame for the full lens: made once from the JSON the
/// writer already encoded, shared by every such viewer.
pub(super) fn full_frame(e: &LiveEvent) -> Bytes {
    e.full_frame
        .get_or_init(|| {
            sse_frame(
                Some(&e.seq.to_string()),
                SseEvent::OrderEvent.name(),
                &e.json,
            )
        })
        .clone()
}

/// One SSE frame: optional id, event name, data (one `data:` line per line).
pub(super) fn sse_frame(id: Option<&str>, event: &str, data: &str) -> Bytes {
    let mut out = String::with_capacity(data.len() + event.len() + 40);
    if let Some(id) = id {
        out.push_str("id: ");
        out.push_str(id);
        out.push('\n');
    }
    out.push_str("event: ");
    out.push_str(event);
    out.push('\n');
    for line in data.split('\n') {
        out.push_str("data: ");
        out.push_str(line.strip_suffix('\r').unwrap_or(line));
        out.push('\n');
    }
    out.push('\n');
    Bytes::from(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_frame_has_its_id_name_and_one_data_line_per_line() {
        let frame = sse_frame(Some("7"), "order_event", "{\"a\":1}");
        assert_eq!(
            &frame[..],
            b"id: 7\nevent: order_event\ndata: {\"a\":1}\n\n"
        );
        let frame = sse_frame(None, "resync", "one\r\ntwo");
        assert_eq!(&frame[..], b"event: resync\ndata: one\ndata: two\n\n");
    }
}
