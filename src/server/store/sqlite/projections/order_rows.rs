//! The order rows: one per order, its current state (as the event that placed
//! it plus what has changed since, see `rows`) and the columns the order list
//! filters and sorts on.

use super::{Change, Projection};
use crate::server::store::sqlite::rows::{changes, micros};
use crate::server::store::StoreError;
use rusqlite::{params, Connection};

pub(super) struct OrderRows;

impl Projection for OrderRows {
    fn name(&self) -> &'static str {
        "orders"
    }

    fn version(&self) -> i64 {
        2
    }

    fn tables(&self) -> &'static [&'static str] {
        &["orders"]
    }

    fn apply(&self, conn: &Connection, change: &Change<'_>) -> Result<(), StoreError> {
        let order = change.after;
        let changed = changes(change.placed, order)?;
        conn.prepare_cached(
            "INSERT INTO orders (order_id, channel, status, placed_at, placed_seq, changes) \
             VALUES (?1, ?2, ?3, ?4, ?5, ?6) \
             ON CONFLICT (order_id) DO UPDATE SET status = excluded.status, \
               changes = excluded.changes",
        )?
        .execute(params![
            order.id.as_str(),
            order.channel.as_str(),
            order.status().as_str(),
            micros(order.placed_at),
            change.placed.last_seq as i64,
            changed,
        ])?;
        Ok(())
    }
}
