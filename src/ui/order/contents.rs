//! What is in the order and where it is: the components table (which parcel each
//! component is in and how far it has come — "where is my gift box?") and the
//! parcels table (carrier, waybill, stage, the exception open on it and why).
//! Headings, stages and amounts in the reader's language; names, SKUs, parcel
//! ids and waybills as recorded.

use crate::i18n::*;
use crate::model::{ComponentKind, Money, SeenOrder, Status};
use crate::ui::kit::format::{money as money_words, number};
use crate::ui::kit::{LocalTime, Withheld};
use crate::ui::language::tr;
use chrono::{DateTime, Utc};
use leptos::prelude::*;

/// One row of the components table, derived from the order. Keyed by its whole
/// content, so a row is redrawn exactly when something in it changes.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
struct ComponentRow {
    id: String,
    name: String,
    sku: String,
    kind: ComponentKind,
    quantity: u32,
    /// `None` when the viewer's lens withheld it.
    unit_price: Option<Money>,
    ships_later: bool,
    parcel: Option<String>,
    stage: Status,
}

fn component_rows(order: &SeenOrder) -> Vec<ComponentRow> {
    order
        .components
        .iter()
        .map(|c| ComponentRow {
            id: c.id.to_string(),
            name: c.name.clone(),
            sku: c.sku.clone(),
            kind: c.kind,
            quantity: c.quantity,
            unit_price: c.unit_price.shown().copied(),
            ships_later: c.ships_later,
            parcel: order.parcel_of(&c.id).map(|p| p.id.to_string()),
            stage: order.component_stage(&c.id).status(),
        })
        .collect()
}

/// The order's components with their parcel and stage.
#[component]
pub fn ComponentsTable(#[prop(into)] order: Signal<SeenOrder>) -> impl IntoView {
    let i18n = use_i18n();
    let rows = Memo::new(move |_| order.with(component_rows));
    view! {
        <table class="data-table components-table" data-testid="components-table">
            <thead>
                <tr>
                    <th scope="col">{tr(i18n, |l| td_string!(l, orders.contents.component))}</th>
                    <th scope="col">{tr(i18n, |l| td_string!(l, orders.contents.kind))}</th>
                    <th scope="col" class="num">{tr(i18n, |l| td_string!(l, orders.contents.qty))}</th>
                    <th scope="col" class="num">{tr(i18n, |l| td_string!(l, orders.contents.unit_price))}</th>
                    <th scope="col">{tr(i18n, |l| td_string!(l, orders.contents.ships_later))}</th>
                    <th scope="col">{tr(i18n, |l| td_string!(l, orders.contents.parcel))}</th>
                    <th scope="col">{tr(i18n, |l| td_string!(l, orders.contents.stage))}</th>
                </tr>
            </thead>
            <tbody>
                <For each=move || rows.get() key=|row| row.clone() let:row>
                    <tr data-testid="component-row" data-component-id=row.id.clone()>
                        <th scope="row">
                            {row.name.clone()}
                            <span class="sku">{row.sku}</span>
                        </th>
                        <td>{move || words::component_kind(i18n.get_locale(), row.kind)}</td>
                        <td class="num">{move || number(i18n.get_locale(), row.quantity.into())}</td>
                        <td class="num">
                            {match row.unit_price {
                                Some(price) => (move || money_words(i18n.get_locale(), &price)).into_any(),
                                None => view! { <Withheld/> }.into_any(),
                            }}
                        </td>
                        <td>
                            {move || {
                                if row.ships_later {
                                    t_string!(i18n, orders.contents.ships_later_yes)
                                } else {
                                    t_string!(i18n, orders.contents.ships_later_no)
                                }
                            }}
                        </td>
                        <td>
                            {match row.parcel {
                                Some(parcel) => parcel.into_any(),
                                None => t!(i18n, orders.contents.not_packed).into_any(),
                            }}
                        </td>
                        <td data-testid="component-stage">
                            {move || words::status(i18n.get_locale(), row.stage)}
                        </td>
                    </tr>
                </For>
            </tbody>
        </table>
    }
}

