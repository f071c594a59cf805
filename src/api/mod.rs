//! Leptos server functions: the one place the browser and the server meet.
//!
//! Each function is thin: parse the arguments into domain types, call the store,
//! map the outcome to an [`ApiError`] with the right HTTP status. Every endpoint
//! has a stable, explicit URL under `/api/`.

mod error;
mod orders;

#[cfg(feature = "ssr")]
use error::respond;
pub use error::ApiError;
pub use orders::*;
