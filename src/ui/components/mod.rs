//! Shared pieces of the screens. They take data and render it; none of them calls
//! the server. ([`PauseToggle`] reads the page's live link from context.)

mod amount;
mod error_notice;
mod group_by_parcel;
mod local_time;
mod page_title;
mod pager;
mod pause_toggle;
mod raw_payload;
mod relative_time;
mod revoke_cell;
mod source_filter;
mod status_badge;
mod submission;
mod submit_row;
mod timeline;
mod timeline_entries;
mod timeline_entry;
mod timeline_section;

pub use amount::{Amount, Withheld, WITHHELD_TITLE};
pub use error_notice::ErrorNotice;
pub use group_by_parcel::GroupByParcel;
pub use local_time::LocalTime;
pub use page_title::use_page_title;
pub use pager::Pager;
pub use pause_toggle::{PauseButton, PauseToggle};
pub use raw_payload::RawPayload;
pub use relative_time::{relative, ticking_now, RelativeTime};
pub use revoke_cell::RevokeCell;
pub use source_filter::{SourceFilter, SOURCE_FAMILIES};
pub use status_badge::StatusBadge;
pub use submission::Submission;
pub use submit_row::SubmitRow;
pub use timeline::Timeline;
pub use timeline_entries::TimelineEntries;
pub use timeline_entry::TimelineEntry;
pub use timeline_section::TimelineSection;
