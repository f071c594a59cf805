//! The storage boundary. Server functions, the live stream and the simulator talk
//! to [`OrderStore`] only; SQLite is the embedded default and PostgreSQL can stand
//! beside it as another implementation without touching anything above.

mod sqlite;
mod sqlite_accounts;

pub use sqlite::{projection_snapshot, Durability, SqliteStore};
pub use sqlite_accounts::SqliteAccounts;

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

    /// The order a channel knows by `channel_order_id`.
    async fn order_for_channel(
        &self,
        channel: crate::model::Channel,
        channel_order_id: &str,
    ) -> Result<Option<Order>, StoreError>;

    /// The order whose parcel carries `waybill`.
    async fn order_for_waybill(&self, waybill: &str) -> Result<Option<Order>, StoreError>;

    /// Records a delivery from another system and appends its events in one
    /// transaction. A delivery already stored under the same integration and
    /// dedupe key is a duplicate: it is listed, and nothing is appended.
    async fn ingest(
        &self,
        delivery: NewDelivery,
        events: Vec<Reported>,
    ) -> Result<Ingested, StoreError>;

    /// Lists a delivery that was refused before it could be stored.
    async fn reject_delivery(&self, integration: &str, reason: &str) -> Result<(), StoreError>;

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

/// A staff account as stored (with its password hash, which never leaves the server).
#[derive(Debug, Clone)]
pub struct StoredUser {
    pub id: String,
    pub username: String,
    pub display_name: String,
    pub roles: Vec<crate::model::Role>,
    pub password_hash: String,
    pub disabled: bool,
    pub created_at: chrono::DateTime<chrono::Utc>,
}

/// A session as stored: the token itself is never stored, only its hash.
#[derive(Debug, Clone)]
pub struct StoredSession {
    pub id: String,
    pub token_hash: String,
    pub user_id: String,
    pub address: String,
    pub created_at: chrono::DateTime<chrono::Utc>,
    pub last_seen_at: chrono::DateTime<chrono::Utc>,
    pub expires_at: chrono::DateTime<chrono::Utc>,
}

/// An entry to add to the audit trail.
#[derive(Debug, Clone)]
pub struct NewAudit {
    pub kind: crate::model::account::AuditKind,
    pub username: Option<String>,
    pub address: String,
    pub detail: String,
}

/// Accounts, sessions and the audit trail, behind the same storage boundary.
#[async_trait::async_trait]
pub trait AccountStore: Send + Sync + 'static {
    /// Adds an account; `Ok(false)` when the username is taken.
    async fn insert_user(&self, user: &StoredUser) -> Result<bool, StoreError>;
    async fn user_by_name(&self, username: &str) -> Result<Option<StoredUser>, StoreError>;
    async fn user(&self, id: &str) -> Result<Option<StoredUser>, StoreError>;
    async fn users(&self) -> Result<Vec<StoredUser>, StoreError>;
    /// `Ok(false)` when there is no such account.
    async fn set_password_hash(&self, id: &str, hash: &str) -> Result<bool, StoreError>;
    async fn set_disabled(&self, id: &str, disabled: bool) -> Result<bool, StoreError>;

    async fn insert_session(&self, session: &StoredSession) -> Result<(), StoreError>;
    async fn session_by_token(&self, token_hash: &str)
        -> Result<Option<StoredSession>, StoreError>;
    async fn touch_session(
        &self,
        id: &str,
        at: chrono::DateTime<chrono::Utc>,
    ) -> Result<(), StoreError>;
    async fn sessions(&self) -> Result<Vec<StoredSession>, StoreError>;
    /// `Ok(false)` when there is no such session.
    async fn delete_session(&self, id: &str) -> Result<bool, StoreError>;
    async fn delete_sessions_of(&self, user_id: &str) -> Result<u64, StoreError>;

    async fn record(&self, entry: NewAudit) -> Result<(), StoreError>;
    async fn audit(
        &self,
        page: u32,
        per_page: u32,
        kind: Option<crate::model::account::AuditKind>,
    ) -> Result<crate::model::account::AuditPage, StoreError>;
}

/// A shareable handle on the configured account store.
pub type Accounts = Arc<dyn AccountStore>;

/// A delivery as it is stored.
#[derive(Debug, Clone)]
pub struct NewDelivery {
    pub integration: String,
    pub dedupe_key: String,
    pub body: Vec<u8>,
    /// `Pending` keeps the delivery (for an order not known yet) without events.
    pub pending: Option<String>,
}

/// An event another system reported, with the dialect value behind it: if the
/// lifecycle refuses the event, a `status_reported` event keeps the fact instead.
#[derive(Debug, Clone)]
pub struct Reported {
    pub event: OrderEvent,
    pub dialect: String,
    pub value: String,
}

/// What became of a delivery.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Ingested {
    Accepted(Vec<RecordedEvent>),
    Pending,
    Duplicate,
}
