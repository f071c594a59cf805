//! One row of a queue: the countdown, the exception and why, the order (a
//! link), its warehouse, who claimed it (or when it is snoozed until, and
//! why), and what a person does with it: claim at once; snooze or resolve
//! with a reason, each behind its own disclosure. What happened is said in
//! the row's polite status region; the queue reloads live. What a person
//! has under way in a row — the disclosure open, the reasons typed, what was
//! said — is kept by the page ([`RowStates`]), so a row drawn again by a live
//! reload keeps it.

use super::countdown::DueIn;
use crate::api::act_on_exception;
use crate::i18n::words::{self, cause, exception_mark};
use crate::i18n::*;
use crate::model::order::desk_action::Reason;
use crate::model::order::exception_action::{ExceptionAction, ExceptionRef, SNOOZE_MINUTES};
use crate::model::views::exception_queue::QueueRow;
use crate::model::views::query::ExceptionMark;
use crate::ui::auth::Auth;
use crate::ui::kit::LocalTime;
use crate::ui::language::tr;
use crate::ui::routes::order_href;
use chrono::{DateTime, Utc};
use leptos::prelude::*;
use leptos::task::spawn_local;
use std::collections::HashMap;

/// What to say in the row's status region.
#[derive(Clone)]
pub enum Said {
    Done(String),
    Problem(String),
}

/// What a person has under way in one row.
#[derive(Clone, Copy)]
struct RowState {
    said: RwSignal<Option<Said>>,
    snooze_open: RwSignal<bool>,
    snooze_minutes: RwSignal<u32>,
    snooze_reason: RwSignal<String>,
    resolve_open: RwSignal<bool>,
    resolve_reason: RwSignal<String>,
}

impl RowState {
    fn new() -> RowState {
        RowState {
            said: RwSignal::new(None),
            snooze_open: RwSignal::new(false),
            snooze_minutes: RwSignal::new(SNOOZE_MINUTES[1]),
            snooze_reason: RwSignal::new(String::new()),
            resolve_open: RwSignal::new(false),
            resolve_reason: RwSignal::new(String::new()),
        }
    }
}

/// Each row's [`RowState`] by the row's key, owned by the queue page: it
/// outlives the rows of one load.
#[derive(Clone)]
pub struct RowStates {
    owner: Owner,
    rows: StoredValue<HashMap<String, RowState>>,
}

impl RowStates {
    /// The states of the page being built.
    pub fn new() -> RowStates {
        RowStates {
            owner: Owner::current().unwrap_or_default(),
            rows: StoredValue::new(HashMap::new()),
        }
    }

    fn of(&self, key: &str) -> RowState {
        if let Some(state) = self.rows.with_value(|rows| rows.get(key).copied()) {
            return state;
        }
        let state = self.owner.with(RowState::new);
        self.rows.update_value(|rows| {
            rows.insert(key.to_string(), state);
        });
        state
    }
}

