//! The exception queues: a team's open exceptions a page at a time, oldest
//! deadline first, and what a person does with one (claim, snooze, resolve).
//! Each checks the caller's permission, then that the team is theirs, on the
//! server.

use super::ApiError;
use crate::model::access::Role;
use crate::model::order::exception_action::{ExceptionAction, ExceptionRef};
use crate::model::views::exception_queue::QueuePage;
use crate::model::{ExceptionCode, SeenEvent};
use leptos::prelude::*;
use leptos::server_fn::codec::Json;

#[cfg(feature = "ssr")]
use {
    super::access::{require, state},
    super::arguments::{order_id, stored_order},
    super::seen::seen_events,
    crate::model::order::exception_action::{plan, works},
    crate::model::views::exception_queue::{works_queue, QueueKey, PAGE_ROWS},
    crate::model::Permission,
    crate::server::exception_queue::read_page,
    crate::server::store::StoreError,
};

/// A page of `team`'s queue (of one `code` of it, when given) after `after`
/// (a key from the last page); snoozed exceptions only when `snoozed`.
#[server(endpoint = "exceptions/queue", input = Json)]
pub async fn exception_queue(
    team: Role,
    code: Option<ExceptionCode>,
    after: Option<String>,
    snoozed: bool,
) -> Result<QueuePage, ApiError> {
    let staff = require(Permission::WorkExceptions).await?;
    if !works_queue(&staff.roles, team) {
        return Err(ApiError::Forbidden(format!(
            "not a member of {}",
            team.label()
        )));
    }
    let after = match after.as_deref().filter(|a| !a.is_empty()) {
        Some(a) => Some(
            QueueKey::parse(a).ok_or_else(|| ApiError::BadRequest(format!("no such page: {a}")))?,
        ),
        None => None,
    };
    let state = state()?;
    let now = chrono::Utc::now();
    Ok(read_page(
        &state,
        staff.lens(),
        team,
        code,
        after.as_ref(),
        snoozed,
        PAGE_ROWS,
        now,
    )
    .await?)
}

/// Takes `action` on the open exception `which` of order `order_id`.
/// Answers the event it was recorded as, through the caller's lens.
#[server(endpoint = "exceptions/act", input = Json)]
pub async fn act_on_exception(
    order_id: String,
    which: ExceptionRef,
    action: ExceptionAction,
) -> Result<Vec<SeenEvent>, ApiError> {
    let staff = require(Permission::WorkExceptions).await?;
    if !works(&staff.roles, which.code) {
        return Err(ApiError::Forbidden(format!(
            "{} belongs to {}",
            which.code.name(),
            which.code.team().label()
        )));
    }
    let id = self::order_id(&order_id)?;
    let store = state()?.store;
    let order = stored_order(&store, &id).await?;
    let event = plan(
        &action,
        &which,
        &order,
        staff.actor(Permission::WorkExceptions),
        chrono::Utc::now(),
    )
    .map_err(|refusal| ApiError::from(StoreError::Refused(refusal)))?;
    let recorded = store.append(vec![event]).await?;
    Ok(seen_events(&store, staff.lens(), &id, &recorded).await?)
}
