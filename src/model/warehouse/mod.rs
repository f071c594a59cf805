//! Warehouses as data: who they are (name, province, daily capacity,
//! carriers), what they hold (stock per SKU), and the hours their
//! throughput is counted in. Pure; the store keeps them, the board reads them.
//!
//! - [`profile`]: a warehouse and the draft an admin sends to make or change one;
//! - [`stock`]: one stock line (warehouse, SKU, quantity), parsed;
//! - [`stock_file`]: why a stock file was refused, and what an import did;
//! - [`hours`]: hour buckets and the China day they fall in;
//! - [`backlog`]: which warehouse an order waits in, shipped from, or is flagged in.

pub mod backlog;
pub mod hours;
pub mod profile;
pub mod stock;
pub mod stock_file;

pub use hours::{HourBucket, HOURS_SHOWN};
pub use profile::{Warehouse, WarehouseDraft, WarehouseError};
pub use stock::{StockError, StockLine};
pub use stock_file::{StockFileProblem, StockImport};
