//! What an `<ErrorBoundary>` shows instead of a blank screen: the errors the
//! server sent, in the reader's language, read out to assistive technology as
//! an alert.

use crate::api::ApiError;
use crate::i18n::*;
use leptos::prelude::*;

/// The messages of the errors an `<ErrorBoundary>` caught.
#[component]
pub fn ErrorNotice(
    errors: ArcRwSignal<Errors>,
    /// What could not be done, e.g. "The order could not be loaded".
    title: &'static str,
) -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <div class="error-notice" role="alert" data-testid="error">
            <h2>{title}</h2>
            <ul>
                {move || {
                    let locale = i18n.get_locale();
                    errors
                        .get()
                        .into_iter()
                        .map(|(_, e)| view! { <li>{in_words(locale, &e)}</li> })
                        .collect_view()
                }}
            </ul>
        </div>
    }
}

/// A server's error in words; any other error as it describes itself.
fn in_words(locale: Locale, error: &leptos::error::Error) -> String {
    match error.downcast_ref::<ApiError>() {
        Some(e) => words::api_error(locale, e),
        None => error.to_string(),
    }
}
