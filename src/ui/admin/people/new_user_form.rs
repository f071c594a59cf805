//! The users page's "Create user" form: username, display name, roles (one
//! checkbox per role), initial password. The server checks the fields; its
//! refusal is shown in the reader's language, and the fields are kept. On
//! success the fields are cleared and the list is loaded again.

use super::role_choices::RoleChoices;
use crate::api::{create_user, ApiError};
use crate::i18n::*;
use crate::model::access::account::{NewUser, UserSummary, MIN_PASSWORD};
use crate::model::Role;
use crate::ui::auth::Auth;
use crate::ui::kit::{format, Submission};
use crate::ui::language::tr;
use leptos::prelude::*;
use leptos::task::spawn_local;

/// The form that creates a staff account.
#[component]
pub fn NewUserForm(on_created: Callback<()>) -> impl IntoView {
    let auth = Auth::current();
    let i18n = use_i18n();
    let username = RwSignal::new(String::new());
    let display_name = RwSignal::new(String::new());
    let roles = RwSignal::new(Vec::<Role>::new());
    let password = RwSignal::new(String::new());
    let form = Submission::<Result<UserSummary, ApiError>>::default();
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
                    outcome.try_set(Some(Ok(created)));
                    on_created.run(());
                }
                Err(e) => {
                    outcome.try_set(Some(Err(e)));
                }
            }
            busy.try_set(false);
        });
    };

    view! {
        <form class="admin-form" on:submit=submit aria-labelledby="new-user-heading" data-testid="new-user-form">
            <h2 id="new-user-heading">{tr(i18n, |l| td_string!(l, admin.new_user.title))}</h2>
            <div class="admin-form-fields">
                <label>
                    <span>{tr(i18n, |l| td_string!(l, admin.new_user.username))}</span>
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
                    <span>{tr(i18n, |l| td_string!(l, admin.new_user.display_name))}</span>
                    <input
                        name="display_name"
                        autocomplete="off"
                        prop:value=move || display_name.get()
                        on:input:target=move |ev| display_name.set(ev.target().value())
                    />
                </label>
                <RoleChoices legend=Signal::derive(move || t_string!(i18n, admin.new_user.roles).to_string()) chosen=roles/>
                <div class="field">
                    <label>
                        <span>{tr(i18n, |l| td_string!(l, admin.new_user.password))}</span>
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
                        {move || {
                            t_string!(
                                i18n,
                                admin.new_user.password_hint,
                                count = format::number(i18n.get_locale(), MIN_PASSWORD as u64)
                            )
                        }}
                    </small>
                </div>
            </div>
            <div class="admin-form-actions">
                <button type="submit" disabled=move || busy.get()>
                    {tr(i18n, |l| td_string!(l, admin.new_user.create))}
                </button>
                <p class="form-outcome" role="status" data-testid="new-user-outcome">
                    {move || match outcome.get() {
                        Some(Ok(created)) => {
                            let done = t_string!(
                                i18n,
                                admin.new_user.created,
                                username = created.username,
                                display_name = created.display_name
                            );
                            view! { <span class="form-success">{done}</span> }.into_any()
                        }
                        Some(Err(e)) => {
                            view! { <span class="form-error">{words::api_error(i18n.get_locale(), &e)}</span> }
                                .into_any()
                        }
                        None => ().into_any(),
                    }}
                </p>
            </div>
        </form>
    }
}
