//! Announcements of ended sessions (and of changed roles), so open live
//! streams, which settled who is watching when they opened, can close.

use super::{Auth, Staff};

/// A session that has ended, or a change that ends the streams opened under
/// it, announced so open live streams can close.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Revoked {
    Session(String),
    /// Every session of this user (disabled, or password reset).
    User(String),
    /// This user's roles changed: their sessions stay (each request reads the
    /// roles again), but streams opened under the old roles end, so they are
    /// opened again under the new ones.
    Roles(String),
}

impl Revoked {
    /// Whether a stream opened by `staff` ends on this announcement.
    pub fn ends(&self, staff: &Staff) -> bool {
        match self {
            Revoked::Session(id) => *id == staff.session_id,
            Revoked::User(id) | Revoked::Roles(id) => *id == staff.user_id,
        }
    }
}

impl Auth {
    /// Ended sessions from now on.
    pub fn revocations(&self) -> tokio::sync::broadcast::Receiver<Revoked> {
        self.revoked.subscribe()
    }

    pub(super) fn revoke(&self, what: Revoked) {
        let _ = self.revoked.send(what);
    }
}
