//! One order as its customer sees it, kept current: the header (order number,
//! status in words, where it goes, masked), what was ordered with the parcel
//! and progress of each item, the parcels, and the updates.
//!
//! After the view is loaded the page follows `/api/track/<token>/stream` from
//! the view's last step. Each step is added to the updates at once; the
//! rest of the view (statuses, parcels) is loaded again shortly after, once
//! per burst of steps, so it is exactly what the server derives. If the link
//! stops opening while the page is open (revoked or expired), the page says so.
//!
//! "Pause live updates" (WCAG 2.2.2) freezes the page: steps keep arriving
//! but are held and counted ("N new updates"); resuming adds them, in order,
//! and loads the view again.
//!
//! Words in the reader's language; where the order goes in the language's
//! order (`浙江 杭州` in Chinese, `杭州, 浙江` in English).

use super::customer_timeline::CustomerTimeline;
use super::link_not_valid::LinkNotValid;
use super::order_contents::{ItemsTable, ParcelsTable};
use super::step_stream::{follow_steps, StreamState};
use super::view_request::{load_view, ViewError};
use crate::i18n::*;
use crate::model::views::tracking::{CustomerStep, TrackingView};
use crate::ui::kit::{Held, LocalTime, PauseButton};
use crate::ui::language::tr;
use leptos::prelude::*;
use leptos::task::spawn_local;
use std::time::Duration;

/// How long after a step the rest of the view is loaded again (steps that
/// arrive meanwhile share the reload).
const RELOAD_AFTER: Duration = Duration::from_millis(300);

/// A loaded order, updated live while the link opens.
#[component]
pub fn TrackedOrder(order: TrackingView, token: String) -> impl IntoView {
    let i18n = use_i18n();
    let after = order.last_step;
    let order = RwSignal::new(order);
    let withdrawn = RwSignal::new(false);
    let live = RwSignal::new(StreamState::Connecting);
    let token = StoredValue::new(token);
    let reload_pending = StoredValue::new(false);
    let paused = RwSignal::new(false);
    let held = RwSignal::new(Vec::<CustomerStep>::new());

    // Loads the view again (not counted as an open); keeps steps newer than it.
    let reload = move || {
        if paused.get_untracked() {
            // Loaded again on resume.
            reload_pending.set_value(false);
            return;
        }
        spawn_local(async move {
            let fresh = load_view(&token.get_value(), true).await;
            reload_pending.try_set_value(false);
            match fresh {
                Ok(fresh) => {
                    order.try_update(|current| merge(current, fresh));
                }
                Err(ViewError::NotValid) => {
                    withdrawn.try_set(true);
                }
                Err(e) => leptos::logging::warn!("the tracking view was not loaded again: {e}"),
            }
        });
    };
    let show_step = move |step: CustomerStep| {
        order.update(|o| add_step(o, step));
        if reload_pending.get_value() {
            return;
        }
        reload_pending.set_value(true);
        set_timeout(reload, RELOAD_AFTER);
    };
    let on_step = move |step: CustomerStep| {
        if paused.get_untracked() {
            held.update(|h| h.push(step));
        } else {
            show_step(step);
        }
    };
    let toggle = Callback::new(move |()| {
        let resume = paused.get_untracked();
        paused.set(!resume);
        if resume {
            for step in held.try_update(std::mem::take).unwrap_or_default() {
                show_step(step);
            }
            reload();
        }
    });
    let held_count = Signal::derive(move || held.with(Vec::len));

    view! {
        <Show when=move || !withdrawn.get() fallback=|| view! { <LinkNotValid/> }>
            <Following token=token.get_value() after state=live on_step on_refused=reload/>
            <OrderSummary order live/>
            <section class="tracking-section" aria-labelledby="tracking-items-heading">
                <h2 id="tracking-items-heading">{tr(i18n, |l| td_string!(l, customer.items.heading))}</h2>
                <ItemsTable order/>
            </section>
            <section class="tracking-section" aria-labelledby="tracking-parcels-heading">
                <h2 id="tracking-parcels-heading">{tr(i18n, |l| td_string!(l, customer.parcels.heading))}</h2>
                <ParcelsTable order/>
            </section>
            <section class="tracking-section" aria-labelledby="tracking-updates-heading">
                <h2 id="tracking-updates-heading">{tr(i18n, |l| td_string!(l, customer.updates.heading))}</h2>
                <p class="hint">{tr(i18n, |l| td_string!(l, customer.updates.hint))}</p>
                <PauseButton paused=paused.into() held=held_count on_toggle=toggle noun=Held::Updates/>
                <CustomerTimeline order/>
            </section>
        </Show>
    }
}

