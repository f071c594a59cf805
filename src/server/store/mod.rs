//! The storage boundary. Server functions, the live stream and the simulator talk
//! to [`OrderStore`] only; SQLite is the embedded default and PostgreSQL can stand
//! beside it as another implementation without touching anything above.

pub mod detector_state;
mod side_connection;
mod sqlite;
mod sqlite_accounts;
mod sqlite_detector_state;
mod sqlite_integrations;
mod sqlite_tracking_links;
mod sqlite_warehouses;
mod tracking_links;
mod wal_bound;
mod warehouses;

pub use sqlite::{
    projection_snapshot, projection_tables, Durability, ProjectionSnapshot, SideWrites, SqliteStore,
};
pub use sqlite_accounts::SqliteAccounts;
pub use sqlite_detector_state::SqliteDetectorState;
pub use sqlite_integrations::SqliteIntegrations;
pub use sqlite_tracking_links::SqliteTrackingLinks;
pub use sqlite_warehouses::SqliteWarehouses;
pub use tracking_links::{
    CountedOpens, StoredTrackingLink, TrackingLinkStore, TrackingLinkStoreHandle,
};
pub use wal_bound::{WalBound, WalReport};
pub use warehouses::{WarehouseStore, Warehouses};

use crate::model::{Order, OrderEvent, OrderId, OrderQuery, OrderRows, RecordedEvent, Refusal};
use std::sync::Arc;
use tokio::sync::broadcast;

