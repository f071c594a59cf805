//! The server (`ssr` only): configuration, the order store, the live stream,
//! demo traffic and detectors, assembled into one axum application.

pub mod app;
pub mod assets;
pub mod auth;
pub mod bench;
pub mod bench_watch;
pub mod clock;
pub mod config;
pub mod connections;
pub mod customer;
pub mod demo;
pub mod detectors;
pub mod exception_queue;
pub mod export;
pub mod ingest;
pub mod live;
pub mod logged_text;
pub mod order_ids;
pub mod public_origin;
pub mod request_log;
pub mod robots;
pub mod security;
pub mod store;
pub mod tracking;
pub mod warehouses;

use store::Store;

/// What every request handler and server function may use.
#[derive(Clone)]
pub struct AppState {
    pub store: Store,
    pub auth: std::sync::Arc<auth::Auth>,
    pub integrations: std::sync::Arc<ingest::Integrations>,
    /// Tracking links for customers.
    pub tracking: std::sync::Arc<tracking::TrackingLinks>,
    /// The detectors: their settings in force and the task following the log.
    pub detectors: std::sync::Arc<detectors::Watch>,
    /// Warehouses and their stock.
    pub warehouses: store::Warehouses,
    /// Open live streams per session.
    pub streams: std::sync::Arc<live::StreamCount>,
    /// Open connections and live streams, within their caps.
    pub connections: std::sync::Arc<connections::Limits>,
    /// Cancelled when the server shuts down, so open live streams end.
    pub shutdown: tokio_util::sync::CancellationToken,
}
