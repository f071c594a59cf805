//! Integration settings (secrets, mapping overrides, API keys) and the delivery
//! log's reads, in the same SQLite file through a connection of their own.
//! Deliveries themselves are written by the log's writer thread, in the same
//! transaction as their events.

use super::side_connection::{parse_optional_time, parse_time, SideConnection};
use super::sqlite::time;
use super::{
    IntegrationStore, PrunedBatch, StoreError, StoredApiKey, StoredDelivery, StoredSecret,
};
use crate::model::ingest::integration::{
    ApiKeySummary, DeliveryDetail, DeliveryOutcome, DeliveryPage, DeliveryQuery, DeliverySummary,
    MappingRow, SecretInfo, UnmappedValue, DELIVERIES_PER_PAGE,
};
use crate::model::{Integration, OrderId};
use chrono::{DateTime, Utc};
use rusqlite::{params, OptionalExtension, Row};
use std::path::Path;

/// SQLite behind the [`IntegrationStore`] boundary.
pub struct SqliteIntegrations {
    conn: SideConnection,
}

impl SqliteIntegrations {
    /// Opens the database at `path` (migrated already by [`super::SqliteStore::open`]).
    pub fn open(path: &Path) -> Result<Self, StoreError> {
        Ok(SqliteIntegrations {
            conn: SideConnection::open(path)?,
        })
    }
}

fn conversion(e: impl std::error::Error + Send + Sync + 'static) -> rusqlite::Error {
    rusqlite::Error::FromSqlConversionFailure(0, rusqlite::types::Type::Text, Box::new(e))
}

const DELIVERY_COLUMNS: &str =
    "id, integration, dedupe_key, received_at, outcome, reason, events, body IS NOT NULL";

fn delivery_row(r: &Row<'_>) -> Result<DeliverySummary, rusqlite::Error> {
    let outcome: String = r.get(4)?;
    let stored: bool = r.get(7)?;
    let outcome = DeliveryOutcome::parse(&outcome).unwrap_or(DeliveryOutcome::Rejected);
    Ok(DeliverySummary {
        id: r.get(0)?,
        integration: r.get(1)?,
        dedupe_key: r.get(2)?,
        received_at: parse_time(&r.get::<_, String>(3)?)?,
        outcome,
        reason: r.get(5)?,
        events: r.get(6)?,
        replayable: stored
            && matches!(
                outcome,
                DeliveryOutcome::Accepted | DeliveryOutcome::Pending
            ),
    })
}

fn headers_of(text: Option<String>) -> Vec<(String, String)> {
    text.and_then(|t| serde_json::from_str(&t).ok())
        .unwrap_or_default()
}

const API_KEY_COLUMNS: &str =
    "id, name, prefix, key_hash, created_at, created_by, last_used_at, revoked_at";

fn api_key_row(r: &Row<'_>) -> Result<StoredApiKey, rusqlite::Error> {
    Ok(StoredApiKey {
        summary: ApiKeySummary {
            id: r.get(0)?,
            name: r.get(1)?,
            prefix: r.get(2)?,
            created_at: parse_time(&r.get::<_, String>(4)?)?,
            created_by: r.get(5)?,
            last_used_at: parse_optional_time(r.get(6)?)?,
            revoked_at: parse_optional_time(r.get(7)?)?,
        },
        key_hash: r.get(3)?,
    })
}

#[async_trait::async_trait]
impl IntegrationStore for SqliteIntegrations {
    async fn secrets(&self) -> Result<Vec<StoredSecret>, StoreError> {
        self.conn
            .with(|c| {
                let mut stmt = c.prepare(
                    "SELECT integration, slot, secret, set_at, set_by, expires_at \
                     FROM integration_secrets ORDER BY integration, slot",
                )?;
                let rows = stmt.query_map([], |r| {
                    let integration: String = r.get(0)?;
                    let secret: String = r.get(2)?;
                    let hint = hint(&secret);
                    Ok(StoredSecret {
                        integration: integration.parse::<Integration>().map_err(conversion)?,
                        previous: r.get::<_, String>(1)? == "previous",
                        secret,
                        info: SecretInfo {
                            hint,
                            set_at: parse_time(&r.get::<_, String>(3)?)?,
                            set_by: r.get(4)?,
                            expires_at: parse_optional_time(r.get(5)?)?,
                        },
                    })
                })?;
                rows.collect()
            })
            .await
    }

