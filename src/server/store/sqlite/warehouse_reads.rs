//! The queries behind the warehouse load board and the over-capacity check:
//! per warehouse, seeks on the warehouse projection's indexes (its waiting
//! orders, its hours shipped, its flagged orders), whatever the size of the log.

use crate::model::views::warehouse_load::{
    HourCount, OldestWaiting, WarehouseFigures, WarehouseLoad,
};
use crate::model::warehouse::{HourBucket, Warehouse};
use crate::model::OrderId;
use crate::server::store::sqlite_warehouses::{warehouse_row, WAREHOUSES};
use crate::server::store::StoreError;
use chrono::DateTime;
use rusqlite::{params, Connection, OptionalExtension};

const BACKLOG: &str = "SELECT COUNT(*) FROM warehouse_waiting WHERE warehouse = ?1";
const OLDEST: &str = "SELECT order_id, allocated_at FROM warehouse_waiting WHERE warehouse = ?1 \
                      ORDER BY allocated_at, order_id LIMIT 1";
const SHIPPED: &str = "SELECT hour, orders FROM warehouse_shipped \
                       WHERE warehouse = ?1 AND hour >= ?2 ORDER BY hour";
const FLAGGED: &str = "SELECT COUNT(*) FROM warehouse_flagged WHERE warehouse = ?1";
const CAPACITY: &str = "SELECT daily_capacity FROM warehouses WHERE name = ?1";

fn count(conn: &Connection, sql: &str, warehouse: &str) -> Result<u64, StoreError> {
    let n: i64 = conn
        .prepare_cached(sql)?
        .query_row([warehouse], |r| r.get(0))?;
    Ok(n.max(0) as u64)
}

/// What the log says of `warehouse`, with its shipments from hour `since` on.
fn figures_of(
    conn: &Connection,
    warehouse: Warehouse,
    since: HourBucket,
) -> Result<WarehouseFigures, StoreError> {
    let name = warehouse.name.as_str();
    let oldest = conn
        .prepare_cached(OLDEST)?
        .query_row([name], |r| {
            Ok((r.get::<_, String>(0)?, r.get::<_, i64>(1)?))
        })
        .optional()?
        .and_then(|(id, micros)| {
            Some(OldestWaiting {
                order_id: OrderId::parse(id).ok()?,
                since: DateTime::from_timestamp_micros(micros)?,
            })
        });
    let shipped = conn
        .prepare_cached(SHIPPED)?
        .query_map(params![name, since.0], |r| {
            Ok(HourCount {
                hour: HourBucket(r.get(0)?),
                shipped: r.get::<_, i64>(1)?.max(0) as u64,
            })
        })?
        .collect::<Result<Vec<_>, _>>()?;
    Ok(WarehouseFigures {
        backlog: count(conn, BACKLOG, name)?,
        open_exceptions: count(conn, FLAGGED, name)?,
        oldest,
        shipped,
        warehouse,
    })
}

/// Every warehouse's figures, by name, with shipments from hour `since` on.
pub(super) fn warehouse_figures(
    conn: &Connection,
    since: HourBucket,
) -> Result<Vec<WarehouseFigures>, StoreError> {
    let warehouses = conn
        .prepare_cached(WAREHOUSES)?
        .query_map([], warehouse_row)?
        .collect::<Result<Vec<_>, _>>()?;
    warehouses
        .into_iter()
        .map(|w| figures_of(conn, w, since))
        .collect()
}

/// `name`'s backlog against its daily capacity; `None` when no warehouse
/// of that name is kept.
pub(super) fn warehouse_load(
    conn: &Connection,
    name: &str,
) -> Result<Option<WarehouseLoad>, StoreError> {
    let capacity: Option<i64> = conn
        .prepare_cached(CAPACITY)?
        .query_row([name], |r| r.get(0))
        .optional()?;
    let Some(capacity) = capacity else {
        return Ok(None);
    };
    Ok(Some(WarehouseLoad {
        backlog: count(conn, BACKLOG, name)?,
        daily_capacity: capacity.max(1) as u64,
    }))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::server::store::sqlite::schema::open_writer;
    use crate::server::store::Durability;

    /// Every board statement is a search of an index, never a scan or a sort.
    #[test]
    fn every_board_statement_seeks_an_index() {
        let dir = tempfile::tempdir().unwrap();
        let conn = open_writer(&dir.path().join("orders.sqlite3"), Durability::Normal).unwrap();
        for (sql, index) in [
            (BACKLOG, "warehouse_waiting_oldest"),
            (OLDEST, "warehouse_waiting_oldest"),
            (SHIPPED, "PRIMARY KEY"),
            (FLAGGED, "warehouse_flagged_by_warehouse"),
            (CAPACITY, "sqlite_autoindex_warehouses_1"),
        ] {
            let mut stmt = conn.prepare(&format!("EXPLAIN QUERY PLAN {sql}")).unwrap();
            let n = stmt.parameter_count();
            let values: Vec<rusqlite::types::Value> = (0..n)
                .map(|i| match i {
                    0 => rusqlite::types::Value::Text("Chengdu Shuangliu DC".into()),
                    _ => rusqlite::types::Value::Integer(1),
                })
                .collect();
            let lines: Vec<String> = stmt
                .query_map(rusqlite::params_from_iter(values), |r| {
                    r.get::<_, String>(3)
                })
                .unwrap()
                .map(Result::unwrap)
                .collect();
            assert!(
                lines
                    .iter()
                    .all(|l| l.starts_with("SEARCH") && !l.contains("TEMP B-TREE")),
                "{sql} scans or sorts: {lines:#?}"
            );
            assert!(
                lines.iter().any(|l| l.contains(index)),
                "{sql} does not use {index}: {lines:#?}"
            );
        }
    }
}
