//! The order page's "Routing": the router's decision in words (what it chose
//! or proposed, how sure, under which rules), the proposal's factors and why
//! the runner-up lost, read from the latest `route_proposed` event of the
//! log; and, while the decision waits for a person, a way to accept it or to
//! ship from another warehouse with a reason (logistics, admin). Once a
//! person decides, the panel says who and what.

use super::desk::{Desk, DeskOutcome, Problem};
use crate::i18n::words::route;
use crate::i18n::*;
use crate::model::order::desk_action::{DeskAction, Reason, WarehouseName};
use crate::model::route::RouteDecision;
use crate::model::{EventKind, Permission, SeenEvent, SeenOrder};
use crate::ui::auth::Auth;
use crate::ui::language::tr;
use leptos::prelude::*;

/// The latest decision in `events`.
fn latest(events: &[SeenEvent]) -> Option<RouteDecision> {
    events.iter().rev().find_map(|e| match &e.event.kind {
        EventKind::RouteProposed { decision } => Some((**decision).clone()),
        _ => None,
    })
}

/// The panel, there once the router has decided.
#[component]
pub fn RoutePanel(
    #[prop(into)] order: Signal<SeenOrder>,
    #[prop(into)] events: Signal<Vec<SeenEvent>>,
    order_id: String,
    on_recorded: Callback<SeenEvent>,
) -> impl IntoView {
    let i18n = use_i18n();
    let auth = Auth::current();
    let decision = Memo::new(move |_| events.with(|e| latest(e)));
    let desk = Desk::new(order_id, on_recorded);
    let waits = move || {
        order.with(|o| o.warehouse.is_none() && o.route.as_ref().is_some_and(|r| r.waits()))
    };
    let may_decide = move || auth.may(Permission::DecideRoutes);
    view! {
        <Show when=move || decision.read().is_some()>
            <section class="order-section" aria-labelledby="route-heading" data-testid="order-route">
                <h2 id="route-heading">{tr(i18n, |l| td_string!(l, orders.route.heading))}</h2>
                <p data-testid="route-decision">
                    {move || decision.get().map(|d| route::decision(i18n.get_locale(), &d))}
                </p>
                <ul class="route-factors" data-testid="route-factors">
                    {move || {
                        decision
                            .get()
                            .map(|d| route::explanation(i18n.get_locale(), &d))
                            .unwrap_or_default()
                            .into_iter()
                            .map(|line| view! { <li>{line}</li> })
                            .collect_view()
                    }}
                </ul>
                {move || {
                    order
                        .with(|o| o.route.as_ref().and_then(|r| r.decided.clone()))
                        .map(|c| {
                            let l = i18n.get_locale();
                            let words = if c.overridden {
                                td_string!(l, orders.route.overridden_by, warehouse = c.warehouse, name = c.by)
                                    .to_string()
                            } else {
                                td_string!(l, orders.route.accepted_by, warehouse = c.warehouse, name = c.by)
                                    .to_string()
                            };
                            view! { <p data-testid="route-choice">{words}</p> }
                        })
                }}
                <Show when=move || waits() && may_decide()>
                    <RouteChoice decision desk/>
                </Show>
                <DeskOutcome desk testid="route-outcome"/>
            </section>
        </Show>
    }
}

/// Accept the proposal, or pick another warehouse with a reason.
#[component]
fn RouteChoice(decision: Memo<Option<RouteDecision>>, desk: Desk) -> impl IntoView {
    let i18n = use_i18n();
    let proposed = move || decision.with(|d| d.as_ref().and_then(|d| d.proposed.clone()));
    let others = move || {
        decision.with(|d| {
            d.as_ref()
                .map(|d| {
                    d.candidates
                        .iter()
                        .filter(|c| Some(&c.warehouse) != d.proposed.as_ref())
                        .map(|c| c.warehouse.clone())
                        .collect::<Vec<_>>()
                })
                .unwrap_or_default()
        })
    };
    let choice = RwSignal::new(String::new());
    let reason = RwSignal::new(String::new());
    let accept = move |_| {
        if let Some(Ok(warehouse)) = proposed().map(WarehouseName::parse) {
            desk.act(DeskAction::AcceptRoute { warehouse }, || {});
        }
    };
    let on_override = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let picked = if choice.get_untracked().is_empty() {
            others().into_iter().next().unwrap_or_default()
        } else {
            choice.get_untracked()
        };
        match (
            WarehouseName::parse(picked),
            Reason::parse(reason.get_untracked()),
        ) {
            (Ok(warehouse), Ok(reason_given)) => desk.act(
                DeskAction::OverrideRoute {
                    warehouse,
                    reason: reason_given,
                },
                move || reason.set(String::new()),
            ),
            (Err(e), _) | (_, Err(e)) => desk.problem(Problem::Typed(e)),
        }
    };
    view! {
        <div class="route-choice">
            <Show when=move || proposed().is_some()>
                <button type="button" on:click=accept disabled=move || desk.busy.get()>
                    {move || {
                        td_string!(i18n.get_locale(), orders.route.accept, warehouse = proposed().unwrap_or_default())
                            .to_string()
                    }}
                </button>
            </Show>
            <form class="desk-form" on:submit=on_override data-testid="route-override-form">
                <label for="route-override-warehouse">{tr(i18n, |l| td_string!(l, orders.route.instead))}</label>
                <select
                    id="route-override-warehouse"
                    on:change:target=move |ev| choice.set(ev.target().value())
                >
                    {move || {
                        others()
                            .into_iter()
                            .map(|w| view! { <option value=w.clone()>{w.clone()}</option> })
                            .collect_view()
                    }}
                </select>
                <label for="route-override-reason">{tr(i18n, |l| td_string!(l, orders.actions.reason))}</label>
                <input
                    id="route-override-reason"
                    type="text"
                    autocomplete="off"
                    aria-required="true"
                    prop:value=move || reason.get()
                    on:input:target=move |ev| reason.set(ev.target().value())
                />
                <button type="submit" disabled=move || desk.busy.get()>
                    {tr(i18n, |l| td_string!(l, orders.route.override_submit))}
                </button>
            </form>
        </div>
    }
}
