//! A `<time>` element showing an instant in the viewer's time zone and
//! language, with UTC on hover.

use crate::i18n::use_i18n;
use crate::ui::kit::format::{local_time, machine_time, utc_time};
use chrono::{DateTime, Utc};
use leptos::prelude::*;

/// An instant in local time; the UTC value is in the `datetime` attribute and tooltip.
#[component]
pub fn LocalTime(at: DateTime<Utc>) -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <time datetime=machine_time(at) title=utc_time(at)>
            {move || local_time(i18n.get_locale(), at)}
        </time>
    }
}
