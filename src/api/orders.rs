//! Server functions over orders: the list, one order with its log, and a note.

use super::ApiError;
use crate::model::{OrderDetail, OrderPage, OrderQuery, RecordedEvent};
use leptos::prelude::*;
use leptos::server_fn::codec::Json;

#[cfg(feature = "ssr")]
use {
    crate::model::{Actor, EventKind, OrderEvent, OrderId, Source},
    crate::server::AppState,
};

#[cfg(feature = "ssr")]
fn state() -> Result<AppState, ApiError> {
    use_context::<AppState>().ok_or_else(|| {
        tracing::error!("AppState missing from server function context");
        ApiError::Internal
    })
}

#[cfg(feature = "ssr")]
fn order_id(raw: &str) -> Result<OrderId, ApiError> {
    OrderId::parse(raw.trim()).map_err(|e| ApiError::BadRequest(e.to_string()))
}

/// A page of orders, newest first, filtered by status, channel and order number.
#[server(endpoint = "orders/list", input = Json)]
pub async fn list_orders(query: OrderQuery) -> Result<OrderPage, ApiError> {
    let store = state()?.store;
    Ok(store.list_orders(&query).await?)
}

/// One order with its whole log.
#[server(endpoint = "orders/get", input = Json)]
pub async fn get_order(id: String) -> Result<OrderDetail, ApiError> {
    let id = order_id(&id)?;
    let store = state()?.store;
    let order = store
        .order(&id)
        .await?
        .ok_or_else(|| ApiError::NotFound(format!("order {id}")))?;
    // The log is read after the projection: keep exactly what the projection
    // reflects; anything newer arrives on the live stream after `last_seq`.
    let mut events = store.order_events(&id).await?;
    events.retain(|e| e.seq <= order.last_seq);
    Ok(OrderDetail { order, events })
}

/// Adds a note to an order's log.
#[server(endpoint = "orders/note", input = Json)]
pub async fn add_order_note(order_id: String, text: String) -> Result<RecordedEvent, ApiError> {
    let event = OrderEvent {
        order_id: self::order_id(&order_id)?,
        occurred_at: chrono::Utc::now(),
        source: Source::Staff,
        actor: Actor::Anonymous,
        kind: EventKind::NoteAdded {
            text: text.trim().to_string(),
        },
    };
    let mut recorded = state()?.store.append(vec![event]).await?;
    recorded.pop().ok_or(ApiError::Internal)
}
