//! Leptos server functions: the one place the browser and the server meet.
//!
//! Each function is thin: parse the arguments into domain types, call the store,
//! map the outcome to an [`ApiError`]. Every endpoint has a stable, explicit URL
//! under `/api/`; the server answers a failure with the error's own HTTP status.

mod error;
mod orders;

pub use error::ApiError;
pub use orders::*;
