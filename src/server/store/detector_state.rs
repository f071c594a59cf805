//! What the detectors keep beside the log: how far along it they have looked
//! (the cursor), when each order is to be looked at again (the schedule,
//! keyed by the moment), and their settings, each saved version kept. With
//! these the scheduler survives a restart: it catches up from the cursor and
//! finds every pending check where it was left.

use super::{AppendOutcome, StoreError};
use crate::model::detect::DetectorSettings;
use crate::model::{OrderEvent, OrderId};
use chrono::{DateTime, Utc};
use std::sync::Arc;

/// A saved version of the settings.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SavedSettings {
    pub version: u32,
    pub settings: DetectorSettings,
    pub saved_by: String,
    pub saved_at: DateTime<Utc>,
}

/// What a look at an order leaves: when to look again (`None`: nothing to
/// wait for), worked out from its log up to `seen`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Check {
    pub order: OrderId,
    pub next: Option<DateTime<Utc>>,
    pub seen: u64,
}

/// The detectors' own state.
#[async_trait::async_trait]
pub trait DetectorState: Send + Sync + 'static {
    /// The sequence number of the last event the detectors have looked at.
    async fn cursor(&self) -> Result<u64, StoreError>;
    /// Records, in one transaction, the next check of each order just looked
    /// at and, when given, the new cursor. A check worked out from less of
    /// its order's log than the one recorded already is dropped.
    async fn record(&self, checks: Vec<Check>, cursor: Option<u64>) -> Result<(), StoreError> {
        self.record_look(Vec::new(), checks, cursor)
            .await
            .map(|_| ())
    }
    /// Appends what a look found (each order's events an append of its own,
    /// refused alone when its order moved on meanwhile) and records its
    /// checks and cursor as [`DetectorState::record`] does, in one
    /// transaction of the store. Returns each finding's outcome, in order;
    /// when one failed other than by the lifecycle's refusal, its error is
    /// among them and neither checks nor cursor were recorded.
    async fn record_look(
        &self,
        found: Vec<Vec<OrderEvent>>,
        checks: Vec<Check>,
        cursor: Option<u64>,
    ) -> Result<Vec<AppendOutcome>, StoreError>;
    /// Orders whose check is due at `now`, with when it was due, earliest
    /// first, at most `limit`.
    async fn due(
        &self,
        now: DateTime<Utc>,
        limit: u32,
    ) -> Result<Vec<(OrderId, DateTime<Utc>)>, StoreError>;
    /// The earliest check waiting.
    async fn next_due(&self) -> Result<Option<DateTime<Utc>>, StoreError>;
    /// Makes every waiting check due at `now` (new settings may move them).
    async fn recheck_all(&self, now: DateTime<Utc>) -> Result<(), StoreError>;
    /// How many orders have a check waiting.
    async fn waiting(&self) -> Result<u64, StoreError>;
    /// The settings in force: the latest saved version, if any was saved.
    async fn settings(&self) -> Result<Option<SavedSettings>, StoreError>;
    /// Saves a new version of the settings; returns its number.
    async fn save_settings(
        &self,
        settings: &DetectorSettings,
        saved_by: &str,
    ) -> Result<u32, StoreError>;
}

pub type Detectors = Arc<dyn DetectorState>;
