//! The kit every screen builds with: pieces that take data and render it
//! (amounts, times, status badges, pagers, the pause toggle), the form
//! machinery (submissions, submit rows, revoke cells, secrets shown once, lists
//! that reload after a change) and formatting for the viewer. None of them
//! calls the server on its own. ([`PauseToggle`] reads the page's live link
//! from context.)

mod amount;
pub mod clipboard;
mod error_notice;
pub mod format;
mod local_time;
mod page_title;
mod pager;
mod pause_toggle;
mod raw_payload;
mod relative_time;
mod reloading_list;
mod revoke_cell;
mod shown_once;
mod source_filter;
mod status_badge;
mod submission;
mod submit_row;

pub use amount::{Amount, Withheld};
pub use error_notice::ErrorNotice;
pub use local_time::LocalTime;
pub use page_title::use_page_title;
pub use pager::{PageLinks, Pager};
pub use pause_toggle::{Held, PauseButton, PauseToggle};
pub use raw_payload::RawPayload;
pub use relative_time::{ticking_now, RelativeTime};
pub use reloading_list::{reloading_list, ReloadingList};
pub use revoke_cell::RevokeCell;
pub use shown_once::ShownOnce;
pub use source_filter::{SourceFilter, SOURCE_FAMILIES};
pub use status_badge::StatusBadge;
pub use submission::Submission;
pub use submit_row::SubmitRow;
