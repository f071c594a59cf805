//! One warehouse below the table: its chart of the last 24 hours (an image
//! whose label says the totals), the same figures hour by hour in a table
//! (a disclosure, so keyboard and screen-reader users get every number), and
//! its stock by SKU (another disclosure, loaded when opened and again after
//! each import the page makes).

use super::page::StockRevision;
use super::throughput_chart::{hour_label, throughput_svg};
use crate::api::warehouse_stock;
use crate::i18n::*;
use crate::model::views::warehouse_load::{HourCount, WarehouseRow};
use crate::ui::auth::Auth;
use crate::ui::kit::format::number;
use crate::ui::kit::ErrorNotice;
use crate::ui::language::tr;
use leptos::prelude::*;

/// Warehouse `name`'s chart, hourly figures and stock, following `rows`.
#[component]
pub fn WarehouseDetail(rows: Memo<Vec<WarehouseRow>>, name: String) -> impl IntoView {
    let i18n = use_i18n();
    let key = name.clone();
    let hourly: Memo<Vec<HourCount>> = Memo::new(move |_| {
        rows.with(|rows| {
            rows.iter()
                .find(|r| r.warehouse.name == key)
                .map(|r| r.hourly.clone())
                .unwrap_or_default()
        })
    });
    let svg = Memo::new(move |_| hourly.with(|h| throughput_svg(h)));
    let chart_name = name.clone();
    let label = move || {
        let locale = i18n.get_locale();
        hourly.with(|h| {
            let total: u64 = h.iter().map(|h| h.shipped).sum();
            let peak = h.iter().map(|h| h.shipped).max().unwrap_or(0);
            td_string!(
                locale,
                logistics.warehouses.chart.label,
                warehouse = chart_name.clone(),
                total = number(locale, total),
                peak = number(locale, peak)
            )
            .to_string()
        })
    };
    let heading_id = format!("warehouse-{}", slug(&name));
    let labelled_by = heading_id.clone();
    let (data_name, title) = (name.clone(), name.clone());
    view! {
        <section
            class="warehouse-detail"
            aria-labelledby=labelled_by
            data-testid="warehouse-detail"
            data-name=data_name
        >
            <h2 id=heading_id>{title}</h2>
            <h3>{tr(i18n, |l| td_string!(l, logistics.warehouses.chart.heading))}</h3>
            <div class="throughput-chart" role="img" aria-label=label inner_html=move || svg.get()></div>
            <details class="hourly-figures">
                <summary>{tr(i18n, |l| td_string!(l, logistics.warehouses.chart.figures))}</summary>
                <table class="data-table">
                    <thead>
                        <tr>
                            <th scope="col">{tr(i18n, |l| td_string!(l, logistics.warehouses.chart.hour))}</th>
                            <th scope="col" class="num">
                                {tr(i18n, |l| td_string!(l, logistics.warehouses.chart.shipped))}
                            </th>
                        </tr>
                    </thead>
                    <tbody>
                        {move || {
                            hourly
                                .get()
                                .into_iter()
                                .map(|h| {
                                    view! {
                                        <tr>
                                            <th scope="row">{hour_label(&h)}</th>
                                            <td class="num">{move || number(i18n.get_locale(), h.shipped)}</td>
                                        </tr>
                                    }
                                })
                                .collect_view()
                        }}
                    </tbody>
                </table>
            </details>
            <StockDisclosure name/>
        </section>
    }
}

/// Letters and digits of `name` for an element id (others become `-`).
fn slug(name: &str) -> String {
    name.chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() {
                c.to_ascii_lowercase()
            } else {
                '-'
            }
        })
        .collect()
}

/// The warehouse's stock, loaded the first time the disclosure opens.
#[component]
fn StockDisclosure(name: String) -> impl IntoView {
    let i18n = use_i18n();
    let auth = Auth::current();
    let opened = RwSignal::new(false);
    let imports = StockRevision::current().0;
    let wanted = name.clone();
    let stock = LocalResource::new(move || {
        let name = wanted.clone();
        let open = opened.get();
        imports.track();
        async move {
            if open {
                auth.call(warehouse_stock(name)).await.map(Some)
            } else {
                Ok(None)
            }
        }
    });
    let summary_name = name.clone();
    view! {
        <details class="warehouse-stock" on:toggle=move |_| opened.set(true)>
            <summary>
                {move || {
                    td_string!(
                        i18n.get_locale(),
                        logistics.warehouses.stock.show,
                        warehouse = summary_name.clone()
                    )
                        .to_string()
                }}
            </summary>
            <Transition fallback=move || {
                view! {
                    <p class="loading" role="status">
                        {tr(i18n, |l| td_string!(l, logistics.warehouses.stock.loading))}
                    </p>
                }
            }>
                <ErrorBoundary fallback=move |errors| {
                    let title = td_string!(i18n.get_locale(), logistics.warehouses.stock.load_failed);
                    view! { <ErrorNotice errors title/> }
                }>
                    {move || Suspend::new(async move {
                        stock.await.map(|lines| lines.map(|lines| {
                            if lines.is_empty() {
                                view! {
                                    <p class="empty">{tr(i18n, |l| td_string!(l, logistics.warehouses.stock.empty))}</p>
                                }
                                    .into_any()
                            } else {
                                view! {
                                    <table class="data-table">
                                        <thead>
                                            <tr>
                                                <th scope="col">{tr(i18n, |l| td_string!(l, logistics.warehouses.stock.sku))}</th>
                                                <th scope="col" class="num">
                                                    {tr(i18n, |l| td_string!(l, logistics.warehouses.stock.quantity))}
                                                </th>
                                            </tr>
                                        </thead>
                                        <tbody>
                                            {lines
                                                .into_iter()
                                                .map(|line| {
                                                    view! {
                                                        <tr>
                                                            <th scope="row"><code>{line.sku}</code></th>
                                                            <td class="num">{move || number(i18n.get_locale(), line.quantity)}</td>
                                                        </tr>
                                                    }
                                                })
                                                .collect_view()}
                                        </tbody>
                                    </table>
                                }
                                    .into_any()
                            }
                        }))
                    })}
                </ErrorBoundary>
            </Transition>
        </details>
    }
}
