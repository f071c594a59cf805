//! Server functions of the mentions inbox: the notes naming the caller (by
//! `@username`), newest first, with the unread count; and marking them read.
//! The notes come through the caller's lens like every other event.

use super::ApiError;
use crate::model::views::mentions::MentionInbox;
use leptos::prelude::*;
use leptos::server_fn::codec::Json;

#[cfg(feature = "ssr")]
use {
    super::access::{require, state},
    super::seen::seen_events,
    crate::model::views::mentions::INBOX_PAGE,
    crate::model::Permission,
};

/// The caller's mentions with `seq < before` (all when `None`), newest first.
#[server(endpoint = "mentions/inbox", input = Json)]
pub async fn mentions_inbox(before: Option<u64>) -> Result<MentionInbox, ApiError> {
    let staff = require(Permission::ViewOrders).await?;
    let state = state()?;
    // Read the head first: every note up to it is in the answer or older.
    let as_of = state.store.head();
    let read_up_to = state.auth.mentions_read(&staff).await?;
    let before = before.unwrap_or(u64::MAX);
    let mut notes = state
        .store
        .mentions_of(&staff.username, before, INBOX_PAGE + 1)
        .await?;
    // A note committed after the head was read arrives on the live topic
    // (which follows after `as_of`): left out here, so it is counted once.
    notes.retain(|n| n.seq <= as_of);
    let more = notes.len() > INBOX_PAGE as usize;
    notes.truncate(INBOX_PAGE as usize);
    let unread = state
        .store
        .mentions_between(&staff.username, read_up_to, as_of)
        .await?;
    let mut seen = Vec::with_capacity(notes.len());
    for note in notes {
        let order = note.event.order_id.clone();
        seen.extend(seen_events(&state.store, staff.lens(), &order, &[note]).await?);
    }
    Ok(MentionInbox {
        notes: seen,
        unread,
        read_up_to,
        as_of,
        more,
    })
}

/// Marks the caller's mentions read up to the log position `up_to` (never
/// back, never past the log's head). Returns how many stay unread.
#[server(endpoint = "mentions/read", input = Json)]
pub async fn mark_mentions_read(up_to: u64) -> Result<u64, ApiError> {
    let staff = require(Permission::ViewOrders).await?;
    let state = state()?;
    let up_to = up_to.min(state.store.head());
    state.auth.mark_mentions_read(&staff, up_to).await?;
    let read_up_to = state.auth.mentions_read(&staff).await?;
    Ok(state
        .store
        .mentions_between(&staff.username, read_up_to, u64::MAX)
        .await?)
}
