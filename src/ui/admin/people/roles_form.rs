//! The users page's per-account roles form: behind an "Edit roles" disclosure
//! in the account's row, one labelled checkbox per role in a fieldset named
//! after the account, and "Save roles". The outcome is said in words in a
//! status line (the new roles, or the server's refusal, e.g. for the last
//! admin), in the reader's language. The account's sessions have the new roles from their
//! next request on.

use super::role_choices::RoleChoices;
use crate::api::{set_user_roles, ApiError};
use crate::i18n::*;
use crate::model::access::account::UserSummary;
use crate::model::Role;
use crate::ui::auth::Auth;
use crate::ui::kit::Submission;
use crate::ui::language::tr;
use leptos::prelude::*;
use leptos::task::spawn_local;

/// Edits the roles of one account.
#[component]
pub fn RolesForm(
    user_id: String,
    username: Signal<String>,
    /// The roles as last listed.
    roles: Signal<Vec<Role>>,
    on_changed: Callback<()>,
) -> impl IntoView {
    let auth = Auth::current();
    let i18n = use_i18n();
    let chosen = RwSignal::new(roles.get_untracked());
    // The boxes follow the list when it is loaded again.
    Effect::new(move |_| chosen.set(roles.get()));
    let form = Submission::<Result<UserSummary, ApiError>>::default();
    let Submission { busy, outcome } = form;
    let message_id = format!("roles-{user_id}-message");
    let described_by = message_id.clone();
    let user_id = StoredValue::new(user_id);

    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        if !form.begin() {
            return;
        }
        let roles = chosen.get_untracked();
        spawn_local(async move {
            let result = auth.call(set_user_roles(user_id.get_value(), roles)).await;
            if result.is_ok() {
                on_changed.run(());
            }
            outcome.try_set(Some(result));
            busy.try_set(false);
        });
    };

    view! {
        <details class="roles-edit" data-testid="roles-edit">
            <summary>
                {tr(i18n, |l| td_string!(l, admin.roles_form.edit))}
                <span class="visually-hidden">
                    {move || t_string!(i18n, admin.roles_form.edit_of, username = username.get())}
                </span>
            </summary>
            <form class="inline-form roles-form" on:submit=submit aria-describedby=described_by>
                <RoleChoices legend=Signal::derive(move || t_string!(i18n, admin.roles_form.legend, username = username.get()).to_string()) chosen=chosen/>
                <button type="submit" class="secondary" disabled=move || busy.get()>
                    {tr(i18n, |l| td_string!(l, admin.roles_form.save))}
                </button>
                <p id=message_id class="inline-message" role="status" data-testid="roles-outcome">
                    {move || match outcome.get() {
                        Some(Ok(user)) => {
                            let locale = i18n.get_locale();
                            let done = td_string!(
                                locale,
                                admin.roles_form.saved,
                                username = user.username,
                                roles = words::roles(locale, &user.roles)
                            );
                            view! { <span class="form-success">{done.to_string()}</span> }.into_any()
                        }
                        Some(Err(e)) => {
                            view! { <span class="form-error">{words::api_error(i18n.get_locale(), &e)}</span> }
                                .into_any()
                        }
                        None => ().into_any(),
                    }}
                </p>
            </form>
        </details>
    }
}
