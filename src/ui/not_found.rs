//! The page for an address the app does not know.

use crate::i18n::*;
use crate::ui::language::tr;
use crate::ui::routes::StaffPage;
use leptos::prelude::*;
use leptos_router::hooks::use_location;

/// A real "Not found" page with a way back, instead of a blank screen.
#[component]
pub fn NotFound() -> impl IntoView {
    let i18n = use_i18n();
    crate::ui::kit::use_page_title(move || t_string!(i18n, auth.not_found.title).to_string());
    let path = use_location().pathname;
    view! {
        <section class="not-found" data-testid="not-found">
            <h1>{tr(i18n, |l| td_string!(l, auth.not_found.title))}</h1>
            <p>
                {tr(i18n, |l| td_string!(l, auth.not_found.no_page))} <code>{move || path.get()}</code>
                {tr(i18n, |l| td_string!(l, auth.not_found.end))}
            </p>
            <p>
                <a href=StaffPage::Orders.href()>{tr(i18n, |l| td_string!(l, auth.not_found.to_orders))}</a>
            </p>
        </section>
    }
}
