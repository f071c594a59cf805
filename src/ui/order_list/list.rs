//! `/orders`: the order list, filtered by status, channel and order number, 25
//! per page. Filters live in the URL. The list follows the whole live stream and
//! refetches (at most every half second) when events arrive, so new orders and
//! status changes appear without a reload. While live updates are paused the
//! list stays as it is; resuming brings it up to date.

use super::filters::{ListFilters, PER_PAGE};
use crate::api::list_orders;
use crate::model::{Channel, OrderPage, OrderSummary, Status, Topic};
use crate::ui::auth::Auth;
use crate::ui::kit::{Amount, ErrorNotice, LocalTime, Pager, PauseToggle, StatusBadge};
use crate::ui::live::{coalesce, follow_live, LiveLink};
use crate::ui::routes::order_href;
use leptos::prelude::*;
use leptos_router::hooks::{use_navigate, use_query_map};
use leptos_router::NavigateOptions;
use std::time::Duration;

/// Longest wait between a burst of live events and the refetch it causes.
const REFRESH_AFTER: Duration = Duration::from_millis(500);

/// The order list page.
#[component]
pub fn OrderList() -> impl IntoView {
    crate::ui::kit::use_page_title(|| "Orders".into());
    let query = use_query_map();
    let filters = Memo::new(move |_| query.with(ListFilters::from_query));
    let auth = Auth::current();
    let orders = LocalResource::new(move || auth.call(list_orders(filters.get().to_query())));
    // The latest page, kept while the next one loads. The table reads it
    // reactively, so a live refetch updates rows in place (keyed) instead of
    // rebuilding the table, and keyboard focus in the list survives.
    let latest = Memo::new(move |_| orders.get().and_then(Result::ok));

    // A refetch due when the person pauses waits for the resume, so a paused
    // list does not change under them.
    let paused = LiveLink::current().paused();
    let stale = StoredValue::new(false);
    let refresh = coalesce(REFRESH_AFTER, move || {
        if paused.get_untracked() {
            stale.set_value(true);
        } else {
            orders.refetch();
        }
    });
    Effect::new(move |_| {
        if !paused.get() && stale.get_value() {
            stale.set_value(false);
            orders.refetch();
        }
    });
    follow_live(vec![Topic::Orders], None, move |_| refresh());

    view! {
        <section class="order-list">
            <div class="page-heading">
                <h1>"Orders"</h1>
                <PauseToggle/>
            </div>
            <FilterBar filters/>
            <Transition fallback=|| view! { <p class="loading" role="status">"Loading orders…"</p> }>
                <ErrorBoundary fallback=|errors| {
                    view! { <ErrorNotice errors title="The orders could not be loaded"/> }
                }>
                    // Suspends until the first page arrives and raises a failed
                    // load to the ErrorBoundary; renders nothing itself.
                    {move || Suspend::new(async move { orders.await.map(|_| ()) })}
                    <OrderTable page=latest filters/>
                </ErrorBoundary>
            </Transition>
        </section>
    }
}

