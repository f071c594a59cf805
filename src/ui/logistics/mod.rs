//! The logistics desk's screens.
//!
//! - [`warehouses`]: the warehouse load board (`/warehouses`).

pub mod warehouses;
