//! Tracking links in the store's SQLite file, through a connection of their
//! own (see [`SideConnection`]).

use super::side_connection::{parse_optional_time, parse_time, SideConnection};
use super::sqlite::time;
use super::tracking_links::{CountedOpens, StoredTrackingLink, TrackingLinkStore};
use super::StoreError;
use crate::model::views::tracking_link::TrackingLinkSummary;
use crate::model::OrderId;
use chrono::{DateTime, Utc};
use rusqlite::{params, OptionalExtension, Row};
use std::path::Path;

/// SQLite behind the [`TrackingLinkStore`] boundary.
pub struct SqliteTrackingLinks {
    conn: SideConnection,
}

impl SqliteTrackingLinks {
    /// Opens the database at `path` (migrated already by [`super::SqliteStore::open`]).
    pub fn open(path: &Path) -> Result<Self, StoreError> {
        Ok(SqliteTrackingLinks {
            conn: SideConnection::open(path)?,
        })
    }
}

const COLUMNS: &str =
    "id, order_id, hint, created_at, created_by, expires_at, revoked_at, opened, last_opened_at";

fn link_row(r: &Row<'_>) -> Result<TrackingLinkSummary, rusqlite::Error> {
    let order: String = r.get(1)?;
    Ok(TrackingLinkSummary {
        id: r.get(0)?,
        order_id: OrderId::parse(order).map_err(|e| {
            rusqlite::Error::FromSqlConversionFailure(1, rusqlite::types::Type::Text, Box::new(e))
        })?,
        hint: r.get(2)?,
        created_at: parse_time(&r.get::<_, String>(3)?)?,
        created_by: r.get(4)?,
        expires_at: parse_time(&r.get::<_, String>(5)?)?,
        revoked_at: parse_optional_time(r.get(6)?)?,
        opened: r.get(7)?,
        last_opened_at: parse_optional_time(r.get(8)?)?,
    })
}

#[async_trait::async_trait]
impl TrackingLinkStore for SqliteTrackingLinks {
    async fn insert_link(&self, link: &StoredTrackingLink) -> Result<(), StoreError> {
        let link = link.clone();
        self.conn
            .with(move |c| {
                let s = &link.summary;
                c.execute(
                    "INSERT INTO tracking_links \
                     (id, token_hash, hint, order_id, created_at, created_by, expires_at) \
                     VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
                    params![
                        s.id,
                        link.token_hash,
                        s.hint,
                        s.order_id.as_str(),
                        time(s.created_at),
                        s.created_by,
                        time(s.expires_at)
                    ],
                )?;
                Ok(())
            })
            .await
    }

    async fn links_of(&self, order: &OrderId) -> Result<Vec<TrackingLinkSummary>, StoreError> {
        let order = order.to_string();
        self.conn
            .with(move |c| {
                let mut stmt = c.prepare_cached(&format!(
                    "SELECT {COLUMNS} FROM tracking_links WHERE order_id = ?1 \
                     ORDER BY created_at DESC, id"
                ))?;
                let rows = stmt.query_map([order], link_row)?;
                rows.collect()
            })
            .await
    }

    async fn link_by_hash(
        &self,
        token_hash: &str,
    ) -> Result<Option<TrackingLinkSummary>, StoreError> {
        let token_hash = token_hash.to_string();
        self.conn
            .with(move |c| {
                c.prepare_cached(&format!(
                    "SELECT {COLUMNS} FROM tracking_links WHERE token_hash = ?1"
                ))?
                .query_row([token_hash], link_row)
                .optional()
            })
            .await
    }

    async fn revoke_link(
        &self,
        id: &str,
        at: DateTime<Utc>,
    ) -> Result<Option<TrackingLinkSummary>, StoreError> {
        let id = id.to_string();
        self.conn
            .with(move |c| {
                c.execute(
                    "UPDATE tracking_links SET revoked_at = COALESCE(revoked_at, ?2) WHERE id = ?1",
                    params![id, time(at)],
                )?;
                c.query_row(
                    &format!("SELECT {COLUMNS} FROM tracking_links WHERE id = ?1"),
                    [id],
                    link_row,
                )
                .optional()
            })
            .await
    }

    async fn add_opens(&self, counted: &[CountedOpens]) -> Result<(), StoreError> {
        if counted.is_empty() {
            return Ok(());
        }
        let counted = counted.to_vec();
        self.conn
            .with(move |c| {
                let tx = c.unchecked_transaction()?;
                {
                    let mut stmt = tx.prepare_cached(
                        "UPDATE tracking_links SET opened = opened + ?2, \
                         last_opened_at = MAX(COALESCE(last_opened_at, ''), ?3) WHERE id = ?1",
                    )?;
                    for open in &counted {
                        let opens = i64::try_from(open.opens).unwrap_or(i64::MAX);
                        stmt.execute(params![open.id, opens, time(open.last_at)])?;
                    }
                }
                tx.commit()
            })
            .await
    }
}
