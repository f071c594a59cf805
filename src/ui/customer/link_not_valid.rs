//! What the customer reads when a link does not open (unknown, expired or
//! revoked: the page does not know which, and does not guess), in the
//! reader's language.

use crate::i18n::*;
use crate::ui::language::tr;
use leptos::prelude::*;

/// The "link is no longer valid" notice.
#[component]
pub fn LinkNotValid() -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <section class="tracking-not-valid" role="alert" data-testid="tracking-not-valid">
            <h1>{tr(i18n, |l| td_string!(l, customer.not_valid.heading))}</h1>
            <p>{tr(i18n, |l| td_string!(l, customer.not_valid.body))}</p>
        </section>
    }
}
