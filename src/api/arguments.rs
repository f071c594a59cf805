//! Server-function arguments parsed into domain types, a malformed one
//! answered as a bad request.

use super::ApiError;
use crate::model::OrderId;

/// An order id as a caller sends it (surrounding spaces ignored).
pub fn order_id(raw: &str) -> Result<OrderId, ApiError> {
    OrderId::parse(raw.trim()).map_err(|e| ApiError::BadRequest(e.to_string()))
}