#[component]
pub fn QueueRowView(
    row: QueueRow,
    now: Signal<DateTime<Utc>>,
    reload: Callback<()>,
    states: RowStates,
) -> impl IntoView {
    let i18n = use_i18n();
    let auth = Auth::current();
    let busy = RwSignal::new(false);
    let which = ExceptionRef {
        code: row.exception.code,
        parcel: row.exception.parcel.clone(),
    };
    let mark = ExceptionMark {
        code: row.exception.code,
        parcel: row.exception.parcel.clone(),
    };
    let order = row.order_id.to_string();
    let key = format!(
        "{}-{}-{}",
        order,
        row.exception.code.name(),
        row.exception
            .parcel
            .as_ref()
            .map(|p| p.to_string())
            .unwrap_or_default()
    );
    let RowState {
        said,
        snooze_open,
        snooze_minutes,
        snooze_reason,
        resolve_open,
        resolve_reason,
    } = states.of(&key);
    let say = move |what: Said| said.set(Some(what));
    let act = {
        let (which, order, mark) = (which.clone(), order.clone(), mark.clone());
        move |action: ExceptionAction, done: fn(Locale, &str, &str) -> String| {
            let (which, order, mark) = (which.clone(), order.clone(), mark.clone());
            busy.set(true);
            spawn_local(async move {
                let outcome = auth
                    .call(act_on_exception(order.clone(), which, action))
                    .await;
                // The row may have been drawn again meanwhile (the action's
                // own event reloads the queue): its signals are gone then.
                let _ = busy.try_set(false);
                let locale = i18n.get_locale_untracked();
                say(match outcome {
                    Ok(_) => {
                        // Done: the forms start afresh if it comes back.
                        snooze_open.set(false);
                        resolve_open.set(false);
                        snooze_reason.set(String::new());
                        resolve_reason.set(String::new());
                        reload.run(());
                        Said::Done(done(locale, &exception_mark(locale, &mark), &order))
                    }
                    Err(e) => Said::Problem(words::api_error(locale, &e)),
                });
            });
        }
    };
    let claim = {
        let act = act.clone();
        move |_| {
            act(ExceptionAction::Claim, |l, what, order| {
                td_string!(l, desk.queue.done_claim, what = what, order = order).to_string()
            })
        }
    };
    let on_snooze = {
        let act = act.clone();
        move |ev: leptos::ev::SubmitEvent| {
            ev.prevent_default();
            match Reason::parse(snooze_reason.get_untracked()) {
                Ok(reason) => act(
                    ExceptionAction::Snooze {
                        minutes: snooze_minutes.get_untracked(),
                        reason,
                    },
                    |l, what, order| {
                        td_string!(l, desk.queue.done_snooze, what = what, order = order)
                            .to_string()
                    },
                ),
                Err(_) => say(Said::Problem(
                    td_string!(i18n.get_locale_untracked(), desk.queue.reason_hint).to_string(),
                )),
            }
        }
    };
    let on_resolve = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        match Reason::parse(resolve_reason.get_untracked()) {
            Ok(reason) => act(ExceptionAction::Resolve { reason }, |l, what, order| {
                td_string!(l, desk.queue.done_resolve, what = what, order = order).to_string()
            }),
            Err(_) => say(Said::Problem(
                td_string!(i18n.get_locale_untracked(), desk.queue.reason_hint).to_string(),
            )),
        }
    };
    let exception = row.exception.clone();
    let (mark_words, why) = {
        let (mark, exception) = (mark.clone(), exception.clone());
        (
            move || exception_mark(i18n.get_locale(), &mark),
            move || cause(i18n.get_locale(), &exception.cause),
        )
    };
    let claimed = exception.claim.as_ref().map(|c| c.name.clone());
    let snooze = exception.snooze.clone();
    let snooze_id = format!("snooze-reason-{key}");
    let snooze_for_id = format!("snooze-for-{key}");
    let resolve_id = format!("resolve-reason-{key}");
    let actions_label = {
        let (mark, order) = (mark.clone(), order.clone());
        move || {
            let l = i18n.get_locale();
            td_string!(
                l,
                desk.queue.actions_for,
                what = exception_mark(l, &mark),
                order = order.clone()
            )
            .to_string()
        }
    };
    view! {
        <tr data-testid="queue-row" data-order=order.clone() data-code=row.exception.code.name()>
            <td><DueIn due=row.due_at now/></td>
            <td>
                <strong>{mark_words}</strong>
                <br/>
                <span class="why">{why}</span>
                <br/>
                <small><LocalTime at=exception.since/></small>
            </td>
            <td><a href=order_href(&order)>{order.clone()}</a></td>
            <td>{row.warehouse.clone().unwrap_or_default()}</td>
            <td>
                {match (claimed, snooze) {
                    (_, Some(s)) => view! {
                        <span data-testid="snoozed">
                            {move || {
                                td_string!(
                                    i18n.get_locale(),
                                    desk.queue.snoozed_until,
                                    time = s.until.with_timezone(&chrono::Local).format("%m-%d %H:%M").to_string(),
                                    reason = s.reason.clone()
                                )
                                .to_string()
                            }}
                        </span>
                    }
                    .into_any(),
                    (Some(name), None) => view! { <span data-testid="claimed-by">{name}</span> }.into_any(),
                    (None, None) => view! { <span>{tr(i18n, |l| td_string!(l, desk.queue.unclaimed))}</span> }.into_any(),
                }}
            </td>
            <td>
                <div class="queue-actions" role="group" aria-label=actions_label>
                    <button type="button" on:click=claim disabled=move || busy.get()>
                        {tr(i18n, |l| td_string!(l, desk.queue.claim))}
                    </button>
                    <details prop:open=move || snooze_open.get()>
                        <summary on:click=move |_| snooze_open.update(|open| *open = !*open)>
                            {tr(i18n, |l| td_string!(l, desk.queue.snooze))}
                        </summary>
                        <form class="desk-form" on:submit=on_snooze>
                            <label for=snooze_for_id.clone()>{tr(i18n, |l| td_string!(l, desk.queue.snooze_for))}</label>
                            <select
                                id=snooze_for_id
                                on:change:target=move |ev| {
                                    if let Ok(m) = ev.target().value().parse() {
                                        snooze_minutes.set(m);
                                    }
                                }
                            >
                                {SNOOZE_MINUTES
                                    .into_iter()
                                    .map(|m| {
                                        let words = move || words::span(i18n.get_locale(), u64::from(m) * 60);
                                        view! { <option value=m.to_string() selected=m == snooze_minutes.get_untracked()>{words}</option> }
                                    })
                                    .collect_view()}
                            </select>
                            <ReasonInput id=snooze_id value=snooze_reason/>
                            <button type="submit" disabled=move || busy.get()>
                                {tr(i18n, |l| td_string!(l, desk.queue.snooze))}
                            </button>
                        </form>
                    </details>
                    <details prop:open=move || resolve_open.get()>
                        <summary on:click=move |_| resolve_open.update(|open| *open = !*open)>
                            {tr(i18n, |l| td_string!(l, desk.queue.resolve))}
                        </summary>
                        <form class="desk-form" on:submit=on_resolve>
                            <ReasonInput id=resolve_id value=resolve_reason/>
                            <button type="submit" disabled=move || busy.get()>
                                {tr(i18n, |l| td_string!(l, desk.queue.resolve))}
                            </button>
                        </form>
                    </details>
                </div>
                <p role="status" aria-live="polite" class="row-status">
                    {move || match said.get() {
                        Some(Said::Done(s)) => view! { <span>{s}</span> }.into_any(),
                        Some(Said::Problem(s)) => view! { <span class="problem">{s}</span> }.into_any(),
                        None => ().into_any(),
                    }}
                </p>
            </td>
        </tr>
    }
}

/// A labelled, required reason field bound to `value`.
#[component]
fn ReasonInput(id: String, value: RwSignal<String>) -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <label for=id.clone()>{tr(i18n, |l| td_string!(l, desk.queue.reason))}</label>
        <input
            id=id
            type="text"
            autocomplete="off"
            aria-required="true"
            prop:value=move || value.get()
            on:input:target=move |ev| value.set(ev.target().value())
        />
    }
}
