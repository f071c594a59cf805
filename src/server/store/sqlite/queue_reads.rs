//! The queries behind the exception queues and the detectors' following of
//! the log: each a seek on an index (a code's open exceptions in order of
//! raising; the log by sequence), whatever the number of orders.

use super::rows::micros;
use crate::model::views::exception_queue::QueueEntry;
use crate::model::{ExceptionCode, OrderId, ParcelId};
use crate::server::store::StoreError;
use chrono::{DateTime, Utc};
use rusqlite::{params, Connection};

/// A code's open exceptions after a (raised µs, order, parcel) key.
pub(super) const QUEUE_ENTRIES: &str = "SELECT order_id, parcel, raised_at FROM exception_queue \
     WHERE code = ?1 AND (raised_at, order_id, parcel) > (?2, ?3, ?4) \
     AND (?5 OR snoozed_until IS NULL OR snoozed_until <= ?6) \
     ORDER BY raised_at, order_id, parcel LIMIT ?7";

/// How many of a code's exceptions are open, and how many snoozed.
pub(super) const QUEUE_COUNTS: &str = "SELECT count(*), \
     coalesce(sum(snoozed_until IS NOT NULL AND snoozed_until > ?2), 0) \
     FROM exception_queue WHERE code = ?1";

/// The orders with a code standing raised while they wait in a warehouse
/// (an order once per parcel raised: the caller takes each once).
pub(super) const RAISED_IN_WAREHOUSE: &str = "SELECT order_id FROM exception_queue \
     WHERE warehouse = ?1 AND code = ?2 LIMIT ?3";

/// The order of each event after a sequence number.
pub(super) const CHANGED: &str =
    "SELECT seq, order_id FROM events WHERE seq > ?1 ORDER BY seq LIMIT ?2";

fn bad(e: impl std::error::Error + Send + Sync + 'static) -> rusqlite::Error {
    rusqlite::Error::FromSqlConversionFailure(0, rusqlite::types::Type::Text, Box::new(e))
}

pub(super) fn queue_entries(
    conn: &Connection,
    code: ExceptionCode,
    after: &(i64, String, String),
    now: DateTime<Utc>,
    snoozed: bool,
    limit: u32,
) -> Result<Vec<QueueEntry>, StoreError> {
    let rows = conn
        .prepare_cached(QUEUE_ENTRIES)?
        .query_map(
            params![
                code.name(),
                after.0,
                after.1,
                after.2,
                snoozed,
                micros(now),
                limit
            ],
            |r| {
                let order: String = r.get(0)?;
                let parcel: String = r.get(1)?;
                let raised: i64 = r.get(2)?;
                Ok(QueueEntry {
                    code,
                    order_id: OrderId::parse(order).map_err(bad)?,
                    parcel: match parcel.as_str() {
                        "" => None,
                        p => Some(ParcelId::parse(p).map_err(bad)?),
                    },
                    raised_at: DateTime::from_timestamp_micros(raised).unwrap_or_default(),
                })
            },
        )?
        .collect::<Result<_, _>>()?;
    Ok(rows)
}

pub(super) fn queue_counts(
    conn: &Connection,
    codes: &[ExceptionCode],
    now: DateTime<Utc>,
) -> Result<(u64, u64), StoreError> {
    let mut stmt = conn.prepare_cached(QUEUE_COUNTS)?;
    let mut totals = (0, 0);
    for code in codes {
        let (all, snoozed): (i64, i64) = stmt
            .query_row(params![code.name(), micros(now)], |r| {
                Ok((r.get(0)?, r.get(1)?))
            })?;
        totals.0 += all.max(0) as u64;
        totals.1 += snoozed.max(0) as u64;
    }
    Ok(totals)
}

pub(super) fn orders_changed_after(
    conn: &Connection,
    after: u64,
    limit: u32,
) -> Result<Vec<(u64, OrderId)>, StoreError> {
    let rows = conn
        .prepare_cached(CHANGED)?
        .query_map(params![after.min(i64::MAX as u64) as i64, limit], |r| {
            let seq: i64 = r.get(0)?;
            let order: String = r.get(1)?;
            Ok((seq.max(0) as u64, OrderId::parse(order).map_err(bad)?))
        })?
        .collect::<Result<_, _>>()?;
    Ok(rows)
}

pub(super) fn raised_in_warehouse(
    conn: &Connection,
    warehouse: &str,
    code: ExceptionCode,
    limit: u32,
) -> Result<Vec<OrderId>, StoreError> {
    let rows = conn
        .prepare_cached(RAISED_IN_WAREHOUSE)?
        .query_map(params![warehouse, code.name(), limit], |r| {
            OrderId::parse(r.get::<_, String>(0)?).map_err(bad)
        })?
        .collect::<Result<_, _>>()?;
    Ok(rows)
}
