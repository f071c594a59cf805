//! Signing out, and leaving nothing private behind in the tab: after `logout()`
//! the app loads `/login` afresh (a full navigation, so no screen or data stays
//! in memory), and a page the browser restores from its back/forward cache is
//! reloaded, so Back after signing out asks the server again instead of showing
//! what was on screen.

use crate::api::{logout, ApiError};
use crate::i18n::*;
use crate::ui::kit::Submission;
use crate::ui::language::tr;
use leptos::ev;
use leptos::logging::warn;
use leptos::prelude::*;
use leptos::task::spawn_local;

/// The shell's "Sign out" button.
#[component]
pub fn SignOutButton() -> impl IntoView {
    let i18n = use_i18n();
    let form = Submission::<ApiError>::default();
    let Submission {
        busy,
        outcome: error,
    } = form;
    let sign_out = move |_| {
        if !form.begin() {
            return;
        }
        spawn_local(async move {
            match logout().await {
                // Already signed out (session ended or expired) is fine too.
                Ok(()) | Err(ApiError::Unauthenticated) => leave_for_login(),
                Err(e) => {
                    error.set(Some(e));
                    busy.set(false);
                }
            }
        });
    };
    view! {
        <button
            type="button"
            class="sign-out"
            data-testid="sign-out"
            on:click=sign_out
            disabled=move || busy.get()
        >
            {tr(i18n, |l| td_string!(l, auth.sign_out.button))}
        </button>
        <Show when=move || error.read().is_some()>
            <p class="sign-out-error" role="alert">
                {move || error.get().map(|e| {
                    let reason = words::api_error(i18n.get_locale(), &e);
                    td_string!(i18n.get_locale(), auth.sign_out.failed, reason = reason).to_string()
                })}
            </p>
        </Show>
    }
}

/// Loads the sign-in page as a new document, replacing the current entry.
pub fn leave_for_login() {
    if let Err(e) = window().location().replace("/login") {
        warn!("could not load the sign-in page: {e:?}");
    }
}

/// Reloads the page whenever the browser restores it from the back/forward
/// cache (`pageshow` with `persisted`), for as long as the app runs.
pub fn reload_restored_pages() {
    // Dropping the handle keeps the listener; the app lives as long as the page.
    let _ = window_event_listener(ev::pageshow, |event| {
        if event.persisted() {
            if let Err(e) = window().location().reload() {
                warn!("could not reload a restored page: {e:?}");
            }
        }
    });
}
