//! The storage boundary for tracking links: only a SHA-256 of each token is
//! stored, with the order it opens, who made it and when, its expiry, its
//! revocation and how often it was opened (counted in memory, written in
//! batches: see `tracking::open_counts`).

use super::StoreError;
use crate::model::views::tracking_link::TrackingLinkSummary;
use crate::model::OrderId;
use chrono::{DateTime, Utc};
use std::sync::Arc;

/// A tracking link as stored: the token's hash, never the token.
#[derive(Debug, Clone)]
pub struct StoredTrackingLink {
    pub summary: TrackingLinkSummary,
    pub token_hash: String,
}

/// Tracking links, behind the same storage boundary as the log.
#[async_trait::async_trait]
pub trait TrackingLinkStore: Send + Sync + 'static {
    async fn insert_link(&self, link: &StoredTrackingLink) -> Result<(), StoreError>;
    /// The links of one order, newest first.
    async fn links_of(&self, order: &OrderId) -> Result<Vec<TrackingLinkSummary>, StoreError>;
    /// The link whose token hashes to `token_hash`, whatever its state.
    async fn link_by_hash(
        &self,
        token_hash: &str,
    ) -> Result<Option<TrackingLinkSummary>, StoreError>;
    /// Marks a link revoked (once: a second revocation keeps the first time).
    /// `Ok(None)` when there is no such link.
    async fn revoke_link(
        &self,
        id: &str,
        at: DateTime<Utc>,
    ) -> Result<Option<TrackingLinkSummary>, StoreError>;
    /// Adds opens counted in memory to their links, all in one write (links
    /// that no longer exist are skipped).
    async fn add_opens(&self, counted: &[CountedOpens]) -> Result<(), StoreError>;
}

/// Opens of one link counted since its count was last written.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CountedOpens {
    pub id: String,
    pub opens: u64,
    pub last_at: DateTime<Utc>,
}

/// A shareable handle on the configured tracking link store.
pub type TrackingLinkStoreHandle = Arc<dyn TrackingLinkStore>;
