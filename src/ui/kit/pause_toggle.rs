//! "Pause live updates" for a live view (WCAG 2.2.2): a toggle button and,
//! while paused, how many new items are waiting. [`PauseToggle`] pauses the
//! staff page's one shared stream (every live widget on the page pauses with
//! it; the stream stays open, so resuming shows every held event, in order);
//! [`PauseButton`] is the same control for a view that holds its own updates
//! (the customer's tracking page). Words in the reader's language.

use crate::i18n::*;
use crate::ui::kit::format::number;
use crate::ui::live::LiveLink;
use leptos::prelude::*;

/// What a paused view holds, for the count's words ("3 new events").
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Held {
    /// Log events (staff pages).
    Events,
    /// Customer updates (the tracking page).
    Updates,
}

impl Held {
    /// `3 new events`, `1 new update`, `3 条新事件`.
    fn words(self, locale: Locale, n: usize) -> String {
        let count = number(locale, n as u64);
        match (self, n == 1) {
            (Held::Events, true) => {
                td_string!(locale, orders.kit.pause.held_events_single, count = count).to_string()
            }
            (Held::Events, false) => {
                td_string!(locale, orders.kit.pause.held_events_plural, count = count).to_string()
            }
            (Held::Updates, true) => {
                td_string!(locale, orders.kit.pause.held_updates_single, count = count).to_string()
            }
            (Held::Updates, false) => {
                td_string!(locale, orders.kit.pause.held_updates_plural, count = count).to_string()
            }
        }
    }
}

/// The pause/resume toggle and the held-event count of the page's live stream.
#[component]
pub fn PauseToggle() -> impl IntoView {
    let link = LiveLink::current();
    view! {
        <PauseButton
            paused=link.paused()
            held=link.held()
            on_toggle=Callback::new(move |()| link.toggle_pause())
            noun=Held::Events
        />
    }
}

/// A pause/resume toggle with the count of what is held while paused.
#[component]
pub fn PauseButton(
    /// Whether updates are paused.
    paused: Signal<bool>,
    /// How many new items are held while paused.
    held: Signal<usize>,
    /// Called on a press.
    on_toggle: Callback<()>,
    /// What is held (events, updates).
    noun: Held,
) -> impl IntoView {
    let i18n = use_i18n();
    let waiting = move || paused.get() && held.get() != 0;
    view! {
        <div class="pause-toggle">
            <button
                type="button"
                class="secondary"
                aria-pressed=move || paused.get().to_string()
                data-testid="pause-live"
                on:click=move |_| on_toggle.run(())
            >
                <span class="pause-icon" aria-hidden="true">
                    {move || if paused.get() { "▶" } else { "❚❚" }}
                </span>
                {move || {
                    if paused.get() {
                        t_string!(i18n, orders.kit.pause.resume)
                    } else {
                        t_string!(i18n, orders.kit.pause.pause)
                    }
                }}
            </button>
            <Show when=waiting>
                <p class="held-events" data-testid="held-events">
                    {move || noun.words(i18n.get_locale(), held.get())}
                </p>
            </Show>
        </div>
    }
}
