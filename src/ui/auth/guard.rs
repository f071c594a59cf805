//! The door of every staff screen: signed out → the sign-in page (coming back
//! here afterwards); signed in without the permission → a "not available for
//! your role" page; otherwise the screen itself.

use super::forbidden::Forbidden;
use super::login::login_href;
use super::status::{Auth, Known};
use crate::api::ApiError;
use crate::i18n::*;
use crate::model::access::account::Me;
use crate::model::Permission;
use crate::ui::language::tr;
use leptos::prelude::*;
use leptos_router::hooks::{use_location, use_navigate};
use leptos_router::NavigateOptions;

/// Whether the screen may open. Carries no data when it may, so a fresh answer
/// from the server that changes nothing does not redraw the screen.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Door {
    Checking,
    Failed(ApiError),
    SignedOut,
    Denied(Me),
    Open,
}

/// Shows `children` only to a signed-in person who may `permission`.
#[component]
pub fn Guard(permission: Permission, children: ChildrenFn) -> impl IntoView {
    let auth = Auth::current();
    let door = Memo::new(move |_| match auth.known() {
        Known::Checking => Door::Checking,
        Known::Failed(e) => Door::Failed(e),
        Known::SignedOut => Door::SignedOut,
        Known::SignedIn(me) if me.may(permission) => Door::Open,
        Known::SignedIn(me) => Door::Denied(me),
    });

    // Signed out: to the sign-in page, replacing this entry so Back does not
    // bounce between the two.
    let location = use_location();
    let navigate = use_navigate();
    Effect::new(move |_| {
        if door.get() == Door::SignedOut {
            let path = location.pathname.get_untracked();
            let search = location.search.get_untracked();
            let here = if search.is_empty() {
                path
            } else {
                format!("{path}?{search}")
            };
            navigate(
                &login_href(&here),
                NavigateOptions {
                    replace: true,
                    ..Default::default()
                },
            );
        }
    });

    move || match door.get() {
        Door::Open => children().into_any(),
        Door::Denied(me) => view! { <Forbidden me/> }.into_any(),
        Door::Checking => view! { <CheckingSignIn/> }.into_any(),
        Door::SignedOut => view! {
            <p class="loading" role="status">{t!(use_i18n(), auth.guard.to_sign_in)}</p>
        }
        .into_any(),
        Door::Failed(e) => view! { <SignInUnknown error=e/> }.into_any(),
    }
}

/// While the first answer about the sign-in is on its way.
#[component]
pub fn CheckingSignIn() -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <p class="loading" role="status" data-testid="auth-checking">
            {tr(i18n, |l| td_string!(l, auth.guard.checking))}
        </p>
    }
}

/// The server could not be asked who is signed in: say so, offer to try again.
#[component]
pub fn SignInUnknown(error: ApiError) -> impl IntoView {
    let auth = Auth::current();
    let i18n = use_i18n();
    view! {
        <div class="error-notice" role="alert" data-testid="error">
            <h2>{tr(i18n, |l| td_string!(l, auth.guard.unknown))}</h2>
            <p>{move || words::api_error(i18n.get_locale(), &error)}</p>
        </div>
        <p>
            <button type="button" on:click=move |_| auth.refresh()>
                {tr(i18n, |l| td_string!(l, auth.guard.try_again))}
            </button>
        </p>
    }
}
