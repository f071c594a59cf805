//! Detector 9: the order waits (allocated, nothing shipped) in a warehouse
//! whose backlog is above its daily capacity: it will not ship today unless
//! someone moves it. Cleared when the backlog falls back within capacity,
//! when the order ships or closes.

use super::{Context, Detector, Finding};
use crate::model::order::exceptions::{ExceptionCode, ExceptionFacts};
use crate::model::order::Order;
use chrono::{DateTime, Utc};

pub struct OverCapacity;

impl Detector for OverCapacity {
    fn name(&self) -> &'static str {
        "warehouse-capacity detector"
    }

    fn code(&self) -> ExceptionCode {
        ExceptionCode::WarehouseOverCapacity
    }

    fn findings(&self, order: &Order, ctx: &Context<'_>, _: DateTime<Utc>) -> Vec<Finding> {
        let (Some(name), Some(load)) = (order.warehouse.as_deref(), ctx.warehouse) else {
            return Vec::new();
        };
        if !order.waits_to_ship() || load.backlog <= load.daily_capacity {
            return Vec::new();
        }
        vec![Finding {
            parcel: None,
            facts: ExceptionFacts::OverCapacity {
                warehouse: name.to_string(),
                backlog: load.backlog,
                capacity: load.daily_capacity,
            },
            since: order.placed_at,
        }]
    }
}
