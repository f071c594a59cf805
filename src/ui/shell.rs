//! The app shell: product name, the navigation the signed-in person may use,
//! whether the current page is live, catching up, reconnecting or paused (the
//! state of the page's one shared stream, see [`crate::ui::live`]), who is
//! signed in and "Sign out". The sign-in page gets the frame without any of
//! the staff parts.

use crate::i18n::*;
use crate::model::access::account::Me;
use crate::ui::auth::{Auth, SignOutButton};
use crate::ui::language::tr;
use crate::ui::language::LanguageSwitch;
use crate::ui::live::{LinkState, LiveLink};
use crate::ui::mentions::{provide_mentions, MentionsCount};
use crate::ui::routes::StaffPage;
use leptos::prelude::*;
use leptos_router::components::A;
use leptos_router::hooks::use_location;
use wasm_bindgen::JsCast;

/// Frame around every screen.
#[component]
pub fn Shell(children: Children) -> impl IntoView {
    let auth = Auth::current();
    let pathname = use_location().pathname;
    // The signed-in person, except on the sign-in page (which shows no staff parts).
    let staff = Memo::new(move |_| {
        if pathname.get() == "/login" {
            None
        } else {
            auth.me()
        }
    });
    let i18n = use_i18n();
    provide_mentions();
    view! {
        <a class="skip-link" href="#main" on:click=skip_to_main>{tr(i18n, |l| td_string!(l, common.skip_to_content))}</a>
        <header class="shell-header">
            <a class="product" href=StaffPage::Orders.href()>
                <img src="/favicon.svg" alt="" width="24" height="24"/>
                <span>{tr(i18n, |l| td_string!(l, common.product))}</span>
            </a>
            <ShowLet some=move || staff.get() let:me>
                <MainNav me/>
            </ShowLet>
            <div class="shell-end">
                <LiveIndicator/>
                <LanguageSwitch/>
                <ShowLet some=move || staff.get() let:me>
                    <CurrentUser me/>
                    <SignOutButton/>
                </ShowLet>
            </div>
        </header>
        <main id="main" tabindex="-1">
            {children()}
        </main>
    }
}

/// The skip link moves focus to the content itself (the router would take
/// `#main` for a navigation).
fn skip_to_main(ev: leptos::ev::MouseEvent) {
    ev.prevent_default();
    if let Some(main) = document().get_element_by_id("main") {
        if let Ok(main) = main.dyn_into::<web_sys::HtmlElement>() {
            let _ = main.focus();
        }
    }
}

/// Links to the screens `me` may use.
#[component]
fn MainNav(me: Me) -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <nav aria-label=tr(i18n, |l| td_string!(l, common.main_nav))>
            <ul>
                {StaffPage::nav()
                    .filter(|page| me.may(page.permission()))
                    .map(|page| {
                        let count = (page == StaffPage::Mentions)
                            .then(|| view! { <MentionsCount me=me.clone()/> });
                        view! {
                            <li>
                                <A href=page.href()>{move || page.nav_label(i18n.get_locale())}</A>
                                {count}
                            </li>
                        }
                    })
                    .collect_view()}
            </ul>
        </nav>
    }
}

/// The signed-in person's name and roles.
#[component]
fn CurrentUser(me: Me) -> impl IntoView {
    let i18n = use_i18n();
    let username = me.username.clone();
    let roles = me.roles.clone();
    view! {
        <p
            class="current-user"
            data-testid="current-user"
            title=move || td_string!(i18n.get_locale(), common.signed_in_as, username = username.clone())
        >
            <span class="current-user-name">{me.display_name.clone()}</span>
            <span class="visually-hidden">", "</span>
            <span class="current-user-roles">{move || words::roles(i18n.get_locale(), &roles)}</span>
        </p>
    }
}

/// "Live" / "Catching up…" / "Reconnecting…" / "Paused" for the current page's
/// stream, in words with an icon (never colour alone). A status region, so changes are announced
/// without stealing focus. Pages without a live stream (admin pages) show none.
#[component]
fn LiveIndicator() -> impl IntoView {
    let i18n = use_i18n();
    let state = LiveLink::current().shown();
    view! {
        <Show when=move || state.get() != LinkState::Idle>
            <p
                class=move || format!("live-indicator live-{}", state.get().as_str())
                role="status"
                data-testid="live-indicator"
                data-state=move || state.get().as_str()
            >
                <span class="live-dot" aria-hidden="true"></span>
                <span class="live-label">{move || state.get().label(i18n.get_locale())}</span>
            </p>
        </Show>
    }
}
