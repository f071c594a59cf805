//! The domain's values in words, per language: statuses, roles, channels and
//! the rest of what the model states as facts. The model never holds a
//! sentence; whoever shows a value asks here, with the reader's [`Locale`].
//! One function per kind of value, so a value reads the same on every desk.

mod api_error;
mod labels;

pub use api_error::api_error;
pub use labels::{channel, role, roles, status};
