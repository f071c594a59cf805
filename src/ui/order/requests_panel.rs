//! The order page's "Requests to the warehouse and carriers": every re-label,
//! redirect and intercept asked for this order, with where it stands in words
//! (`待仓库确认改标`, `已拦截成功`, `拦截前已签收`) and the other system's own
//! words once it answered. Shown to everyone who sees the order, once there is
//! a request; kept current by the live order. People who may record outcomes
//! (logistics, admin) get a small form on each pending request for when the
//! warehouse or carrier tells them rather than the timeline API.

use super::desk::{Desk, DeskOutcome, Problem};
use crate::i18n::*;
use crate::model::order::desk_action::{DeskAction, Reason};
use crate::model::order::request::{Outcome, Request};
use crate::model::{Permission, SeenEvent, SeenOrder};
use crate::ui::auth::Auth;
use crate::ui::kit::LocalTime;
use crate::ui::language::tr;
use leptos::prelude::*;

/// The panel, there once the order has a request.
#[component]
pub fn RequestsPanel(
    #[prop(into)] order: Signal<SeenOrder>,
    order_id: String,
    on_recorded: Callback<SeenEvent>,
) -> impl IntoView {
    let any = move || !order.read().requests.is_empty();
    view! {
        <Show when=any>
            <RequestsSection order order_id=order_id.clone() on_recorded/>
        </Show>
    }
}

#[component]
fn RequestsSection(
    order: Signal<SeenOrder>,
    order_id: String,
    on_recorded: Callback<SeenEvent>,
) -> impl IntoView {
    let i18n = use_i18n();
    let auth = Auth::current();
    let desk = Desk::new(order_id, on_recorded);
    let may_record = Signal::derive(move || auth.may(Permission::RecordOutcome));
    view! {
        <section
            class="order-section order-requests"
            aria-labelledby="requests-heading"
            data-testid="order-requests"
        >
            <h2 id="requests-heading">{tr(i18n, |l| td_string!(l, orders.requests.heading))}</h2>
            <p class="hint">{tr(i18n, |l| td_string!(l, orders.requests.hint))}</p>
            <table class="data-table requests-table" aria-labelledby="requests-heading">
                <thead>
                    <tr>
                        <th scope="col">{tr(i18n, |l| td_string!(l, orders.requests.col.request))}</th>
                        <th scope="col">{tr(i18n, |l| td_string!(l, orders.requests.col.what))}</th>
                        <th scope="col">{tr(i18n, |l| td_string!(l, orders.requests.col.state))}</th>
                        <th scope="col">{tr(i18n, |l| td_string!(l, orders.requests.col.reason))}</th>
                        <th scope="col">{tr(i18n, |l| td_string!(l, orders.requests.col.made))}</th>
                        <Show when=move || may_record.get()>
                            <th scope="col">{tr(i18n, |l| td_string!(l, orders.requests.col.outcome))}</th>
                        </Show>
                    </tr>
                </thead>
                <tbody>
                    <For
                        each=move || order.read().requests.clone()
                        key=|r| (r.id.clone(), r.state.clone())
                        let:request
                    >
                        <RequestRow request desk may_record/>
                    </For>
                </tbody>
            </table>
            <Show when=move || may_record.get()>
                <DeskOutcome desk testid="request-outcome"/>
            </Show>
        </section>
    }
}

/// One request, with its outcome form while it is pending.
#[component]
fn RequestRow(request: Request, desk: Desk, may_record: Signal<bool>) -> impl IntoView {
    let i18n = use_i18n();
    let pending = request.state.is_pending();
    let id = request.id.to_string();
    let state = {
        let request = request.clone();
        move || {
            let locale = i18n.get_locale();
            let state = words::request_state(locale, &request);
            match words::request_detail(&request) {
                Some(detail) => format!("{state} — {detail}"),
                None => state.to_string(),
            }
        }
    };
    let ask = request.ask.clone();
    let form_id = id.clone();
    view! {
        <tr data-testid="request-row" data-request=id.clone() data-state=request.state.name()>
            <td>{id.clone()}</td>
            <td>{move || words::ask_in_full(i18n.get_locale(), &ask)}</td>
            <td data-testid="request-state">{state}</td>
            <td>{request.reason.clone()}</td>
            <td><LocalTime at=request.made_at/></td>
            <Show when=move || may_record.get()>
                <td>
                    {pending.then(|| view! { <OutcomeForm request=form_id.clone() desk/> })}
                </td>
            </Show>
        </tr>
    }
}

/// Confirmed or failed, with what the warehouse or carrier said.
#[component]
fn OutcomeForm(request: String, desk: Desk) -> impl IntoView {
    let i18n = use_i18n();
    let failed = RwSignal::new(false);
    let detail = RwSignal::new(String::new());
    let choice_id = format!("outcome-{request}");
    let detail_id = format!("outcome-detail-{request}");
    let label_request = request.clone();
    let detail_request = request.clone();
    let on_submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let said = detail.get_untracked();
        let detail_given = if said.trim().is_empty() {
            None
        } else {
            match Reason::parse(said) {
                Ok(r) => Some(r),
                Err(e) => return desk.problem(Problem::Typed(e)),
            }
        };
        let outcome = if failed.get_untracked() {
            Outcome::Failed
        } else {
            Outcome::Confirmed
        };
        if outcome == Outcome::Failed && detail_given.is_none() {
            return desk.problem(Problem::DetailMissing);
        }
        let Ok(request) = crate::model::order::ids::RequestId::parse(request.clone()) else {
            return;
        };
        let action = DeskAction::RecordOutcome {
            request,
            outcome,
            detail: detail_given,
        };
        desk.act(action, move || detail.set(String::new()));
    };
    view! {
        <form class="inline-form outcome-form" on:submit=on_submit data-testid="outcome-form">
            <label class="visually-hidden" for=choice_id.clone()>
                {move || {
                    td_string!(i18n.get_locale(), orders.requests.outcome.choice, request = label_request.clone())
                        .to_string()
                }}
            </label>
            <select
                id=choice_id
                on:change:target=move |ev| failed.set(ev.target().value() == "failed")
            >
                <option value="confirmed" selected=move || !failed.get()>
                    {tr(i18n, |l| td_string!(l, orders.requests.outcome.confirmed))}
                </option>
                <option value="failed" selected=move || failed.get()>
                    {tr(i18n, |l| td_string!(l, orders.requests.outcome.failed))}
                </option>
            </select>
            <label class="visually-hidden" for=detail_id.clone()>
                {move || {
                    td_string!(i18n.get_locale(), orders.requests.outcome.detail, request = detail_request.clone())
                        .to_string()
                }}
            </label>
            <input
                id=detail_id
                type="text"
                autocomplete="off"
                placeholder=tr(i18n, |l| td_string!(l, orders.requests.outcome.said))
                prop:value=move || detail.get()
                on:input:target=move |ev| detail.set(ev.target().value())
            />
            <button type="submit" disabled=move || desk.busy.get()>
                {tr(i18n, |l| td_string!(l, orders.requests.outcome.submit))}
            </button>
        </form>
    }
}
