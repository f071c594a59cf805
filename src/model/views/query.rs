//! The read models that cross the wire: a page of the order list and one order in full.

use crate::model::access::Lens;
use crate::model::order::channel::Channel;
use crate::model::order::event::RecordedEvent;
use crate::model::order::money::Money;
use crate::model::order::status::Status;
use crate::model::order::Order;
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

/// Largest page the list serves.
pub const MAX_PER_PAGE: u32 = 100;

/// Which orders to list.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct OrderQuery {
    pub status: Option<Status>,
    pub channel: Option<Channel>,
    /// Part of our order id or the channel's order id.
    pub search: Option<String>,
    /// 1-based.
    pub page: u32,
    pub per_page: u32,
}

impl OrderQuery {
    /// The page and page size, clamped to what the server serves.
    pub fn bounds(&self) -> (u32, u32) {
        (self.page.max(1), self.per_page.clamp(1, MAX_PER_PAGE))
    }

    /// The search text, trimmed; `None` when blank.
    pub fn search_text(&self) -> Option<&str> {
        self.search
            .as_deref()
            .map(str::trim)
            .filter(|s| !s.is_empty())
    }
}

/// One row of the order list.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct OrderSummary {
    pub id: String,
    pub channel: Channel,
    pub channel_order_id: String,
    pub customer_name: String,
    pub status: Status,
    pub total: Money,
    pub components: u32,
    pub parcels_shipped: u32,
    pub parcels: u32,
    pub placed_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

impl From<&Order> for OrderSummary {
    fn from(o: &Order) -> Self {
        let (shipped, parcels) = o.shipped_count();
        OrderSummary {
            id: o.id.to_string(),
            channel: o.channel,
            channel_order_id: o.channel_order_id.clone(),
            customer_name: o.customer.name.clone(),
            status: o.status(),
            total: o.total,
            components: o.components.len() as u32,
            parcels_shipped: shipped as u32,
            parcels: parcels as u32,
            placed_at: o.placed_at,
            updated_at: o.updated_at,
        }
    }
}

/// A page of the order list: each row's order in full, so the browser folds
/// live events into it (see [`crate::model::views::list_page`]).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct OrderPage {
    /// What the viewer sees: withheld amounts are sent as zero.
    pub lens: Lens,
    pub orders: Vec<Order>,
    pub total: u64,
    pub page: u32,
    pub per_page: u32,
    /// The log head read before the rows: every event up to it is in them.
    pub as_of: u64,
}

impl OrderPage {
    pub fn page_count(&self) -> u32 {
        page_count(self.total, self.per_page)
    }
}

/// Pages of `per_page` that `total` orders fill (at least one).
pub fn page_count(total: u64, per_page: u32) -> u32 {
    let per = u64::from(per_page.max(1));
    (total.div_ceil(per)).max(1) as u32
}

/// One order with its whole log, and the log position it reflects.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct OrderDetail {
    /// What the viewer sees: withheld amounts are sent as zero.
    pub lens: Lens,
    pub order: Order,
    pub events: Vec<RecordedEvent>,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bounds_are_clamped() {
        let q = OrderQuery {
            page: 0,
            per_page: 10_000,
            ..Default::default()
        };
        assert_eq!(q.bounds(), (1, MAX_PER_PAGE));
        let q = OrderQuery {
            search: Some("   ".into()),
            ..Default::default()
        };
        assert_eq!(q.search_text(), None);
    }

    #[test]
    fn page_count_rounds_up() {
        let page = OrderPage {
            lens: Lens::FULL,
            orders: vec![],
            total: 51,
            page: 1,
            per_page: 25,
            as_of: 0,
        };
        assert_eq!(page.page_count(), 3);
    }
}
