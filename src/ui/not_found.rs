//! The page for an address the app does not know.

use leptos::prelude::*;
use leptos_router::hooks::use_location;

/// A real "Not found" page with a way back, instead of a blank screen.
#[component]
pub fn NotFound() -> impl IntoView {
    crate::ui::components::use_page_title(|| "Page not found".into());
    let path = use_location().pathname;
    view! {
        <section class="not-found" data-testid="not-found">
            <h1>"Page not found"</h1>
            <p>"There is no page at " <code>{move || path.get()}</code> "."</p>
            <p>
                <a href="/orders">"Go to the order list"</a>
            </p>
        </section>
    }
}
