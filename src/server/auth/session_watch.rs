//! Live streams end with their session, for whatever reason it ends: signed
//! out, ended by an admin, the account disabled (all announced as
//! [`Revoked`]), idle too long, past its absolute expiry, or its row deleted
//! without an announcement (a missed one: the announcements' channel drops
//! what a slow receiver has not read).
//!
//! Each stream's watcher reads its session once when the stream opens and
//! then sleeps until the earliest of: the absolute expiry (known from the
//! first read; the stream ends then, exactly), the idle expiry as last read,
//! and the next periodic re-read ([`Policy::stream_check`]). A re-read ends the
//! stream when the row is gone or idle. When announcements were missed
//! (`Lagged`), the session is re-read at once. Nothing is done per event.

use super::{Auth, Staff};
use crate::server::store::{StoreError, StoredSession};
use chrono::{DateTime, Utc};
use std::sync::Arc;
use std::time::Duration;
use tokio::sync::broadcast::error::RecvError;
use tokio::time::Instant;
use tokio_util::sync::CancellationToken;

/// Why a stream's session is over.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SessionEnded {
    /// Signed out, ended by an admin, or the account disabled or reset.
    Revoked,
    /// The session row is gone (deleted without an announcement we saw).
    Gone,
    /// Unused for longer than the idle period.
    Idle,
    /// Past the absolute expiry.
    Expired,
    /// The session could not be read: ended rather than trusted.
    Unreadable,
}

/// What decides how long a session lasts.
struct Lifetime {
    absolute: DateTime<Utc>,
    idle: DateTime<Utc>,
}

impl Auth {
    /// Cancels `end` when the session behind `token_hash` (signed in as
    /// `staff`) ends, and returns why; returns `None` at once if `end` is
    /// cancelled first (the stream closed). Spawn it beside a live stream.
    pub async fn end_with_session(
        self: Arc<Self>,
        staff: Staff,
        token_hash: String,
        end: CancellationToken,
    ) -> Option<SessionEnded> {
        let ended = tokio::select! {
            _ = end.cancelled() => return None,
            why = self.session_end(&staff, &token_hash) => why,
        };
        tracing::debug!(session = %staff.session_id, ?ended, "live stream ends with its session");
        end.cancel();
        Some(ended)
    }

    /// Resolves when the session ends.
    async fn session_end(&self, staff: &Staff, token_hash: &str) -> SessionEnded {
        // Subscribed before the first read, so no revocation falls between.
        let mut revocations = Some(self.revocations());
        let first = match self.lifetime(token_hash).await {
            Ok(Ok(lifetime)) => lifetime,
            Ok(Err(why)) => return why,
            Err(e) => {
                tracing::warn!(error = %e, "could not read a live stream's session");
                return SessionEnded::Unreadable;
            }
        };
        let absolute = first.absolute;
        let mut idle = first.idle;
        loop {
            let now = Utc::now();
            let wake = (now + chrono_duration(self.policy.stream_check))
                .min(idle)
                .min(absolute);
            let deadline = Instant::now() + (wake - now).to_std().unwrap_or_default();
            let at_absolute = wake == absolute;
            // Sleep until `wake`, unless an announcement says otherwise.
            let woke_on_time = loop {
                let announced = async {
                    match revocations.as_mut() {
                        Some(r) => r.recv().await,
                        None => std::future::pending().await,
                    }
                };
                tokio::select! {
                    _ = tokio::time::sleep_until(deadline) => break true,
                    r = announced => match r {
                        Ok(r) if r.ends(staff) => return SessionEnded::Revoked,
                        Ok(_) => {}
                        // Missed some: read the session now.
                        Err(RecvError::Lagged(_)) => break false,
                        Err(RecvError::Closed) => revocations = None,
                    },
                }
            };
            if (woke_on_time && at_absolute) || Utc::now() >= absolute {
                return SessionEnded::Expired;
            }
            match self.lifetime(token_hash).await {
                Ok(Ok(lifetime)) => idle = lifetime.idle,
                Ok(Err(why)) => return why,
                Err(e) => {
                    tracing::warn!(error = %e, "could not re-read a live stream's session");
                    return SessionEnded::Unreadable;
                }
            }
        }
    }

    /// The session's lifetime as stored now, or why it is over.
    async fn lifetime(
        &self,
        token_hash: &str,
    ) -> Result<Result<Lifetime, SessionEnded>, StoreError> {
        let Some(session) = self.accounts.session_by_token(token_hash).await? else {
            return Ok(Err(SessionEnded::Gone));
        };
        let lifetime = self.lifetime_of(&session);
        let now = Utc::now();
        Ok(if now >= lifetime.absolute {
            Err(SessionEnded::Expired)
        } else if now >= lifetime.idle {
            Err(SessionEnded::Idle)
        } else {
            Ok(lifetime)
        })
    }

    fn lifetime_of(&self, session: &StoredSession) -> Lifetime {
        Lifetime {
            absolute: session.expires_at,
            idle: session.last_seen_at + chrono_duration(self.policy.idle),
        }
    }
}

fn chrono_duration(d: Duration) -> chrono::Duration {
    chrono::Duration::from_std(d).unwrap_or(chrono::Duration::MAX)
}

