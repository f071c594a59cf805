//! The browser tab's title: what the page is, then the product, so a row of
//! tabs (and a screen reader announcing a page change) says which is which.

use leptos::prelude::*;

/// The product's name, last in every title.
pub const PRODUCT: &str = "Order Control Room";

/// The title of a page named `page`.
pub fn title_of(page: &str) -> String {
    format!("{page} · {PRODUCT}")
}

/// Keeps the tab's title on `page` while the calling page is shown (it
/// follows `page` when that reads signals, e.g. the order's id).
pub fn use_page_title(page: impl Fn() -> String + 'static) {
    Effect::new(move |_| document().set_title(&title_of(&page())));
}
