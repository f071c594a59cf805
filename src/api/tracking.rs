//! Server functions for tracking links, on the staff order page: make a link
//! for an order (its path with the token is answered this once), list an
//! order's links (never the token), revoke one. Each needs `ShareTracking`
//! (customer service and admin), checked here on the server before any work.
//! What the customer opens is not a server function: see
//! `crate::server::tracking::endpoints`.

use super::ApiError;
use crate::model::views::tracking_link::{TrackingLinkCreated, TrackingLinkSummary};
use leptos::prelude::*;
use leptos::server_fn::codec::Json;

#[cfg(feature = "ssr")]
use {
    super::access::{request, require, state},
    crate::model::{OrderId, Permission},
};

#[cfg(feature = "ssr")]
impl From<crate::server::tracking::TrackingError> for ApiError {
    fn from(e: crate::server::tracking::TrackingError) -> Self {
        use crate::server::tracking::TrackingError;
        match e {
            TrackingError::BadRequest(m) => ApiError::BadRequest(m),
            TrackingError::NotFound(m) => ApiError::NotFound(m),
            TrackingError::Store(s) => s.into(),
        }
    }
}

#[cfg(feature = "ssr")]
fn order_id(raw: &str) -> Result<OrderId, ApiError> {
    OrderId::parse(raw.trim()).map_err(|e| ApiError::BadRequest(e.to_string()))
}

/// Makes a tracking link for `order_id`, valid `expires_in_days` (1–90;
/// 30 when `None`). The answer's `url` (`/track/<token>`) is never shown again.
#[server(endpoint = "orders/tracking-links/create", input = Json)]
pub async fn create_tracking_link(
    order_id: String,
    expires_in_days: Option<u32>,
) -> Result<TrackingLinkCreated, ApiError> {
    let staff = require(Permission::ShareTracking).await?;
    let order = self::order_id(&order_id)?;
    Ok(state()?
        .tracking
        .create(&order, expires_in_days, &staff, &request()?)
        .await?)
}

/// The tracking links of `order_id`, newest first, revoked and expired ones
/// included.
#[server(endpoint = "orders/tracking-links/list", input = Json)]
pub async fn list_tracking_links(order_id: String) -> Result<Vec<TrackingLinkSummary>, ApiError> {
    require(Permission::ShareTracking).await?;
    let order = self::order_id(&order_id)?;
    Ok(state()?.tracking.links_of(&order).await?)
}

/// Revokes a tracking link at once: it no longer opens, and pages following
/// it stop receiving updates.
#[server(endpoint = "orders/tracking-links/revoke", input = Json)]
pub async fn revoke_tracking_link(id: String) -> Result<TrackingLinkSummary, ApiError> {
    let staff = require(Permission::ShareTracking).await?;
    Ok(state()?
        .tracking
        .revoke(id.trim(), &staff, &request()?)
        .await?)
}
