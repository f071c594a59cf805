//! Warehouses and their stock in the store's SQLite file, through a
//! connection of their own (see [`SideConnection`]).

use super::side_connection::SideConnection;
use super::sqlite::time;
use super::warehouses::WarehouseStore;
use super::StoreError;
use crate::model::warehouse::{StockLine, Warehouse};
use chrono::{DateTime, Utc};
use rusqlite::{params, Row};
use std::path::Path;

/// SQLite behind the [`WarehouseStore`] boundary.
pub struct SqliteWarehouses {
    conn: SideConnection,
}

impl SqliteWarehouses {
    /// Opens the database at `path` (migrated already by [`super::SqliteStore::open`]).
    pub fn open(path: &Path) -> Result<Self, StoreError> {
        Ok(SqliteWarehouses {
            conn: SideConnection::open(path)?,
        })
    }
}

/// A warehouse from `name, province, daily_capacity, carriers`.
pub(super) fn warehouse_row(r: &Row<'_>) -> Result<Warehouse, rusqlite::Error> {
    let carriers: String = r.get(3)?;
    Ok(Warehouse {
        name: r.get(0)?,
        province: r.get(1)?,
        daily_capacity: r.get::<_, i64>(2)?.max(1) as u64,
        carriers: serde_json::from_str(&carriers).map_err(|e| {
            rusqlite::Error::FromSqlConversionFailure(3, rusqlite::types::Type::Text, Box::new(e))
        })?,
    })
}

/// Every warehouse, by name.
pub(super) const WAREHOUSES: &str =
    "SELECT name, province, daily_capacity, carriers FROM warehouses ORDER BY name";

/// A count or quantity as SQLite stores it.
fn integer(n: u64) -> i64 {
    i64::try_from(n).unwrap_or(i64::MAX)
}

#[async_trait::async_trait]
impl WarehouseStore for SqliteWarehouses {
    async fn warehouses(&self) -> Result<Vec<Warehouse>, StoreError> {
        self.conn
            .with(|c| {
                let mut stmt = c.prepare_cached(WAREHOUSES)?;
                let rows = stmt.query_map([], warehouse_row)?;
                rows.collect()
            })
            .await
    }

    async fn save_warehouse(
        &self,
        warehouse: &Warehouse,
        at: DateTime<Utc>,
    ) -> Result<(), StoreError> {
        let w = warehouse.clone();
        let carriers = serde_json::to_string(&w.carriers)?;
        self.conn
            .with(move |c| {
                c.prepare_cached(
                    "INSERT INTO warehouses (name, province, daily_capacity, carriers, updated_at) \
                     VALUES (?1, ?2, ?3, ?4, ?5) \
                     ON CONFLICT (name) DO UPDATE SET province = excluded.province, \
                       daily_capacity = excluded.daily_capacity, carriers = excluded.carriers, \
                       updated_at = excluded.updated_at",
                )?
                .execute(params![
                    w.name,
                    w.province,
                    integer(w.daily_capacity),
                    carriers,
                    time(at)
                ])?;
                Ok(())
            })
            .await
    }

    async fn remove_warehouse(&self, name: &str) -> Result<bool, StoreError> {
        let name = name.to_string();
        self.conn
            .with(move |c| {
                let tx = c.unchecked_transaction()?;
                tx.execute("DELETE FROM warehouse_stock WHERE warehouse = ?1", [&name])?;
                let removed = tx.execute("DELETE FROM warehouses WHERE name = ?1", [&name])?;
                tx.commit()?;
                Ok(removed > 0)
            })
            .await
    }

    async fn stock(&self, warehouse: &str) -> Result<Vec<StockLine>, StoreError> {
        let warehouse = warehouse.to_string();
        self.conn
            .with(move |c| {
                let mut stmt = c.prepare_cached(
                    "SELECT warehouse, sku, quantity FROM warehouse_stock \
                     WHERE warehouse = ?1 ORDER BY sku",
                )?;
                let rows = stmt.query_map([warehouse], |r| {
                    Ok(StockLine {
                        warehouse: r.get(0)?,
                        sku: r.get(1)?,
                        quantity: r.get::<_, i64>(2)?.max(0) as u64,
                    })
                })?;
                rows.collect()
            })
            .await
    }

    async fn import_stock(
        &self,
        lines: Vec<StockLine>,
        at: DateTime<Utc>,
    ) -> Result<(), StoreError> {
        self.conn
            .with(move |c| {
                // Per connection, outside the transaction: a line naming a
                // warehouse that was removed meanwhile fails the import.
                c.execute_batch("PRAGMA foreign_keys=ON")?;
                let tx = c.unchecked_transaction()?;
                {
                    let mut stmt = tx.prepare_cached(
                        "INSERT INTO warehouse_stock (warehouse, sku, quantity, updated_at) \
                         VALUES (?1, ?2, ?3, ?4) \
                         ON CONFLICT (warehouse, sku) DO UPDATE SET quantity = excluded.quantity, \
                           updated_at = excluded.updated_at",
                    )?;
                    let at = time(at);
                    for line in &lines {
                        stmt.execute(params![
                            line.warehouse,
                            line.sku,
                            integer(line.quantity),
                            at
                        ])?;
                    }
                }
                tx.commit()
            })
            .await
    }
}
