//! "This customer's last 30 days" on the order page: every order of the same
//! customer (same phone) since 30 days ago, newest first, each with its
//! status in words, open exceptions, refunds and notes, and a flag in words on
//! an order that likely repeats an earlier one (same items within 72 hours).
//! The list is asked again when one of its orders changes or the customer
//! places another (seen on the page's stream), so it never needs a reload.

use crate::api::customer_recent_orders;
use crate::i18n::*;
use crate::model::views::customer::CustomerOrder;
use crate::model::{EventKind, OrderId, SeenOrder, Topic};
use crate::ui::auth::Auth;
use crate::ui::kit::{format::local_date, Amount, ErrorNotice, StatusBadge};
use crate::ui::language::tr;
use crate::ui::live::follow_live;
use crate::ui::routes::order_href;
use leptos::prelude::*;

/// How many of the customer's orders are followed one by one.
const FOLLOWED: usize = 16;

/// The panel for the customer of `order`.
#[component]
pub fn CustomerPanel(#[prop(into)] order: Signal<SeenOrder>) -> impl IntoView {
    let i18n = use_i18n();
    let auth = Auth::current();
    let (id, phone) = order.with_untracked(|o| (o.id.to_string(), o.customer.phone.clone()));
    let asked = StoredValue::new(id.clone());
    let recent = LocalResource::new(move || auth.call(customer_recent_orders(asked.get_value())));
    // Ask again when the customer orders again (the placements topic: the
    // placing events only) or one of their newest orders changes (each
    // followed by its own topic, within what one stream may carry).
    let listed = RwSignal::new(Vec::<OrderId>::new());
    Effect::new(move |_| {
        let mut topics = vec![Topic::Placements];
        topics.extend(listed.get().into_iter().take(FOLLOWED).map(Topic::Order));
        let phone = phone.clone();
        follow_live(topics, None, move |event| {
            let theirs = match &event.event.kind {
                EventKind::OrderPlaced { customer, .. } => customer.phone == phone,
                _ => true,
            };
            if theirs {
                recent.refetch();
            }
        });
    });

    view! {
        <section class="order-section" aria-labelledby="customer-heading">
            <div class="page-heading">
                <h2 id="customer-heading">{tr(i18n, |l| td_string!(l, desk.customer.heading))}</h2>
                <a
                    class="download-link"
                    data-testid="customer-export"
                    download=""
                    href=move || {
                        format!(
                            "/api/export/customer.csv?order={}&lang={}",
                            asked.get_value(),
                            leptos_i18n::Locale::as_str(i18n.get_locale()),
                        )
                    }
                >
                    {tr(i18n, |l| td_string!(l, desk.export.customer_csv))}
                </a>
            </div>
            <Transition fallback=move || {
                view! { <p class="loading" role="status">{tr(i18n, |l| td_string!(l, desk.customer.loading))}</p> }
            }>
                <ErrorBoundary fallback=move |errors| {
                    let title = td_string!(i18n.get_locale(), desk.customer.load_failed);
                    view! { <ErrorNotice errors title/> }
                }>
                    {move || Suspend::new(async move {
                        recent.await.map(|recent| {
                            let ids: Vec<OrderId> = recent.orders.iter().map(|o| o.order.id.clone()).collect();
                            if listed.with_untracked(|l| *l != ids) {
                                listed.set(ids);
                            }
                            let more = recent.more;
                            let asked = recent.asked_from.clone();
                            view! {
                                <CustomerTable orders=recent.orders asked/>
                                <Show when=move || more>
                                    <p class="hint">{tr(i18n, |l| td_string!(l, desk.customer.more))}</p>
                                </Show>
                            }
                        })
                    })}
                </ErrorBoundary>
            </Transition>
        </section>
    }
}

/// The customer's orders as a table.
#[component]
fn CustomerTable(orders: Vec<CustomerOrder>, asked: String) -> impl IntoView {
    let i18n = use_i18n();
    let rows = orders
        .into_iter()
        .map(|row| {
            let this_one = row.order.id.to_string() == asked;
            let id = row.order.id.to_string();
            let href = order_href(&id);
            let placed = row.order.placed_at;
            let status = row.order.status();
            let channel = row.order.channel;
            let marks: Vec<_> = crate::model::OrderSummary::from(&row.order).exceptions;
            let refunded = row.order.refunded;
            let requested = row.order.refund_requested;
            let notes = row.notes.clone();
            let duplicate_of = row.duplicate_of.clone();
            view! {
                <tr data-testid="customer-order" data-order-id=id.clone()>
                    <th scope="row">
                        {if this_one {
                            view! {
                                <span>{id.clone()}</span>
                                " "
                                <span class="sku">{tr(i18n, |l| td_string!(l, desk.customer.this_order))}</span>
                            }
                                .into_any()
                        } else {
                            view! { <a href=href>{id.clone()}</a> }.into_any()
                        }}
                    </th>
                    <td>{move || local_date(i18n.get_locale(), placed)}</td>
                    <td>{move || words::channel(i18n.get_locale(), channel)}</td>
                    <td><StatusBadge status=status/></td>
                    <td>
                        {move || {
                            words::open_exceptions(i18n.get_locale(), &marks)
                                .unwrap_or_else(|| td_string!(i18n.get_locale(), desk.customer.none).to_string())
                        }}
                    </td>
                    <td>
                        {match requested {
                            Some(asked) => view! {
                                {tr(i18n, |l| td_string!(l, desk.customer.refund_asked))}
                                " "
                                <Amount money=asked/>
                            }
                                .into_any(),
                            None => view! { <Amount money=refunded/> }.into_any(),
                        }}
                    </td>
                    <td>
                        {match notes.first() {
                            Some(latest) => {
                                let count = notes.len();
                                let latest = latest.clone();
                                view! {
                                    <span>{latest}</span>
                                    {(count > 1)
                                        .then(|| view! {
                                            " "
                                            <span class="sku">
                                                {move || td_string!(i18n.get_locale(), desk.customer.notes_more, count = count - 1).to_string()}
                                            </span>
                                        })}
                                }
                                    .into_any()
                            }
                            None => view! { <span class="none">{tr(i18n, |l| td_string!(l, desk.customer.none))}</span> }.into_any(),
                        }}
                    </td>
                    <td data-testid="duplicate-flag">
                        {duplicate_of.map(|earlier| {
                            view! {
                                <strong class="flag-exception">
                                    "⚠ "
                                    {move || td_string!(i18n.get_locale(), desk.customer.duplicate, order = earlier.clone()).to_string()}
                                </strong>
                            }
                        })}
                    </td>
                </tr>
            }
        })
        .collect_view();
    view! {
        <table class="data-table" data-testid="customer-orders">
            <thead>
                <tr>
                    <th scope="col">{tr(i18n, |l| td_string!(l, desk.customer.order))}</th>
                    <th scope="col">{tr(i18n, |l| td_string!(l, desk.customer.placed))}</th>
                    <th scope="col">{tr(i18n, |l| td_string!(l, desk.customer.channel))}</th>
                    <th scope="col">{tr(i18n, |l| td_string!(l, desk.customer.status))}</th>
                    <th scope="col">{tr(i18n, |l| td_string!(l, desk.customer.exceptions))}</th>
                    <th scope="col">{tr(i18n, |l| td_string!(l, desk.customer.refunds))}</th>
                    <th scope="col">{tr(i18n, |l| td_string!(l, desk.customer.notes))}</th>
                    <th scope="col">{tr(i18n, |l| td_string!(l, desk.customer.duplicate_heading))}</th>
                </tr>
            </thead>
            <tbody>{rows}</tbody>
        </table>
    }
}
