//! The exception queues: one row per open exception with what its queue
//! sorts and filters on (the code, and so the team; when it was raised; a
//! snooze; who claimed it; the order's warehouse). Kept from the order's
//! state after each append, so it always agrees with the order's own list;
//! an append that changes neither costs a comparison.

use super::{Projection, Settled};
use crate::server::store::sqlite::rows::micros;
use crate::server::store::StoreError;
use rusqlite::{params, Connection};

pub(super) struct ExceptionQueue;

impl Projection for ExceptionQueue {
    fn name(&self) -> &'static str {
        "exception_queue"
    }

    fn version(&self) -> i64 {
        1
    }

    fn tables(&self) -> &'static [&'static str] {
        &["exception_queue"]
    }

    fn settle(&self, conn: &Connection, settled: &Settled<'_>) -> Result<(), StoreError> {
        let order = settled.order;
        if settled
            .before
            .is_some_and(|b| b.exceptions == order.exceptions && b.warehouse == order.warehouse)
        {
            return Ok(());
        }
        conn.prepare_cached("DELETE FROM exception_queue WHERE order_id = ?1")?
            .execute(params![order.id.as_str()])?;
        for open in &order.exceptions {
            conn.prepare_cached(
                "INSERT INTO exception_queue \
                 (order_id, code, parcel, raised_at, snoozed_until, claimed_by, warehouse) \
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
            )?
            .execute(params![
                order.id.as_str(),
                open.code.name(),
                open.parcel.as_ref().map(|p| p.as_str()).unwrap_or(""),
                micros(open.since),
                open.snooze.as_ref().map(|s| micros(s.until)),
                open.claim.as_ref().map(|c| c.name.as_str()),
                order.warehouse.as_deref(),
            ])?;
        }
        Ok(())
    }
}
