//! An amount of money as the viewer's lens shows it: the figure, or "Withheld"
//! when their role does not see money (the amount is then absent, never zero).

use crate::model::{Seen, SeenMoney};
use leptos::prelude::*;

/// What a withheld amount says on hover.
pub const WITHHELD_TITLE: &str = "not visible to your role";

/// The amount, or "Withheld" when the lens withheld it.
#[component]
pub fn Amount(#[prop(into)] money: Signal<SeenMoney>) -> impl IntoView {
    move || match money.get() {
        Seen::Shown(m) => m.to_string().into_any(),
        Seen::Withheld => view! { <Withheld/> }.into_any(),
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
