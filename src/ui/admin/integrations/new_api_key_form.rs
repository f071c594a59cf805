//! The API keys page's "New API key" form: a name saying what will use the
//! key. The answer carries the key, which is shown this once (see
//! [`ShownOnce`]); the list is loaded again.

use crate::api::create_api_key;
use crate::model::ingest::integration::ApiKeyCreated;
use crate::ui::auth::Auth;
use crate::ui::kit::ShownOnce;
use crate::ui::kit::{Submission, SubmitRow};
use leptos::prelude::*;
use leptos::task::spawn_local;

/// The form that creates an API key.
#[component]
pub fn NewApiKeyForm(on_created: Callback<()>) -> impl IntoView {
    let auth = Auth::current();
    let name = RwSignal::new(String::new());
    let created = RwSignal::new(None::<ApiKeyCreated>);
    let form = Submission::<String>::default();
    let Submission {
        busy,
        outcome: error,
    } = form;

    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        if busy.get_untracked() {
            return;
        }
        let typed = name.get_untracked().trim().to_string();
        if typed.is_empty() {
            error.set(Some("Name the key after what will use it.".to_string()));
            return;
        }
        if !form.begin() {
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
                    error.try_set(Some(e.to_string()));
                }
            }
            busy.try_set(false);
        });
    };

    view! {
        <form class="admin-form" on:submit=submit aria-labelledby="new-api-key-heading" data-testid="new-api-key-form">
            <h2 id="new-api-key-heading">"New API key"</h2>
            <div class="admin-form-fields">
                <div class="field">
                    <label>
                        <span>"Name"</span>
                        <input
                            name="name"
                            autocomplete="off"
                            aria-describedby="new-api-key-name-hint"
                            prop:value=move || name.get()
                            on:input:target=move |ev| name.set(ev.target().value())
                        />
                    </label>
                    <small id="new-api-key-name-hint" class="field-hint">
                        "What will use the key, e.g. “ERP export”."
                    </small>
                </div>
            </div>
            <SubmitRow label="Create key" form/>
        </form>
        {move || {
            created
                .get()
                .map(|answer| {
                    view! {
                        <ShownOnce
                            value=answer.key
                            noun="key"
                            instruction=format!(
                                "Give it to {} now: the program sends it as “Authorization: Bearer <key>”.",
                                answer.summary.name,
                            )
                            testid="api-key-shown"
                            on_done=Callback::new(move |()| created.set(None))
                        />
                    }
                })
        }}
    }
}
