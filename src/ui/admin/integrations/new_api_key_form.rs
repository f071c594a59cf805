//! The API keys page's "New API key" form: a name saying what will use the
//! key. The answer carries the key, which is shown this once (see
//! [`ShownOnce`]); the list is loaded again.

use crate::api::{create_api_key, ApiError};
use crate::i18n::*;
use crate::model::ingest::integration::ApiKeyCreated;
use crate::ui::admin::FormProblem;
use crate::ui::auth::Auth;
use crate::ui::kit::ShownOnce;
use crate::ui::kit::{Submission, SubmitRow};
use crate::ui::language::tr;
use leptos::prelude::*;
use leptos::task::spawn_local;

/// What kept the form from creating the key.
#[derive(Debug, Clone)]
enum Problem {
    /// No name typed.
    Unnamed,
    Server(ApiError),
}

/// The problem in the reader's language.
fn problem_words(locale: Locale, problem: &Problem) -> String {
    match problem {
        Problem::Unnamed => td_string!(locale, admin.new_api_key.name_missing).to_string(),
        Problem::Server(e) => words::api_error(locale, e),
    }
}

/// The form that creates an API key.
#[component]
pub fn NewApiKeyForm(on_created: Callback<()>) -> impl IntoView {
    let auth = Auth::current();
    let i18n = use_i18n();
    let name = RwSignal::new(String::new());
    let created = RwSignal::new(None::<ApiKeyCreated>);
    let form = Submission::<String>::default();
    let busy = form.busy;
    let problem = FormProblem::new(form, problem_words);

    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        if busy.get_untracked() {
            return;
        }
        let typed = name.get_untracked().trim().to_string();
        if typed.is_empty() {
            problem.set(Problem::Unnamed);
            return;
        }
        if !problem.begin() {
            return;
        }
        created.set(None);
        spawn_local(async move {
            match auth.call(create_api_key(typed)).await {
                Ok(answer) => {
                    name.try_set(String::new());
                    created.try_set(Some(answer));
                    on_created.run(());
                }
                Err(e) => {
                    problem.set(Problem::Server(e));
                }
            }
            busy.try_set(false);
        });
    };

    view! {
        <form class="admin-form" on:submit=submit aria-labelledby="new-api-key-heading" data-testid="new-api-key-form">
            <h2 id="new-api-key-heading">{tr(i18n, |l| td_string!(l, admin.new_api_key.title))}</h2>
            <div class="admin-form-fields">
                <div class="field">
                    <label>
                        <span>{tr(i18n, |l| td_string!(l, admin.new_api_key.name))}</span>
                        <input
                            name="name"
                            autocomplete="off"
                            aria-describedby="new-api-key-name-hint"
                            prop:value=move || name.get()
                            on:input:target=move |ev| name.set(ev.target().value())
                        />
                    </label>
                    <small id="new-api-key-name-hint" class="field-hint">
                        {tr(i18n, |l| td_string!(l, admin.new_api_key.name_hint))}
                    </small>
                </div>
            </div>
            {move || view! { <SubmitRow label=t_string!(i18n, admin.new_api_key.create) form/> }}
        </form>
        {move || {
            // Drawn again in the other language when it changes.
            let locale = i18n.get_locale();
            created
                .get()
                .map(|answer| {
                    view! {
                        <ShownOnce
                            value=answer.key
                            noun=td_string!(locale, admin.new_api_key.noun)
                            instruction=td_string!(
                                locale,
                                admin.new_api_key.instruction,
                                name = answer.summary.name,
                                placeholder = format!("<{}>", td_string!(locale, admin.new_api_key.noun))
                            )
                                .to_string()
                            testid="api-key-shown"
                            on_done=Callback::new(move |()| created.set(None))
                        />
                    }
                })
        }}
    }
}
