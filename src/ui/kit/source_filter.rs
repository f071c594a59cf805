//! Which source systems a timeline shows: one checkbox per family of
//! [`crate::model::Source`] (channel, warehouse, carrier, finance, staff,
//! control room), all ticked at first.

use leptos::prelude::*;

/// Each source family ([`crate::model::Source::family`]) and its label.
pub const SOURCE_FAMILIES: [(&str, &str); 6] = [
    ("channel", "Channel"),
    ("warehouse", "Warehouse"),
    ("carrier", "Carrier"),
    ("finance", "Finance"),
    ("staff", "Staff"),
    ("control_room", "Control room"),
];

/// A checkbox group writing the families the person unticked into `hidden`.
#[component]
pub fn SourceFilter(hidden: RwSignal<Vec<&'static str>>) -> impl IntoView {
    view! {
        <fieldset class="source-filter" data-testid="timeline-filter">
            <legend>"Show events from"</legend>
            {SOURCE_FAMILIES
                .into_iter()
                .map(|(family, label)| {
                    view! {
                        <label class="source-filter-option">
                            <input
                                type="checkbox"
                                name="source"
                                value=family
                                prop:checked=move || !hidden.read().contains(&family)
                                on:change:target=move |ev| {
                                    let shown = ev.target().checked();
                                    hidden.update(|h| {
                                        h.retain(|f| *f != family);
                                        if !shown {
                                            h.push(family);
                                        }
                                    });
                                }
                            />
                            <span>{label}</span>
                        </label>
                    }
                })
                .collect_view()}
        </fieldset>
    }
}
