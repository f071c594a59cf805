//! The browser tab's title: what the page is, then the product, so a row of
//! tabs (and a screen reader announcing a page change) says which is which.
//! Both parts are in the reader's language and follow a language switch.

use crate::i18n::*;
use leptos::prelude::*;

/// The title of a page named `page`, in `locale`: `Orders · Order Control Room`.
pub fn title_of(locale: Locale, page: &str) -> String {
    td_string!(
        locale,
        orders.kit.title,
        page = page,
        product = td_string!(locale, common.product)
    )
    .to_string()
}

/// Keeps the tab's title on `page` while the calling page is shown (it
/// follows `page` when that reads signals, e.g. the order's id or the
/// language through `t_string!`), and the product's name in the language.
pub fn use_page_title(page: impl Fn() -> String + 'static) {
    let i18n = use_i18n();
    Effect::new(move |_| document().set_title(&title_of(i18n.get_locale(), &page())));
}
