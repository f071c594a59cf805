//! The demo's warehouses as data: the three the simulator allocates orders to
//! ([`WAREHOUSES`]), each with its province, a daily capacity, the carriers
//! that collect there and some stock of every product, written when the
//! store keeps no warehouse yet (an admin's own warehouses are never touched).

use super::catalogue::{MAIN_ITEMS, WAREHOUSES};
use crate::model::warehouse::{StockLine, WarehouseDraft};
use crate::server::store::{StoreError, Warehouses};
use chrono::Utc;

/// Province, daily capacity and carriers of each of [`WAREHOUSES`], in order.
/// Chengdu is small: at the demo's pace its backlog passes its capacity.
const PROFILES: [(&str, u64, &[&str]); 3] = [
    (
        "上海",
        2_000,
        &["SF Express", "YTO Express", "ZTO Express", "UPS"],
    ),
    (
        "广东",
        1_500,
        &["SF Express", "ZTO Express", "JD Logistics"],
    ),
    ("四川", 300, &["SF Express", "YTO Express", "JD Logistics"]),
];

fn draft(name: &str, province: &str, capacity: u64, carriers: &[&str]) -> WarehouseDraft {
    WarehouseDraft {
        name: name.to_string(),
        province: province.to_string(),
        daily_capacity: capacity,
        carriers: carriers.iter().map(|c| c.to_string()).collect(),
    }
}

/// Writes the demo warehouses and their stock unless warehouses are kept
/// already; answers whether it wrote them.
pub async fn seed_warehouses(store: &Warehouses) -> Result<bool, StoreError> {
    if !store.warehouses().await?.is_empty() {
        return Ok(false);
    }
    let now = Utc::now();
    let mut stock = Vec::new();
    for (i, (name, (province, capacity, carriers))) in WAREHOUSES.iter().zip(PROFILES).enumerate() {
        let warehouse = draft(name, province, capacity, carriers)
            .parse()
            .expect("the demo warehouses are valid (tested)");
        store.save_warehouse(&warehouse, now).await?;
        for (j, product) in MAIN_ITEMS.iter().enumerate() {
            stock.push(StockLine {
                warehouse: warehouse.name.clone(),
                sku: product.sku.to_string(),
                quantity: ((i as u64 + 1) * 137 + j as u64 * 61) % 500,
            });
        }
        // The free things packed with them: plenty everywhere.
        for sku in ["GIFT-STD", "TRIAL-SER-5"] {
            stock.push(StockLine {
                warehouse: warehouse.name.clone(),
                sku: sku.to_string(),
                quantity: 900,
            });
        }
    }
    store.import_stock(stock, now).await?;
    Ok(true)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_demo_warehouse_is_valid() {
        for (name, (province, capacity, carriers)) in WAREHOUSES.iter().zip(PROFILES) {
            let w = draft(name, province, capacity, carriers).parse().unwrap();
            assert_eq!(w.name, *name);
        }
    }
}
