//! The order list: filtered, paged and live, with each order's status in words.

mod filters;
mod list;
mod live;

pub use list::OrderList;
