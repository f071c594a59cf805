//! `/orders`: the order list, filtered by status, channel and open exceptions
//! (counted), 25 per page (first / previous / next / last: keyset pages); a
//! row with an open exception says so in words, and its shipping progress in
//! words. Its one search box takes whatever the customer gave (order numbers,
//! waybill, phone, last four digits with name, name): the answer says how the
//! text was read, what the viewer's role could not look up, and by which
//! field each order was found, newest first; when one order is found, a link to
//! it comes first. Filters live in the URL. The page is loaded once per filter and
//! then kept live in the browser (see [`crate::model::views::list_page`] and
//! [`super::live`]): an event for an order on the page changes its row in
//! place, and orders that would join or leave the page are counted in a
//! "N new orders — show" button that loads the page again when pressed. Rows
//! never move by themselves. While live updates are paused the list stays as
//! it is; resuming brings it up to date.

use super::filters::{ListFilters, PER_PAGE};
use super::live::{FollowList, NewOrders};
use crate::api::list_orders;
use crate::i18n::*;
use crate::model::views::list_page::LiveList;
use crate::model::{Channel, PageAt, Status};
use crate::ui::auth::Auth;
use crate::ui::kit::format::number;
use crate::ui::kit::{Amount, ErrorNotice, LocalTime, PageLinks, Pager, PauseToggle, StatusBadge};
use crate::ui::language::tr;
use crate::ui::routes::order_href;
use leptos::prelude::*;
use leptos_router::hooks::{use_navigate, use_query_map};
use leptos_router::NavigateOptions;

/// The order list page.
#[component]
pub fn OrderList() -> impl IntoView {
    let i18n = use_i18n();
    crate::ui::kit::use_page_title(move || t_string!(i18n, orders.list.title).to_string());
    let query = use_query_map();
    let filters = Memo::new(move |_| query.with(ListFilters::from_query));
    let auth = Auth::current();
    let list = RwSignal::new(LiveList::new());
    // Loads the page of the current filters (again on "show"); the page shown
    // meanwhile stays, and the live stream keeps it current until the answer.
    let orders = LocalResource::new(move || {
        let query = filters.get().to_query();
        let ticket = list.try_update_untracked(|l| l.load(query.clone()));
        async move {
            let Some(ticket) = ticket else {
                return Ok(()); // the list is gone
            };
            match auth.call(list_orders(query)).await {
                Ok(page) => {
                    list.try_update(|l| l.arrived(ticket, page));
                    Ok(())
                }
                Err(e) => {
                    list.try_update_untracked(|l| l.failed(ticket));
                    Err(e)
                }
            }
        }
    });
    let show = Callback::new(move |()| orders.refetch());

    view! {
        <section class="order-list">
            <div class="page-heading">
                <h1>{tr(i18n, |l| td_string!(l, orders.list.title))}</h1>
                <div class="heading-actions">
                    <a
                        class="download-link"
                        data-testid="list-export"
                        download=""
                        title=tr(i18n, |l| td_string!(l, desk.export.list_hint))
                        href=move || filters.with(|f| f.export_href(leptos_i18n::Locale::as_str(i18n.get_locale())))
                    >
                        {tr(i18n, |l| td_string!(l, desk.export.list))}
                    </a>
                    <PauseToggle/>
                </div>
            </div>
            <FilterBar filters/>
            <NewOrders list show/>
            <Transition fallback=move || {
                view! { <p class="loading" role="status">{tr(i18n, |l| td_string!(l, orders.list.loading))}</p> }
            }>
                <ErrorBoundary fallback=move |errors| {
                    let title = td_string!(i18n.get_locale(), orders.list.load_failed);
                    view! { <ErrorNotice errors title/> }
                }>
                    // Suspends until the first page arrives and raises a failed
                    // load to the ErrorBoundary; renders nothing itself.
                    {move || Suspend::new(async move { orders.await })}
                    <OrderTable list filters/>
                </ErrorBoundary>
            </Transition>
            // The live stream starts where the first page was read.
            <Show when=move || list.with(|l| l.as_of().is_some())>
                <FollowList list/>
            </Show>
        </section>
    }
}

