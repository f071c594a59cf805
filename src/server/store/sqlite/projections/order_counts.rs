//! How many orders there are per status × channel × open exception: the
//! order list's totals are sums over a few of these rows instead of counts of
//! a million orders. Kept from each event's order state before and after: an
//! event that moves an order to another status, or opens or clears its last
//! exception, moves it from one row to another.

use super::{Change, Projection};
use crate::model::order::Order;
use crate::server::store::StoreError;
use rusqlite::{params, Connection};

pub(super) struct OrderCounts;

/// The row an order is counted in.
fn row(order: &Order) -> (&'static str, &'static str, bool) {
    (
        order.status().as_str(),
        order.channel.as_str(),
        !order.exceptions.is_empty(),
    )
}

/// Adds `by` (±1) to a row, and drops the row when it falls to zero.
fn add(
    conn: &Connection,
    (status, channel, flagged): (&str, &str, bool),
    by: i64,
) -> Result<(), StoreError> {
    conn.prepare_cached(
        "INSERT INTO order_counts (status, channel, flagged, orders) VALUES (?1, ?2, ?3, ?4) \
         ON CONFLICT (status, channel, flagged) DO UPDATE SET orders = orders + excluded.orders",
    )?
    .execute(params![status, channel, flagged, by])?;
    if by < 0 {
        conn.prepare_cached(
            "DELETE FROM order_counts \
             WHERE status = ?1 AND channel = ?2 AND flagged = ?3 AND orders = 0",
        )?
        .execute(params![status, channel, flagged])?;
    }
    Ok(())
}

impl Projection for OrderCounts {
    fn name(&self) -> &'static str {
        "order_counts"
    }

    fn version(&self) -> i64 {
        1
    }

    fn tables(&self) -> &'static [&'static str] {
        &["order_counts"]
    }

    fn apply(&self, conn: &Connection, change: &Change<'_>) -> Result<(), StoreError> {
        let now = row(change.after);
        match change.before.map(row) {
            Some(was) if was == now => Ok(()),
            Some(was) => {
                add(conn, was, -1)?;
                add(conn, now, 1)
            }
            None => add(conn, now, 1),
        }
    }
}
