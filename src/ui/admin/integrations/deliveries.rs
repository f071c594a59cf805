//! `/admin/deliveries`: the delivery log, newest first: when each delivery
//! arrived, from which integration, what became of it and why, how many events
//! it appended and its dedupe key. Filters (integration, outcome) and the page
//! live in the URL (`?integration=&outcome=&page=`). "View" opens what was
//! received under the row; "Replay" processes a stored delivery again with
//! today's mappings and says what came of it. Above the log, how many
//! deliveries were refused in the last hour (only a sample is listed).

use super::delivery_detail::DeliveryDetail;
use super::refusal_summary::RefusalSummary;
use crate::api::{list_deliveries, replay_delivery, ApiError};
use crate::i18n::words::admin::{self as admin_words, TIMELINE_API};
use crate::i18n::*;
use crate::model::ingest::integration::{
    DeliveryOutcome, DeliveryPage, DeliveryQuery, DeliverySummary, DELIVERIES_PER_PAGE,
};
use crate::model::views::query::page_count;
use crate::model::Integration;
use crate::ui::admin::LoadFailed;
use crate::ui::auth::Auth;
use crate::ui::kit::{format, LocalTime, Pager, Submission};
use crate::ui::language::tr;
use crate::ui::routes::StaffPage;
use leptos::prelude::*;
use leptos::task::spawn_local;
use leptos_router::hooks::{use_navigate, use_query_map};
use leptos_router::params::ParamsMap;
use leptos_router::NavigateOptions;

/// A sender the log knows, by name; anything else in the URL reads as "any".
fn sender_named(name: &str) -> Option<String> {
    let known = name == TIMELINE_API || name.parse::<Integration>().is_ok();
    known.then(|| name.to_string())
}

/// Which part of the log is shown. Unknown values in the URL read as "any".
#[derive(Debug, Clone, Default, PartialEq, Eq)]
struct DeliveriesView {
    integration: Option<String>,
    outcome: Option<DeliveryOutcome>,
    /// 1-based.
    page: u32,
}

impl DeliveriesView {
    fn from_query(query: &ParamsMap) -> Self {
        DeliveriesView {
            integration: query.get_str("integration").and_then(sender_named),
            outcome: query.get_str("outcome").and_then(DeliveryOutcome::parse),
            page: query
                .get_str("page")
                .and_then(|p| p.parse().ok())
                .unwrap_or(1)
                .max(1),
        }
    }

    fn href(&self) -> String {
        let mut params = Vec::new();
        if let Some(integration) = &self.integration {
            params.push(format!("integration={integration}"));
        }
        if let Some(outcome) = self.outcome {
            params.push(format!("outcome={}", outcome.as_str()));
        }
        if self.page > 1 {
            params.push(format!("page={}", self.page));
        }
        StaffPage::Deliveries.href_with(&params)
    }

    fn to_query(&self) -> DeliveryQuery {
        DeliveryQuery {
            page: self.page,
            integration: self.integration.clone(),
            outcome: self.outcome,
        }
    }
}

