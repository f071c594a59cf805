//! `/admin/sessions`: every signed-in session (never its token) with when it
//! began, was last used and will end, and "End session" for each. The admin's
//! own session is marked; ending it signs the admin out like "Sign out".

use crate::api::{end_session, list_sessions};
use crate::model::access::account::SessionSummary;
use crate::ui::auth::{leave_for_login, Auth};
use crate::ui::kit::Submission;
use crate::ui::kit::{reloading_list, ReloadingList};
use crate::ui::kit::{ErrorNotice, LocalTime};
use leptos::prelude::*;
use leptos::task::spawn_local;

/// The sessions page.
#[component]
pub fn SessionsPage() -> impl IntoView {
    crate::ui::kit::use_page_title(|| "Sessions".into());
    let ReloadingList {
        resource: sessions,
        latest,
        changed,
    } = reloading_list(list_sessions);

    view! {
        <section class="admin-page sessions-page">
            <h1 id="sessions-heading">"Sessions"</h1>
            <p class="hint">
                "Everyone signed in now. A session ends when it is not used for a while (idle expiry) and in any case at its absolute expiry."
            </p>
            <Transition fallback=|| view! { <p class="loading" role="status">"Loading sessions…"</p> }>
                <ErrorBoundary fallback=|errors| {
                    view! { <ErrorNotice errors title="The sessions could not be loaded"/> }
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
    let rows = move || sessions.get().unwrap_or_default();
    view! {
        <table class="data-table sessions-table" aria-labelledby="sessions-heading">
            <thead>
                <tr>
                    <th scope="col">"User"</th>
                    <th scope="col">"Address"</th>
                    <th scope="col">"Signed in"</th>
                    <th scope="col">"Last seen"</th>
                    <th scope="col">"Idle expiry"</th>
                    <th scope="col">"Absolute expiry"</th>
                    <th scope="col">"Actions"</th>
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
    let form = Submission::<String>::default();
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
                    error.try_set(Some(e.to_string()));
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
                {current.then(|| view! { <span class="this-session">"This session"</span> })}
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
                    "End session"
                </button>
                <p class="form-error" role="alert">
                    {move || error.get()}
                </p>
            </td>
        </tr>
    }
}
