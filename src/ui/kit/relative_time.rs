//! "2 min ago": how long ago an instant was, against a clock that ticks every
//! 30 seconds while the calling component lives.

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

/// How long before `now` the instant `at` was, as `at` reads to a person.
#[component]
pub fn RelativeTime(at: DateTime<Utc>, now: Signal<DateTime<Utc>>) -> impl IntoView {
    view! { <span class="relative-time">{move || relative(at, now.get())}</span> }
}

/// `just now`, `5 min ago`, `3 h ago`, `2 days ago` (or `in 2 min` for a clock
/// slightly ahead of ours).
pub fn relative(at: DateTime<Utc>, now: DateTime<Utc>) -> String {
    let seconds = (now - at).num_seconds();
    let (ahead, seconds) = (seconds < 0, seconds.unsigned_abs());
    let amount = match seconds {
        0..60 => return "just now".to_string(),
        60..3_600 => format!("{} min", seconds / 60),
        3_600..86_400 => format!("{} h", seconds / 3_600),
        _ => {
            let days = seconds / 86_400;
            format!("{days} {}", if days == 1 { "day" } else { "days" })
        }
    };
    if ahead {
        format!("in {amount}")
    } else {
        format!("{amount} ago")
    }
}
