//! What an `<ErrorBoundary>` shows instead of a blank screen: the error messages
//! the server sent, read out to assistive technology as an alert.

use leptos::prelude::*;

/// The messages of the errors an `<ErrorBoundary>` caught.
#[component]
pub fn ErrorNotice(
    errors: ArcRwSignal<Errors>,
    /// What could not be done, e.g. "The order could not be loaded".
    title: &'static str,
) -> impl IntoView {
    view! {
        <div class="error-notice" role="alert" data-testid="error">
            <h2>{title}</h2>
            <ul>
                {move || {
                    errors
                        .get()
                        .into_iter()
                        .map(|(_, e)| view! { <li>{e.to_string()}</li> })
                        .collect_view()
                }}
            </ul>
        </div>
    }
}
