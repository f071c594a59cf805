//! The page for an address the app does not know.

use crate::ui::routes::StaffPage;
use leptos::prelude::*;
use leptos_router::hooks::use_location;

/// A real "Not found" page with a way back, instead of a blank screen.
#[component]
pub fn NotFound() -> impl IntoView {
    crate::ui::kit::use_page_title(|| "Page not found".into());
    let path = use_location().pathname;
    view! {
        <section class="not-found" data-testid="not-found">
            <h1>"Page not found"</h1>
            <p>"There is no page at " <code>{move || path.get()}</code> "."</p>
            <p>
                <a href=StaffPage::Orders.href()>"Go to the order list"</a>
            </p>
        </section>
    }
}