/// Why the store could not do what was asked. The store logs none of these: the
/// caller that gives up on a request logs it once, source included (each
/// variant's text carries its source's, and `source()` gives the error itself).
#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    /// The lifecycle refused the event; nothing was written.
    #[error("refused: {0}")]
    Refused(#[from] Refusal),
    /// The store is shutting down.
    #[error("the store is closed")]
    Closed,
    /// SQLite failed.
    #[error("sqlite: {0}")]
    Sqlite(#[from] rusqlite::Error),
    /// A stored row did not decode (or a value did not encode) as JSON.
    #[error("stored JSON: {0}")]
    Json(#[from] serde_json::Error),
    /// The schema could not be brought up to date.
    #[error("schema migration: {0}")]
    Migration(#[from] rusqlite_migration::Error),
    /// No read connection could be had.
    #[error("read connection pool: {0}")]
    Pool(#[from] r2d2::Error),
    /// The store's directory or threads could not be set up.
    #[error("store files: {0}")]
    Io(#[from] std::io::Error),
    /// A blocking task of the store panicked or was cancelled.
    #[error("store task: {0}")]
    Task(#[from] tokio::task::JoinError),
    /// A connection's lock was poisoned by a panic while it was held.
    #[error("a store connection was poisoned by a panic")]
    Poisoned,
    /// The log holds an event its order's state refuses: the projections cannot
    /// be folded from it.
    #[error("the log does not fold at seq {seq}: {refusal}")]
    Unfoldable {
        seq: u64,
        #[source]
        refusal: Refusal,
    },
    /// The batch this append was committed in failed as a whole.
    #[error("the commit of this append's batch failed: {0}")]
    Batch(#[source] Arc<StoreError>),
}

/// Live tail of the log: every committed event, in sequence order.
pub type LiveTail = broadcast::Receiver<Arc<LiveEvent>>;

/// A committed event on the live tail, with its JSON as stored in the log
/// (encoded once by the writer, so a thousand viewers do not encode it again).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LiveEvent {
    pub record: RecordedEvent,
    pub json: String,
    /// The live stream's frame of this event for the full lens, encoded once
    /// by the first viewer that sends it and shared by the others.
    pub full_frame: std::sync::OnceLock<axum::body::Bytes>,
}

impl std::ops::Deref for LiveEvent {
    type Target = RecordedEvent;
    fn deref(&self) -> &RecordedEvent {
        &self.record
    }
}

/// Everything the rest of the server may ask of the order store.
#[async_trait::async_trait]
pub trait OrderStore: Send + Sync + 'static {
    /// Appends events atomically: all are accepted and committed durably, or none
    /// is written. Returns them with their sequence numbers once committed.
    /// People's actions and the detectors' findings go this way: ahead of
    /// whatever the feeds have queued.
    async fn append(&self, events: Vec<OrderEvent>) -> Result<Vec<RecordedEvent>, StoreError>;

    /// [`OrderStore::append`] for events arriving in bulk from a feed (the
    /// demo's simulated platforms, a history being written): they queue with
    /// the webhook deliveries, behind people's and the detectors' appends.
    async fn append_fed(&self, events: Vec<OrderEvent>) -> Result<Vec<RecordedEvent>, StoreError>;

    /// The current state of one order.
    async fn order(&self, id: &OrderId) -> Result<Option<Order>, StoreError>;

    /// One order's whole log, in sequence order.
    async fn order_events(&self, id: &OrderId) -> Result<Vec<RecordedEvent>, StoreError>;

    /// The events of one order that happened at one of `times`, in sequence order.
    async fn order_events_at(
        &self,
        id: &OrderId,
        times: Vec<chrono::DateTime<chrono::Utc>>,
    ) -> Result<Vec<RecordedEvent>, StoreError> {
        let mut events = self.order_events(id).await?;
        events.retain(|e| times.contains(&e.event.occurred_at));
        Ok(events)
    }

    /// A page of the order list, newest first, at `query.at` (keyset pages),
    /// with the totals of its filters. Its search text is not looked at here:
    /// a search is [`OrderStore::search_orders`].
    async fn list_orders(&self, query: &OrderQuery) -> Result<OrderRows, StoreError>;

    /// The orders `plan` finds (one index seek per lookup), within the
    /// status, channel and open-exception filters of `query`: the newest
    /// [`crate::model::views::search::MAX_FOUND`], each with the field it matched.
    async fn search_orders(
        &self,
        plan: &crate::model::views::search::SearchPlan,
        query: &OrderQuery,
    ) -> Result<OrderRows, StoreError>;

    /// The orders placed at or after `since` by the customer with this phone
    /// number (compared as the search index keeps phones: its digits, without
    /// `+86`), newest first, at most `limit`: one index range, whatever the
    /// store's size.
    async fn customer_orders(
        &self,
        phone: &str,
        since: chrono::DateTime<chrono::Utc>,
        limit: u32,
    ) -> Result<Vec<Order>, StoreError>;

    /// Many orders in one read (the detectors' look at a batch): each id's
    /// current state, `None` for an unknown one, in the order asked.
    async fn orders_by_id(&self, ids: Vec<OrderId>) -> Result<Vec<Option<Order>>, StoreError>;

    /// [`OrderStore::customer_orders`] for many customers in one read: for
    /// each ask, the customer's orders besides the one asking, in the order
    /// asked.
    async fn customers_orders(
        &self,
        asks: Vec<CustomerAsk>,
        limit: u32,
    ) -> Result<Vec<Vec<Order>>, StoreError>;

    /// Events with `seq > after`, optionally for one order, at most `limit`.
    async fn events_after(
        &self,
        after: u64,
        order: Option<&OrderId>,
        limit: u32,
    ) -> Result<Vec<RecordedEvent>, StoreError>;

    /// The order of each event with `seq > after`, in order, at most `limit`
    /// (for following the log without reading the events themselves).
    async fn orders_changed_after(
        &self,
        after: u64,
        limit: u32,
    ) -> Result<Vec<(u64, OrderId)>, StoreError>;

    /// Open exceptions with `code`, in order of raising, after `after`
    /// (raised µs, order, parcel; exclusive), at most `limit`; those snoozed
    /// past `now` only when `snoozed`.
    async fn queue_entries(
        &self,
        code: crate::model::ExceptionCode,
        after: (i64, String, String),
        now: chrono::DateTime<chrono::Utc>,
        snoozed: bool,
        limit: u32,
    ) -> Result<Vec<crate::model::views::exception_queue::QueueEntry>, StoreError>;

    /// How many exceptions with these codes are open, and how many of those
    /// are snoozed past `now`.
    async fn queue_counts(
        &self,
        codes: Vec<crate::model::ExceptionCode>,
        now: chrono::DateTime<chrono::Utc>,
    ) -> Result<(u64, u64), StoreError>;

    /// The order a channel knows by `channel_order_id`.
    async fn order_for_channel(
        &self,
        channel: crate::model::Channel,
        channel_order_id: &str,
    ) -> Result<Option<Order>, StoreError>;

    /// The order whose parcel carries `waybill`.
    async fn order_for_waybill(&self, waybill: &str) -> Result<Option<Order>, StoreError>;

    /// Several orders at once, by channel id and by waybill (one delivery may
    /// name many). Unknown ones are absent from the answer.
    async fn find_orders(
        &self,
        by_channel: Vec<(crate::model::Channel, String)>,
        by_waybill: Vec<String>,
    ) -> Result<FoundOrders, StoreError> {
        let mut found = FoundOrders::default();
        for (channel, id) in by_channel {
            if let Some(order) = self.order_for_channel(channel, &id).await? {
                found.by_channel.insert((channel, id), order);
            }
        }
        for waybill in by_waybill {
            if let Some(order) = self.order_for_waybill(&waybill).await? {
                found.by_waybill.insert(waybill, order);
            }
        }
        Ok(found)
    }

    /// Records a delivery from another system and appends its events in one
    /// transaction. A new delivery already stored under the same integration
    /// and dedupe key is a duplicate: it is listed, and nothing is appended.
    async fn ingest(&self, row: DeliveryRow, events: Vec<Reported>) -> Result<Receipt, StoreError>;

    /// Lists a delivery that was refused before it could be stored.
    async fn reject_delivery(
        &self,
        integration: &str,
        dedupe_key: Option<&str>,
        reason: &str,
    ) -> Result<(), StoreError>;

    /// Throws the projections away and folds them again from the log. Returns
    /// the number of events folded.
    async fn rebuild_projection(&self) -> Result<u64, StoreError>;

    /// The sequence number of the last committed event (0 when empty).
    fn head(&self) -> u64;

    /// Subscribes to events committed from now on. Subscribe before reading
    /// [`OrderStore::head`] so nothing falls between the two.
    fn subscribe(&self) -> LiveTail;

    /// The notes that mention `username` with `seq < before`, newest first,
    /// at most `limit`.
    async fn mentions_of(
        &self,
        username: &str,
        before: u64,
        limit: u32,
    ) -> Result<Vec<RecordedEvent>, StoreError>;

    /// How many notes mention `username` after the log position `after`, up
    /// to and including `up_to`.
    async fn mentions_between(
        &self,
        username: &str,
        after: u64,
        up_to: u64,
    ) -> Result<u64, StoreError>;

    /// What the log says of every warehouse kept (see [`WarehouseStore`]):
    /// backlog, oldest waiting order, orders with an exception open, and
    /// orders shipped per hour from hour `since` on; with the log position
    /// the figures include every event up to. Index seeks per warehouse.
    async fn warehouse_figures(
        &self,
        since: crate::model::warehouse::HourBucket,
    ) -> Result<
        (
            Vec<crate::model::views::warehouse_load::WarehouseFigures>,
            u64,
        ),
        StoreError,
    >;

    /// Orders with `code` standing raised while they wait in warehouse
    /// `name` (an order once per parcel it stands raised for), at most
    /// `limit`. One index seek.
    async fn raised_in_warehouse(
        &self,
        name: &str,
        code: crate::model::ExceptionCode,
        limit: u32,
    ) -> Result<Vec<OrderId>, StoreError>;

    /// Warehouse `name`'s backlog (orders allocated to it, nothing shipped,
    /// not cancelled, refunded or returned) against its daily capacity;
    /// `Ok(None)` when no warehouse of that name is kept. Two index seeks.
    async fn warehouse_load(
        &self,
        name: &str,
    ) -> Result<Option<crate::model::views::warehouse_load::WarehouseLoad>, StoreError>;
}

/// Orders found by [`OrderStore::find_orders`].
#[derive(Debug, Default)]
pub struct FoundOrders {
    pub by_channel: std::collections::HashMap<(crate::model::Channel, String), Order>,
    pub by_waybill: std::collections::HashMap<String, Order>,
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
    /// The language they chose; `None` follows their browser.
    pub language: Option<crate::i18n::Locale>,
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
    pub kind: crate::model::access::account::AuditKind,
    pub username: Option<String>,
    pub address: String,
    pub detail: String,
}

/// What a change that must leave an enabled admin (disabling an account,
/// changing its roles) came to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AdminGuarded {
    Done,
    NotFound,
    /// Refused: it would leave no enabled account with the Admin role.
    LastAdmin,
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
    /// The log position up to which the account has read its mentions.
    async fn mentions_read(&self, id: &str) -> Result<u64, StoreError>;
    /// Marks the account's mentions read up to `seq` (never back).
    async fn mark_mentions_read(&self, id: &str, seq: u64) -> Result<(), StoreError>;
    /// `Ok(false)` when there is no such account.
    async fn set_language(
        &self,
        id: &str,
        language: crate::i18n::Locale,
    ) -> Result<bool, StoreError>;

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
    /// Ends all but the `keep` newest sessions of `user_id`; returns the ids ended.
    async fn keep_newest_sessions(
        &self,
        user_id: &str,
        keep: usize,
    ) -> Result<Vec<String>, StoreError>;
    /// Disables an account unless that would leave no enabled admin (checked
    /// and done in one statement, so two admins cannot disable each other).
    async fn disable_unless_last_admin(&self, id: &str) -> Result<AdminGuarded, StoreError>;
    /// Sets an account's roles unless that would take the Admin role from the
    /// last enabled admin (checked and done in one statement, as above).
    async fn set_roles_unless_last_admin(
        &self,
        id: &str,
        roles: &[crate::model::Role],
    ) -> Result<AdminGuarded, StoreError>;

    async fn record(&self, entry: NewAudit) -> Result<(), StoreError>;
    /// Removes audit entries from before `before`; returns how many.
    async fn prune_audit(&self, before: chrono::DateTime<chrono::Utc>) -> Result<u64, StoreError>;
    async fn audit(
        &self,
        page: u32,
        per_page: u32,
        kind: Option<crate::model::access::account::AuditKind>,
    ) -> Result<crate::model::access::account::AuditPage, StoreError>;
}

/// A shareable handle on the configured account store.
pub type Accounts = Arc<dyn AccountStore>;

/// A delivery as it is stored.
#[derive(Debug, Clone)]
pub struct NewDelivery {
    pub integration: String,
    pub dedupe_key: String,
    pub body: Vec<u8>,
    /// The headers the adapter reads, kept so it can be processed again.
    pub headers: Vec<(String, String)>,
    /// Keeps the delivery (for an order not known yet) without events.
    pub pending: Option<Awaiting>,
}

/// What a pending delivery waits for.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Awaiting {
    /// Why it is pending, for people.
    pub reason: String,
    /// `order:<channel>:<channel order id>` or `waybill:<number>`.
    pub key: String,
}

impl Awaiting {
    pub fn order(channel: crate::model::Channel, channel_order_id: &str) -> Awaiting {
        Awaiting {
            reason: format!(
                "no order with {} order id {channel_order_id} yet",
                channel.as_str()
            ),
            key: format!("order:{}:{channel_order_id}", channel.as_str()),
        }
    }

    pub fn waybill(waybill: &str) -> Awaiting {
        Awaiting {
            reason: format!("no parcel with waybill {waybill} yet"),
            key: format!("waybill:{waybill}"),
        }
    }
}

/// An event to append for a delivery, and what to do if the lifecycle refuses it.
#[derive(Debug, Clone)]
pub struct Reported {
    pub event: OrderEvent,
    pub if_refused: IfRefused,
}

/// What becomes of a delivered event the lifecycle refuses.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum IfRefused {
    /// Keep the fact as a `status_reported` event with the dialect value behind it.
    Keep { dialect: String, value: String },
    /// Leave it out (a replay that finds the log has it already).
    Skip,
    /// Refuse the whole delivery (the timeline API: the caller hears why).
    Fail,
}

/// Which delivery row the events are written with.
#[derive(Debug, Clone)]
pub enum DeliveryRow {
    /// A new delivery (deduplicated by integration and key).
    New(NewDelivery),
    /// A pending delivery whose order is known now: it becomes accepted.
    Settle { id: i64 },
    /// An admin replays stored delivery `of`: a new `replayed` row.
    Replay { of: i64, integration: String },
}

/// What became of a delivery.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Ingested {
    Accepted(Vec<RecordedEvent>),
    Pending,
    /// Seen before (or, when settling, no longer pending): nothing appended.
    Duplicate,
}

/// The delivery log row written, and what became of the delivery.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Receipt {
    /// The row in the delivery log (none for a plain append).
    pub delivery_id: Option<i64>,
    pub outcome: Ingested,
}

