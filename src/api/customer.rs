//! The customer at a glance, asked from one of their orders: their orders of
//! the last 30 days (the same phone as that order, found by the search
//! index's phone range, never by a phone the browser sends), each with its
//! notes and whether it likely repeats an earlier one, through the caller's
//! lens.

use super::ApiError;
use crate::model::views::customer::CustomerOrders;
use leptos::prelude::*;
use leptos::server_fn::codec::Json;

#[cfg(feature = "ssr")]
use {
    super::access::{require, state},
    super::arguments::{order_id, stored_order},
    crate::model::Permission,
    crate::server::customer::recent_orders,
};

/// The recent orders of the customer of order `id`, newest first.
#[server(endpoint = "orders/customer", input = Json)]
pub async fn customer_recent_orders(id: String) -> Result<CustomerOrders, ApiError> {
    let staff = require(Permission::ViewOrders).await?;
    let id = order_id(&id)?;
    let store = state()?.store;
    let asked = stored_order(&store, &id).await?;
    let lens = staff.lens();
    let recent = recent_orders(&store, &asked, lens).await?;
    Ok(CustomerOrders {
        asked_from: id.to_string(),
        lens,
        orders: recent.orders,
        more: recent.more,
        since: recent.since,
    })
}
