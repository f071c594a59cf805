//! The desk's actions on an order, as one server function: change delivery
//! details, cancel, intercept for a refund, hold, release, record what a
//! warehouse or carrier answered. The action arrives typed
//! ([`DeskAction`]: a blank reason or a phone that is not digits does not
//! decode); the caller's permission for that action is checked before any
//! work; the pure planner ([`plan`]) turns it into events given the order as
//! it stands, or refuses it with the lifecycle's reason; the store appends
//! them atomically and folds them again (a change that raced with the
//! warehouse is still refused, and nothing is written). The answer is the
//! recorded events through the caller's lens.

use super::ApiError;
use crate::model::order::desk_action::DeskAction;
use crate::model::SeenEvent;
use leptos::prelude::*;
use leptos::server_fn::codec::Json;

#[cfg(feature = "ssr")]
use {
    super::access::{require, state},
    super::arguments::{order_id, stored_order},
    super::seen::seen_events,
    crate::model::order::desk_action::plan,
    crate::server::store::StoreError,
};

/// Takes `action` on order `order_id`, signed by the caller in the role that
/// allows it. Answers the events it was recorded as.
#[server(endpoint = "orders/act", input = Json)]
pub async fn act_on_order(
    order_id: String,
    action: DeskAction,
) -> Result<Vec<SeenEvent>, ApiError> {
    let permission = action.permission();
    let staff = require(permission).await?;
    let id = self::order_id(&order_id)?;
    let store = state()?.store;
    let order = stored_order(&store, &id).await?;
    let events = plan(
        &action,
        &order,
        &staff.actor(permission),
        chrono::Utc::now(),
    )
    .map_err(|refusal| ApiError::from(StoreError::Refused(refusal)))?;
    let recorded = store.append(events).await?;
    // Free text is masked knowing whom the order goes to now.
    Ok(seen_events(&store, staff.lens(), &id, &recorded).await?)
}
