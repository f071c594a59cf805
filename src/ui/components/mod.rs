//! Shared pieces of the screens. They take data and render it; none of them calls
//! the server.

mod error_notice;
mod local_time;
mod status_badge;
mod timeline;

pub use error_notice::ErrorNotice;
pub use local_time::LocalTime;
pub use status_badge::StatusBadge;
pub use timeline::Timeline;
