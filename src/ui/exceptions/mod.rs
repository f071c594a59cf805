//! `/exceptions`: the exception queues. One team's queue at a time (the
//! teams the person works; an admin all three), the nearest deadline first,
//! each row with a live countdown to its deadline in words and what a person
//! does with it. The page follows the `exceptions` topic on the page's one
//! stream and reloads the queue (coalesced) when an exception changes.

mod countdown;
mod row;

use crate::api::exception_queue;
use crate::i18n::words::{exception_code, role};
use crate::i18n::*;
use crate::model::access::Role;
use crate::model::views::exception_queue::{codes_of, queues_of, QueuePage};
use crate::model::{ExceptionCode, Topic};
use crate::ui::auth::Auth;
use crate::ui::kit::{reloading_list, ErrorNotice, PauseToggle};
use crate::ui::language::tr;
use crate::ui::live::{coalesce, follow_live};
use leptos::prelude::*;
use row::{QueueRowView, RowStates};
use std::time::Duration;

/// Longest wait between an exception changing and the queue reloading.
const RELOAD_AFTER: Duration = Duration::from_millis(500);

/// The queues page.
#[component]
pub fn ExceptionsPage() -> impl IntoView {
    let i18n = use_i18n();
    crate::ui::kit::use_page_title(move || {
        td_string!(i18n.get_locale(), desk.queue.title).to_string()
    });
    let auth = Auth::current();
    let teams = queues_of(&auth.me().map(|m| m.roles).unwrap_or_default());
    let team = RwSignal::new(teams.first().copied().unwrap_or(Role::Logistics));
    let after = RwSignal::new(None::<String>);
    let snoozed = RwSignal::new(false);
    let code = RwSignal::new(None::<ExceptionCode>);
    let queue =
        reloading_list(move || exception_queue(team.get(), code.get(), after.get(), snoozed.get()));
    let latest = queue.latest;
    let reload = queue.changed;
    // Outlives each reload's rows, so what a person has under way stays.
    let states = RowStates::new();
    let tabs = teams
        .into_iter()
        .map(|t| {
            view! {
                <li>
                    <button
                        type="button"
                        class="tab"
                        aria-pressed=move || (team.get() == t).to_string()
                        data-testid=format!("queue-{}", t.as_str())
                        on:click=move |_| {
                            after.set(None);
                            code.set(None);
                            team.set(t);
                        }
                    >
                        {move || role(i18n.get_locale(), t)}
                    </button>
                </li>
            }
        })
        .collect_view();
    view! {
        <h1>{tr(i18n, |l| td_string!(l, desk.queue.title))}</h1>
        <p class="hint">{tr(i18n, |l| td_string!(l, desk.queue.hint))}</p>
        <div class="page-heading">
            <nav aria-label=tr(i18n, |l| td_string!(l, desk.queue.teams))>
                <ul class="tabs">{tabs}</ul>
            </nav>
            <label for="queue-code">{tr(i18n, |l| td_string!(l, desk.queue.kind))}</label>
            <select
                id="queue-code"
                on:change:target=move |ev| {
                    after.set(None);
                    code.set(ExceptionCode::parse(&ev.target().value()));
                }
            >
                <option value="" selected=move || code.get().is_none()>
                    {tr(i18n, |l| td_string!(l, desk.queue.all_kinds))}
                </option>
                {move || {
                    codes_of(team.get())
                        .into_iter()
                        .map(|c| {
                            view! {
                                <option value=c.name() selected=move || code.get() == Some(c)>
                                    {move || exception_code(i18n.get_locale(), c)}
                                </option>
                            }
                        })
                        .collect_view()
                }}
            </select>
            <label class="inline">
                <input
                    type="checkbox"
                    prop:checked=move || snoozed.get()
                    on:change:target=move |ev| {
                        after.set(None);
                        snoozed.set(ev.target().checked());
                    }
                />
                {tr(i18n, |l| td_string!(l, desk.queue.show_snoozed))}
            </label>
            <a
                class="download-link"
                data-testid="queue-export"
                href=move || {
                    format!(
                        "/api/export/exceptions.csv?team={}&code={}&snoozed={}&lang={}",
                        team.get().as_str(),
                        code.get().map(ExceptionCode::name).unwrap_or_default(),
                        u8::from(snoozed.get()),
                        leptos_i18n::Locale::as_str(i18n.get_locale()),
                    )
                }
                download=""
            >
                {tr(i18n, |l| td_string!(l, desk.queue.export))}
            </a>
            <PauseToggle/>
        </div>
        <Transition fallback=move || {
            view! { <p class="loading" role="status">{tr(i18n, |l| td_string!(l, desk.queue.loading))}</p> }
        }>
            <ErrorBoundary fallback=move |errors| {
                let title = td_string!(i18n.get_locale(), desk.queue.load_failed);
                view! { <ErrorNotice errors title/> }
            }>
                {move || Suspend::new(async move {
                    queue.resource.await.map(|_| ())
                })}
            </ErrorBoundary>
        </Transition>
        {move || latest.get().map(|page| view! { <Queue page reload after states=states.clone()/> })}
    }
}

