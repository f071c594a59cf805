//! Order Control Room: every order is one event log; each role sees it live.
//!
//! - [`model`]: the pure domain (both targets).
//! - [`api`]: Leptos server functions, the one place both targets meet.
//! - [`i18n`]: zh-CN and en (typed keys from `locales/`, both targets).
//! - `server`: the axum server, store, live stream and demo traffic (`ssr` only).
//! - `ui`: the Leptos single-page app (`csr` only).

pub mod api;
pub mod i18n;
pub mod model;

#[cfg(feature = "ssr")]
pub mod server;

#[cfg(feature = "csr")]
pub mod ui;
