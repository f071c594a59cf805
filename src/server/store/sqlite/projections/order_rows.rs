//! The order rows: one per order, its current state (as the event that placed
//! it plus what has changed since, see `rows`) and the columns the order list
//! filters and sorts on.

use super::{Projection, Settled};
use crate::server::store::sqlite::rows::{changes, micros};
use crate::server::store::StoreError;
use rusqlite::{params, Connection};

pub(super) struct Orders;

impl Projection for Orders {
    fn name(&self) -> &'static str {
        "orders"
    }

    fn version(&self) -> i64 {
        // 3: with `open_exceptions`.
        3
    }

    fn tables(&self) -> &'static [&'static str] {
        &["orders"]
    }

    /// Once per order per append: an order with many events in one delivery
    /// is encoded and written once.
    fn settle(&self, conn: &Connection, settled: &Settled<'_>) -> Result<(), StoreError> {
        let order = settled.order;
        let changed = changes(settled.placed, order)?;
        conn.prepare_cached(
            "INSERT INTO orders (order_id, channel, status, placed_at, placed_seq, changes, open_exceptions) \
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7) \
             ON CONFLICT (order_id) DO UPDATE SET status = excluded.status, \
               changes = excluded.changes, open_exceptions = excluded.open_exceptions",
        )?
        .execute(params![
            order.id.as_str(),
            order.channel.as_str(),
            order.status().as_str(),
            micros(order.placed_at),
            settled.placed.order.last_seq as i64,
            changed,
            order.exceptions.len() as i64,
        ])?;
        Ok(())
    }
}
