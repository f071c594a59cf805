//! An order's log as a timeline, oldest first and newest last, the way a log
//! reads and grows. Each entry ([`TimelineEntry`](super::timeline_entry::TimelineEntry)) shows
//! when, which system, who, the parcel it concerns, and what it means; entries
//! recorded after `live_after` arrived live and get a brief highlight. A
//! checkbox group filters the entries by source system.
//!
//! When the order has parcels, "Group by parcel" switches from the one
//! chronological list to a section per group ([`timeline_groups`]): the order
//! as a whole first, then each parcel with its components, carrier, waybill
//! and latest stage. New entries go into their section as they arrive. Both
//! views sit in one polite log region, so new entries are announced without
//! moving focus.

use super::group_by_parcel::GroupByParcel;
use super::timeline_entries::TimelineEntries;
use super::timeline_section::TimelineSection;
use crate::i18n::*;
use crate::model::views::timeline_groups::{timeline_groups, GroupKey};
use crate::model::SeenEvent;
use crate::ui::kit::format::number;
use crate::ui::kit::ticking_now;
use crate::ui::kit::SourceFilter;
use crate::ui::language::tr;
use leptos::either::Either;
use leptos::prelude::*;

/// The timeline of one order, in log order (oldest first, newest last).
#[component]
pub fn Timeline(
    /// The events, in ascending sequence order.
    #[prop(into)]
    events: Signal<Vec<SeenEvent>>,
    /// The last sequence number of the first load; later entries are highlighted.
    live_after: u64,
) -> impl IntoView {
    let i18n = use_i18n();
    let hidden_families = RwSignal::new(Vec::<&'static str>::new());
    let now = ticking_now();
    let groups = Memo::new(move |_| events.with(|log| timeline_groups(log)));
    // Grouping helps once there is more than one group (the order and a parcel).
    let helps = Memo::new(move |_| groups.with(|all| all.len() >= 2));
    let group_by_parcel = RwSignal::new(false);
    let grouped = Memo::new(move |_| group_by_parcel.get() && helps.get());
    let group_keys =
        move || groups.with(|all| all.iter().map(|g| g.key.clone()).collect::<Vec<_>>());
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
        <div class="timeline-controls">
            <SourceFilter hidden=hidden_families/>
            <Show when=move || helps.get()>
                <GroupByParcel grouped=group_by_parcel/>
            </Show>
        </div>
        <p class="hint" data-testid="timeline-shown" hidden=move || hidden_families.read().is_empty()>
            {move || {
                let locale = i18n.get_locale();
                let (shown, all) = shown_count();
                td_string!(
                    locale,
                    orders.timeline.showing,
                    shown = number(locale, shown as u64),
                    all = number(locale, all as u64)
                )
                .to_string()
            }}
        </p>
        <div
            class="timeline-log"
            role="log"
            aria-live="polite"
            aria-label=tr(i18n, |l| td_string!(l, orders.timeline.label))
            data-testid="timeline"
            data-view=move || if grouped.get() { "by-parcel" } else { "chronological" }
        >
            {move || {
                if grouped.get() {
                    Either::Right(view! {
                        <For each=group_keys key=GroupKey::clone let:key>
                            <TimelineSection
                                key
                                groups
                                events
                                live_after
                                hidden_families
                                now
                            />
                        </For>
                    })
                } else {
                    Either::Left(view! {
                        <TimelineEntries
                            entries=events
                            groups
                            live_after
                            hidden_families
                            now
                        />
                    })
                }
            }}
        </div>
    }
}
