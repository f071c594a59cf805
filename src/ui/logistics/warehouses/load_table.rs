//! The board's table: one row per warehouse — waiting orders, shipped today
//! of the daily capacity, saturation, its level in words, the oldest waiting
//! order (a link, with how long it has waited), open exceptions, carriers.
//! Rows are keyed by warehouse, so a live reload changes cells, not rows.

use crate::i18n::*;
use crate::model::views::warehouse_load::{LoadLevel, WarehouseRow};
use crate::ui::kit::format::number;
use crate::ui::kit::{ticking_now, RelativeTime};
use crate::ui::language::tr;
use crate::ui::routes::order_href;
use leptos::prelude::*;

/// The table of every warehouse in `rows`.
#[component]
pub fn LoadTable(rows: Memo<Vec<WarehouseRow>>) -> impl IntoView {
    let i18n = use_i18n();
    let now = ticking_now();
    view! {
        <table class="data-table warehouse-load" data-testid="warehouse-load">
            <caption>{tr(i18n, |l| td_string!(l, logistics.warehouses.caption))}</caption>
            <thead>
                <tr>
                    <th scope="col">{tr(i18n, |l| td_string!(l, logistics.warehouses.col.warehouse))}</th>
                    <th scope="col" class="num">{tr(i18n, |l| td_string!(l, logistics.warehouses.col.backlog))}</th>
                    <th scope="col" class="num">{tr(i18n, |l| td_string!(l, logistics.warehouses.col.shipped_today))}</th>
                    <th scope="col" class="num">{tr(i18n, |l| td_string!(l, logistics.warehouses.col.saturation))}</th>
                    <th scope="col">{tr(i18n, |l| td_string!(l, logistics.warehouses.col.status))}</th>
                    <th scope="col">{tr(i18n, |l| td_string!(l, logistics.warehouses.col.oldest))}</th>
                    <th scope="col" class="num">{tr(i18n, |l| td_string!(l, logistics.warehouses.col.exceptions))}</th>
                    <th scope="col">{tr(i18n, |l| td_string!(l, logistics.warehouses.col.carriers))}</th>
                </tr>
            </thead>
            <tbody>
                <For each=move || rows.get() key=|r| r.warehouse.name.clone() let:row>
                    <LoadRow rows name=row.warehouse.name.clone() now/>
                </For>
            </tbody>
        </table>
    }
}

/// The row of warehouse `name`, following its figures in `rows`.
#[component]
fn LoadRow(
    rows: Memo<Vec<WarehouseRow>>,
    name: String,
    now: Signal<chrono::DateTime<chrono::Utc>>,
) -> impl IntoView {
    let i18n = use_i18n();
    let key = name.clone();
    let row = Memo::new(move |_| {
        rows.with(|rows| rows.iter().find(|r| r.warehouse.name == key).cloned())
    });
    let figure = move |f: fn(&WarehouseRow) -> u64| {
        move || row.with(|r| r.as_ref().map(|r| number(i18n.get_locale(), f(r))))
    };
    let level = move || row.with(|r| r.as_ref().map(|r| r.load().level()));
    let level_class = move || match level() {
        Some(LoadLevel::OverCapacity) => "load-level over-capacity",
        Some(LoadLevel::NearCapacity) => "load-level near-capacity",
        _ => "load-level",
    };
    let shipped = move || {
        row.with(|r| {
            r.as_ref().map(|r| {
                let locale = i18n.get_locale();
                td_string!(
                    locale,
                    logistics.warehouses.shipped_of_capacity,
                    shipped = number(locale, r.shipped_today),
                    capacity = number(locale, r.warehouse.daily_capacity)
                )
                .to_string()
            })
        })
    };
    let saturation = move || {
        row.with(|r| {
            r.as_ref().map(|r| {
                let locale = i18n.get_locale();
                td_string!(
                    locale,
                    logistics.warehouses.percent,
                    percent = number(locale, r.load().saturation_percent())
                )
                .to_string()
            })
        })
    };
    let oldest = move || row.with(|r| r.as_ref().and_then(|r| r.oldest.clone()));
    let carriers = move || {
        row.with(|r| {
            let locale = i18n.get_locale();
            match r
                .as_ref()
                .map(|r| r.warehouse.carriers.join(words::list_separator(locale)))
            {
                Some(list) if !list.is_empty() => list,
                _ => td_string!(locale, logistics.warehouses.no_carriers).to_string(),
            }
        })
    };
    view! {
        <tr data-testid="warehouse-row" data-name=name.clone()>
            <th scope="row">
                {name.clone()}
                <span class="province">
                    {move || row.with(|r| r.as_ref().map(|r| format!(" · {}", r.warehouse.province)))}
                </span>
            </th>
            <td class="num" data-testid="backlog">{figure(|r| r.backlog)}</td>
            <td class="num" data-testid="shipped-today">{shipped}</td>
            <td class="num" data-testid="saturation">{saturation}</td>
            <td data-testid="load-level">
                <span class=level_class>
                    {move || level().map(|l| words::load_level(i18n.get_locale(), l))}
                </span>
            </td>
            <td data-testid="oldest">
                {move || match oldest() {
                    Some(o) => {
                        let id = o.order_id.to_string();
                        view! {
                            <a href=order_href(&id)>{id.clone()}</a>
                            " · "
                            <RelativeTime at=o.since now/>
                        }
                            .into_any()
                    }
                    None => {
                        view! {
                            <span class="none">
                                {tr(i18n, |l| td_string!(l, logistics.warehouses.none_waiting))}
                            </span>
                        }
                            .into_any()
                    }
                }}
            </td>
            <td class="num" data-testid="open-exceptions">{figure(|r| r.open_exceptions)}</td>
            <td>{carriers}</td>
        </tr>
    }
}
