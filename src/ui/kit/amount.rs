//! An amount of money as the viewer's lens shows it: the figure in their
//! language (`¥1,299.00` / `CNY 1,299.00`), or "Withheld" when their role does
//! not see money (the amount is then absent, never zero).

use crate::i18n::*;
use crate::model::{Seen, SeenMoney};
use crate::ui::kit::format::money as money_words;
use crate::ui::language::tr;
use leptos::prelude::*;

/// The amount, or "Withheld" when the lens withheld it.
#[component]
pub fn Amount(#[prop(into)] money: Signal<SeenMoney>) -> impl IntoView {
    let i18n = use_i18n();
    move || match money.get() {
        Seen::Shown(m) => money_words(i18n.get_locale(), &m).into_any(),
        Seen::Withheld => view! { <Withheld/> }.into_any(),
    }
}

/// The word that stands in for an amount the viewer may not see.
#[component]
pub fn Withheld() -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <span class="withheld" title=tr(i18n, |l| td_string!(l, common.withheld.title)) data-withheld="true">
            {tr(i18n, |l| td_string!(l, common.withheld.word))}
        </span>
    }
}
