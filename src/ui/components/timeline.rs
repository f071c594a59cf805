//! An order's log as a timeline, oldest first and newest last, the way a log
//! reads and grows: each entry shows when (local time), which system, who, and
//! what it means in one sentence. Entries recorded after `live_after` arrived
//! live and get a brief highlight.

use super::LocalTime;
use crate::model::RecordedEvent;
use leptos::prelude::*;

/// The timeline of one order, in log order (oldest first, newest last).
#[component]
pub fn Timeline(
    /// The events, in ascending sequence order.
    #[prop(into)]
    events: Signal<Vec<RecordedEvent>>,
    /// The last sequence number of the first load; later entries are highlighted.
    live_after: u64,
) -> impl IntoView {
    view! {
        <ol class="timeline" role="log" aria-live="polite" aria-label="Order timeline" data-testid="timeline">
            <For each=move || events.get() key=|e| e.seq let:entry>
                <TimelineEntry is_new={entry.seq > live_after} entry/>
            </For>
        </ol>
    }
}

#[component]
fn TimelineEntry(entry: RecordedEvent, is_new: bool) -> impl IntoView {
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
            <span class="timeline-actor">{event.actor.to_string()}</span>
            <p class="timeline-meaning">{event.kind.meaning()}</p>
        </li>
    }
}