/// One loaded page of a queue, followed live.
#[component]
fn Queue(
    page: QueuePage,
    reload: Callback<()>,
    after: RwSignal<Option<String>>,
    states: RowStates,
) -> impl IntoView {
    let i18n = use_i18n();
    let reload_soon = coalesce(RELOAD_AFTER, move || reload.run(()));
    follow_live(vec![Topic::Exceptions], Some(page.as_of), move |_| {
        reload_soon()
    });
    let now = countdown::ticking_second();
    let QueuePage {
        rows,
        total,
        snoozed,
        next,
        ..
    } = page;
    let on_first = after.get_untracked().is_none();
    let counts = move || {
        td_string!(
            i18n.get_locale(),
            desk.queue.counts,
            open = total,
            snoozed = snoozed
        )
        .to_string()
    };
    let empty = rows.is_empty();
    view! {
        <p role="status" aria-live="polite" data-testid="queue-counts">{counts}</p>
        <Show when=move || !empty fallback=move || view! {
            <p class="none" data-testid="queue-empty">{tr(i18n, |l| td_string!(l, desk.queue.empty))}</p>
        }>
            <table class="queue" data-testid="queue">
                <thead>
                    <tr>
                        <th scope="col">{tr(i18n, |l| td_string!(l, desk.queue.col_due))}</th>
                        <th scope="col">{tr(i18n, |l| td_string!(l, desk.queue.col_exception))}</th>
                        <th scope="col">{tr(i18n, |l| td_string!(l, desk.queue.col_order))}</th>
                        <th scope="col">{tr(i18n, |l| td_string!(l, desk.queue.col_warehouse))}</th>
                        <th scope="col">{tr(i18n, |l| td_string!(l, desk.queue.col_claimed))}</th>
                        <th scope="col">{tr(i18n, |l| td_string!(l, desk.queue.col_actions))}</th>
                    </tr>
                </thead>
                <tbody>
                    {rows
                        .clone()
                        .into_iter()
                        .map(|row| view! { <QueueRowView row now reload states=states.clone()/> })
                        .collect_view()}
                </tbody>
            </table>
        </Show>
        <div class="pager">
            <Show when=move || !on_first>
                <button type="button" class="secondary" on:click=move |_| after.set(None)>
                    {tr(i18n, |l| td_string!(l, desk.queue.first_page))}
                </button>
            </Show>
            {next.map(|key| {
                view! {
                    <button type="button" class="secondary" on:click=move |_| after.set(Some(key.clone()))>
                        {tr(i18n, |l| td_string!(l, desk.queue.next_page))}
                    </button>
                }
            })}
        </div>
    }
}
