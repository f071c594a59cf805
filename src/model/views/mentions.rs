//! The mentions inbox as it crosses the wire: the notes that name the reader
//! (`@username`), newest first, through their lens, and how many are unread.

use crate::model::access::SeenEvent;
use serde::{Deserialize, Serialize};

/// Most notes one inbox page holds.
pub const INBOX_PAGE: u32 = 50;

/// A page of the reader's mentions.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct MentionInbox {
    /// The notes, newest first (each names its order and author).
    pub notes: Vec<SeenEvent>,
    /// Notes newer than `read_up_to`.
    pub unread: u64,
    /// The log position up to which the reader has read their mentions.
    pub read_up_to: u64,
    /// The log position the page reflects: the live topic follows after it.
    pub as_of: u64,
    /// Whether older notes follow (ask with `before` = the last note's seq).
    pub more: bool,
}

impl MentionInbox {
    /// Whether the note at `seq` is one the reader has not read.
    pub fn is_unread(&self, seq: u64) -> bool {
        seq > self.read_up_to
    }
}