/// Status and channel selects and the one search box. Each change is a
/// navigation to the list's new address.
#[component]
fn FilterBar(filters: Memo<ListFilters>) -> impl IntoView {
    let i18n = use_i18n();
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
    let go_exceptions = go.clone();
    let go_clear = go;

    view! {
        <form
            class="filter-bar"
            role="search"
            aria-label=tr(i18n, |l| td_string!(l, orders.filters.label))
            on:submit=move |ev| {
                ev.prevent_default();
                go_search(shown());
            }
        >
            // The one box comes first; its hint is outside the label: it describes
            // the box, and is not its name.
            <div class="filter-search">
                <label for="order-search">{tr(i18n, |l| td_string!(l, orders.filters.search))}</label>
                <input
                    id="order-search"
                    type="search"
                    name="q"
                    node_ref=search_input
                    placeholder=tr(i18n, |l| td_string!(l, orders.filters.search_placeholder))
                    aria-describedby="search-hint"
                    autocomplete="off"
                    data-testid="filter-search"
                    prop:value=move || filters.read().search.clone()
                />
                <small id="search-hint" class="filter-hint">
                    {tr(i18n, |l| td_string!(l, orders.filters.search_hint))}
                </small>
            </div>
            <label>
                <span>{tr(i18n, |l| td_string!(l, orders.filters.status))}</span>
                <select
                    name="status"
                    data-testid="filter-status"
                    on:change:target=move |ev| {
                        let status = ev.target().value().parse::<Status>().ok();
                        go_status(shown().with_status(status));
                    }
                >
                    <option value="" prop:selected=move || filters.read().status.is_none()>
                        {tr(i18n, |l| td_string!(l, orders.filters.any))}
                    </option>
                    {Status::ALL
                        .into_iter()
                        .map(|status| {
                            view! {
                                <option
                                    value=status.as_str()
                                    prop:selected=move || filters.read().status == Some(status)
                                >
                                    {move || words::status(i18n.get_locale(), status)}
                                </option>
                            }
                        })
                        .collect_view()}
                </select>
            </label>
            <label>
                <span>{tr(i18n, |l| td_string!(l, orders.filters.channel))}</span>
                <select
                    name="channel"
                    data-testid="filter-channel"
                    on:change:target=move |ev| {
                        let channel = ev.target().value().parse::<Channel>().ok();
                        go_channel(shown().with_channel(channel));
                    }
                >
                    <option value="" prop:selected=move || filters.read().channel.is_none()>
                        {tr(i18n, |l| td_string!(l, orders.filters.any))}
                    </option>
                    {Channel::ALL
                        .into_iter()
                        .map(|channel| {
                            view! {
                                <option
                                    value=channel.as_str()
                                    prop:selected=move || filters.read().channel == Some(channel)
                                >
                                    {move || words::channel(i18n.get_locale(), channel)}
                                </option>
                            }
                        })
                        .collect_view()}
                </select>
            </label>
            <label class="filter-check">
                <input
                    type="checkbox"
                    name="exceptions"
                    data-testid="filter-exceptions"
                    prop:checked=move || filters.read().open_exceptions
                    on:change:target=move |ev| {
                        go_exceptions(shown().with_open_exceptions(ev.target().checked()));
                    }
                />
                <span>{tr(i18n, |l| td_string!(l, orders.filters.open_exceptions))}</span>
            </label>
            <button type="submit">{tr(i18n, |l| td_string!(l, orders.filters.submit))}</button>
            <Show when=move || filters.read().is_filtered()>
                <button
                    type="button"
                    class="secondary"
                    on:click={
                        let go_clear = go_clear.clone();
                        move |_| go_clear(ListFilters::default())
                    }
                >
                    {tr(i18n, |l| td_string!(l, orders.filters.clear))}
                </button>
            </Show>
        </form>
    }
}

