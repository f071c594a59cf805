//! What the detectors may know around one order, read from the store with
//! indexed reads only when a detector could use it: the same customer's
//! orders while a duplicate can still be found or cleared, and the load of
//! the warehouse an order waits in.

use crate::model::detect::settings::secs;
use crate::model::detect::{Context, DetectorSettings};
use crate::model::views::warehouse_load::WarehouseLoad;
use crate::model::{ExceptionCode, Order};
use crate::server::store::{Store, StoreError};
use chrono::{DateTime, Utc};

/// Most of the customer's orders read for telling duplicates.
const SAME_CUSTOMER: u32 = 50;

/// What was read around an order.
pub(super) struct Surroundings {
    same_customer: Vec<Order>,
    warehouse: Option<WarehouseLoad>,
}

impl Surroundings {
    pub(super) fn context<'a>(&'a self, settings: &'a DetectorSettings) -> Context<'a> {
        Context {
            settings,
            same_customer: &self.same_customer,
            warehouse: self.warehouse.as_ref(),
        }
    }
}

pub(super) async fn gather(
    store: &Store,
    order: &Order,
    settings: &DetectorSettings,
    now: DateTime<Utc>,
) -> Result<Surroundings, StoreError> {
    let window = secs(settings.duplicate_window_secs);
    let duplicates_matter =
        now - order.placed_at <= window || order.is_open(ExceptionCode::LikelyDuplicate, None);
    let same_customer = if duplicates_matter {
        let mut found = store
            .customer_orders(
                &order.customer.phone,
                order.placed_at - window,
                SAME_CUSTOMER,
            )
            .await?;
        found.retain(|o| o.id != order.id);
        found
    } else {
        Vec::new()
    };
    let warehouse = match order.warehouse.as_deref() {
        Some(name) if order.waits_to_ship() => store.warehouse_load(name).await?,
        _ => None,
    };
    Ok(Surroundings {
        same_customer,
        warehouse,
    })
}
