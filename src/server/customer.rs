//! The customer at a glance, read from the store: the orders of the last 30
//! days with the phone of the order asked from (one range of the search
//! index), each with its notes and duplicate flag, through a lens. The
//! order page's panel and the customer's CSV export both read it here.

use crate::model::views::customer::{likely_duplicates, notes, since, CustomerOrder, MAX_ORDERS};
use crate::model::views::search::phone_key;
use crate::model::{EventKind, Lens, Order};
use crate::server::store::{Store, StoreError};
use chrono::{DateTime, Utc};

/// The customer's recent orders, newest first.
pub struct Recent {
    pub orders: Vec<CustomerOrder>,
    /// Whether older orders of the window were left out.
    pub more: bool,
    pub since: DateTime<Utc>,
}

/// The recent orders of the customer of `asked`, as `lens` shows them.
pub async fn recent_orders(store: &Store, asked: &Order, lens: Lens) -> Result<Recent, StoreError> {
    let since = since(Utc::now());
    let mut orders = store
        .customer_orders(
            &phone_key(&asked.customer.phone),
            since,
            MAX_ORDERS as u32 + 1,
        )
        .await?;
    let more = orders.len() > MAX_ORDERS;
    orders.truncate(MAX_ORDERS);
    let mut shown = Vec::with_capacity(orders.len());
    for (order, duplicate_of) in orders.iter().zip(likely_duplicates(&orders)) {
        let events = store.order_events(&order.id).await?;
        let seen: Vec<_> = events
            .iter()
            .filter(|e| matches!(e.event.kind, EventKind::NoteAdded { .. }))
            .map(|e| lens.event_about(e, Some(&order.customer)))
            .collect();
        shown.push(CustomerOrder {
            order: lens.order(order),
            notes: notes(&seen),
            duplicate_of,
        });
    }
    Ok(Recent {
        orders: shown,
        more,
        since,
    })
}
