//! "Group by parcel": a toggle button switching an order's timeline between
//! one chronological list and a section per parcel. The label stays the same;
//! `aria-pressed` (and, for the eye, a tick and a heavier border) tells the state.

use crate::i18n::*;
use crate::ui::language::tr;
use leptos::prelude::*;

/// The toggle, writing whether the timeline is grouped into `grouped`.
#[component]
pub fn GroupByParcel(grouped: RwSignal<bool>) -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <button
            type="button"
            class="secondary group-by-parcel"
            aria-pressed=move || grouped.get().to_string()
            data-testid="group-by-parcel"
            on:click=move |_| grouped.update(|on| *on = !*on)
        >
            {tr(i18n, |l| td_string!(l, orders.timeline.group_by_parcel))}
        </button>
    }
}
