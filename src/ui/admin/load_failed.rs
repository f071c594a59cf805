//! What an admin page shows when its list could not be loaded: the kit's
//! [`ErrorNotice`] with a title in the reader's language, drawn again when the
//! language changes.

use crate::i18n::*;
use crate::ui::kit::ErrorNotice;
use leptos::prelude::*;

/// The errors an `<ErrorBoundary>` caught, under `title` in the current language.
#[component]
pub fn LoadFailed(
    errors: ArcRwSignal<Errors>,
    /// What could not be loaded, e.g. `|l| td_string!(l, admin.users.load_failed)`.
    title: fn(Locale) -> &'static str,
) -> impl IntoView {
    let i18n = use_i18n();
    move || {
        let title = title(i18n.get_locale());
        view! { <ErrorNotice errors=errors.clone() title/> }
    }
}
