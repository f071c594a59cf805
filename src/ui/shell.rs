//! The app shell: product name, main navigation, and whether the current page is
//! live (the state of the page's own stream, see [`crate::ui::live`]).

use crate::ui::live::LiveLink;
use leptos::prelude::*;
use leptos_router::components::A;

/// Frame around every screen.
#[component]
pub fn Shell(children: Children) -> impl IntoView {
    view! {
        <a class="skip-link" href="#main">"Skip to content"</a>
        <header class="shell-header">
            <a class="product" href="/orders">
                <img src="/favicon.svg" alt="" width="24" height="24"/>
                <span>"Order Control Room"</span>
            </a>
            <nav aria-label="Main">
                <ul>
                    <li>
                        <A href="/orders">"Orders"</A>
                    </li>
                </ul>
            </nav>
            <LiveIndicator/>
        </header>
        <main id="main" tabindex="-1">
            {children()}
        </main>
    }
}

/// "Live" / "Reconnecting…" for the current page's stream ("Not live" when the
/// page has none). A status region, so changes are announced without stealing focus.
#[component]
fn LiveIndicator() -> impl IntoView {
    let state = use_context::<LiveLink>()
        .map(LiveLink::state)
        .unwrap_or_else(|| Signal::stored(crate::ui::live::LinkState::Idle));
    view! {
        <p
            class=move || format!("live-indicator live-{}", state.get().as_str())
            role="status"
            data-testid="live-indicator"
            data-state=move || state.get().as_str()
        >
            <span class="live-dot" aria-hidden="true"></span>
            {move || state.get().label()}
        </p>
    }
}
