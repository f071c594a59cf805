//! The order workspace every desk embeds: the order page with its header,
//! contents (components and parcels), the live timeline grouped by parcel, the
//! note form and the "Tracking links" panel (create, list, revoke).

mod answer_panel;
mod contents;
mod customer_panel;
mod group_by_parcel;
mod header;
mod link_row;
mod links_panel;
mod new_link_form;
mod note_form;
mod page;
mod timeline;
mod timeline_entries;
mod timeline_entry;
mod timeline_section;

pub use links_panel::TrackingLinksPanel;
pub use page::OrderPage;