/// One page of orders with its pager, or what a search found. Rows are keyed
/// by order and each follows its own summary, so a live change redraws only
/// its cells.
#[component]
fn OrderTable(list: RwSignal<LiveList>, filters: Memo<ListFilters>) -> impl IntoView {
    let i18n = use_i18n();
    let count = move |n: u64| number(i18n.get_locale(), n);
    let total = Memo::new(move |_| list.with(LiveList::total));
    let ids = Memo::new(move |_| list.with(LiveList::row_ids));
    let current = Signal::derive(move || list.with(LiveList::page));
    let page_count = Signal::derive(move || list.with(LiveList::page_count));
    let flagged = Memo::new(move |_| list.with(LiveList::with_exceptions));
    let searching = Memo::new(move |_| list.with(|l| l.search().is_some()));
    let links = Signal::derive(move || {
        let (page, pages) = (current.get(), page_count.get());
        let (previous, next) = list.with(|l| (l.previous(), l.next()));
        filters.with(|f| PageLinks {
            first: previous
                .is_some()
                .then(|| f.on_page(1, PageAt::First).href()),
            previous: previous.map(|key| f.on_page(page - 1, PageAt::Before(key)).href()),
            last: next
                .is_some()
                .then(|| f.on_page(pages, PageAt::Last).href()),
            next: next.map(|key| f.on_page(page + 1, PageAt::After(key)).href()),
        })
    });
    view! {
        <SearchFound list/>
        <p class="list-summary" data-testid="order-total">
            {move || {
                let (locale, total) = (i18n.get_locale(), total.get());
                let n = count(total);
                let more = list.with(|l| l.search().map(|s| s.more));
                match (more, total) {
                    (Some(true), _) => td_string!(locale, orders.search.found_more, count = n).to_string(),
                    (Some(false), 0) => td_string!(locale, orders.search.found_none).to_string(),
                    (Some(false), 1) => td_string!(locale, orders.search.found_single).to_string(),
                    (Some(false), _) => td_string!(locale, orders.search.found_plural, count = n).to_string(),
                    (None, 1) => td_string!(locale, orders.list.count_single, count = n).to_string(),
                    (None, _) => td_string!(locale, orders.list.count_plural, count = n).to_string(),
                }
            }}
            " · "
            <span data-testid="exception-count">
                {move || match flagged.get() {
                    0 => t_string!(i18n, orders.list.exceptions_none).to_string(),
                    n => td_string!(i18n.get_locale(), orders.list.exceptions_some, count = count(n))
                        .to_string(),
                }}
            </span>
        </p>
        <p class="empty" data-testid="no-orders" hidden={move || total.get() > 0}>
            {move || {
                if searching.get() {
                    t_string!(i18n, orders.search.empty)
                } else {
                    t_string!(i18n, orders.list.empty)
                }
            }}
        </p>
        <table class="data-table orders-table" hidden={move || total.get() == 0}>
            <caption class="visually-hidden">
                {t!(
                    i18n,
                    orders.list.caption,
                    page = move || count(current.get().into()),
                    pages = move || count(page_count.get().into())
                )}
            </caption>
            <thead>
                <tr>
                    <th scope="col">{tr(i18n, |l| td_string!(l, orders.list.col.order))}</th>
                    <th scope="col">{tr(i18n, |l| td_string!(l, orders.list.col.channel))}</th>
                    <th scope="col">{tr(i18n, |l| td_string!(l, orders.list.col.customer))}</th>
                    <th scope="col">{tr(i18n, |l| td_string!(l, orders.list.col.status))}</th>
                    <th scope="col" class="num">{tr(i18n, |l| td_string!(l, orders.list.col.total))}</th>
                    <th scope="col">{tr(i18n, |l| td_string!(l, orders.list.col.shipping))}</th>
                    <th scope="col">{tr(i18n, |l| td_string!(l, orders.list.col.placed))}</th>
                </tr>
            </thead>
            <tbody>
                <For each=move || ids.get() key=String::clone let:id>
                    <OrderRow list id/>
                </For>
            </tbody>
        </table>
        <Show when=move || !searching.get()>
            <Pager current page_count links per_page=PER_PAGE/>
        </Show>
    }
}

