//! A `<select>` of what a dialect value can mean: every mapping [`Target`] by
//! its label (the label is also the option's value, so a test or a person picks
//! "Scan: delivered" by what it says).

use crate::model::ingest::mapping::Target;
use leptos::prelude::*;

/// The target whose label is `label`.
fn target_labelled(label: &str) -> Option<Target> {
    Target::ALL.into_iter().find(|t| t.label() == label)
}

/// The choice of a target. With `placeholder`, "Choose a meaning…" comes first
/// and stands for no choice yet.
#[component]
pub fn TargetChoice(
    /// The target shown as chosen.
    #[prop(into)]
    value: Signal<Option<Target>>,
    /// A different target was picked (`None`: the placeholder).
    on_choose: Callback<Option<Target>>,
    /// The select's accessible name, when no `<label>` wraps it.
    #[prop(optional, into)]
    aria_label: Option<String>,
    #[prop(optional)] placeholder: bool,
) -> impl IntoView {
    view! {
        <select
            class="target-choice"
            aria-label=aria_label
            on:change:target=move |ev| on_choose.run(target_labelled(&ev.target().value()))
        >
            {placeholder
                .then(|| {
                    view! {
                        <option value="" prop:selected=move || value.get().is_none()>
                            "Choose a meaning…"
                        </option>
                    }
                })}
            {Target::ALL
                .into_iter()
                .map(|target| {
                    view! {
                        <option value=target.label() prop:selected=move || value.get() == Some(target)>
                            {target.label()}
                        </option>
                    }
                })
                .collect_view()}
        </select>
    }
}
