//! One section of the grouped timeline: the order as a whole, or one parcel.
//! Its heading names the parcel, what is in it, carrier and waybill once
//! shipped, and its latest stage in words; its entries follow, oldest first.
//! Heading and entries follow the log as it grows; the heading's words follow
//! the reader's language (names, parcel ids and waybills as recorded).

use super::timeline_entries::TimelineEntries;
use crate::i18n::*;
use crate::model::views::timeline_groups::{GroupKey, TimelineGroup};
use crate::model::{SeenEvent, SeenMoney};
use crate::ui::kit::StatusBadge;
use crate::ui::language::tr;
use chrono::{DateTime, Utc};
use leptos::prelude::*;

/// The section of the group `key`.
#[component]
pub fn TimelineSection(
    key: GroupKey,
    /// The whole log's groups; this section shows the one under `key`.
    groups: Memo<Vec<TimelineGroup<SeenMoney>>>,
    /// The whole log, in ascending sequence order.
    events: Signal<Vec<SeenEvent>>,
    /// The last sequence number of the first load; later entries are highlighted.
    live_after: u64,
    /// The source families the person filtered out.
    hidden_families: RwSignal<Vec<&'static str>>,
    /// The clock relative times are measured against.
    now: Signal<DateTime<Utc>>,
) -> impl IntoView {
    let i18n = use_i18n();
    let heading_id = format!("timeline-group-{key}");
    let labelled_by = heading_id.clone();
    let testid_group = key.to_string();
    let parcel_id = match &key {
        GroupKey::Parcel(id) => Some(id.to_string()),
        GroupKey::Order => None,
    };
    let is_parcel = parcel_id.is_some();
    let group = Memo::new(move |_| groups.with(|all| all.iter().find(|g| g.key == key).cloned()));
    let entries = Signal::derive(move || {
        let seqs = group.with(|g| g.as_ref().map(|g| g.seqs.clone()).unwrap_or_default());
        events.with(|log| {
            seqs.iter()
                .filter_map(|seq| log.binary_search_by_key(seq, |e| e.seq).ok())
                .map(|at| log[at].clone())
                .collect::<Vec<_>>()
        })
    });
    let all_hidden = move || {
        let hidden = hidden_families.read();
        entries.with(|list| {
            list.iter()
                .all(|e| hidden.contains(&e.event.source.family()))
        })
    };
    // Memos: the heading's parts change (and are announced) only when they differ.
    let title = Memo::new(move |_| {
        let locale = i18n.get_locale();
        group.with(|g| {
            g.as_ref()
                .map(|g| words::group_title(locale, g))
                .unwrap_or_default()
        })
    });
    let shipping = Memo::new(move |_| {
        let locale = i18n.get_locale();
        group
            .with(|g| g.as_ref().and_then(|g| words::group_shipping(locale, g)))
            .unwrap_or_else(|| td_string!(locale, orders.timeline.not_shipped).to_string())
    });
    let status = Memo::new(move |_| group.with(|g| g.as_ref().and_then(TimelineGroup::status)));
    view! {
        <section
            class="timeline-group"
            aria-labelledby=labelled_by
            data-testid="timeline-group"
            data-group=testid_group
            data-parcel=parcel_id
        >
            <h3 class="timeline-group-heading" id=heading_id>
                <span class="timeline-group-title">{title}</span>
                {is_parcel.then(|| view! {
                    <span class="visually-hidden">", "</span>
                    <span class="timeline-group-shipping" data-testid="timeline-group-shipping">
                        {shipping}
                    </span>
                    {move || status.get().map(|status| view! {
                        <span class="visually-hidden">{tr(i18n, |l| td_string!(l, orders.timeline.latest_stage))}</span>
                        <StatusBadge status testid="timeline-group-stage"/>
                    })}
                })}
            </h3>
            <TimelineEntries
                entries
                groups
                live_after
                hidden_families
                now
            />
            <p class="hint timeline-group-empty" hidden=move || !all_hidden()>
                {tr(i18n, |l| td_string!(l, orders.timeline.none_from_sources))}
            </p>
        </section>
    }
}