/// One row of the parcels table, derived from the order.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
struct ParcelRow {
    id: String,
    /// The names of what is in the parcel, in packing order.
    components: Vec<String>,
    carrier: Option<String>,
    waybill: Option<String>,
    stage: Status,
    /// The exception open on the parcel, in words (`Delivery failed: …`).
    exception: Option<String>,
    last_scan_at: Option<DateTime<Utc>>,
}

fn parcel_rows(order: &SeenOrder, locale: Locale) -> Vec<ParcelRow> {
    order
        .parcels
        .iter()
        .map(|p| ParcelRow {
            id: p.id.to_string(),
            components: p
                .components
                .iter()
                .map(|id| {
                    order
                        .components
                        .iter()
                        .find(|c| &c.id == id)
                        .map_or_else(|| id.to_string(), |c| c.name.clone())
                })
                .collect(),
            carrier: p.carrier.as_deref().map(|c| words::carrier(locale, c)),
            waybill: p.waybill.clone(),
            stage: p.stage.status(),
            exception: order
                .parcel_exception(&p.id)
                .map(|e| words::open_exception(locale, e)),
            last_scan_at: p.last_scan_at,
        })
        .collect()
}

/// The order's parcels.
#[component]
pub fn ParcelsTable(#[prop(into)] order: Signal<SeenOrder>) -> impl IntoView {
    let i18n = use_i18n();
    let rows = Memo::new(move |_| order.with(|o| parcel_rows(o, i18n.get_locale())));
    view! {
        <Show
            when=move || !rows.read().is_empty()
            fallback=move || {
                view! { <p class="none" data-testid="no-parcels">{tr(i18n, |l| td_string!(l, orders.contents.nothing_packed))}</p> }
            }
        >
            <table class="data-table parcels-table" data-testid="parcels-table">
                <thead>
                    <tr>
                        <th scope="col">{tr(i18n, |l| td_string!(l, orders.contents.parcel))}</th>
                        <th scope="col">{tr(i18n, |l| td_string!(l, orders.contents.components))}</th>
                        <th scope="col">{tr(i18n, |l| td_string!(l, orders.contents.carrier))}</th>
                        <th scope="col">{tr(i18n, |l| td_string!(l, orders.contents.waybill))}</th>
                        <th scope="col">{tr(i18n, |l| td_string!(l, orders.contents.stage))}</th>
                        <th scope="col">{tr(i18n, |l| td_string!(l, orders.contents.exception))}</th>
                        <th scope="col">{tr(i18n, |l| td_string!(l, orders.contents.last_scan))}</th>
                    </tr>
                </thead>
                <tbody>
                    <For each=move || rows.get() key=|row| row.clone() let:row>
                        <tr data-testid="parcel-row" data-parcel-id=row.id.clone()>
                            <th scope="row">{row.id.clone()}</th>
                            <td>
                                {move || row.components.join(t_string!(i18n, orders.contents.list_separator))}
                            </td>
                            <td>{row.carrier.unwrap_or_else(|| "—".into())}</td>
                            <td class="waybill">{row.waybill.unwrap_or_else(|| "—".into())}</td>
                            <td>{move || words::status(i18n.get_locale(), row.stage)}</td>
                            <td>
                                {match row.exception {
                                    Some(words) => view! {
                                        <span class="flag-exception" data-testid="parcel-exception">
                                            "⚠ " {words}
                                        </span>
                                    }.into_any(),
                                    None => view! { <span class="none">{tr(i18n, |l| td_string!(l, orders.contents.none))}</span> }.into_any(),
                                }}
                            </td>
                            <td>
                                {row.last_scan_at.map(|at| view! { <LocalTime at/> })}
                            </td>
                        </tr>
                    </For>
                </tbody>
            </table>
        </Show>
    }
}
