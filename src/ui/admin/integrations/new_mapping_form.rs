//! The mappings page's "Add a mapping" form: dialect, the value exactly as the
//! system sends it, and what it means. Setting a value that already has a row
//! changes that row. On success the value field is cleared and the lists are
//! loaded again; a refusal is shown as the server words it.

use super::target_choice::TargetChoice;
use crate::api::set_mapping;
use crate::model::ingest::mapping::{dialect, Target};
use crate::ui::auth::Auth;
use crate::ui::kit::Submission;
use leptos::prelude::*;
use leptos::task::spawn_local;

/// The form that adds (or changes) one mapping row.
#[component]
pub fn NewMappingForm(on_added: Callback<()>) -> impl IntoView {
    let auth = Auth::current();
    let chosen_dialect = RwSignal::new(dialect::ALL[0].to_string());
    let value = RwSignal::new(String::new());
    let target = RwSignal::new(None::<Target>);
    let form = Submission::<Result<String, String>>::default();
    let Submission { busy, outcome } = form;

    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        if busy.get_untracked() {
            return;
        }
        let typed = value.get_untracked();
        let chosen_target = match (typed.is_empty(), target.get_untracked()) {
            (false, Some(t)) => t,
            (true, _) => {
                outcome.set(Some(Err(
                    "Type the value exactly as the system sends it.".into()
                )));
                return;
            }
            (false, None) => {
                outcome.set(Some(Err("Choose what the value means.".into())));
                return;
            }
        };
        if !form.begin() {
            return;
        }
        let dialect = chosen_dialect.get_untracked();
        spawn_local(async move {
            match auth.call(set_mapping(dialect, typed, chosen_target)).await {
                Ok(row) => {
                    value.try_set(String::new());
                    target.try_set(None);
                    outcome.try_set(Some(Ok(format!(
                        "Saved: {} {} means “{}”.",
                        row.dialect,
                        row.value,
                        row.target.label()
                    ))));
                    on_added.run(());
                }
                Err(e) => {
                    outcome.try_set(Some(Err(e.to_string())));
                }
            }
            busy.try_set(false);
        });
    };

    view! {
        <form
            class="admin-form"
            on:submit=submit
            aria-labelledby="new-mapping-heading"
            data-testid="new-mapping-form"
        >
            <h2 id="new-mapping-heading">"Add a mapping"</h2>
            <div class="admin-form-fields">
                <label>
                    <span>"Dialect"</span>
                    <select
                        name="dialect"
                        on:change:target=move |ev| chosen_dialect.set(ev.target().value())
                    >
                        {dialect::ALL
                            .into_iter()
                            .map(|d| {
                                view! {
                                    <option value=d prop:selected=move || chosen_dialect.read().as_str() == d>
                                        {d}
                                    </option>
                                }
                            })
                            .collect_view()}
                    </select>
                </label>
                <label>
                    <span>"Value"</span>
                    <input
                        name="value"
                        autocomplete="off"
                        spellcheck="false"
                        prop:value=move || value.get()
                        on:input:target=move |ev| value.set(ev.target().value())
                    />
                </label>
                <label>
                    <span>"Means"</span>
                    <TargetChoice
                        value=target
                        on_choose=Callback::new(move |t| target.set(t))
                        placeholder=true
                    />
                </label>
            </div>
            <div class="admin-form-actions">
                <button type="submit" disabled=move || busy.get()>
                    "Add mapping"
                </button>
                <p class="form-outcome" role="status" data-testid="new-mapping-outcome">
                    {move || match outcome.get() {
                        Some(Ok(done)) => view! { <span class="form-success">{done}</span> }.into_any(),
                        Some(Err(e)) => view! { <span class="form-error">{e}</span> }.into_any(),
                        None => ().into_any(),
                    }}
                </p>
            </div>
        </form>
    }
}
