//! "Pause live updates" for a live view (WCAG 2.2.2): a toggle button for the
//! page's one shared stream (every live widget on the page pauses with it)
//! and, while paused, how many distinct new events are waiting. The stream
//! stays open while paused, so resuming shows every held event, in order.

use crate::ui::live::LiveLink;
use leptos::prelude::*;

/// The pause/resume toggle and the held-event count of the page's live stream.
#[component]
pub fn PauseToggle() -> impl IntoView {
    let link = LiveLink::current();
    let paused = link.paused();
    let held = link.held();
    let waiting = move || paused.get() && held.get() != 0;
    view! {
        <div class="pause-toggle">
            <button
                type="button"
                class="secondary"
                aria-pressed=move || paused.get().to_string()
                data-testid="pause-live"
                on:click=move |_| link.toggle_pause()
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
                        format!("{n} new {}", if n == 1 { "event" } else { "events" })
                    }}
                </p>
            </Show>
        </div>
    }
}
