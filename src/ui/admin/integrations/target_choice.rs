//! A `<select>` of what a dialect value can mean: the mapping [`Target`]s its
//! dialect allows (a status, or for component kinds a kind), in the reader's
//! language. An option's value is its English words, the same in
//! every language (so a test or a person picks "Scan: delivered" by what it
//! says in English, and a choice survives a change of language).

use crate::i18n::words::admin as admin_words;
use crate::i18n::*;
use crate::model::ingest::mapping::Target;
use crate::ui::language::tr;
use leptos::prelude::*;

/// An option's value: the target's English words.
fn option_value(target: Target) -> &'static str {
    admin_words::target(Locale::en, target)
}

/// The target whose option value is `value`.
fn target_labelled(value: &str) -> Option<Target> {
    Target::all().find(|t| option_value(*t) == value)
}

/// The choice of a target. With `placeholder`, "Choose a meaning…" comes first
/// and stands for no choice yet.
#[component]
pub fn TargetChoice(
    /// The dialect whose value is mapped: it decides the choices.
    #[prop(into)]
    dialect: Signal<String>,
    /// The target shown as chosen.
    #[prop(into)]
    value: Signal<Option<Target>>,
    /// A different target was picked (`None`: the placeholder).
    on_choose: Callback<Option<Target>>,
    /// The select's accessible name, when no `<label>` wraps it.
    #[prop(optional, into)]
    aria_label: Option<Signal<String>>,
    #[prop(optional)] placeholder: bool,
) -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <select
            class="target-choice"
            aria-label=move || aria_label.map(|label| label.get())
            on:change:target=move |ev| on_choose.run(target_labelled(&ev.target().value()))
        >
            {placeholder
                .then(|| {
                    view! {
                        <option value="" prop:selected=move || value.get().is_none()>
                            {tr(i18n, |l| td_string!(l, admin.target_choice.placeholder))}
                        </option>
                    }
                })}
            {move || {
                Target::choices(&dialect.read())
                    .iter()
                    .map(|&target| {
                        view! {
                            <option value=option_value(target) prop:selected=move || value.get() == Some(target)>
                                {move || admin_words::target(i18n.get_locale(), target)}
                            </option>
                        }
                    })
                    .collect_view()
            }}
        </select>
    }
}