/// How often a stream re-reads its session by default: a quarter of the idle
/// period, at least 10 ms and at most 15 s.
pub fn default_stream_check(idle: Duration) -> Duration {
    (idle / 4).clamp(Duration::from_millis(10), Duration::from_secs(15))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::server::auth::{Policy, Revoked};
    use crate::server::store::{AccountStore, Durability, SqliteAccounts, SqliteStore, StoredUser};

    fn policy(stream_check: Duration) -> Policy {
        let args = crate::server::config::ServeArgs::local(
            std::path::PathBuf::from("unused"),
            ([127, 0, 0, 1], 0).into(),
        );
        Policy {
            idle: Duration::from_secs(3600),
            absolute: Duration::from_secs(3600),
            stream_check,
            ..args.auth_policy(([127, 0, 0, 1], 3000).into())
        }
    }

    async fn auth_with_session(
        dir: &std::path::Path,
        stream_check: Duration,
    ) -> (Arc<Auth>, Arc<SqliteAccounts>, Staff) {
        let store = SqliteStore::open(dir, Durability::Normal).unwrap();
        let accounts = Arc::new(SqliteAccounts::open(store.path()).unwrap());
        let auth = Arc::new(Auth::new(accounts.clone(), policy(stream_check)));
        let now = Utc::now();
        accounts
            .insert_user(&StoredUser {
                id: "u_1".into(),
                username: "cs".into(),
                display_name: "CS".into(),
                roles: vec![crate::model::Role::CustomerService],
                password_hash: "not a hash".into(),
                disabled: false,
                created_at: now,
            })
            .await
            .unwrap();
        accounts
            .insert_session(&StoredSession {
                id: "s_1".into(),
                token_hash: "hash-1".into(),
                user_id: "u_1".into(),
                address: "127.0.0.1".into(),
                created_at: now,
                last_seen_at: now,
                expires_at: now + chrono::Duration::hours(1),
            })
            .await
            .unwrap();
        let staff = Staff {
            user_id: "u_1".into(),
            username: "cs".into(),
            display_name: "CS".into(),
            roles: vec![crate::model::Role::CustomerService],
            session_id: "s_1".into(),
        };
        (auth, accounts, staff)
    }

    /// A watcher that missed announcements (its receiver lagged) reads its
    /// session at once, long before its next periodic read.
    /// A watcher of `staff`'s session that has read it and is waiting.
    async fn watching(
        auth: &Arc<Auth>,
        staff: Staff,
    ) -> (
        tokio::task::JoinHandle<Option<SessionEnded>>,
        CancellationToken,
    ) {
        let end = CancellationToken::new();
        let watcher = tokio::spawn(auth.clone().end_with_session(
            staff,
            "hash-1".into(),
            end.clone(),
        ));
        while auth.revoked.receiver_count() == 0 {
            tokio::task::yield_now().await;
        }
        (watcher, end)
    }

    #[tokio::test]
    async fn a_lagged_watcher_reads_its_session_again_at_once() {
        let dir = tempfile::tempdir().unwrap();
        let (auth, accounts, staff) =
            auth_with_session(dir.path(), Duration::from_secs(3600)).await;
        let (watcher, end) = watching(&auth, staff).await;
        tokio::time::sleep(Duration::from_millis(50)).await;
        assert!(!end.is_cancelled());

        // Deleted without an announcement for it, then more announcements
        // about others than the channel holds (this runtime has one thread:
        // the watcher reads none of them until the loop is done).
        assert!(accounts.delete_session("s_1").await.unwrap());
        for i in 0..300 {
            auth.revoke(Revoked::Session(format!("other-{i}")));
        }
        let ended = tokio::time::timeout(Duration::from_secs(5), watcher)
            .await
            .expect("the watcher ends at once, not at its next periodic read")
            .unwrap();
        assert_eq!(ended, Some(SessionEnded::Gone));
        assert!(end.is_cancelled());
    }

    #[tokio::test]
    async fn an_announced_revocation_ends_the_stream() {
        let dir = tempfile::tempdir().unwrap();
        let (auth, _, staff) = auth_with_session(dir.path(), Duration::from_secs(3600)).await;
        let (watcher, end) = watching(&auth, staff).await;
        auth.revoke(Revoked::User("u_1".into()));
        let ended = tokio::time::timeout(Duration::from_secs(5), watcher)
            .await
            .unwrap()
            .unwrap();
        assert_eq!(ended, Some(SessionEnded::Revoked));
        assert!(end.is_cancelled());
    }

    #[tokio::test]
    async fn a_closed_stream_stops_its_watcher() {
        let dir = tempfile::tempdir().unwrap();
        let (auth, _, staff) = auth_with_session(dir.path(), Duration::from_secs(3600)).await;
        let end = CancellationToken::new();
        let watcher = tokio::spawn(auth.end_with_session(staff, "hash-1".into(), end.clone()));
        end.cancel();
        assert_eq!(watcher.await.unwrap(), None);
    }

    #[test]
    fn the_default_check_is_a_quarter_of_the_idle_period_within_bounds() {
        assert_eq!(
            default_stream_check(Duration::from_secs(30 * 60)),
            Duration::from_secs(15)
        );
        assert_eq!(
            default_stream_check(Duration::from_secs(20)),
            Duration::from_secs(5)
        );
        assert_eq!(
            default_stream_check(Duration::from_millis(8)),
            Duration::from_millis(10)
        );
    }
}
