//! The queries behind the mentions inbox: the notes naming one person, newest
//! first, and how many arrived between two log positions (both seeks on the
//! mentions projection's key, whatever the size of the log).

use super::reads::events;
use crate::model::RecordedEvent;
use crate::server::store::StoreError;
use rusqlite::{params, Connection};

/// The notes mentioning `username` with `seq < before`, newest first, at most `limit`.
pub(super) fn mentions_of(
    conn: &Connection,
    username: &str,
    before: u64,
    limit: u32,
) -> Result<Vec<RecordedEvent>, StoreError> {
    events(
        conn,
        "SELECT e.body FROM mentions m JOIN events e ON e.seq = m.seq \
         WHERE m.username = ?1 AND m.seq < ?2 ORDER BY m.seq DESC LIMIT ?3",
        params![username, before.min(i64::MAX as u64) as i64, limit],
    )
}

/// How many notes mention `username` with `after < seq <= up_to`.
pub(super) fn mentions_between(
    conn: &Connection,
    username: &str,
    after: u64,
    up_to: u64,
) -> Result<u64, StoreError> {
    Ok(conn
        .prepare_cached(
            "SELECT COUNT(*) FROM mentions WHERE username = ?1 AND seq > ?2 AND seq <= ?3",
        )?
        .query_row(
            params![username, after as i64, up_to.min(i64::MAX as u64) as i64],
            |r| r.get(0),
        )?)
}
