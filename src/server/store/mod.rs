//! The storage boundary. Server functions, the live stream and the simulator talk
//! to [`OrderStore`] only; SQLite is the embedded default and PostgreSQL can stand
//! beside it as another implementation without touching anything above.

mod sqlite;

pub use sqlite::{projection_snapshot, Durability, SqliteStore};

use crate::model::{Order, OrderEvent, OrderId, OrderPage, OrderQuery, RecordedEvent, Refusal};
use std::sync::Arc;
use tokio::sync::broadcast;

/// Why the store could not do what was asked.
#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    /// The lifecycle refused the event; nothing was written.
    #[error("refused: {0}")]
    Refused(#[from] Refusal),
    /// The store is shutting down.
    #[error("the store is closed")]
    Closed,
    /// The database failed; details are logged, not shown.
    #[error("database error: {0}")]
    Database(String),
}

/// Live tail of the log: every committed event, in sequence order.
pub type LiveTail = broadcast::Receiver<Arc<RecordedEvent>>;

/// Everything the rest of the server may ask of the order store.
#[async_trait::async_trait]
pub trait OrderStore: Send + Sync + 'static {
    /// Appends events atomically: all are accepted and committed durably, or none
    /// is written. Returns them with their sequence numbers once committed.
    async fn append(&self, events: Vec<OrderEvent>) -> Result<Vec<RecordedEvent>, StoreError>;

    /// The current state of one order.
    async fn order(&self, id: &OrderId) -> Result<Option<Order>, StoreError>;

    /// One order's whole log, in sequence order.
    async fn order_events(&self, id: &OrderId) -> Result<Vec<RecordedEvent>, StoreError>;

    /// A page of the order list, newest first.
    async fn list_orders(&self, query: &OrderQuery) -> Result<OrderPage, StoreError>;

    /// Events with `seq > after`, optionally for one order, at most `limit`.
    async fn events_after(
        &self,
        after: u64,
        order: Option<&OrderId>,
        limit: u32,
    ) -> Result<Vec<RecordedEvent>, StoreError>;

    /// Paid orders with nothing shipped yet, placed before `placed_before`.
    async fn awaiting_shipment(
        &self,
        placed_before: chrono::DateTime<chrono::Utc>,
    ) -> Result<Vec<Order>, StoreError>;

    /// Throws the projection away and folds it again from the log. Returns the
    /// number of events folded.
    async fn rebuild_projection(&self) -> Result<u64, StoreError>;

    /// The sequence number of the last committed event (0 when empty).
    fn head(&self) -> u64;

    /// Subscribes to events committed from now on. Subscribe before reading
    /// [`OrderStore::head`] so nothing falls between the two.
    fn subscribe(&self) -> LiveTail;
}

/// A shareable handle on whichever store is configured.
pub type Store = Arc<dyn OrderStore>;
