//! `/admin/sessions`: every signed-in session (never its token) with when it
//! began, was last used and will end, and "End session" for each. The admin's
//! own session is marked; ending it signs the admin out like "Sign out".

use crate::api::{end_session, list_sessions, ApiError};
use crate::i18n::*;
use crate::model::access::account::SessionSummary;
use crate::ui::admin::LoadFailed;
use crate::ui::auth::{leave_for_login, Auth};
use crate::ui::kit::LocalTime;
use crate::ui::kit::Submission;
use crate::ui::kit::{reloading_list, ReloadingList};
use crate::ui::language::tr;
use leptos::prelude::*;
use leptos::task::spawn_local;

/// The sessions page.
#[component]
pub fn SessionsPage() -> impl IntoView {
    let i18n = use_i18n();
    crate::ui::kit::use_page_title(move || t_string!(i18n, admin.sessions.title).to_string());
    let ReloadingList {
        resource: sessions,
        latest,
        changed,
    } = reloading_list(list_sessions);

    view! {
        <section class="admin-page sessions-page">
            <h1 id="sessions-heading">{tr(i18n, |l| td_string!(l, admin.sessions.title))}</h1>
            <p class="hint">{tr(i18n, |l| td_string!(l, admin.sessions.hint))}</p>
            <Transition fallback=move || view! { <p class="loading" role="status">{tr(i18n, |l| td_string!(l, admin.sessions.loading))}</p> }>
                <ErrorBoundary fallback=|errors| {
                    view! { <LoadFailed errors title=|l| td_string!(l, admin.sessions.load_failed)/> }
                }>
                    {move || Suspend::new(async move { sessions.await.map(|_| ()) })}
                    <SessionsTable sessions=latest on_changed=changed/>
                </ErrorBoundary>
            </Transition>
        </section>
    }
}

#[component]
fn SessionsTable(
    sessions: Memo<Option<Vec<SessionSummary>>>,
    on_changed: Callback<()>,
) -> impl IntoView {
    let i18n = use_i18n();
    let rows = move || sessions.get().unwrap_or_default();
    view! {
        <table class="data-table sessions-table" aria-labelledby="sessions-heading">
            <thead>
                <tr>
                    <th scope="col">{tr(i18n, |l| td_string!(l, admin.sessions.col.user))}</th>
                    <th scope="col">{tr(i18n, |l| td_string!(l, admin.sessions.col.address))}</th>
                    <th scope="col">{tr(i18n, |l| td_string!(l, admin.sessions.col.signed_in))}</th>
                    <th scope="col">{tr(i18n, |l| td_string!(l, admin.sessions.col.last_seen))}</th>
                    <th scope="col">{tr(i18n, |l| td_string!(l, admin.sessions.col.idle_expiry))}</th>
                    <th scope="col">{tr(i18n, |l| td_string!(l, admin.sessions.col.absolute_expiry))}</th>
                    <th scope="col">{tr(i18n, |l| td_string!(l, admin.sessions.col.actions))}</th>
                </tr>
            </thead>
            <tbody>
                // A row is redrawn when its session was used again.
                <For each=rows key=|s| (s.id.clone(), s.last_seen_at, s.idle_expires_at) let:session>
                    <SessionRow session on_changed/>
                </For>
            </tbody>
        </table>
    }
}

#[component]
fn SessionRow(session: SessionSummary, on_changed: Callback<()>) -> impl IntoView {
    let auth = Auth::current();
    let i18n = use_i18n();
    let form = Submission::<ApiError>::default();
    let Submission {
        busy,
        outcome: error,
    } = form;
    let current = session.current;
    let id = StoredValue::new(session.id.clone());

    let end = move |_| {
        if !form.begin() {
            return;
        }
        spawn_local(async move {
            match auth.call(end_session(id.get_value())).await {
                // The admin's own session is over: leave as "Sign out" does.
                Ok(()) if current => leave_for_login(),
                Ok(()) => on_changed.run(()),
                Err(e) => {
                    error.try_set(Some(e));
                    busy.try_set(false);
                }
            }
        });
    };

    view! {
        <tr
            data-testid="session-row"
            data-username=session.username.clone()
            data-current=current.to_string()
            class:current-session=current
        >
            <th scope="row">
                {session.username.clone()}
                {current.then(|| view! { <span class="this-session">{tr(i18n, |l| td_string!(l, admin.sessions.this_session))}</span> })}
            </th>
            <td class="address">{session.address.clone()}</td>
            <td>
                <LocalTime at=session.created_at/>
            </td>
            <td>
                <LocalTime at=session.last_seen_at/>
            </td>
            <td>
                <LocalTime at=session.idle_expires_at/>
            </td>
            <td>
                <LocalTime at=session.expires_at/>
            </td>
            <td>
                <button type="button" class="secondary" on:click=end disabled=move || busy.get()>
                    {tr(i18n, |l| td_string!(l, admin.sessions.end))}
                </button>
                <p class="form-error" role="alert">
                    {move || error.read().as_ref().map(|e| words::api_error(i18n.get_locale(), e))}
                </p>
            </td>
        </tr>
    }
}
