//! The storage boundary for warehouses as data: the warehouses an admin keeps
//! and their stock per SKU. What the log says of them (backlog, shipments,
//! exceptions) is read through [`super::OrderStore::warehouse_figures`] and
//! [`super::OrderStore::warehouse_load`].

use super::StoreError;
use crate::model::warehouse::{StockLine, Warehouse};
use chrono::{DateTime, Utc};
use std::sync::Arc;

/// Warehouses and their stock, behind the same storage boundary as the log.
#[async_trait::async_trait]
pub trait WarehouseStore: Send + Sync + 'static {
    /// Every warehouse, by name.
    async fn warehouses(&self) -> Result<Vec<Warehouse>, StoreError>;
    /// Adds the warehouse, or changes the one with its name.
    async fn save_warehouse(
        &self,
        warehouse: &Warehouse,
        at: DateTime<Utc>,
    ) -> Result<(), StoreError>;
    /// Removes a warehouse and its stock; `Ok(false)` when there was none.
    /// Orders allocated to it stay in the log (and count again if it is added back).
    async fn remove_warehouse(&self, name: &str) -> Result<bool, StoreError>;
    /// One warehouse's stock, by SKU.
    async fn stock(&self, warehouse: &str) -> Result<Vec<StockLine>, StoreError>;
    /// Sets the quantity of each line's SKU in its warehouse, all in one
    /// transaction (SKUs not named keep theirs). A line naming a warehouse
    /// that does not exist fails the whole import; nothing is written.
    async fn import_stock(
        &self,
        lines: Vec<StockLine>,
        at: DateTime<Utc>,
    ) -> Result<(), StoreError>;
}

/// A shareable handle on the configured warehouse store.
pub type Warehouses = Arc<dyn WarehouseStore>;
