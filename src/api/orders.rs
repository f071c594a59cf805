//! Server functions over orders: the list, one order with its log, and a note.
//! Each checks the caller's permission first and answers through the caller's
//! lens: the answers are the seen read models ([`OrderPage`], [`OrderDetail`],
//! [`SeenEvent`]), which only the lens makes from what the store holds.

use super::ApiError;
use crate::model::{OrderDetail, OrderPage, OrderQuery, SeenEvent};
use leptos::prelude::*;
use leptos::server_fn::codec::Json;

#[cfg(feature = "ssr")]
use {
    super::access::{require, state},
    super::arguments::{order_id, stored_order},
    super::seen::seen_events,
    crate::model::views::search::SearchPlan,
    crate::model::{EventKind, OrderEvent, Permission, Source},
};

/// A page of orders, newest first, filtered by status, channel and open
/// exceptions: each row's order in full (through the caller's lens), and the
/// log position the page reflects. With search text, the orders it finds
/// (see [`crate::model::views::search`]): what the caller's lens may look up,
/// each row with the field it matched, and what the lens left out.
#[server(endpoint = "orders/list", input = Json)]
pub async fn list_orders(query: OrderQuery) -> Result<OrderPage, ApiError> {
    let staff = require(Permission::ViewOrders).await?;
    let lens = staff.lens();
    let store = state()?.store;
    let plan = query
        .search_text()
        .and_then(|text| SearchPlan::new(text, lens));
    let rows = match plan {
        Some(plan) => store.search_orders(&plan, &query).await?,
        None => store.list_orders(&query).await?,
    };
    Ok(rows.through(lens))
}

/// One order with its whole log.
#[server(endpoint = "orders/get", input = Json)]
pub async fn get_order(id: String) -> Result<OrderDetail, ApiError> {
    let staff = require(Permission::ViewOrders).await?;
    let id = order_id(&id)?;
    let store = state()?.store;
    let order = stored_order(&store, &id).await?;
    // The log is read after the projection: keep exactly what the projection
    // reflects; anything newer arrives on the live stream after `last_seq`.
    let mut events = store.order_events(&id).await?;
    events.retain(|e| e.seq <= order.last_seq);
    Ok(OrderDetail::through(staff.lens(), &order, &events))
}

/// Adds a note to an order's log, signed by the caller.
#[server(endpoint = "orders/note", input = Json)]
pub async fn add_order_note(order_id: String, text: String) -> Result<SeenEvent, ApiError> {
    let staff = require(Permission::AddNote).await?;
    let order = self::order_id(&order_id)?;
    let event = OrderEvent {
        order_id: order.clone(),
        occurred_at: chrono::Utc::now(),
        source: Source::Staff,
        actor: staff.actor(Permission::AddNote),
        kind: EventKind::NoteAdded {
            text: text.trim().to_string(),
        },
    };
    let store = state()?.store;
    let recorded = store.append(vec![event]).await?;
    // Free text is masked knowing whom the order goes to.
    let mut seen = seen_events(&store, staff.lens(), &order, &recorded).await?;
    seen.pop().ok_or(ApiError::Internal)
}
