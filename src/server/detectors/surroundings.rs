//! What the detectors may know around the orders of one look, read from the
//! store in a few batched, indexed reads (not one per order), and only where
//! a detector could use it: the same customer's orders while a duplicate can
//! still be found or cleared, and the load of each warehouse an order waits
//! in (read once per warehouse).

use crate::model::detect::settings::secs;
use crate::model::detect::{Context, DetectorSettings};
use crate::model::views::warehouse_load::WarehouseLoad;
use crate::model::{ExceptionCode, Order};
use crate::server::store::{CustomerAsk, Store, StoreError};
use chrono::{DateTime, Utc};
use std::collections::HashMap;

/// Most of the customer's orders read for telling duplicates.
const SAME_CUSTOMER: u32 = 50;

/// What was read around the orders of one look.
pub(super) struct Surroundings {
    /// Per order, in the order given: the same customer's other orders.
    same_customer: Vec<Vec<Order>>,
    /// The loads of the warehouses the orders wait in, by name (`None`: a
    /// warehouse the board does not keep).
    warehouses: HashMap<String, Option<WarehouseLoad>>,
}

impl Surroundings {
    /// The context of the `i`-th order given to [`gather`].
    pub(super) fn context<'a>(
        &'a self,
        i: usize,
        order: &Order,
        settings: &'a DetectorSettings,
    ) -> Context<'a> {
        Context {
            settings,
            same_customer: self.same_customer.get(i).map_or(&[], Vec::as_slice),
            warehouse: order
                .warehouse
                .as_deref()
                .filter(|_| order.waits_to_ship())
                .and_then(|name| self.warehouses.get(name)?.as_ref()),
        }
    }
}

/// Whether the duplicate detector could use the customer's other orders:
/// while the order is young enough to repeat one, or one stands raised.
fn duplicates_matter(order: &Order, settings: &DetectorSettings, now: DateTime<Utc>) -> bool {
    now - order.placed_at <= secs(settings.duplicate_window_secs)
        || order.is_open(ExceptionCode::LikelyDuplicate, None)
}

/// Reads what is around `orders`: one read for every customer asked about,
/// one per warehouse.
pub(super) async fn gather(
    store: &Store,
    orders: &[&Order],
    settings: &DetectorSettings,
    now: DateTime<Utc>,
) -> Result<Surroundings, StoreError> {
    let window = secs(settings.duplicate_window_secs);
    let asking: Vec<usize> = (0..orders.len())
        .filter(|&i| duplicates_matter(orders[i], settings, now))
        .collect();
    let asks = asking
        .iter()
        .map(|&i| CustomerAsk {
            phone: orders[i].customer.phone.clone(),
            since: orders[i].placed_at - window,
            besides: Some(orders[i].id.clone()),
        })
        .collect();
    let found = store.customers_orders(asks, SAME_CUSTOMER).await?;
    let mut same_customer = vec![Vec::new(); orders.len()];
    for (i, theirs) in asking.into_iter().zip(found) {
        same_customer[i] = theirs;
    }
    let mut warehouses = HashMap::new();
    for order in orders.iter().filter(|o| o.waits_to_ship()) {
        let Some(name) = order.warehouse.as_deref() else {
            continue;
        };
        if !warehouses.contains_key(name) {
            let load = store.warehouse_load(name).await?;
            warehouses.insert(name.to_string(), load);
        }
    }
    Ok(Surroundings {
        same_customer,
        warehouses,
    })
}