/// What a search answered besides its rows: a link to the order when it found
/// exactly one (first, above everything else it says), how the text was read, and
/// what the viewer's role could not look up. Nothing for the plain list.
#[component]
fn SearchFound(list: RwSignal<LiveList>) -> impl IntoView {
    let i18n = use_i18n();
    let answer = Memo::new(move |_| list.with(|l| l.search().cloned()));
    let single = Memo::new(move |_| {
        list.with(|l| match (l.search(), l.row_ids().as_slice()) {
            (Some(_), [id]) => Some((id.clone(), l.matched(id))),
            _ => None,
        })
    });
    move || {
        let answer = answer.get()?;
        let locale = i18n.get_locale();
        let single = single.get().map(|(id, field)| {
            let words = match field {
                Some(field) => td_string!(
                    locale,
                    orders.search.open_single,
                    id = id.clone(),
                    field = words::search_field(locale, field)
                )
                .to_string(),
                None => id.clone(),
            };
            view! {
                <p class="single-match">
                    <a href=order_href(&id) data-testid="single-match">{words}</a>
                </p>
            }
        });
        let ignored = answer.ignored.map(|ignored| {
            view! {
                <p class="notice" data-testid="search-ignored">
                    {words::ignored_search(locale, ignored)}
                </p>
            }
        });
        Some(view! {
            <div class="search-found" role="status" aria-live="polite" data-testid="search-found">
                {single}
                <p class="search-read-as" data-testid="search-read-as">
                    {words::read_as(locale, &answer.probe)}
                </p>
                {ignored}
            </div>
        })
    }
}

/// The row of order `id`: what never changes is drawn once, the rest follows
/// the row's summary as live events fold into it.
#[component]
fn OrderRow(list: RwSignal<LiveList>, id: String) -> impl IntoView {
    let i18n = use_i18n();
    let row = {
        let id = id.clone();
        Memo::new(move |_| list.with(|l| l.row(&id).cloned()))
    };
    let Some(order) = row.get_untracked() else {
        return ().into_any();
    };
    let status =
        Signal::derive(move || row.with(|r| r.as_ref().map_or(order.status, |r| r.status)));
    let total = Signal::derive(move || row.with(|r| r.as_ref().map_or(order.total, |r| r.total)));
    let progress = move || {
        row.with(|r| {
            r.as_ref()
                .map(|r| words::progress(i18n.get_locale(), &r.progress))
        })
    };
    let exception = move || {
        row.with(|r| {
            r.as_ref()
                .and_then(|r| words::open_exceptions(i18n.get_locale(), &r.exceptions))
        })
        .map(|words| {
            view! { <span class="row-exception" data-testid="row-exception">{words}</span> }
        })
    };
    let href = order_href(&id);
    // Followed: a row kept from the plain list (same order, same key) gains
    // it when the page becomes a search's.
    let matched = {
        let id = id.clone();
        Memo::new(move |_| list.with(|l| l.matched(&id)))
    };
    let matched = move || {
        matched.get().map(|field| {
            view! {
                <span class="row-match" data-testid="row-match">
                    {words::found_by(i18n.get_locale(), field)}
                </span>
            }
        })
    };
    view! {
        <tr data-testid="order-row" data-order-id=id.clone()>
            <th scope="row">
                <a href=href>{id.clone()}</a>
                {matched}
            </th>
            <td>
                <span class="channel-name">{move || words::channel(i18n.get_locale(), order.channel)}</span>
                <span class="channel-order-id">{order.channel_order_id.clone()}</span>
            </td>
            <td>{order.customer_name.clone()}</td>
            <td>
                <StatusBadge status/>
                {exception}
            </td>
            <td class="num">
                <Amount money=total/>
            </td>
            <td data-testid="row-progress">{progress}</td>
            <td>
                <LocalTime at=order.placed_at/>
            </td>
        </tr>
    }
    .into_any()
}
