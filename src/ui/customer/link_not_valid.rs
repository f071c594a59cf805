//! What the customer reads when a link does not open (unknown, expired or
//! revoked: the page does not know which, and does not guess).

use leptos::prelude::*;

/// The "link is no longer valid" notice.
#[component]
pub fn LinkNotValid() -> impl IntoView {
    view! {
        <section class="tracking-not-valid" role="alert" data-testid="tracking-not-valid">
            <h1>"This tracking link is no longer valid"</h1>
            <p>
                "It may have expired or been withdrawn. Please ask customer service for a new link to follow your order."
            </p>
        </section>
    }
}
