//! The warehouse load board's tables, kept from each event's order state
//! before and after (see [`crate::model::warehouse::backlog`]):
//! - `warehouse_waiting`: one row per order waiting in a warehouse, with when
//!   it began to wait (the event that made it wait: its allocation);
//! - `warehouse_shipped`: orders per warehouse per hour, counted once, when
//!   the order's first parcel leaves (in the hour the shipment happened);
//! - `warehouse_flagged`: one row per allocated order with any exception open.
//!
//! An event that changes none of these costs three comparisons.

use super::{Change, Projection};
use crate::model::warehouse::backlog::{first_shipped_from, flagged_in, waiting_in};
use crate::model::warehouse::HourBucket;
use crate::server::store::sqlite::rows::micros;
use crate::server::store::StoreError;
use rusqlite::{params, Connection};

pub(super) struct WarehouseTables;

impl Projection for WarehouseTables {
    fn name(&self) -> &'static str {
        "warehouse_load"
    }

    fn version(&self) -> i64 {
        1
    }

    fn tables(&self) -> &'static [&'static str] {
        &[
            "warehouse_waiting",
            "warehouse_shipped",
            "warehouse_flagged",
        ]
    }

    fn apply(&self, conn: &Connection, change: &Change<'_>) -> Result<(), StoreError> {
        let (before, after) = (change.before, change.after);
        let id = after.id.as_str();
        let at = change.event.event.occurred_at;

        let waiting = waiting_in(after);
        if before.and_then(waiting_in) != waiting {
            conn.prepare_cached("DELETE FROM warehouse_waiting WHERE order_id = ?1")?
                .execute([id])?;
            if let Some(warehouse) = waiting {
                conn.prepare_cached(
                    "INSERT INTO warehouse_waiting (order_id, warehouse, allocated_at) \
                     VALUES (?1, ?2, ?3)",
                )?
                .execute(params![id, warehouse, micros(at)])?;
            }
        }

        if let Some(warehouse) = first_shipped_from(before, after) {
            conn.prepare_cached(
                "INSERT INTO warehouse_shipped (warehouse, hour, orders) VALUES (?1, ?2, 1) \
                 ON CONFLICT (warehouse, hour) DO UPDATE SET orders = orders + 1",
            )?
            .execute(params![warehouse, HourBucket::of(at).0])?;
        }

        let flagged = flagged_in(after);
        if before.and_then(flagged_in) != flagged {
            match flagged {
                Some(warehouse) => conn
                    .prepare_cached(
                        "INSERT INTO warehouse_flagged (order_id, warehouse) VALUES (?1, ?2) \
                         ON CONFLICT (order_id) DO UPDATE SET warehouse = excluded.warehouse",
                    )?
                    .execute(params![id, warehouse])?,
                None => conn
                    .prepare_cached("DELETE FROM warehouse_flagged WHERE order_id = ?1")?
                    .execute([id])?,
            };
        }
        Ok(())
    }
}
