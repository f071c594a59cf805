//! `/orders`: the order list, filtered by status, channel and order number, 25
//! per page. Filters live in the URL. The list follows the whole live stream and
//! refetches (at most every half second) when events arrive, so new orders and
//! status changes appear without a reload.

use super::filters::{ListFilters, PER_PAGE};
use crate::api::list_orders;
use crate::model::{Channel, OrderPage, OrderSummary, Status};
use crate::ui::components::{ErrorNotice, LocalTime, StatusBadge};
use crate::ui::live::{coalesce, follow_live, StreamRequest};
use leptos::prelude::*;
use leptos_router::hooks::{use_navigate, use_query_map};
use leptos_router::NavigateOptions;
use std::time::Duration;

/// Longest wait between a burst of live events and the refetch it causes.
const REFRESH_AFTER: Duration = Duration::from_millis(500);

/// The order list page.
#[component]
pub fn OrderList() -> impl IntoView {
    let query = use_query_map();
    let filters = Memo::new(move |_| query.with(ListFilters::from_query));
    let orders = LocalResource::new(move || list_orders(filters.get().to_query()));

    let refresh = coalesce(REFRESH_AFTER, move || orders.refetch());
    follow_live(StreamRequest::default(), move |_| refresh());

    view! {
        <section class="order-list">
            <h1>"Orders"</h1>
            <FilterBar filters/>
            <Transition fallback=|| view! { <p class="loading" role="status">"Loading orders…"</p> }>
                <ErrorBoundary fallback=|errors| {
                    view! { <ErrorNotice errors title="The orders could not be loaded"/> }
                }>
                    {move || Suspend::new(async move {
                        orders.await.map(|page| view! { <OrderTable page filters/> })
                    })}
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

/// One page of orders with its pager.
#[component]
fn OrderTable(page: OrderPage, filters: Memo<ListFilters>) -> impl IntoView {
    let page_count = page.page_count();
    let current = page.page;
    let total = page.total;
    let empty = page.orders.is_empty();
    let rows = page.orders;
    view! {
        <p class="list-summary" data-testid="order-count">
            {format!("{total} {}", if total == 1 { "order" } else { "orders" })}
        </p>
        {if empty {
            view! { <p class="empty" data-testid="no-orders">"No orders match these filters."</p> }
                .into_any()
        } else {
            view! {
                <table class="data-table orders-table">
                    <caption class="visually-hidden">
                        {format!("Orders, page {current} of {page_count}")}
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
                        <For each=move || rows.clone() key=|o| (o.id.clone(), o.updated_at) let:order>
                            <OrderRow order/>
                        </For>
                    </tbody>
                </table>
            }
                .into_any()
        }}
        <Pager current page_count filters/>
    }
}

#[component]
fn OrderRow(order: OrderSummary) -> impl IntoView {
    let href = format!("/orders/{}", order.id);
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
            <td class="num">{order.total.to_string()}</td>
            <td class="num">{format!("{} / {}", order.parcels_shipped, order.parcels)}</td>
            <td>
                <LocalTime at=order.placed_at/>
            </td>
        </tr>
    }
}

/// Previous / Next links with "Page X of Y". Links, so each page is an address.
#[component]
fn Pager(current: u32, page_count: u32, filters: Memo<ListFilters>) -> impl IntoView {
    let link = move |page: u32, label: &'static str, rel: &'static str, enabled: bool| {
        if enabled {
            let href = filters.with_untracked(|f| f.on_page(page).href());
            view! { <a class="pager-link" href=href rel=rel>{label}</a> }.into_any()
        } else {
            view! { <span class="pager-link" aria-disabled="true">{label}</span> }.into_any()
        }
    };
    view! {
        <nav class="pager" aria-label="Pages" data-testid="pager">
            {link(current.saturating_sub(1), "Previous", "prev", current > 1)}
            <span class="pager-position" data-testid="page-position">
                {format!("Page {current} of {page_count}")}
            </span>
            {link(current + 1, "Next", "next", current < page_count)}
            <span class="pager-size">{format!("{PER_PAGE} per page")}</span>
        </nav>
    }
}
