//! The users page's "Create user" form: username, display name, roles (one
//! checkbox per role), initial password. The server checks the fields; its
//! refusal is shown as it is, and the fields are kept. On success the fields are
//! cleared and the list is loaded again.

use super::role_choices::RoleChoices;
use crate::api::create_user;
use crate::model::access::account::{NewUser, MIN_PASSWORD};
use crate::model::Role;
use crate::ui::auth::Auth;
use crate::ui::kit::Submission;
use leptos::prelude::*;
use leptos::task::spawn_local;

/// The form that creates a staff account.
#[component]
pub fn NewUserForm(on_created: Callback<()>) -> impl IntoView {
    let auth = Auth::current();
    let username = RwSignal::new(String::new());
    let display_name = RwSignal::new(String::new());
    let roles = RwSignal::new(Vec::<Role>::new());
    let password = RwSignal::new(String::new());
    let form = Submission::<Result<String, String>>::default();
    let Submission { busy, outcome } = form;

    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        if !form.begin() {
            return;
        }
        let user = NewUser {
            username: username.get_untracked(),
            display_name: display_name.get_untracked(),
            roles: roles.get_untracked(),
            password: password.get_untracked(),
        };
        spawn_local(async move {
            match auth.call(create_user(user)).await {
                Ok(created) => {
                    username.try_set(String::new());
                    display_name.try_set(String::new());
                    roles.try_set(Vec::new());
                    password.try_set(String::new());
                    outcome.try_set(Some(Ok(format!(
                        "Created {} ({}).",
                        created.username, created.display_name
                    ))));
                    on_created.run(());
                }
                Err(e) => {
                    outcome.try_set(Some(Err(e.to_string())));
                }
            }
            busy.try_set(false);
        });
    };

    view! {
        <form class="admin-form" on:submit=submit aria-labelledby="new-user-heading" data-testid="new-user-form">
            <h2 id="new-user-heading">"New user"</h2>
            <div class="admin-form-fields">
                <label>
                    <span>"Username"</span>
                    <input
                        name="username"
                        autocomplete="off"
                        autocapitalize="none"
                        spellcheck="false"
                        prop:value=move || username.get()
                        on:input:target=move |ev| username.set(ev.target().value())
                    />
                </label>
                <label>
                    <span>"Display name"</span>
                    <input
                        name="display_name"
                        autocomplete="off"
                        prop:value=move || display_name.get()
                        on:input:target=move |ev| display_name.set(ev.target().value())
                    />
                </label>
                <RoleChoices legend="Roles".to_string() chosen=roles/>
                <div class="field">
                    <label>
                        <span>"Initial password"</span>
                        <input
                            name="password"
                            type="password"
                            autocomplete="new-password"
                            aria-describedby="new-user-password-hint"
                            prop:value=move || password.get()
                            on:input:target=move |ev| password.set(ev.target().value())
                        />
                    </label>
                    <small id="new-user-password-hint" class="field-hint">
                        {format!("At least {MIN_PASSWORD} characters.")}
                    </small>
                </div>
            </div>
            <div class="admin-form-actions">
                <button type="submit" disabled=move || busy.get()>
                    "Create user"
                </button>
                <p class="form-outcome" role="status" data-testid="new-user-outcome">
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
