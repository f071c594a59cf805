//! The canonical status as a badge: the words are always shown; the tone (a CSS
//! class, with an icon and weight in the stylesheet) only adds emphasis.

use crate::i18n::{use_i18n, words};
use crate::model::Status;
use leptos::prelude::*;

/// A status badge. `status` may change (the order page patches it live).
#[component]
pub fn StatusBadge(
    #[prop(into)] status: Signal<Status>,
    /// Test id for the element, when a page needs to find this particular badge.
    #[prop(optional)]
    testid: Option<&'static str>,
) -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <span
            class=move || format!("status-badge tone-{}", status.get().tone())
            data-status=move || status.get().as_str()
            data-testid=testid
        >
            {move || words::status(i18n.get_locale(), status.get())}
        </span>
    }
}
