//! "Pause live updates" for a live view (WCAG 2.2.2): a toggle button and,
//! while paused, how many new items are waiting. [`PauseToggle`] pauses the
//! staff page's one shared stream (every live widget on the page pauses with
//! it; the stream stays open, so resuming shows every held event, in order);
//! [`PauseButton`] is the same control for a view that holds its own updates
//! (the customer's tracking page).

use crate::ui::live::LiveLink;
use leptos::prelude::*;

/// The pause/resume toggle and the held-event count of the page's live stream.
#[component]
pub fn PauseToggle() -> impl IntoView {
    let link = LiveLink::current();
    view! {
        <PauseButton
            paused=link.paused()
            held=link.held()
            on_toggle=Callback::new(move |()| link.toggle_pause())
            noun=("event", "events")
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
    /// What is held, singular and plural ("event", "events").
    noun: (&'static str, &'static str),
) -> impl IntoView {
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
                {move || if paused.get() { "Resume live updates" } else { "Pause live updates" }}
            </button>
            <Show when=waiting>
                <p class="held-events" data-testid="held-events">
                    {move || {
                        let n = held.get();
                        format!("{n} new {}", if n == 1 { noun.0 } else { noun.1 })
                    }}
                </p>
            </Show>
        </div>
    }
}
