//! An order's log as a timeline, oldest first and newest last, the way a log
//! reads and grows. Each entry ([`TimelineEntry`]) shows when, which system,
//! who, the parcel it concerns, and what it means; entries recorded after
//! `live_after` arrived live and get a brief highlight. A checkbox group
//! filters the entries by source system. The list is a polite log region, so
//! new entries are announced without moving focus.

use super::relative_time::ticking_now;
use super::source_filter::SourceFilter;
use super::timeline_entry::TimelineEntry;
use crate::model::{EventKind, Lens, RecordedEvent};
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
    let hidden_families = RwSignal::new(Vec::<&'static str>::new());
    let now = ticking_now();
    let shown_count = move || {
        let hidden = hidden_families.read();
        events.with(|list| {
            let shown = list
                .iter()
                .filter(|e| !hidden.contains(&e.event.source.family()))
                .count();
            (shown, list.len())
        })
    };
    view! {
        <SourceFilter hidden=hidden_families/>
        <p class="hint" data-testid="timeline-shown" hidden=move || hidden_families.read().is_empty()>
            {move || {
                let (shown, all) = shown_count();
                format!("Showing {shown} of {all} events")
            }}
        </p>
        <ol class="timeline" role="log" aria-live="polite" aria-label="Order timeline" data-testid="timeline">
            <For each=move || events.get() key=|e| e.seq let:entry>
                {
                    let family = entry.event.source.family();
                    let hidden = Signal::derive(move || hidden_families.read().contains(&family));
                    let parcel = events.with_untracked(|list| parcel_of(&entry.event.kind, list));
                    view! {
                        <TimelineEntry
                            is_new={entry.seq > live_after}
                            entry
                            money=lens.money
                            parcel
                            hidden
                            now
                        />
                    }
                }
            </For>
        </ol>
    }
}

/// The parcel an event concerns: named in it, or shipped under its waybill.
fn parcel_of(kind: &EventKind, log: &[RecordedEvent]) -> Option<String> {
    match kind {
        EventKind::ParcelPacked { parcel, .. } | EventKind::ParcelShipped { parcel, .. } => {
            Some(parcel.to_string())
        }
        EventKind::CarrierScan { waybill, .. } => log.iter().find_map(|e| match &e.event.kind {
            EventKind::ParcelShipped {
                parcel,
                waybill: shipped,
                ..
            } if shipped == waybill => Some(parcel.to_string()),
            _ => None,
        }),
        _ => None,
    }
}
