//! The delivery log as the writer keeps it: the row each delivery leaves, and
//! the answer for deliveries that append nothing (duplicates, pending ones).

use super::rows::time;
use crate::server::store::{DeliveryRow, Ingested, NewDelivery, Receipt, StoreError};
use chrono::Utc;
use rusqlite::{params, Connection};

/// A row of the delivery log.
pub(super) struct Row<'a> {
    pub integration: &'a str,
    pub dedupe_key: Option<&'a str>,
    pub outcome: &'a str,
    pub reason: &'a str,
    pub events: usize,
    pub body: Option<&'a [u8]>,
    pub headers: Option<String>,
    pub awaits: Option<&'a str>,
}

impl<'a> Row<'a> {
    /// The row for a received delivery, with its body and headers.
    fn stored(
        d: &'a NewDelivery,
        outcome: &'a str,
        reason: &'a str,
        events: usize,
        awaits: Option<&'a str>,
    ) -> Result<Row<'a>, StoreError> {
        Ok(Row {
            integration: &d.integration,
            dedupe_key: Some(&d.dedupe_key),
            outcome,
            reason,
            events,
            body: Some(&d.body),
            headers: Some(serde_json::to_string(&d.headers)?),
            awaits,
        })
    }
}

/// Lists a delivery in the delivery log; returns its id.
pub(super) fn insert_delivery(conn: &Connection, row: &Row<'_>) -> Result<i64, StoreError> {
    conn.prepare_cached(
        "INSERT INTO deliveries (integration, dedupe_key, received_at, outcome, reason, events, \
         body, headers, awaits) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)",
    )?
    .execute(params![
        row.integration,
        row.dedupe_key,
        time(Utc::now()),
        row.outcome,
        row.reason,
        row.events as i64,
        row.body,
        row.headers,
        row.awaits,
    ])?;
    Ok(conn.last_insert_rowid())
}

/// The answer for a delivery that appends nothing: a duplicate, a pending one,
/// or a settle of a delivery that is no longer pending.
pub(super) fn settle_early(
    conn: &Connection,
    delivery: Option<&DeliveryRow>,
) -> Result<Option<Receipt>, StoreError> {
    match delivery {
        Some(DeliveryRow::New(d)) => {
            if delivery_stored(conn, d)? {
                let row = Row::stored(d, "duplicate", "already received", 0, None)?;
                let id = insert_delivery(
                    conn,
                    &Row {
                        body: None,
                        headers: None,
                        ..row
                    },
                )?;
                return Ok(Some(Receipt {
                    delivery_id: Some(id),
                    outcome: Ingested::Duplicate,
                }));
            }
            if let Some(awaiting) = &d.pending {
                let row = Row::stored(d, "pending", &awaiting.reason, 0, Some(&awaiting.key))?;
                let id = insert_delivery(conn, &row)?;
                return Ok(Some(Receipt {
                    delivery_id: Some(id),
                    outcome: Ingested::Pending,
                }));
            }
            Ok(None)
        }
        Some(DeliveryRow::Settle { id }) => {
            let pending = conn
                .prepare_cached("SELECT 1 FROM deliveries WHERE id = ?1 AND outcome = 'pending'")?
                .exists([id])?;
            Ok((!pending).then_some(Receipt {
                delivery_id: Some(*id),
                outcome: Ingested::Duplicate,
            }))
        }
        Some(DeliveryRow::Replay { .. }) | None => Ok(None),
    }
}

/// Writes the row of a delivery whose `events` events were appended; returns
/// its id (none for a plain append).
pub(super) fn record_accepted(
    conn: &Connection,
    delivery: Option<&DeliveryRow>,
    events: usize,
) -> Result<Option<i64>, StoreError> {
    Ok(match delivery {
        None => None,
        Some(DeliveryRow::New(d)) => Some(insert_delivery(
            conn,
            &Row::stored(d, "accepted", "", events, None)?,
        )?),
        Some(DeliveryRow::Settle { id }) => {
            conn.prepare_cached(
                "UPDATE deliveries SET outcome = 'accepted', events = ?2, awaits = NULL, \
                 reason = 'linked when its order or waybill arrived' WHERE id = ?1",
            )?
            .execute(params![id, events as i64])?;
            Some(*id)
        }
        Some(DeliveryRow::Replay { of, integration }) => Some(insert_delivery(
            conn,
            &Row {
                integration,
                dedupe_key: None,
                outcome: "replayed",
                reason: &format!("replay of delivery #{of}"),
                events,
                body: None,
                headers: None,
                awaits: None,
            },
        )?),
    })
}

fn delivery_stored(conn: &Connection, d: &NewDelivery) -> Result<bool, StoreError> {
    Ok(conn
        .prepare_cached(
            "SELECT 1 FROM deliveries WHERE integration = ?1 AND dedupe_key = ?2 \
             AND outcome IN ('accepted', 'pending')",
        )?
        .exists(params![d.integration, d.dedupe_key])?)
}
