//! The customer's updates, newest first: when each happened (in the viewer's
//! time zone) and what, in words. New ones are announced politely.

use crate::model::views::tracking::TrackingView;
use crate::ui::kit::LocalTime;
use leptos::prelude::*;

/// The order's updates, newest first.
#[component]
pub fn CustomerTimeline(order: RwSignal<TrackingView>) -> impl IntoView {
    view! {
        <ol
            class="tracking-timeline"
            role="log"
            aria-live="polite"
            aria-labelledby="tracking-updates-heading"
            data-testid="tracking-timeline"
        >
            <For
                each=move || order.with(|o| o.timeline.iter().rev().cloned().collect::<Vec<_>>())
                key=|step| step.number
                let:step
            >
                <li class="tracking-step" data-testid="tracking-step">
                    <LocalTime at=step.at/>
                    <span class="tracking-step-text">{let (i18n, kind) = (crate::i18n::use_i18n(), step.step.clone()); move || crate::i18n::words::step(i18n.get_locale(), &kind)}</span>
                </li>
            </For>
        </ol>
    }
}
