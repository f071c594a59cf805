//! The orders screens: the filtered, live order list and the order page with its
//! live timeline.

mod contents;
mod detail;
mod filters;
mod header;
mod list;
mod note_form;

pub use detail::OrderPage;
pub use list::OrderList;
