//! A list of timeline entries in log order (oldest first): the whole log in the
//! chronological view, or one group's share of it in the grouped view. Each
//! entry is tagged with its parcel, hidden while its source family is filtered
//! out, and highlighted when it arrived after the first load.

use super::timeline_entry::TimelineEntry;
use crate::model::views::timeline_groups::{group_of, GroupKey, TimelineGroup};
use crate::model::RecordedEvent;
use chrono::{DateTime, Utc};
use leptos::prelude::*;

/// The entries as an ordered list.
#[component]
pub fn TimelineEntries(
    /// The entries to list, in ascending sequence order.
    #[prop(into)]
    entries: Signal<Vec<RecordedEvent>>,
    /// The whole log's groups, for each entry's parcel tag.
    groups: Memo<Vec<TimelineGroup>>,
    /// The last sequence number of the first load; later entries are highlighted.
    live_after: u64,
    /// Whether the viewer sees amounts.
    money: bool,
    /// The source families the person filtered out.
    #[prop(into)]
    hidden_families: Signal<Vec<&'static str>>,
    /// The clock relative times are measured against.
    now: Signal<DateTime<Utc>>,
) -> impl IntoView {
    view! {
        <ol class="timeline">
            <For each=move || entries.get() key=|e| e.seq let:entry>
                {
                    let family = entry.event.source.family();
                    let hidden = Signal::derive(move || hidden_families.read().contains(&family));
                    let parcel = groups
                        .with_untracked(|all| match group_of(all, entry.seq).map(|g| &g.key) {
                            Some(GroupKey::Parcel(id)) => Some(id.to_string()),
                            _ => None,
                        });
                    view! {
                        <TimelineEntry
                            is_new={entry.seq > live_after}
                            entry
                            money
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
