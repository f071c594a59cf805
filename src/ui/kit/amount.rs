//! An amount of money, or "Withheld" when the viewer's role does not see money
//! (the server then sends every amount as zero, which must never read as ¥0.00).

use crate::model::Money;
use leptos::prelude::*;

/// What a withheld amount says on hover.
pub const WITHHELD_TITLE: &str = "not visible to your role";

/// The amount, or "Withheld" when `shown` is false.
#[component]
pub fn Amount(
    #[prop(into)] money: Signal<Money>,
    /// The viewer's lens shows money.
    #[prop(into)]
    shown: Signal<bool>,
) -> impl IntoView {
    move || {
        if shown.get() {
            money.get().to_string().into_any()
        } else {
            view! { <Withheld/> }.into_any()
        }
    }
}

/// The word that stands in for an amount the viewer may not see.
#[component]
pub fn Withheld() -> impl IntoView {
    view! {
        <span class="withheld" title=WITHHELD_TITLE data-withheld="true">
            "Withheld"
        </span>
    }
}
