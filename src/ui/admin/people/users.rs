//! `/admin/users`: every staff account, a form to create one, and per account
//! its roles (with a form to change them), "Disable"/"Enable" and an inline
//! password reset. Rows are keyed by account,
//! so a refresh after a change updates a row in place (focus stays put).

use super::new_user_form::NewUserForm;
use super::roles_form::RolesForm;
use crate::api::{list_users, reset_password, set_user_disabled, ApiError};
use crate::i18n::*;
use crate::model::access::account::UserSummary;
use crate::ui::admin::LoadFailed;
use crate::ui::auth::Auth;
use crate::ui::kit::LocalTime;
use crate::ui::kit::Submission;
use crate::ui::kit::{reloading_list, ReloadingList};
use crate::ui::language::tr;
use leptos::prelude::*;
use leptos::task::spawn_local;

/// The users page.
#[component]
pub fn UsersPage() -> impl IntoView {
    let i18n = use_i18n();
    crate::ui::kit::use_page_title(move || t_string!(i18n, admin.users.title).to_string());
    let ReloadingList {
        resource: users,
        latest,
        changed,
    } = reloading_list(list_users);

    view! {
        <section class="admin-page users-page">
            <h1>{tr(i18n, |l| td_string!(l, admin.users.title))}</h1>
            <NewUserForm on_created=changed/>
            <h2 id="users-heading">{tr(i18n, |l| td_string!(l, admin.users.accounts))}</h2>
            <Transition fallback=move || view! { <p class="loading" role="status">{tr(i18n, |l| td_string!(l, admin.users.loading))}</p> }>
                <ErrorBoundary fallback=|errors| {
                    view! { <LoadFailed errors title=|l| td_string!(l, admin.users.load_failed)/> }
                }>
                    {move || Suspend::new(async move { users.await.map(|_| ()) })}
                    <UsersTable users=latest on_changed=changed/>
                </ErrorBoundary>
            </Transition>
        </section>
    }
}

#[component]
fn UsersTable(users: Memo<Option<Vec<UserSummary>>>, on_changed: Callback<()>) -> impl IntoView {
    let i18n = use_i18n();
    let rows = move || users.get().unwrap_or_default();
    view! {
        <table class="data-table users-table" aria-labelledby="users-heading">
            <thead>
                <tr>
                    <th scope="col">{tr(i18n, |l| td_string!(l, admin.users.col.username))}</th>
                    <th scope="col">{tr(i18n, |l| td_string!(l, admin.users.col.display_name))}</th>
                    <th scope="col">{tr(i18n, |l| td_string!(l, admin.users.col.roles))}</th>
                    <th scope="col">{tr(i18n, |l| td_string!(l, admin.users.col.status))}</th>
                    <th scope="col">{tr(i18n, |l| td_string!(l, admin.users.col.created))}</th>
                    <th scope="col">{tr(i18n, |l| td_string!(l, admin.users.col.access))}</th>
                    <th scope="col">{tr(i18n, |l| td_string!(l, admin.users.col.reset_password))}</th>
                </tr>
            </thead>
            <tbody>
                <For each=rows key=|u| u.id.clone() let:user>
                    <UserRow first=user users on_changed/>
                </For>
            </tbody>
        </table>
    }
}

