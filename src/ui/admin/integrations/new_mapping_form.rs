//! The mappings page's "Add a mapping" form: dialect, the value exactly as the
//! system sends it, and what it means. Setting a value that already has a row
//! changes that row. On success the value field is cleared and the lists are
//! loaded again; a refusal is said in the reader's language.

use super::target_choice::TargetChoice;
use crate::api::{set_mapping, ApiError};
use crate::i18n::words::admin as admin_words;
use crate::i18n::*;
use crate::model::ingest::integration::MappingRow;
use crate::model::ingest::mapping::{dialect, Target};
use crate::ui::auth::Auth;
use crate::ui::kit::Submission;
use crate::ui::language::tr;
use leptos::prelude::*;
use leptos::task::spawn_local;

/// What kept the form from adding the row.
#[derive(Debug, Clone)]
enum Problem {
    /// No value typed.
    NoValue,
    /// No meaning chosen.
    NoTarget,
    Server(ApiError),
}

/// The problem in the reader's language.
fn problem_words(locale: Locale, problem: &Problem) -> String {
    match problem {
        Problem::NoValue => td_string!(locale, admin.new_mapping.value_missing).to_string(),
        Problem::NoTarget => td_string!(locale, admin.new_mapping.target_missing).to_string(),
        Problem::Server(e) => words::api_error(locale, e),
    }
}

/// The row saved, in the reader's language.
fn saved_words(locale: Locale, row: &MappingRow) -> String {
    td_string!(
        locale,
        admin.new_mapping.saved,
        dialect = row.dialect.as_str(),
        value = row.value.as_str(),
        target = admin_words::target(locale, row.target)
    )
    .to_string()
}

/// The form that adds (or changes) one mapping row.
#[component]
pub fn NewMappingForm(on_added: Callback<()>) -> impl IntoView {
    let auth = Auth::current();
    let i18n = use_i18n();
    let chosen_dialect = RwSignal::new(dialect::ALL[0].to_string());
    let value = RwSignal::new(String::new());
    let target = RwSignal::new(None::<Target>);
    let form = Submission::<Result<MappingRow, Problem>>::default();
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
                outcome.set(Some(Err(Problem::NoValue)));
                return;
            }
            (false, None) => {
                outcome.set(Some(Err(Problem::NoTarget)));
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
                    outcome.try_set(Some(Ok(row)));
                    on_added.run(());
                }
                Err(e) => {
                    outcome.try_set(Some(Err(Problem::Server(e))));
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
            <h2 id="new-mapping-heading">{tr(i18n, |l| td_string!(l, admin.new_mapping.title))}</h2>
            <div class="admin-form-fields">
                <label>
                    <span>{tr(i18n, |l| td_string!(l, admin.new_mapping.dialect))}</span>
                    <select
                        name="dialect"
                        on:change:target=move |ev| {
                            let dialect = ev.target().value();
                            // A meaning the new dialect cannot have is chosen again.
                            if target.get_untracked().is_some_and(|t: Target| !t.fits(&dialect)) {
                                target.set(None);
                            }
                            chosen_dialect.set(dialect);
                        }
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
                    <span>{tr(i18n, |l| td_string!(l, admin.new_mapping.value))}</span>
                    <input
                        name="value"
                        autocomplete="off"
                        spellcheck="false"
                        prop:value=move || value.get()
                        on:input:target=move |ev| value.set(ev.target().value())
                    />
                </label>
                <label>
                    <span>{tr(i18n, |l| td_string!(l, admin.new_mapping.means))}</span>
                    <TargetChoice
                        dialect=chosen_dialect
                        value=target
                        on_choose=Callback::new(move |t| target.set(t))
                        placeholder=true
                    />
                </label>
            </div>
            <div class="admin-form-actions">
                <button type="submit" disabled=move || busy.get()>
                    {tr(i18n, |l| td_string!(l, admin.new_mapping.add))}
                </button>
                <p class="form-outcome" role="status" data-testid="new-mapping-outcome">
                    {move || match outcome.get() {
                        Some(Ok(row)) => {
                            view! { <span class="form-success">{saved_words(i18n.get_locale(), &row)}</span> }
                                .into_any()
                        }
                        Some(Err(problem)) => {
                            view! { <span class="form-error">{problem_words(i18n.get_locale(), &problem)}</span> }
                                .into_any()
                        }
                        None => ().into_any(),
                    }}
                </p>
            </div>
        </form>
    }
}