/// What one append of several sent together came to: the events recorded,
/// or why not.
pub type AppendOutcome = Result<Vec<RecordedEvent>, StoreError>;

/// One customer asked about in [`OrderStore::customers_orders`]: the orders
/// placed at or after `since` with this phone number, besides `besides`
/// (the order asking, which the reader would only throw away).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CustomerAsk {
    pub phone: String,
    pub since: chrono::DateTime<chrono::Utc>,
    pub besides: Option<OrderId>,
}

/// A stored delivery, as needed to process it again.
#[derive(Debug, Clone)]
pub struct StoredDelivery {
    pub id: i64,
    pub integration: String,
    pub headers: Vec<(String, String)>,
    pub body: Vec<u8>,
}

/// A stored secret with its value (server side only).
#[derive(Debug, Clone)]
pub struct StoredSecret {
    pub integration: crate::model::Integration,
    pub previous: bool,
    pub secret: String,
    pub info: crate::model::ingest::integration::SecretInfo,
}

/// An API key as stored: only its hash.
#[derive(Debug, Clone)]
pub struct StoredApiKey {
    pub summary: crate::model::ingest::integration::ApiKeySummary,
    pub key_hash: String,
}

/// Integration settings and the delivery log, behind the same storage boundary.
#[async_trait::async_trait]
pub trait IntegrationStore: Send + Sync + 'static {
    async fn secrets(&self) -> Result<Vec<StoredSecret>, StoreError>;
    /// Makes `secret` current; the current one becomes previous until
    /// `previous_until` (dropped when `None`).
    async fn rotate_secret(
        &self,
        integration: crate::model::Integration,
        secret: &str,
        set_by: &str,
        at: chrono::DateTime<chrono::Utc>,
        previous_until: Option<chrono::DateTime<chrono::Utc>>,
    ) -> Result<(), StoreError>;
    /// Forgets the previous secret; `Ok(false)` when there was none.
    async fn drop_previous_secret(
        &self,
        integration: crate::model::Integration,
    ) -> Result<bool, StoreError>;

    /// Rows an admin added or changed.
    async fn mapping_overrides(
        &self,
    ) -> Result<Vec<crate::model::ingest::integration::MappingRow>, StoreError>;
    async fn set_mapping(
        &self,
        row: &crate::model::ingest::integration::MappingRow,
    ) -> Result<(), StoreError>;
    /// Reported values by dialect and value, with counts (mapped ones included;
    /// the caller leaves those out).
    async fn reported_values(
        &self,
    ) -> Result<Vec<crate::model::ingest::integration::UnmappedValue>, StoreError>;

    async fn deliveries(
        &self,
        query: &crate::model::ingest::integration::DeliveryQuery,
    ) -> Result<crate::model::ingest::integration::DeliveryPage, StoreError>;
    async fn delivery(
        &self,
        id: i64,
    ) -> Result<
        Option<(
            crate::model::ingest::integration::DeliveryDetail,
            Option<StoredDelivery>,
        )>,
        StoreError,
    >;
    /// Pending deliveries waiting for `key`, oldest first.
    async fn awaiting(&self, key: &str) -> Result<Vec<StoredDelivery>, StoreError>;
    /// Whether a delivery of `integration` under `dedupe_key` is stored
    /// (accepted or pending): a read, so a duplicate costs the writer nothing.
    async fn delivery_stored(
        &self,
        integration: &str,
        dedupe_key: &str,
    ) -> Result<bool, StoreError>;
    /// When each integration last sent a delivery whose signature held
    /// (accepted, pending or duplicate rows), read once at start.
    async fn last_verified(
        &self,
    ) -> Result<Vec<(String, chrono::DateTime<chrono::Utc>)>, StoreError>;
    /// One batch of the delivery log's retention, over at most `batch` rows
    /// after row `after`, received before `before`: refused, duplicate and
    /// replayed rows are deleted; accepted ones lose their body and headers
    /// (their dedupe key stays, so a replay of them is still a duplicate);
    /// pending ones are kept.
    async fn prune_deliveries(
        &self,
        before: chrono::DateTime<chrono::Utc>,
        after: i64,
        batch: u32,
    ) -> Result<PrunedBatch, StoreError>;

    async fn insert_api_key(&self, key: &StoredApiKey) -> Result<(), StoreError>;
    async fn api_keys(&self) -> Result<Vec<StoredApiKey>, StoreError>;
    /// `Ok(None)` when there is no such key.
    async fn revoke_api_key(
        &self,
        id: &str,
        at: chrono::DateTime<chrono::Utc>,
    ) -> Result<Option<StoredApiKey>, StoreError>;
    async fn touch_api_key(
        &self,
        id: &str,
        at: chrono::DateTime<chrono::Utc>,
    ) -> Result<(), StoreError>;
}

/// What one batch of the delivery log's retention did.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct PrunedBatch {
    pub deleted: u64,
    /// Accepted rows whose body and headers were dropped.
    pub slimmed: u64,
    /// The last row looked at; `None` when no row older than the cutoff is left
    /// after `after`.
    pub last: Option<i64>,
}

/// A shareable handle on the configured integration store.
pub type IntegrationSettings = Arc<dyn IntegrationStore>;
