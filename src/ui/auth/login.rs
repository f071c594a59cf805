//! `/login` (optionally `?next=/orders/…`): the sign-in form. On success the
//! app goes on to `next` when it is a path on this site, else to the order
//! list. Refusals show the server's reason. A signed-in visitor is told who
//! they are and given a link onward. On a demo server a banner says where the
//! demo accounts' passwords are.

use super::guard::{CheckingSignIn, SignInUnknown};
use super::sign_out::SignOutButton;
use super::status::{Auth, Known};
use crate::api::{login, ApiError};
use crate::i18n::*;
use crate::model::access::account::Me;

use crate::ui::kit::Submission;
use crate::ui::language::tr;
use crate::ui::routes::StaffPage;
use leptos::prelude::*;
use leptos::task::spawn_local;
use leptos_router::hooks::{use_navigate, use_query_map};
use leptos_router::location::Url;
use leptos_router::NavigateOptions;

/// The sign-in page's address, coming back to `next` afterwards.
pub fn login_href(next: &str) -> String {
    match safe_next(Some(next)) {
        Some(next) if next != StaffPage::Orders.href() => {
            format!("/login?next={}", Url::escape(&next))
        }
        _ => "/login".to_string(),
    }
}

/// `next` if it is a path on this site (not another origin, not the sign-in
/// page itself, so a redirect can never leave the site or loop).
fn safe_next(next: Option<&str>) -> Option<String> {
    let next = next?.trim();
    let on_this_site = next.starts_with('/')
        && !next.starts_with("//")
        && !next.contains('\\')
        && !next.chars().any(char::is_control);
    let is_login = next == "/login" || next.starts_with("/login?") || next.starts_with("/login/");
    (on_this_site && !is_login).then(|| next.to_string())
}

/// The sign-in page.
#[component]
pub fn LoginPage() -> impl IntoView {
    let i18n = use_i18n();
    crate::ui::kit::use_page_title(move || t_string!(i18n, auth.sign_in.title).to_string());
    let auth = Auth::current();
    let query = use_query_map();
    let next = Memo::new(move |_| {
        query
            .with(|q| safe_next(q.get_str("next")))
            // Where the app goes when no (usable) `next` is given.
            .unwrap_or_else(|| StaffPage::Orders.href())
    });
    let known = Memo::new(move |_| auth.known());

    view! {
        <section class="login-page">
            <Show when=move || auth.demo()>
                <DemoBanner/>
            </Show>
            <div class="login-card">
                {move || match known.get() {
                    Known::Checking => view! { <CheckingSignIn/> }.into_any(),
                    Known::Failed(error) => view! { <SignInUnknown error/> }.into_any(),
                    Known::SignedOut => view! { <LoginForm next/> }.into_any(),
                    Known::SignedIn(me) => view! { <AlreadySignedIn me next/> }.into_any(),
                }}
            </div>
        </section>
    }
}

/// Says that this is a demo server and where its accounts' passwords are.
#[component]
fn DemoBanner() -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <div class="demo-banner" role="note" data-testid="demo-banner">
            <strong>{tr(i18n, |l| td_string!(l, auth.demo.lead))}</strong>
            {tr(i18n, |l| td_string!(l, auth.demo.body))}
        </div>
    }
}

