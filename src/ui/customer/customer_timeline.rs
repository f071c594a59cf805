//! The customer's updates, newest first: when each happened (in the viewer's
//! time zone) and what, in words. New ones are announced politely.

use crate::i18n::*;
use crate::model::views::tracking::TrackingView;
use crate::ui::kit::LocalTime;
use leptos::prelude::*;

/// The order's updates, newest first. The log region wraps the list, so the
/// list keeps its list semantics.
#[component]
pub fn CustomerTimeline(order: RwSignal<TrackingView>) -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <div role="log" aria-live="polite" aria-labelledby="tracking-updates-heading">
            <ol class="tracking-timeline" data-testid="tracking-timeline">
                <For
                    each=move || order.with(|o| o.timeline.iter().rev().cloned().collect::<Vec<_>>())
                    key=|step| step.number
                    let:step
                >
                    <li class="tracking-step" data-testid="tracking-step">
                        <LocalTime at=step.at/>
                        <span class="tracking-step-text">
                            {let kind = step.step.clone(); move || words::step(i18n.get_locale(), &kind)}
                        </span>
                    </li>
                </For>
            </ol>
        </div>
    }
}