    async fn rotate_secret(
        &self,
        integration: Integration,
        secret: &str,
        set_by: &str,
        at: DateTime<Utc>,
        previous_until: Option<DateTime<Utc>>,
    ) -> Result<(), StoreError> {
        let (secret, set_by) = (secret.to_string(), set_by.to_string());
        self.conn
            .with(move |c| {
                let tx = c.unchecked_transaction()?;
                let name = integration.as_str();
                tx.execute(
                    "DELETE FROM integration_secrets WHERE integration = ?1 AND slot = 'previous'",
                    [name],
                )?;
                match previous_until {
                    Some(until) => tx.execute(
                        "UPDATE integration_secrets SET slot = 'previous', expires_at = ?2 \
                         WHERE integration = ?1 AND slot = 'current'",
                        params![name, time(until)],
                    )?,
                    None => tx.execute(
                        "DELETE FROM integration_secrets WHERE integration = ?1 AND slot = 'current'",
                        [name],
                    )?,
                };
                tx.execute(
                    "INSERT INTO integration_secrets (integration, slot, secret, set_at, set_by) \
                     VALUES (?1, 'current', ?2, ?3, ?4)",
                    params![name, secret, time(at), set_by],
                )?;
                tx.commit()
            })
            .await
    }

    async fn drop_previous_secret(&self, integration: Integration) -> Result<bool, StoreError> {
        self.conn
            .with(move |c| {
                let n = c.execute(
                    "DELETE FROM integration_secrets WHERE integration = ?1 AND slot = 'previous'",
                    [integration.as_str()],
                )?;
                Ok(n > 0)
            })
            .await
    }

    async fn mapping_overrides(&self) -> Result<Vec<MappingRow>, StoreError> {
        self.conn
            .with(|c| {
                let mut stmt = c.prepare(
                    "SELECT dialect, value, target, changed_by, changed_at FROM mappings \
                     ORDER BY dialect, value",
                )?;
                let rows = stmt.query_map([], |r| {
                    let target: String = r.get(2)?;
                    Ok(MappingRow {
                        dialect: r.get(0)?,
                        value: r.get(1)?,
                        target: serde_json::from_str(&target).map_err(conversion)?,
                        changed_by: Some(r.get(3)?),
                        changed_at: Some(parse_time(&r.get::<_, String>(4)?)?),
                    })
                })?;
                rows.collect()
            })
            .await
    }

    async fn set_mapping(&self, row: &MappingRow) -> Result<(), StoreError> {
        let row = row.clone();
        self.conn
            .with(move |c| {
                let target = serde_json::to_string(&row.target).map_err(conversion)?;
                c.execute(
                    "INSERT INTO mappings (dialect, value, target, changed_by, changed_at) \
                     VALUES (?1, ?2, ?3, ?4, ?5) ON CONFLICT (dialect, value) DO UPDATE SET \
                     target = excluded.target, changed_by = excluded.changed_by, \
                     changed_at = excluded.changed_at",
                    params![
                        row.dialect,
                        row.value,
                        target,
                        row.changed_by.unwrap_or_default(),
                        time(row.changed_at.unwrap_or_else(Utc::now))
                    ],
                )?;
                Ok(())
            })
            .await
    }

    async fn reported_values(&self) -> Result<Vec<UnmappedValue>, StoreError> {
        self.conn
            .with(|c| {
                // SQLite gives the bare columns of the row that holds MAX(seq).
                let mut stmt = c.prepare(
                    "SELECT json_extract(body, '$.kind.dialect') AS d, \
                            json_extract(body, '$.kind.value') AS v, \
                            COUNT(*), MAX(seq), json_extract(body, '$.recorded_at'), order_id \
                     FROM events WHERE kind = 'status_reported' \
                       AND json_extract(body, '$.kind.note') = 'no mapping yet' \
                     GROUP BY d, v ORDER BY COUNT(*) DESC, d, v",
                )?;
                let rows = stmt.query_map([], |r| {
                    let order: String = r.get(5)?;
                    Ok(UnmappedValue {
                        dialect: r.get(0)?,
                        value: r.get(1)?,
                        count: r.get(2)?,
                        last_seen: parse_time(&r.get::<_, String>(4)?)?,
                        example_order: OrderId::parse(order).map_err(conversion)?,
                    })
                })?;
                rows.collect()
            })
            .await
    }

