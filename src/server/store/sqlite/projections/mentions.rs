//! Who each note mentions (`@username`, see
//! [`crate::model::order::mentions`]): one row per person and note, for
//! their mentions inbox and its unread count.

use super::{Change, Projection};
use crate::model::order::mentions::mentioned;
use crate::model::EventKind;
use crate::server::store::StoreError;
use rusqlite::{params, Connection};

pub(super) struct Mentions;

impl Projection for Mentions {
    fn name(&self) -> &'static str {
        "mentions"
    }

    fn version(&self) -> i64 {
        1
    }

    fn tables(&self) -> &'static [&'static str] {
        &["mentions"]
    }

    fn apply(&self, conn: &Connection, change: &Change<'_>) -> Result<(), StoreError> {
        if let EventKind::NoteAdded { text } = &change.event.event.kind {
            for username in mentioned(text) {
                conn.prepare_cached(
                    "INSERT OR IGNORE INTO mentions (username, seq, order_id) VALUES (?1, ?2, ?3)",
                )?
                .execute(params![
                    username,
                    change.event.seq as i64,
                    change.after.id.as_str()
                ])?;
            }
        }
        Ok(())
    }
}
