//! Server functions over orders: the list, one order with its log, and a note.
//! Each checks the caller's permission first and applies the caller's lens.

use super::ApiError;
use crate::model::{OrderDetail, OrderPage, OrderQuery, RecordedEvent};
use leptos::prelude::*;
use leptos::server_fn::codec::Json;

#[cfg(feature = "ssr")]
use {
    super::access::{require, state},
    crate::model::{EventKind, OrderEvent, OrderId, Permission, Source},
};

#[cfg(feature = "ssr")]
fn order_id(raw: &str) -> Result<OrderId, ApiError> {
    OrderId::parse(raw.trim()).map_err(|e| ApiError::BadRequest(e.to_string()))
}

/// A page of orders, newest first, filtered by status, channel and order
/// number: each row's order in full (through the caller's lens), and the log
/// position the page reflects.
#[server(endpoint = "orders/list", input = Json)]
pub async fn list_orders(query: OrderQuery) -> Result<OrderPage, ApiError> {
    let staff = require(Permission::ViewOrders).await?;
    let mut page = state()?.store.list_orders(&query).await?;
    page.lens = staff.lens();
    page.orders.iter_mut().for_each(|o| page.lens.order(o));
    Ok(page)
}

/// One order with its whole log.
#[server(endpoint = "orders/get", input = Json)]
pub async fn get_order(id: String) -> Result<OrderDetail, ApiError> {
    let staff = require(Permission::ViewOrders).await?;
    let id = order_id(&id)?;
    let store = state()?.store;
    let mut order = store
        .order(&id)
        .await?
        .ok_or_else(|| ApiError::NotFound(format!("order {id}")))?;
    // The log is read after the projection: keep exactly what the projection
    // reflects; anything newer arrives on the live stream after `last_seq`.
    let mut events = store.order_events(&id).await?;
    events.retain(|e| e.seq <= order.last_seq);
    let lens = staff.lens();
    // Free text is masked knowing whom the order goes to (before the order's
    // own contact fields are masked).
    let recipient = order.customer.clone();
    events
        .iter_mut()
        .for_each(|e| lens.event_about(e, Some(&recipient)));
    lens.order(&mut order);
    Ok(OrderDetail {
        lens,
        order,
        events,
    })
}

/// Adds a note to an order's log, signed by the caller.
#[server(endpoint = "orders/note", input = Json)]
pub async fn add_order_note(order_id: String, text: String) -> Result<RecordedEvent, ApiError> {
    let staff = require(Permission::AddNote).await?;
    let event = OrderEvent {
        order_id: self::order_id(&order_id)?,
        occurred_at: chrono::Utc::now(),
        source: Source::Staff,
        actor: staff.actor(Permission::AddNote),
        kind: EventKind::NoteAdded {
            text: text.trim().to_string(),
        },
    };
    let store = state()?.store;
    let mut recorded = store.append(vec![event]).await?;
    let mut event = recorded.pop().ok_or(ApiError::Internal)?;
    let lens = staff.lens();
    if lens.hides_anything() {
        let recipient = store
            .order(&event.event.order_id)
            .await?
            .map(|o| o.customer);
        lens.event_about(&mut event, recipient.as_ref());
    }
    Ok(event)
}