/// The deliveries page.
#[component]
pub fn DeliveriesPage() -> impl IntoView {
    let i18n = use_i18n();
    crate::ui::kit::use_page_title(move || t_string!(i18n, admin.deliveries.title).to_string());
    let auth = Auth::current();
    let query = use_query_map();
    let shown = Memo::new(move |_| query.with(DeliveriesView::from_query));
    // Bumped after a replay, to load the page again.
    let version = RwSignal::new(0_u32);
    let deliveries = LocalResource::new(move || {
        version.track();
        auth.call(list_deliveries(shown.get().to_query()))
    });
    let replayed = RwSignal::new(None::<DeliverySummary>);
    let on_replayed = Callback::new(move |after: DeliverySummary| {
        replayed.set(Some(after));
        version.update(|v| *v += 1);
    });
    let navigate = use_navigate();
    let go = move |next: DeliveriesView| navigate(&next.href(), NavigateOptions::default());
    let go_too = go.clone();

    view! {
        <section class="admin-page deliveries-page">
            <h1 id="deliveries-heading">{tr(i18n, |l| td_string!(l, admin.deliveries.title))}</h1>
            <p class="hint">{tr(i18n, |l| td_string!(l, admin.deliveries.hint))}</p>
            <RefusalSummary/>
            <form class="filter-bar" role="search" aria-label=tr(i18n, |l| td_string!(l, admin.deliveries.filter)) on:submit=|ev| ev.prevent_default()>
                <label>
                    <span>{tr(i18n, |l| td_string!(l, admin.deliveries.integration))}</span>
                    <select
                        name="integration"
                        data-testid="filter-integration"
                        on:change:target=move |ev| {
                            go(DeliveriesView {
                                integration: sender_named(&ev.target().value()),
                                page: 1,
                                ..shown.get_untracked()
                            })
                        }
                    >
                        <option value="" prop:selected=move || shown.read().integration.is_none()>
                            {tr(i18n, |l| td_string!(l, admin.deliveries.all))}
                        </option>
                        {Integration::ALL
                            .into_iter()
                            .map(Integration::as_str)
                            .chain([TIMELINE_API])
                            .map(|name| {
                                view! {
                                    <option
                                        value=name
                                        prop:selected=move || shown.read().integration.as_deref() == Some(name)
                                    >
                                        {move || admin_words::sender(i18n.get_locale(), name)}
                                    </option>
                                }
                            })
                            .collect_view()}
                    </select>
                </label>
                <label>
                    <span>{tr(i18n, |l| td_string!(l, admin.deliveries.outcome))}</span>
                    <select
                        name="outcome"
                        data-testid="filter-outcome"
                        on:change:target=move |ev| {
                            go_too(DeliveriesView {
                                outcome: DeliveryOutcome::parse(&ev.target().value()),
                                page: 1,
                                ..shown.get_untracked()
                            })
                        }
                    >
                        <option value="" prop:selected=move || shown.read().outcome.is_none()>
                            {tr(i18n, |l| td_string!(l, admin.deliveries.all))}
                        </option>
                        {DeliveryOutcome::ALL
                            .into_iter()
                            .map(|outcome| {
                                view! {
                                    <option
                                        value=outcome.as_str()
                                        prop:selected=move || shown.read().outcome == Some(outcome)
                                    >
                                        {move || admin_words::delivery_outcome(i18n.get_locale(), outcome)}
                                    </option>
                                }
                            })
                            .collect_view()}
                    </select>
                </label>
            </form>
            <p class="form-outcome" role="status" data-testid="replay-outcome">
                {move || {
                    replayed
                        .get()
                        .map(|after| {
                            view! {
                                <span class="form-success">
                                    {replay_words(i18n.get_locale(), &after)}
                                </span>
                            }
                        })
                }}
            </p>
            <Transition fallback=move || view! { <p class="loading" role="status">{tr(i18n, |l| td_string!(l, admin.deliveries.loading))}</p> }>
                <ErrorBoundary fallback=|errors| {
                    view! { <LoadFailed errors title=|l| td_string!(l, admin.deliveries.load_failed)/> }
                }>
                    {move || Suspend::new(async move {
                        deliveries.await.map(|page| view! { <DeliveryTable page shown on_replayed/> })
                    })}
                </ErrorBoundary>
            </Transition>
        </section>
    }
}

/// What a replay came to, in one sentence (the reason as the server gave it).
fn replay_words(locale: Locale, after: &DeliverySummary) -> String {
    let n = format::number(locale, u64::from(after.events));
    let events = if after.events == 1 {
        td_string!(locale, admin.deliveries.events.singular, count = n).to_string()
    } else {
        td_string!(locale, admin.deliveries.events.plural, count = n).to_string()
    };
    let outcome = admin_words::delivery_outcome(locale, after.outcome);
    let id = after.id;
    if after.reason.is_empty() {
        td_string!(
            locale,
            admin.deliveries.replayed,
            id = id,
            outcome = outcome,
            events = events
        )
        .to_string()
    } else {
        let reason = after.reason.as_str();
        td_string!(
            locale,
            admin.deliveries.replayed_because,
            id = id,
            outcome = outcome,
            reason = reason,
            events = events
        )
        .to_string()
    }
}

