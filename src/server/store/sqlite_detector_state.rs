//! The detectors' state in the store's SQLite file; tables from migrations
//! 0011 and 0013. The schedule and cursor, written after every look, are
//! written by the store's writer in its batches ([`SideWrites`]); reads and
//! the rare settings go through a connection of their own ([`SideConnection`]).

use super::detector_state::{Check, DetectorState, SavedSettings};
use super::side_connection::{parse_time, SideConnection};
use super::sqlite::{time, SideWrites};
use super::{AppendOutcome, StoreError};
use crate::model::detect::DetectorSettings;
use crate::model::{OrderEvent, OrderId};
use chrono::{DateTime, Utc};
use rusqlite::{params, OptionalExtension};
use std::path::Path;

/// SQLite behind the [`DetectorState`] boundary.
pub struct SqliteDetectorState {
    conn: SideConnection,
    writes: SideWrites,
}

impl SqliteDetectorState {
    /// Opens the database at `path` (migrated already by [`super::SqliteStore::open`]),
    /// writing through its store's `writes`.
    pub fn open(path: &Path, writes: SideWrites) -> Result<Self, StoreError> {
        Ok(SqliteDetectorState {
            conn: SideConnection::open(path)?,
            writes,
        })
    }
}

/// A log position as SQLite stores it.
fn stored_seq(seq: u64) -> i64 {
    seq.min(i64::MAX as u64) as i64
}

fn bad(e: impl std::error::Error + Send + Sync + 'static) -> rusqlite::Error {
    rusqlite::Error::FromSqlConversionFailure(0, rusqlite::types::Type::Text, Box::new(e))
}

/// Records `checks` (a check from less of its order's log than the one kept
/// is dropped) and moves the cursor to `cursor`, never back.
fn write_checks(
    tx: &rusqlite::Connection,
    checks: &[Check],
    cursor: Option<u64>,
) -> Result<(), rusqlite::Error> {
    for check in checks {
        let (order, seen) = (check.order.as_str(), stored_seq(check.seen));
        match check.next {
            Some(at) => tx
                .prepare_cached(
                    "INSERT INTO detector_schedule (order_id, due_at, seen_seq) \
                     VALUES (?1, ?2, ?3) \
                     ON CONFLICT (order_id) DO UPDATE SET \
                       due_at = excluded.due_at, seen_seq = excluded.seen_seq \
                     WHERE excluded.seen_seq >= detector_schedule.seen_seq",
                )?
                .execute(params![order, at.timestamp_micros(), seen])?,
            None => tx
                .prepare_cached(
                    "DELETE FROM detector_schedule WHERE order_id = ?1 AND seen_seq <= ?2",
                )?
                .execute(params![order, seen])?,
        };
    }
    if let Some(seq) = cursor {
        tx.prepare_cached(
            "INSERT INTO detector_cursor (id, seq) VALUES (1, ?1) \
             ON CONFLICT (id) DO UPDATE SET seq = max(seq, excluded.seq)",
        )?
        .execute(params![stored_seq(seq)])?;
    }
    Ok(())
}

#[async_trait::async_trait]
impl DetectorState for SqliteDetectorState {
    async fn cursor(&self) -> Result<u64, StoreError> {
        self.conn
            .with(|c| {
                c.query_row("SELECT seq FROM detector_cursor WHERE id = 1", [], |r| {
                    r.get::<_, i64>(0)
                })
                .optional()
                .map(|s| s.unwrap_or(0).max(0) as u64)
            })
            .await
    }

    async fn record_look(
        &self,
        found: Vec<Vec<OrderEvent>>,
        checks: Vec<Check>,
        cursor: Option<u64>,
    ) -> Result<Vec<AppendOutcome>, StoreError> {
        // Left out (`None`) only when an outcome holds the error that says why.
        let (outcomes, _recorded) = self
            .writes
            .append_each_then(found, move |tx| write_checks(tx, &checks, cursor))
            .await?;
        Ok(outcomes)
    }

    async fn due(
        &self,
        now: DateTime<Utc>,
        limit: u32,
    ) -> Result<Vec<(OrderId, DateTime<Utc>)>, StoreError> {
        self.conn
            .with(move |c| {
                c.prepare_cached(
                    "SELECT order_id, due_at FROM detector_schedule WHERE due_at <= ?1 \
                     ORDER BY due_at LIMIT ?2",
                )?
                .query_map(params![now.timestamp_micros(), limit], |r| {
                    let due: i64 = r.get(1)?;
                    Ok((
                        OrderId::parse(r.get::<_, String>(0)?).map_err(bad)?,
                        DateTime::from_timestamp_micros(due).unwrap_or_default(),
                    ))
                })?
                .collect()
            })
            .await
    }

    async fn next_due(&self) -> Result<Option<DateTime<Utc>>, StoreError> {
        self.conn
            .with(|c| {
                let at: Option<i64> =
                    c.query_row("SELECT min(due_at) FROM detector_schedule", [], |r| {
                        r.get(0)
                    })?;
                Ok(at.and_then(DateTime::from_timestamp_micros))
            })
            .await
    }

    async fn recheck_all(&self, now: DateTime<Utc>) -> Result<(), StoreError> {
        self.writes
            .write(move |c| {
                c.execute(
                    "UPDATE detector_schedule SET due_at = ?1 WHERE due_at > ?1",
                    params![now.timestamp_micros()],
                )
                .map(|_| ())
            })
            .await
    }

    async fn waiting(&self) -> Result<u64, StoreError> {
        self.conn
            .with(|c| {
                c.query_row("SELECT count(*) FROM detector_schedule", [], |r| {
                    r.get::<_, i64>(0)
                })
                .map(|n| n.max(0) as u64)
            })
            .await
    }

    async fn settings(&self) -> Result<Option<SavedSettings>, StoreError> {
        self.conn
            .with(|c| {
                c.query_row(
                    "SELECT version, body, saved_by, saved_at FROM detector_settings \
                     ORDER BY version DESC LIMIT 1",
                    [],
                    |r| {
                        let body: String = r.get(1)?;
                        Ok(SavedSettings {
                            version: r.get(0)?,
                            settings: serde_json::from_str(&body).map_err(bad)?,
                            saved_by: r.get(2)?,
                            saved_at: parse_time(&r.get::<_, String>(3)?)?,
                        })
                    },
                )
                .optional()
            })
            .await
    }

    async fn save_settings(
        &self,
        settings: &DetectorSettings,
        saved_by: &str,
    ) -> Result<u32, StoreError> {
        let body = serde_json::to_string(settings)?;
        let saved_by = saved_by.to_string();
        self.conn
            .with(move |c| {
                let tx = c.unchecked_transaction()?;
                let version: u32 = tx.query_row(
                    "SELECT coalesce(max(version), 0) + 1 FROM detector_settings",
                    [],
                    |r| r.get(0),
                )?;
                tx.execute(
                    "INSERT INTO detector_settings (version, body, saved_by, saved_at) \
                     VALUES (?1, ?2, ?3, ?4)",
                    params![version, body, saved_by, time(Utc::now())],
                )?;
                tx.commit()?;
                Ok(version)
            })
            .await
    }
}
