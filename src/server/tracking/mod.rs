//! Tracking links for customers: a capability URL for one order (random
//! token, expiry, revocable, opens counted) that shows the customer a masked
//! view of it, live.
//!
//! - [`links`]: the service: make, list, revoke, open; the audit trail.
//! - [`endpoints`]: the public, sign-in-free HTTP endpoints.

pub mod endpoints;
pub mod links;

pub use endpoints::{stream, view};
pub use links::{TrackingError, TrackingLinks};
