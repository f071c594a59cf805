//! What the customer ordered and how it travels: each item with its parcel
//! and progress (so "where is my gift box?" has an answer of its own), and
//! each parcel with its carrier, waybill and contents. Words in the reader's
//! language; names, parcel ids and waybills as recorded.

use crate::i18n::*;
use crate::model::views::tracking::{CustomerStatus, TrackingView};
use crate::ui::kit::format::number;
use crate::ui::language::tr;
use leptos::prelude::*;

/// A status in words, with the staff badge's tone classes.
#[component]
pub fn CustomerBadge(status: CustomerStatus) -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <span class=format!("status-badge tone-{}", status.tone()) data-status=status.as_str()>
            {move || words::customer_status(i18n.get_locale(), status)}
        </span>
    }
}

/// The items of the order.
#[component]
pub fn ItemsTable(order: RwSignal<TrackingView>) -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <table class="data-table tracking-items" aria-labelledby="tracking-items-heading">
            <thead>
                <tr>
                    <th scope="col">{tr(i18n, |l| td_string!(l, customer.items.item))}</th>
                    <th scope="col">{tr(i18n, |l| td_string!(l, customer.items.quantity))}</th>
                    <th scope="col">{tr(i18n, |l| td_string!(l, customer.items.parcel))}</th>
                    <th scope="col">{tr(i18n, |l| td_string!(l, customer.items.where_it_is))}</th>
                </tr>
            </thead>
            <tbody>
                {move || {
                    let locale = i18n.get_locale();
                    order
                        .read()
                        .components
                        .iter()
                        .map(|c| {
                            let parcel = match &c.parcel {
                                Some(p) => td_string!(locale, customer.items.in_parcel, parcel = p).to_string(),
                                None if c.ships_later => {
                                    td_string!(locale, customer.items.not_packed_later).to_string()
                                }
                                None => td_string!(locale, customer.items.not_packed).to_string(),
                            };
                            view! {
                                <tr data-testid="tracking-item">
                                    <th scope="row">
                                        {c.name.clone()}
                                        <span class="tracking-kind">{words::component_kind(locale, c.kind)}</span>
                                    </th>
                                    <td>{number(locale, c.quantity.into())}</td>
                                    <td>{parcel}</td>
                                    <td>
                                        <CustomerBadge status=c.status/>
                                    </td>
                                </tr>
                            }
                        })
                        .collect_view()
                }}
            </tbody>
        </table>
    }
}

/// The parcels of the order, or a sentence when nothing is packed yet.
#[component]
pub fn ParcelsTable(order: RwSignal<TrackingView>) -> impl IntoView {
    let i18n = use_i18n();
    let empty = move || order.read().parcels.is_empty();
    view! {
        <p class="empty" hidden=move || !empty()>
            {tr(i18n, |l| td_string!(l, customer.parcels.empty))}
        </p>
        <table
            class="data-table tracking-parcels"
            aria-labelledby="tracking-parcels-heading"
            hidden=empty
        >
            <thead>
                <tr>
                    <th scope="col">{tr(i18n, |l| td_string!(l, customer.parcels.parcel))}</th>
                    <th scope="col">{tr(i18n, |l| td_string!(l, customer.parcels.carrier))}</th>
                    <th scope="col">{tr(i18n, |l| td_string!(l, customer.parcels.waybill))}</th>
                    <th scope="col">{tr(i18n, |l| td_string!(l, customer.parcels.contents))}</th>
                    <th scope="col">{tr(i18n, |l| td_string!(l, customer.parcels.where_it_is))}</th>
                </tr>
            </thead>
            <tbody>
                {move || {
                    let locale = i18n.get_locale();
                    let o = order.read();
                    o.parcels
                        .iter()
                        .map(|p| {
                            let contents = o
                                .components
                                .iter()
                                .filter(|c| c.parcel.as_ref() == Some(&p.id))
                                .map(|c| c.name.as_str())
                                .collect::<Vec<_>>()
                                .join(td_string!(locale, customer.parcels.list_separator));
                            view! {
                                <tr data-testid="tracking-parcel">
                                    <th scope="row">{p.id.to_string()}</th>
                                    <td>
                                        {let given = p.carrier.clone(); move || {
                                            let locale = i18n.get_locale();
                                            given
                                                .as_deref()
                                                .map(|c| words::carrier(locale, c))
                                                .unwrap_or_else(|| td_string!(locale, customer.parcels.not_handed_over).to_string())
                                        }}
                                    </td>
                                    <td>
                                        <code>{p.waybill.clone().unwrap_or_else(|| "—".into())}</code>
                                    </td>
                                    <td>{contents}</td>
                                    <td>
                                        <CustomerBadge status=p.status/>
                                    </td>
                                </tr>
                            }
                        })
                        .collect_view()
                }}
            </tbody>
        </table>
    }
}