/// Follows the link's live steps while mounted (shows nothing itself; the
/// connection state is shown by [`OrderSummary`]).
#[component]
fn Following(
    token: String,
    after: u64,
    state: RwSignal<StreamState>,
    on_step: impl Fn(CustomerStep) + 'static,
    on_refused: impl Fn() + 'static,
) -> impl IntoView {
    follow_steps(token, after, state, on_step, on_refused);
}

/// The order number, its status in words, the live state, and where it goes.
#[component]
fn OrderSummary(order: RwSignal<TrackingView>, live: RwSignal<StreamState>) -> impl IntoView {
    let i18n = use_i18n();
    let state = move || live.get();
    let status = move || order.with(|o| o.status);
    let (number, channel, placed_at, recipient) = order.with_untracked(|o| {
        (
            o.order_number.to_string(),
            o.channel,
            o.placed_at,
            o.recipient.clone(),
        )
    });
    view! {
        <header class="tracking-summary">
            <h1>
                {tr(i18n, |l| td_string!(l, customer.summary.order))}
                <span data-testid="tracking-order-number">{number}</span>
            </h1>
            <p class="tracking-status">
                <span
                    class=move || format!("status-badge tone-{}", status().tone())
                    data-status=move || status().as_str()
                    data-testid="tracking-status"
                >
                    {move || words::customer_status(i18n.get_locale(), status())}
                </span>
            </p>
            <p
                class=move || format!("live-indicator live-{}", state().as_str())
                role="status"
                data-testid="tracking-live"
                data-state=move || state().as_str()
            >
                <span class="live-dot" aria-hidden="true"></span>
                <span class="live-label">{move || state().words(i18n.get_locale())}</span>
            </p>
            <dl class="tracking-facts">
                <div>
                    <dt>{tr(i18n, |l| td_string!(l, customer.summary.ordered_on))}</dt>
                    <dd>
                        {move || words::channel(i18n.get_locale(), channel)}
                        {tr(i18n, |l| td_string!(l, customer.summary.ordered_on_separator))}
                        <LocalTime at=placed_at/>
                    </dd>
                </div>
                <div>
                    <dt>{tr(i18n, |l| td_string!(l, customer.summary.recipient))}</dt>
                    <dd data-testid="tracking-recipient">
                        {format!("{} · {}", recipient.name, recipient.phone)}
                    </dd>
                </div>
                <div>
                    <dt>{tr(i18n, |l| td_string!(l, customer.summary.delivering_to))}</dt>
                    <dd data-testid="tracking-destination">
                        {move || destination_words(i18n.get_locale(), &recipient.province, &recipient.city)}
                    </dd>
                </div>
            </dl>
        </header>
    }
}

/// Where the order goes, as the reader's language writes a place: province
/// first in Chinese, city first (comma-separated) in English.
fn destination_words(locale: Locale, province: &str, city: &str) -> String {
    match locale {
        Locale::zh_CN => format!("{province} {city}"),
        Locale::en => format!("{city}, {province}"),
    }
}

/// Adds a live step to the updates, once, in order.
fn add_step(order: &mut TrackingView, step: CustomerStep) {
    if let Err(at) = order
        .timeline
        .binary_search_by_key(&step.number, |s| s.number)
    {
        order.timeline.insert(at, step);
    }
}

/// The freshly loaded view, with the live steps it does not reflect yet.
fn merge(current: &mut TrackingView, fresh: TrackingView) {
    let newer: Vec<CustomerStep> = current
        .timeline
        .iter()
        .filter(|s| s.number > fresh.last_step)
        .cloned()
        .collect();
    *current = fresh;
    for step in newer {
        add_step(current, step);
    }
}