    async fn deliveries(&self, query: &DeliveryQuery) -> Result<DeliveryPage, StoreError> {
        let query = query.clone();
        self.conn
            .with(move |c| {
                let page = query.page.max(1);
                let per_page = DELIVERIES_PER_PAGE;
                let outcome = query.outcome.map(DeliveryOutcome::as_str);
                let filter = "(?1 IS NULL OR integration = ?1) AND (?2 IS NULL OR outcome = ?2)";
                let total: u64 = c.query_row(
                    &format!("SELECT COUNT(*) FROM deliveries WHERE {filter}"),
                    params![query.integration, outcome],
                    |r| r.get(0),
                )?;
                let offset = u64::from(page - 1) * u64::from(per_page);
                let mut stmt = c.prepare(&format!(
                    "SELECT {DELIVERY_COLUMNS} FROM deliveries WHERE {filter} \
                     ORDER BY id DESC LIMIT ?3 OFFSET ?4"
                ))?;
                let rows = stmt.query_map(
                    params![query.integration, outcome, per_page, offset],
                    delivery_row,
                )?;
                Ok(DeliveryPage {
                    deliveries: rows.collect::<Result<_, _>>()?,
                    total,
                    page,
                    per_page,
                })
            })
            .await
    }

    async fn delivery(
        &self,
        id: i64,
    ) -> Result<Option<(DeliveryDetail, Option<StoredDelivery>)>, StoreError> {
        self.conn
            .with(move |c| {
                c.query_row(
                    &format!(
                        "SELECT {DELIVERY_COLUMNS}, body, headers FROM deliveries WHERE id = ?1"
                    ),
                    [id],
                    |r| {
                        let summary = delivery_row(r)?;
                        let body: Option<Vec<u8>> = r.get(8)?;
                        let headers = headers_of(r.get(9)?);
                        let stored = body.as_ref().map(|body| StoredDelivery {
                            id,
                            integration: summary.integration.clone(),
                            headers: headers.clone(),
                            body: body.clone(),
                        });
                        let detail = DeliveryDetail {
                            summary,
                            headers,
                            body: body.map(|b| String::from_utf8_lossy(&b).into_owned()),
                        };
                        Ok((detail, stored))
                    },
                )
                .optional()
            })
            .await
    }

    async fn awaiting(&self, key: &str) -> Result<Vec<StoredDelivery>, StoreError> {
        let key = key.to_string();
        self.conn
            .with(move |c| {
                let mut stmt = c.prepare_cached(
                    "SELECT id, integration, headers, body FROM deliveries \
                     WHERE awaits = ?1 AND outcome = 'pending' ORDER BY id",
                )?;
                let rows = stmt.query_map([key], |r| {
                    Ok(StoredDelivery {
                        id: r.get(0)?,
                        integration: r.get(1)?,
                        headers: headers_of(r.get(2)?),
                        body: r.get::<_, Option<Vec<u8>>>(3)?.unwrap_or_default(),
                    })
                })?;
                rows.collect()
            })
            .await
    }

    async fn delivery_stored(
        &self,
        integration: &str,
        dedupe_key: &str,
    ) -> Result<bool, StoreError> {
        let (integration, key) = (integration.to_string(), dedupe_key.to_string());
        self.conn
            .with(move |c| {
                c.prepare_cached(
                    "SELECT 1 FROM deliveries WHERE integration = ?1 AND dedupe_key = ?2 \
                     AND outcome IN ('accepted', 'pending')",
                )?
                .exists(params![integration, key])
            })
            .await
    }

    async fn last_verified(&self) -> Result<Vec<(String, DateTime<Utc>)>, StoreError> {
        self.conn
            .with(|c| {
                let mut stmt = c.prepare(
                    "SELECT integration, MAX(received_at) FROM deliveries \
                     WHERE outcome IN ('accepted', 'pending', 'duplicate') GROUP BY integration",
                )?;
                let rows = stmt.query_map([], |r| {
                    Ok((r.get::<_, String>(0)?, parse_time(&r.get::<_, String>(1)?)?))
                })?;
                rows.collect()
            })
            .await
    }

