//! Order Control Room: every order is one event log; each role sees it live.
//!
//! - [`model`]: the pure domain (both targets).
//! - [`api`]: Leptos server functions, the one place both targets meet.
//! - `server`: the axum server, store, live stream and demo traffic (`ssr` only).
//! - `ui`: the Leptos single-page app (`csr` only).

pub mod api;
pub mod model;

#[cfg(feature = "ssr")]
pub mod server;

#[cfg(feature = "csr")]
pub mod ui;
