//! Warehouses on the server: their stock imported as CSV
//! (`POST /api/warehouses/stock.csv`, [`stock_route`]), read from the file by
//! [`stock_csv`], and the one import both the route and the board's form use
//! ([`import`]).

pub mod import;
pub mod stock_csv;
pub mod stock_route;

pub use import::import_stock;
pub use stock_csv::parse_stock_csv;