/// One account, as first listed; follows the list as it is loaded again.
#[component]
fn UserRow(
    first: UserSummary,
    users: Memo<Option<Vec<UserSummary>>>,
    on_changed: Callback<()>,
) -> impl IntoView {
    let auth = Auth::current();
    let i18n = use_i18n();
    let id = StoredValue::new(first.id.clone());
    let user = Memo::new(move |previous: Option<&UserSummary>| {
        let id = id.read_value();
        users
            .with(|u| {
                u.as_ref()
                    .and_then(|u| u.iter().find(|u| u.id == *id).cloned())
            })
            .or_else(|| previous.cloned())
            .unwrap_or_else(|| first.clone())
    });
    let form = Submission::<ApiError>::default();
    let Submission {
        busy,
        outcome: error,
    } = form;

    let toggle = move |_| {
        if !form.begin() {
            return;
        }
        let disable = !user.get_untracked().disabled;
        spawn_local(async move {
            match auth.call(set_user_disabled(id.get_value(), disable)).await {
                Ok(_) => on_changed.run(()),
                Err(e) => {
                    error.try_set(Some(e));
                }
            }
            busy.try_set(false);
        });
    };

    let username = move || user.read().username.clone();
    view! {
        <tr
            data-testid="user-row"
            data-username=username
            data-disabled=move || user.read().disabled.to_string()
        >
            <th scope="row">{username}</th>
            <td>{move || user.read().display_name.clone()}</td>
            <td data-testid="user-roles">
                <span class="user-roles">{move || words::roles(i18n.get_locale(), &user.read().roles)}</span>
                <RolesForm
                    user_id=id.get_value()
                    username=Signal::derive(username)
                    roles=Signal::derive(move || user.read().roles.clone())
                    on_changed
                />
            </td>
            <td data-testid="user-status">
                {move || {
                    if user.read().disabled {
                        view! { <span class="account-disabled">{tr(i18n, |l| td_string!(l, admin.users.disabled))}</span> }.into_any()
                    } else {
                        view! { <span class="account-active">{tr(i18n, |l| td_string!(l, admin.users.active))}</span> }.into_any()
                    }
                }}
            </td>
            <td>{move || view! { <LocalTime at=user.read().created_at/> }}</td>
            <td>
                <button type="button" class="secondary" on:click=toggle disabled=move || busy.get()>
                    {move || {
                        if user.read().disabled {
                            t_string!(i18n, admin.users.enable)
                        } else {
                            t_string!(i18n, admin.users.disable)
                        }
                    }}
                </button>
                <p class="form-error" role="alert">
                    {move || error.read().as_ref().map(|e| words::api_error(i18n.get_locale(), e))}
                </p>
            </td>
            <td>
                <PasswordReset user_id=id.get_value() username=Signal::derive(username)/>
            </td>
        </tr>
    }
}

/// "New password for <username>" and "Set password", inline in the row.
#[component]
fn PasswordReset(user_id: String, username: Signal<String>) -> impl IntoView {
    let auth = Auth::current();
    let i18n = use_i18n();
    let password = RwSignal::new(String::new());
    let form = Submission::<Result<(), ApiError>>::default();
    let Submission { busy, outcome } = form;
    let user_id = StoredValue::new(user_id);
    let input_id = format!("new-password-{}", user_id.get_value());
    let message_id = format!("{input_id}-message");

    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        if !form.begin() {
            return;
        }
        let new_password = password.get_untracked();
        spawn_local(async move {
            let result = auth
                .call(reset_password(user_id.get_value(), new_password))
                .await;
            if result.is_ok() {
                password.try_set(String::new());
            }
            outcome.try_set(Some(result.map(|_| ())));
            busy.try_set(false);
        });
    };

    view! {
        <form class="inline-form" on:submit=submit>
            <label class="visually-hidden" for=input_id.clone()>
                {move || t_string!(i18n, admin.users.new_password_for, username = username.get()).to_string()}
            </label>
            <input
                id=input_id
                type="password"
                autocomplete="new-password"
                placeholder=tr(i18n, |l| td_string!(l, admin.users.new_password))
                aria-describedby=message_id.clone()
                prop:value=move || password.get()
                on:input:target=move |ev| password.set(ev.target().value())
            />
            <button type="submit" class="secondary" disabled=move || busy.get()>
                {tr(i18n, |l| td_string!(l, admin.users.set_password))}
            </button>
            <p id=message_id class="inline-message" role="status">
                {move || match outcome.get() {
                    Some(Ok(())) => view! {
                        <span class="form-success">{tr(i18n, |l| td_string!(l, admin.users.password_set))}</span>
                    }
                    .into_any(),
                    Some(Err(e)) => {
                        view! { <span class="form-error">{words::api_error(i18n.get_locale(), &e)}</span> }
                            .into_any()
                    }
                    None => ().into_any(),
                }}
            </p>
        </form>
    }
}
