//! Server functions of the warehouse load board: the board itself (every
//! warehouse's backlog, shipments today and per hour, oldest waiting order,
//! exceptions open), one warehouse's stock, and — for admins — adding,
//! changing and removing warehouses and importing stock as CSV (the same
//! import as `POST /api/warehouses/stock.csv`).

use super::ApiError;
use crate::model::views::warehouse_load::WarehouseBoard;
use crate::model::warehouse::{StockImport, StockLine, Warehouse, WarehouseDraft};
use leptos::prelude::*;
use leptos::server_fn::codec::Json;

#[cfg(feature = "ssr")]
use {
    super::access::{request, require, state},
    crate::model::access::account::AuditKind,
    crate::model::views::warehouse_load::WarehouseFigures,
    crate::model::Permission,
    crate::server::auth::Staff,
};

/// Adds an entry of `kind` by `admin` to the audit trail.
#[cfg(feature = "ssr")]
async fn audit(admin: &Staff, kind: AuditKind, detail: String) -> Result<(), ApiError> {
    let address = request()?.address;
    state()?
        .auth
        .audit_entry(kind, Some(&admin.username), &address, detail)
        .await;
    Ok(())
}

/// The board now: every warehouse kept, by name.
#[server(endpoint = "warehouses/board", input = Json)]
pub async fn load_warehouse_board() -> Result<WarehouseBoard, ApiError> {
    require(Permission::ViewWarehouses).await?;
    let now = chrono::Utc::now();
    let (figures, as_of) = state()?
        .store
        .warehouse_figures(WarehouseFigures::since(now))
        .await?;
    Ok(WarehouseBoard::at(figures, as_of, now))
}

/// One warehouse's stock, by SKU.
#[server(endpoint = "warehouses/stock", input = Json)]
pub async fn warehouse_stock(warehouse: String) -> Result<Vec<StockLine>, ApiError> {
    require(Permission::ViewWarehouses).await?;
    Ok(state()?.warehouses.stock(&warehouse).await?)
}

/// Adds the warehouse the draft describes, or changes the one of its name.
#[server(endpoint = "warehouses/save", input = Json)]
pub async fn save_warehouse(draft: WarehouseDraft) -> Result<Warehouse, ApiError> {
    let admin = require(Permission::ManageWarehouses).await?;
    let warehouse = draft
        .parse()
        .map_err(|e| ApiError::BadRequest(e.to_string()))?;
    state()?
        .warehouses
        .save_warehouse(&warehouse, chrono::Utc::now())
        .await?;
    let detail = format!(
        "saved {} ({}, {} orders a day)",
        warehouse.name, warehouse.province, warehouse.daily_capacity
    );
    audit(&admin, AuditKind::WarehouseChanged, detail).await?;
    Ok(warehouse)
}

/// Removes a warehouse and its stock (its orders stay in the log).
#[server(endpoint = "warehouses/remove", input = Json)]
pub async fn remove_warehouse(name: String) -> Result<(), ApiError> {
    let admin = require(Permission::ManageWarehouses).await?;
    if state()?.warehouses.remove_warehouse(&name).await? {
        audit(
            &admin,
            AuditKind::WarehouseChanged,
            format!("removed {name}"),
        )
        .await
    } else {
        Err(ApiError::NotFound(format!("warehouse {name}")))
    }
}

/// Imports stock from CSV text (`warehouse,sku,quantity`): every line, or
/// nothing and the first bad line's problem.
#[server(endpoint = "warehouses/stock/import", input = Json)]
pub async fn import_stock_csv(csv: String) -> Result<StockImport, ApiError> {
    let admin = require(Permission::ManageWarehouses).await?;
    let warehouses = state()?.warehouses;
    let outcome = crate::server::warehouses::import_stock(&warehouses, csv.as_bytes()).await?;
    if let StockImport::Imported { lines } = &outcome {
        audit(&admin, AuditKind::StockImported, format!("{lines} lines")).await?;
    }
    Ok(outcome)
}
