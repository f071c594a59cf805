//! Tracking links for customers: a capability URL for one order (random
//! token, expiry, revocable, opens counted) that shows the customer a masked
//! view of it, live.
//!
//! - [`links`]: the service: make, list, revoke, open; the audit trail.
//! - [`endpoints`]: the public, sign-in-free HTTP endpoints.
//! - [`open_limit`]: opens per network address and minute.
//! - [`open_counts`]: opens counted in memory, written in batches.

pub mod endpoints;
pub mod links;
pub mod open_counts;
pub mod open_limit;

pub use endpoints::{stream, view};
pub use links::{TrackingError, TrackingLinks};