    async fn prune_deliveries(
        &self,
        before: DateTime<Utc>,
        after: i64,
        batch: u32,
    ) -> Result<PrunedBatch, StoreError> {
        let before = time(before);
        self.conn
            .with(move |c| {
                // Rows are received in id order: the batch is the run of rows
                // after `after` that are older than the cutoff.
                let mut stmt = c.prepare_cached(
                    "SELECT id, received_at < ?2 FROM deliveries WHERE id > ?1 \
                     ORDER BY id LIMIT ?3",
                )?;
                let rows = stmt.query_map(params![after, before, batch], |r| {
                    Ok((r.get::<_, i64>(0)?, r.get::<_, bool>(1)?))
                })?;
                let mut last = None;
                for row in rows {
                    let (id, old) = row?;
                    if !old {
                        break;
                    }
                    last = Some(id);
                }
                let Some(last) = last else {
                    return Ok(PrunedBatch::default());
                };
                // One short transaction per batch: the writer waits for it at
                // most that long.
                let tx = c.unchecked_transaction()?;
                let deleted = tx.execute(
                    "DELETE FROM deliveries WHERE id > ?1 AND id <= ?2 \
                     AND outcome IN ('rejected', 'duplicate', 'replayed')",
                    params![after, last],
                )?;
                let slimmed = tx.execute(
                    "UPDATE deliveries SET body = NULL, headers = NULL WHERE id > ?1 AND id <= ?2 \
                     AND outcome = 'accepted' AND (body IS NOT NULL OR headers IS NOT NULL)",
                    params![after, last],
                )?;
                tx.commit()?;
                Ok(PrunedBatch {
                    deleted: deleted as u64,
                    slimmed: slimmed as u64,
                    last: Some(last),
                })
            })
            .await
    }

    async fn insert_api_key(&self, key: &StoredApiKey) -> Result<(), StoreError> {
        let key = key.clone();
        self.conn
            .with(move |c| {
                let s = &key.summary;
                c.execute(
                    "INSERT INTO api_keys (id, name, prefix, key_hash, created_at, created_by) \
                     VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
                    params![
                        s.id,
                        s.name,
                        s.prefix,
                        key.key_hash,
                        time(s.created_at),
                        s.created_by
                    ],
                )?;
                Ok(())
            })
            .await
    }

    async fn api_keys(&self) -> Result<Vec<StoredApiKey>, StoreError> {
        self.conn
            .with(|c| {
                let mut stmt = c.prepare(&format!(
                    "SELECT {API_KEY_COLUMNS} FROM api_keys ORDER BY created_at DESC, id"
                ))?;
                let rows = stmt.query_map([], api_key_row)?;
                rows.collect()
            })
            .await
    }

    async fn revoke_api_key(
        &self,
        id: &str,
        at: DateTime<Utc>,
    ) -> Result<Option<StoredApiKey>, StoreError> {
        let id = id.to_string();
        self.conn
            .with(move |c| {
                c.execute(
                    "UPDATE api_keys SET revoked_at = COALESCE(revoked_at, ?2) WHERE id = ?1",
                    params![id, time(at)],
                )?;
                c.query_row(
                    &format!("SELECT {API_KEY_COLUMNS} FROM api_keys WHERE id = ?1"),
                    [id],
                    api_key_row,
                )
                .optional()
            })
            .await
    }

    async fn touch_api_key(&self, id: &str, at: DateTime<Utc>) -> Result<(), StoreError> {
        let id = id.to_string();
        self.conn
            .with(move |c| {
                c.execute(
                    "UPDATE api_keys SET last_used_at = ?2 WHERE id = ?1",
                    params![id, time(at)],
                )?;
                Ok(())
            })
            .await
    }
}

/// The last four characters of a secret, so two can be told apart.
fn hint(secret: &str) -> String {
    let tail: String = secret
        .chars()
        .rev()
        .take(4)
        .collect::<Vec<_>>()
        .into_iter()
        .rev()
        .collect();
    format!("…{tail}")
}
