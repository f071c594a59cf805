//! "5 分钟前" / "5 minutes ago": how long ago an instant was, against a clock
//! that ticks every 30 seconds while the calling component lives.

use crate::i18n::use_i18n;
use crate::ui::kit::format::relative;
use chrono::{DateTime, Utc};
use leptos::logging::warn;
use leptos::prelude::*;
use std::time::Duration;

/// How often relative times are brought up to date.
const TICK: Duration = Duration::from_secs(30);

/// The current time, updated every [`TICK`] until the calling component is
/// cleaned up. One clock serves every relative time in a view.
pub fn ticking_now() -> Signal<DateTime<Utc>> {
    let now = RwSignal::new(Utc::now());
    match set_interval_with_handle(move || now.set(Utc::now()), TICK) {
        Ok(handle) => on_cleanup(move || handle.clear()),
        Err(e) => warn!("could not start the clock for relative times: {e:?}"),
    }
    now.into()
}

/// How long before `now` the instant `at` was, in the reader's language.
#[component]
pub fn RelativeTime(at: DateTime<Utc>, now: Signal<DateTime<Utc>>) -> impl IntoView {
    let i18n = use_i18n();
    view! { <span class="relative-time">{move || relative(i18n.get_locale(), at, now.get())}</span> }
}