/// Status and channel selects and the order-number search. Each change is a
/// navigation to the list's new address.
#[component]
fn FilterBar(filters: Memo<ListFilters>) -> impl IntoView {
    let navigate = use_navigate();
    let go = move |next: ListFilters| navigate(&next.href(), NavigateOptions::default());
    let search_input = NodeRef::<leptos::html::Input>::new();
    // The filters as shown, including search text typed but not yet submitted.
    let shown = move || {
        let typed = search_input.get().map(|i| i.value()).unwrap_or_default();
        filters.get_untracked().with_search(&typed)
    };

    let go_status = go.clone();
    let go_channel = go.clone();
    let go_search = go.clone();
    let go_clear = go;

    view! {
        <form
            class="filter-bar"
            role="search"
            aria-label="Filter orders"
            on:submit=move |ev| {
                ev.prevent_default();
                go_search(shown());
            }
        >
            <label>
                <span>"Status"</span>
                <select
                    name="status"
                    data-testid="filter-status"
                    on:change:target=move |ev| {
                        let status = ev.target().value().parse::<Status>().ok();
                        go_status(shown().with_status(status));
                    }
                >
                    <option value="" prop:selected=move || filters.read().status.is_none()>
                        "Any"
                    </option>
                    {Status::ALL
                        .into_iter()
                        .map(|status| {
                            view! {
                                <option
                                    value=status.as_str()
                                    prop:selected=move || filters.read().status == Some(status)
                                >
                                    {status.label()}
                                </option>
                            }
                        })
                        .collect_view()}
                </select>
            </label>
            <label>
                <span>"Channel"</span>
                <select
                    name="channel"
                    data-testid="filter-channel"
                    on:change:target=move |ev| {
                        let channel = ev.target().value().parse::<Channel>().ok();
                        go_channel(shown().with_channel(channel));
                    }
                >
                    <option value="" prop:selected=move || filters.read().channel.is_none()>
                        "Any"
                    </option>
                    {Channel::ALL
                        .into_iter()
                        .map(|channel| {
                            view! {
                                <option
                                    value=channel.as_str()
                                    prop:selected=move || filters.read().channel == Some(channel)
                                >
                                    {channel.label()}
                                </option>
                            }
                        })
                        .collect_view()}
                </select>
            </label>
            <label class="filter-search">
                <span>"Order number"</span>
                <input
                    type="search"
                    name="q"
                    node_ref=search_input
                    placeholder="Ours or the channel's"
                    data-testid="filter-search"
                    prop:value=move || filters.read().search.clone()
                />
            </label>
            <button type="submit">"Search"</button>
            <Show when=move || filters.read().is_filtered()>
                <button
                    type="button"
                    class="secondary"
                    on:click={
                        let go_clear = go_clear.clone();
                        move |_| go_clear(ListFilters::default())
                    }
                >
                    "Clear filters"
                </button>
            </Show>
        </form>
    }
}

/// One page of orders with its pager, following `page` as it is refetched.
#[component]
fn OrderTable(page: Memo<Option<OrderPage>>, filters: Memo<ListFilters>) -> impl IntoView {
    let total = move || page.with(|p| p.as_ref().map_or(0, |p| p.total));
    let rows = move || page.with(|p| p.as_ref().map(|p| p.orders.clone()).unwrap_or_default());
    let current = Signal::derive(move || page.with(|p| p.as_ref().map_or(1, |p| p.page)));
    let page_count =
        Signal::derive(move || page.with(|p| p.as_ref().map_or(1, OrderPage::page_count)));
    let money_shown =
        Signal::derive(move || page.with(|p| p.as_ref().is_some_and(|p| p.lens.money)));
    let href = Callback::new(move |page: u32| filters.with(|f| f.on_page(page).href()));
    view! {
        <p class="list-summary" data-testid="order-total">
            {move || {
                let total = total();
                format!("{total} {}", if total == 1 { "order" } else { "orders" })
            }}
        </p>
        <p class="empty" data-testid="no-orders" hidden={move || total() > 0}>
            "No orders match these filters."
        </p>
        <table class="data-table orders-table" hidden={move || total() == 0}>
            <caption class="visually-hidden">
                {move || format!("Orders, page {} of {}", current.get(), page_count.get())}
            </caption>
            <thead>
                <tr>
                    <th scope="col">"Order"</th>
                    <th scope="col">"Channel"</th>
                    <th scope="col">"Customer"</th>
                    <th scope="col">"Status"</th>
                    <th scope="col" class="num">"Total"</th>
                    <th scope="col" class="num">"Parcels shipped"</th>
                    <th scope="col">"Placed"</th>
                </tr>
            </thead>
            <tbody>
                <For each=rows key=|o| (o.id.clone(), o.updated_at) let:order>
                    <OrderRow order money_shown/>
                </For>
            </tbody>
        </table>
        <Pager current page_count href per_page=PER_PAGE/>
    }
}

#[component]
fn OrderRow(order: OrderSummary, money_shown: Signal<bool>) -> impl IntoView {
    let href = order_href(&order.id);
    view! {
        <tr data-testid="order-row" data-order-id=order.id.clone()>
            <th scope="row">
                <a href=href>{order.id.clone()}</a>
            </th>
            <td>
                <span class="channel-name">{order.channel.label()}</span>
                <span class="channel-order-id">{order.channel_order_id.clone()}</span>
            </td>
            <td>{order.customer_name.clone()}</td>
            <td>
                <StatusBadge status=order.status/>
            </td>
            <td class="num">
                <Amount money=order.total shown=money_shown/>
            </td>
            <td class="num">{format!("{} / {}", order.parcels_shipped, order.parcels)}</td>
            <td>
                <LocalTime at=order.placed_at/>
            </td>
        </tr>
    }
}
