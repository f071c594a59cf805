//! What the customer ordered and how it travels: each item with its parcel
//! and progress (so "where is my gift box?" has an answer of its own), and
//! each parcel with its carrier, waybill and contents.

use crate::model::views::tracking::{CustomerStatus, TrackingView};
use leptos::prelude::*;

/// A status in words, with the staff badge's tone classes.
#[component]
pub fn CustomerBadge(status: CustomerStatus) -> impl IntoView {
    view! {
        <span class=format!("status-badge tone-{}", status.tone()) data-status=status.as_str()>
            {let i18n = crate::i18n::use_i18n(); move || crate::i18n::words::customer_status(i18n.get_locale(), status)}
        </span>
    }
}

/// The items of the order.
#[component]
pub fn ItemsTable(order: RwSignal<TrackingView>) -> impl IntoView {
    view! {
        <table class="data-table tracking-items" aria-labelledby="tracking-items-heading">
            <thead>
                <tr>
                    <th scope="col">"Item"</th>
                    <th scope="col">"Quantity"</th>
                    <th scope="col">"Parcel"</th>
                    <th scope="col">"Where it is"</th>
                </tr>
            </thead>
            <tbody>
                {move || {
                    order
                        .read()
                        .components
                        .iter()
                        .map(|c| {
                            let parcel = match &c.parcel {
                                Some(p) => format!("Parcel {p}"),
                                None if c.ships_later => "Not packed yet (ships later)".to_string(),
                                None => "Not packed yet".to_string(),
                            };
                            view! {
                                <tr data-testid="tracking-item">
                                    <th scope="row">
                                        {c.name.clone()}
                                        <span class="tracking-kind">{c.kind.label()}</span>
                                    </th>
                                    <td>{c.quantity}</td>
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
    let empty = move || order.read().parcels.is_empty();
    view! {
        <p class="empty" hidden=move || !empty()>
            "Nothing has been packed yet."
        </p>
        <table
            class="data-table tracking-parcels"
            aria-labelledby="tracking-parcels-heading"
            hidden=empty
        >
            <thead>
                <tr>
                    <th scope="col">"Parcel"</th>
                    <th scope="col">"Carrier"</th>
                    <th scope="col">"Waybill"</th>
                    <th scope="col">"Contents"</th>
                    <th scope="col">"Where it is"</th>
                </tr>
            </thead>
            <tbody>
                {move || {
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
                                .join(", ");
                            view! {
                                <tr data-testid="tracking-parcel">
                                    <th scope="row">{p.id.to_string()}</th>
                                    <td>{let (i18n, given) = (crate::i18n::use_i18n(), p.carrier.clone()); move || given.as_deref().map(|c| crate::i18n::words::carrier(i18n.get_locale(), c)).unwrap_or_else(|| "Not handed over yet".into())}</td>
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
