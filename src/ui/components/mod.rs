//! Shared pieces of the screens. They take data and render it; none of them calls
//! the server.

mod amount;
mod error_notice;
mod local_time;
mod pager;
mod status_badge;
mod submission;
mod timeline;

pub use amount::{Amount, Withheld, WITHHELD_TITLE};
pub use error_notice::ErrorNotice;
pub use local_time::LocalTime;
pub use pager::Pager;
pub use status_badge::StatusBadge;
pub use submission::Submission;
pub use timeline::Timeline;
