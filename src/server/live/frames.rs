//! SSE frames: each event rendered for its audience (staff through their
//! lens, customers as timeline entries), a live event's full-lens frame
//! encoded once and shared, and the frame format itself.

use super::subscription::Audience;
use crate::model::tracking::CustomerStep;
use crate::model::{Lens, RecordedEvent};
use crate::server::store::LiveEvent;
use axum::body::Bytes;

pub(super) fn frame(e: &RecordedEvent, audience: &Audience) -> Bytes {
    let lens = match audience {
        Audience::Staff(lens) => lens,
        Audience::Customer => return customer_frame(e),
    };
    let data = if *lens == Lens::FULL {
        serde_json::to_string(e)
    } else {
        let mut seen = e.clone();
        lens.event(&mut seen);
        serde_json::to_string(&seen)
    }
    .unwrap_or_else(|_| "{}".into());
    sse_frame(Some(e.seq), ORDER_EVENT, &data)
}

/// A customer's frame: the event as a customer timeline entry (only events
/// [`CustomerStep::visible`] reach here; see [`Subscription::matches`]).
fn customer_frame(e: &RecordedEvent) -> Bytes {
    let data = CustomerStep::of(e)
        .and_then(|step| serde_json::to_string(&step).ok())
        .unwrap_or_else(|| "{}".into());
    sse_frame(Some(e.seq), "tracking_step", &data)
}

/// A live event's frame: through the full lens, the frame made once from the
/// JSON the writer already encoded, shared by every such viewer.
pub(super) fn live_frame(e: &LiveEvent, audience: &Audience) -> Bytes {
    if *audience == Audience::Staff(Lens::FULL) {
        e.full_frame
            .get_or_init(|| sse_frame(Some(e.seq), ORDER_EVENT, &e.json))
            .clone()
    } else {
        frame(e, audience)
    }
}

/// The SSE event name of log events for staff.
const ORDER_EVENT: &str = "order_event";

/// One SSE frame: optional id, event name, data (one `data:` line per line).
pub(super) fn sse_frame(id: Option<u64>, event: &str, data: &str) -> Bytes {
    let mut out = String::with_capacity(data.len() + event.len() + 40);
    if let Some(id) = id {
        out.push_str("id: ");
        out.push_str(&id.to_string());
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
        let frame = sse_frame(Some(7), "order_event", "{\"a\":1}");
        assert_eq!(
            &frame[..],
            b"id: 7\nevent: order_event\ndata: {\"a\":1}\n\n"
        );
        let frame = sse_frame(None, "resync", "one\r\ntwo");
        assert_eq!(&frame[..], b"event: resync\ndata: one\ndata: two\n\n");
    }
}