/// One page of the log with its pager.
#[component]
fn DeliveryTable(
    page: DeliveryPage,
    shown: Memo<DeliveriesView>,
    on_replayed: Callback<DeliverySummary>,
) -> impl IntoView {
    let i18n = use_i18n();
    let count = page_count(page.total, page.per_page);
    let current = page.page.max(1);
    let total = page.total;
    let empty = page.deliveries.is_empty();
    let href = Callback::new(move |page: u32| {
        DeliveriesView {
            page,
            ..shown.get_untracked()
        }
        .href()
    });
    view! {
        <p class="list-summary" data-testid="delivery-total">
            {move || {
                let locale = i18n.get_locale();
                let n = format::number(locale, total);
                if total == 1 {
                    td_string!(locale, admin.deliveries.total.singular, count = n).to_string()
                } else {
                    td_string!(locale, admin.deliveries.total.plural, count = n).to_string()
                }
            }}
        </p>
        <p class="empty" hidden=!empty>
            {tr(i18n, |l| td_string!(l, admin.deliveries.empty))}
        </p>
        <table class="data-table deliveries-table" aria-labelledby="deliveries-heading" hidden=empty>
            <thead>
                <tr>
                    <th scope="col">{tr(i18n, |l| td_string!(l, admin.deliveries.col.received))}</th>
                    <th scope="col">{tr(i18n, |l| td_string!(l, admin.deliveries.col.integration))}</th>
                    <th scope="col">{tr(i18n, |l| td_string!(l, admin.deliveries.col.outcome))}</th>
                    <th scope="col">{tr(i18n, |l| td_string!(l, admin.deliveries.col.reason))}</th>
                    <th scope="col" class="num">{tr(i18n, |l| td_string!(l, admin.deliveries.col.events))}</th>
                    <th scope="col">{tr(i18n, |l| td_string!(l, admin.deliveries.col.dedupe_key))}</th>
                    <th scope="col">{tr(i18n, |l| td_string!(l, admin.deliveries.col.actions))}</th>
                </tr>
            </thead>
            <tbody>
                {page
                    .deliveries
                    .into_iter()
                    .map(|delivery| view! { <DeliveryRow delivery on_replayed/> })
                    .collect_view()}
            </tbody>
        </table>
        <Pager
            current=Signal::stored(current)
            page_count=Signal::stored(count)
            href
            per_page=DELIVERIES_PER_PAGE
        />
    }
}

/// One delivery, and what was received when "View" is open.
#[component]
fn DeliveryRow(delivery: DeliverySummary, on_replayed: Callback<DeliverySummary>) -> impl IntoView {
    let auth = Auth::current();
    let i18n = use_i18n();
    let id = delivery.id;
    let open = RwSignal::new(false);
    let form = Submission::<ApiError>::default();
    let Submission {
        busy,
        outcome: error,
    } = form;
    let detail_id = format!("delivery-{id}-detail");

    let replay = move |_| {
        if !form.begin() {
            return;
        }
        spawn_local(async move {
            match auth.call(replay_delivery(id)).await {
                Ok(after) => on_replayed.run(after),
                Err(e) => {
                    error.try_set(Some(e));
                }
            }
            busy.try_set(false);
        });
    };

    let outcome = delivery.outcome;
    view! {
        <tr
            data-testid="delivery-row"
            data-delivery-id=id
            data-integration=delivery.integration.clone()
            data-outcome=outcome.as_str()
        >
            <td>
                <LocalTime at=delivery.received_at/>
            </td>
            <td>
                {
                    let sender = delivery.integration.clone();
                    move || admin_words::sender(i18n.get_locale(), &sender)
                }
            </td>
            <td data-testid="delivery-outcome">
                <span class=format!("delivery-outcome outcome-{}", outcome.as_str())>{move || admin_words::delivery_outcome(i18n.get_locale(), outcome)}</span>
            </td>
            <td class="delivery-reason">
                {if delivery.reason.is_empty() { "—".to_string() } else { delivery.reason.clone() }}
            </td>
            <td class="num">{move || format::number(i18n.get_locale(), u64::from(delivery.events))}</td>
            <td>
                {match delivery.dedupe_key.clone() {
                    Some(key) => view! { <code class="dedupe-key">{key}</code> }.into_any(),
                    None => view! { <span class="none">"—"</span> }.into_any(),
                }}
            </td>
            <td>
                <div class="row-actions">
                    <button
                        type="button"
                        class="secondary"
                        aria-expanded=move || open.get().to_string()
                        aria-controls=detail_id.clone()
                        on:click=move |_| open.update(|o| *o = !*o)
                    >
                        {move || {
                            if open.get() {
                                t_string!(i18n, admin.deliveries.hide)
                            } else {
                                t_string!(i18n, admin.deliveries.view)
                            }
                        }}
                    </button>
                    {delivery
                        .replayable
                        .then(|| {
                            view! {
                                <button
                                    type="button"
                                    class="secondary"
                                    on:click=replay
                                    disabled=move || busy.get()
                                >
                                    {tr(i18n, |l| td_string!(l, admin.deliveries.replay))}
                                </button>
                            }
                        })}
                </div>
                <p class="form-error" role="alert">
                    {move || error.read().as_ref().map(|e| words::api_error(i18n.get_locale(), e))}
                </p>
            </td>
        </tr>
        <tr class="delivery-detail-row" id=detail_id hidden=move || !open.get()>
            <td colspan="7">
                <Show when=move || open.get()>
                    <DeliveryDetail id/>
                </Show>
            </td>
        </tr>
    }
}
