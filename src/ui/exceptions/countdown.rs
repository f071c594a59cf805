//! The clock to an exception's deadline, in words: `还剩 12 分钟` /
//! `12 min left`, and past it `已超时 5 分钟` / `Overdue by 5 min` (marked in
//! words, with a class for colour as well). One clock ticking each second
//! serves every row of a page.

use crate::i18n::*;
use crate::model::views::exception_queue::Countdown;
use chrono::{DateTime, Utc};
use leptos::logging::warn;
use leptos::prelude::*;
use std::time::Duration;

/// The current time, updated every second while the calling component lives.
pub fn ticking_second() -> Signal<DateTime<Utc>> {
    let now = RwSignal::new(Utc::now());
    match set_interval_with_handle(move || now.set(Utc::now()), Duration::from_secs(1)) {
        Ok(handle) => on_cleanup(move || handle.clear()),
        Err(e) => warn!("could not start the countdown clock: {e:?}"),
    }
    now.into()
}

/// A span of seconds as the queue says it: `1 小时 5 分钟`, `12 分钟`, `40 秒`.
fn span(locale: Locale, secs: i64) -> String {
    let (h, m) = (secs / 3600, secs % 3600 / 60);
    if h > 0 {
        td_string!(locale, desk.queue.hm, h = h, m = m).to_string()
    } else if m > 0 {
        td_string!(locale, desk.queue.m, m = m).to_string()
    } else {
        td_string!(locale, desk.queue.s, s = secs).to_string()
    }
}

/// The countdown to `due`.
#[component]
pub fn DueIn(due: DateTime<Utc>, now: Signal<DateTime<Utc>>) -> impl IntoView {
    let i18n = use_i18n();
    let left = move || Countdown::to(due, now.get());
    view! {
        <span
            class=move || match left() {
                Countdown::Left(_) => "due",
                Countdown::Overdue(_) => "due overdue",
            }
            data-testid="countdown"
        >
            {move || {
                let locale = i18n.get_locale();
                match left() {
                    Countdown::Left(s) => {
                        td_string!(locale, desk.queue.left, span = span(locale, s)).to_string()
                    }
                    Countdown::Overdue(s) => {
                        td_string!(locale, desk.queue.overdue, span = span(locale, s)).to_string()
                    }
                }
            }}
        </span>
    }
}