/// Username, password, "Sign in".
#[component]
fn LoginForm(next: Memo<String>) -> impl IntoView {
    let i18n = use_i18n();
    let auth = Auth::current();
    let navigate = use_navigate();
    let username = RwSignal::new(String::new());
    let password = RwSignal::new(String::new());
    // The refusal is kept as it came, so it reads in whichever language is chosen.
    let form = Submission::<ApiError>::default();
    let Submission {
        busy: sending,
        outcome: error,
    } = form;

    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        if !form.begin() {
            return;
        }
        let (user, pass) = (username.get_untracked(), password.get_untracked());
        let navigate = navigate.clone();
        spawn_local(async move {
            match login(user, pass).await {
                Ok(me) => {
                    // Ask again, so the app knows exactly what the server now
                    // knows; the answer to the sign-in itself will do if that fails.
                    if auth.reload().await.is_err() {
                        auth.signed_in(me);
                    }
                    let next = next.get_untracked();
                    navigate(
                        &next,
                        NavigateOptions {
                            replace: true,
                            ..Default::default()
                        },
                    );
                }
                Err(e) => {
                    password.try_set(String::new());
                    error.try_set(Some(e));
                    sending.try_set(false);
                }
            }
        });
    };

    view! {
        <h1>{tr(i18n, |l| td_string!(l, auth.sign_in.title))}</h1>
        <form class="login-form" on:submit=submit data-testid="login-form">
            <label for="login-username">{tr(i18n, |l| td_string!(l, auth.sign_in.username))}</label>
            <input
                id="login-username"
                name="username"
                type="text"
                autocomplete="username"
                autocapitalize="none"
                spellcheck="false"
                required
                autofocus
                prop:value=move || username.get()
                on:input:target=move |ev| username.set(ev.target().value())
            />
            <label for="login-password">{tr(i18n, |l| td_string!(l, auth.sign_in.password))}</label>
            <input
                id="login-password"
                name="password"
                type="password"
                autocomplete="current-password"
                required
                aria-describedby="login-error"
                aria-invalid=move || error.read().is_some().to_string()
                prop:value=move || password.get()
                on:input:target=move |ev| password.set(ev.target().value())
            />
            <button type="submit" disabled=move || sending.get()>
                {tr(i18n, |l| td_string!(l, auth.sign_in.submit))}
            </button>
            <p id="login-error" class="form-error" role="alert" data-testid="login-error">
                {move || error.get().map(|e| sign_in_problem(i18n.get_locale(), &e))}
            </p>
        </form>
    }
}

/// What the server's refusal means for the person signing in.
fn sign_in_problem(locale: Locale, error: &ApiError) -> String {
    match error {
        ApiError::TooManyAttempts { retry_after_secs } => td_string!(
            locale,
            auth.sign_in.too_many,
            wait = wait_words(locale, *retry_after_secs)
        )
        .to_string(),
        ApiError::Unauthenticated | ApiError::SignInRefused(_) => {
            td_string!(locale, auth.sign_in.wrong).to_string()
        }
        other => td_string!(
            locale,
            auth.sign_in.failed,
            reason = words::api_error(locale, other)
        )
        .to_string(),
    }
}

/// The visitor is already signed in: who they are, and the way on.
#[component]
fn AlreadySignedIn(me: Me, next: Memo<String>) -> impl IntoView {
    let i18n = use_i18n();
    let roles = me.roles.clone();
    view! {
        <h1>{tr(i18n, |l| td_string!(l, auth.signed_in.title))}</h1>
        <p data-testid="signed-in-as">
            {tr(i18n, |l| td_string!(l, auth.signed_in.signed_in_as))} " " <strong>{me.display_name.clone()}</strong> " (" {me.username.clone()}
            " · " {move || words::roles(i18n.get_locale(), &roles)} ")"
        </p>
        <p class="login-onward">
            <a href=move || next.get()>{tr(i18n, |l| td_string!(l, auth.signed_in.go_on))}</a>
        </p>
        <p class="login-switch">
            {tr(i18n, |l| td_string!(l, auth.signed_in.not_you))} <SignOutButton/>
        </p>
    }
}

/// `1 second`, `40 seconds`, `about 15 minutes` (`1 秒`, `40 秒`, `约 15 分钟`).
fn wait_words(locale: Locale, secs: u64) -> String {
    match secs {
        0 | 1 => td_string!(locale, auth.sign_in.wait_second).to_string(),
        2..=90 => td_string!(locale, auth.sign_in.wait_seconds, n = secs).to_string(),
        _ => td_string!(locale, auth.sign_in.wait_minutes, n = secs.div_ceil(60)).to_string(),
    }
}
