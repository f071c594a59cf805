//! The order workspace every desk embeds: the order page with its header,
//! contents (components and parcels), the requests made of the warehouse and
//! carriers, the desk's actions (change delivery details, cancel, intercept for
//! a refund, hold / release), the live timeline grouped by parcel, the note
//! form and the "Tracking links" panel (create, list, revoke).

mod actions_panel;
mod answer_panel;
mod contact_form;
mod contents;
mod customer_panel;
mod desk;
mod group_by_parcel;
mod header;
mod link_row;
mod links_panel;
mod new_link_form;
mod note_form;
mod page;
mod reason_form;
mod requests_panel;
mod route_panel;
mod timeline;
mod timeline_entries;
mod timeline_entry;
mod timeline_section;

pub use links_panel::TrackingLinksPanel;
pub use page::OrderPage;
