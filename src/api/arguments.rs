//! Server-function arguments parsed into domain types, a malformed one
//! answered as a bad request.

use super::ApiError;
use crate::model::{Order, OrderId};
use crate::server::store::Store;

/// An order id as a caller sends it (surrounding spaces ignored).
pub fn order_id(raw: &str) -> Result<OrderId, ApiError> {
    OrderId::parse(raw.trim()).map_err(|e| ApiError::BadRequest(e.to_string()))
}

/// The stored order `id`, or not found.
pub async fn stored_order(store: &Store, id: &OrderId) -> Result<Order, ApiError> {
    store
        .order(id)
        .await?
        .ok_or_else(|| ApiError::NotFound(format!("order {id}")))
}
