//! An order's log as a timeline, oldest first and newest last, the way a log
//! reads and grows: each entry shows when (local time), which system, who, and
//! what it means in one sentence. Entries recorded after `live_after` arrived
//! live and get a brief highlight.
//!
//! When the viewer's lens withholds money, the amounts in events arrive as zero:
//! the events that carry amounts then read as a sentence without one.

use super::LocalTime;
use crate::model::{Actor, EventKind, Lens, RecordedEvent};
use leptos::prelude::*;

/// The timeline of one order, in log order (oldest first, newest last).
#[component]
pub fn Timeline(
    /// The events, in ascending sequence order.
    #[prop(into)]
    events: Signal<Vec<RecordedEvent>>,
    /// The last sequence number of the first load; later entries are highlighted.
    live_after: u64,
    /// What the viewer sees (whether amounts are real).
    lens: Lens,
) -> impl IntoView {
    view! {
        <ol class="timeline" role="log" aria-live="polite" aria-label="Order timeline" data-testid="timeline">
            <For each=move || events.get() key=|e| e.seq let:entry>
                <TimelineEntry is_new={entry.seq > live_after} entry money=lens.money/>
            </For>
        </ol>
    }
}

#[component]
fn TimelineEntry(entry: RecordedEvent, is_new: bool, money: bool) -> impl IntoView {
    let event = entry.event;
    let class = if is_new {
        "timeline-entry timeline-entry--new"
    } else {
        "timeline-entry"
    };
    view! {
        <li
            class=class
            data-testid="timeline-entry"
            data-seq=entry.seq
            data-kind=event.kind.name()
        >
            <span class="timeline-when">
                <LocalTime at=event.occurred_at/>
            </span>
            <span class="timeline-source" data-family=event.source.family()>
                {event.source.to_string()}
            </span>
            <span class="timeline-actor" data-actor=actor_kind(&event.actor)>
                {event.actor.to_string()}
            </span>
            <p class="timeline-meaning">{meaning(&event.kind, money)}</p>
        </li>
    }
}

/// The event in one sentence; without amounts when the viewer sees no money.
fn meaning(kind: &EventKind, money: bool) -> String {
    if money {
        return kind.meaning();
    }
    match kind {
        EventKind::OrderPlaced {
            channel,
            channel_order_id,
            components,
            ..
        } => format!(
            "Order placed on {channel} as {channel_order_id}: {} component(s)",
            components.len()
        ),
        EventKind::PaymentCaptured { .. } => "Payment received".to_string(),
        EventKind::RefundRequested { reason, .. } => format!("Refund requested: {reason}"),
        EventKind::Refunded { .. } => "Refund paid".to_string(),
        // No other kind carries an amount.
        other => other.meaning(),
    }
}

/// A stable name for who acted, for styling.
fn actor_kind(actor: &Actor) -> &'static str {
    match actor {
        Actor::Customer => "customer",
        Actor::System { .. } => "system",
        Actor::Staff { .. } => "staff",
        Actor::Anonymous => "anonymous",
    }
}
