//! What people read: the order list (and how it stays live) and order pages,
//! finding an order from what the customer gives, shipping progress, the timeline grouped by parcel, free text through a
//! lens, the customer's tracking view, and the warehouse load board.

pub mod customer;
pub mod exception_queue;
pub mod list_page;
pub mod mentions;
pub mod progress;
pub mod query;
pub mod redaction;
pub mod search;
pub mod timeline_groups;
pub mod tracking;
pub mod tracking_link;
pub mod warehouse_load;
pub mod whereabouts;
