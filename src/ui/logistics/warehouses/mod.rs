//! `/warehouses`: the warehouse load board. Per warehouse, live: orders
//! waiting, shipped today against the daily capacity, saturation with its
//! level in words, the oldest waiting order, open exceptions, and a chart of
//! the last 24 hours' shipments with the same figures as a table. Admins add,
//! change and remove warehouses and import stock as CSV on the same page.
//!
//! - [`page`]: the page, its data and its live refetch;
//! - [`load_table`]: one table, a row per warehouse;
//! - [`warehouse_detail`]: a warehouse's chart, hourly figures and stock;
//! - [`throughput_chart`]: the chart, drawn with plotters as SVG;
//! - [`warehouse_form`] and [`kept_warehouses`]: adding, changing, removing;
//! - [`stock_import`]: the CSV import form.

mod kept_warehouses;
mod load_table;
mod page;
mod stock_import;
mod throughput_chart;
mod warehouse_detail;
mod warehouse_form;

pub use page::WarehousesPage;
