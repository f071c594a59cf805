//! Leptos server functions: the one place the browser and the server meet.
//!
//! Each function is thin: check the caller's permission (before any work),
//! parse the arguments into domain types, call the store or the auth service,
//! map the outcome to an [`ApiError`]. Every endpoint has a stable, explicit URL
//! under `/api/`; the server answers a failure with the error's own HTTP status.

#[cfg(feature = "ssr")]
mod access;
mod admin;
#[cfg(feature = "ssr")]
mod arguments;
mod auth;
mod customer;
mod desk;
mod detector_settings;
mod error;
mod exceptions;
#[cfg(feature = "ssr")]
pub mod gate;
mod integrations;
mod mentions;
mod orders;
#[cfg(feature = "ssr")]
mod seen;
mod tracking;
mod warehouses;

pub use admin::*;
pub use auth::*;
pub use customer::*;
pub use desk::*;
pub use detector_settings::*;
pub use error::{AccountRefusal, ApiError};
pub use exceptions::*;
pub use integrations::*;
pub use mentions::*;
pub use orders::*;
pub use tracking::*;
pub use warehouses::*;
