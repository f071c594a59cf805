//! Which source systems a timeline shows: one checkbox per family of
//! [`crate::model::Source`] (channel, warehouse, carrier, finance, staff,
//! control room), all ticked at first, named in the reader's language.

use crate::i18n::*;
use crate::ui::language::tr;
use leptos::prelude::*;

/// Each source family ([`crate::model::Source::family`]), in the order shown.
pub const SOURCE_FAMILIES: [&str; 6] = [
    "channel",
    "warehouse",
    "carrier",
    "finance",
    "staff",
    "control_room",
];

/// The name of a source family: `渠道` / `Channel`.
pub fn family_label(locale: Locale, family: &str) -> &'static str {
    match family {
        "channel" => td_string!(locale, orders.kit.source_filter.channel),
        "warehouse" => td_string!(locale, orders.kit.source_filter.warehouse),
        "carrier" => td_string!(locale, orders.kit.source_filter.carrier),
        "finance" => td_string!(locale, orders.kit.source_filter.finance),
        "staff" => td_string!(locale, orders.kit.source_filter.staff),
        _ => td_string!(locale, orders.kit.source_filter.control_room),
    }
}

/// A checkbox group writing the families the person unticked into `hidden`.
#[component]
pub fn SourceFilter(hidden: RwSignal<Vec<&'static str>>) -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <fieldset class="source-filter" data-testid="timeline-filter">
            <legend>{tr(i18n, |l| td_string!(l, orders.kit.source_filter.legend))}</legend>
            {SOURCE_FAMILIES
                .into_iter()
                .map(|family| {
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
                            <span>{move || family_label(i18n.get_locale(), family)}</span>
                        </label>
                    }
                })
                .collect_view()}
        </fieldset>
    }
}
