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
    /// is encoded and written once. Only the columns that changed are set, so
    /// an append that moves neither the status nor the open exceptions
    /// leaves the list's indexes alone.
    fn settle(&self, conn: &Connection, settled: &Settled<'_>) -> Result<(), StoreError> {
        let order = settled.order;
        let changed = changes(settled.placed, order)?;
        let id = order.id.as_str();
        let (status, open) = (order.status().as_str(), order.exceptions.len() as i64);
        match settled.before {
            Some(b)
                if b.status() == order.status() && b.exceptions.len() == order.exceptions.len() =>
            {
                conn.prepare_cached("UPDATE orders SET changes = ?2 WHERE order_id = ?1")?
                    .execute(params![id, changed])?
            }
            Some(_) => conn
                .prepare_cached(
                    "UPDATE orders SET status = ?2, changes = ?3, open_exceptions = ?4 \
                     WHERE order_id = ?1",
                )?
                .execute(params![id, status, changed, open])?,
            None => conn
                .prepare_cached(
                    "INSERT INTO orders \
                     (order_id, channel, status, placed_at, placed_seq, changes, open_exceptions) \
                     VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
                )?
                .execute(params![
                    id,
                    order.channel.as_str(),
                    status,
                    micros(order.placed_at),
                    settled.placed.last_seq as i64,
                    changed,
                    open,
                ])?,
        };
        Ok(())
    }
}
