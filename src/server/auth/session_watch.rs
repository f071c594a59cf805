//! Live streams end with their session, for whatever reason it ends: signed
//! out, ended by an admin, the account disabled (all announced as
//! [`Revoked`]), idle too long, past its absolute expiry, or its row deleted
//! without an announcement (a missed one: the announcements' channel drops
//! what a slow receiver has not read). A change of the account's roles is
//! announced too: the stream, which fixed its lens when it opened, ends and
//! is opened again under the new roles (the session itself goes on).
//!
//! Each stream's watcher reads its session once when the stream opens and
//! then sleeps until the earliest of: the absolute expiry (known from the
//! first read; the stream ends then, exactly), the idle expiry as last read,
//! and the next periodic re-read ([`Policy::stream_check`]). A re-read ends the
//! stream when the row is gone or idle. When announcements were missed
//! (`Lagged`), the session is re-read at once. Nothing is done per event.
//! All times are read from, and slept on, the policy's clock.

use super::{Auth, Revoked, Staff};
use crate::server::clock::to_chrono;
use crate::server::store::{StoreError, StoredSession};
use chrono::{DateTime, Utc};
use std::sync::Arc;
use std::time::Duration;
use tokio::sync::broadcast::error::RecvError;
use tokio_util::sync::CancellationToken;

/// Why a stream's session is over.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SessionEnded {
    /// Signed out, ended by an admin, or the account disabled or reset.
    Revoked,
    /// The account's roles changed (the session itself goes on).
    RolesChanged,
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
        let clock = self.clock();
        loop {
            let now = clock.now();
            let wake = (now + to_chrono(self.policy.stream_check))
                .min(idle)
                .min(absolute);
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
                    _ = clock.sleep_until(wake) => break true,
                    r = announced => match r {
                        Ok(r) if r.ends(staff) => return match r {
                            Revoked::Roles(_) => SessionEnded::RolesChanged,
                            _ => SessionEnded::Revoked,
                        },
                        Ok(_) => {}
                        // Missed some: read the session now.
                        Err(RecvError::Lagged(_)) => break false,
                        Err(RecvError::Closed) => revocations = None,
                    },
                }
            };
            if (woke_on_time && at_absolute) || clock.now() >= absolute {
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
        let now = self.clock().now();
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
            idle: session.last_seen_at + to_chrono(self.policy.idle),
        }
    }
}

/// How often a stream re-reads its session by default: a quarter of the idle
/// period, at least 10 ms and at most 15 s.
pub fn default_stream_check(idle: Duration) -> Duration {
    (idle / 4).clamp(Duration::from_millis(10), Duration::from_secs(15))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::server::auth::Policy;
    use crate::server::clock::{Clock, ManualClock};
    use crate::server::store::{AccountStore, Durability, SqliteAccounts, SqliteStore, StoredUser};

    const IDLE: Duration = Duration::from_secs(600);
    const ABSOLUTE: Duration = Duration::from_secs(3600);
    const CHECK: Duration = Duration::from_secs(60);

    fn policy(clock: &ManualClock) -> Policy {
        let args = crate::server::config::ServeArgs::local(
            std::path::PathBuf::from("unused"),
            ([127, 0, 0, 1], 0).into(),
        );
        Policy {
            idle: IDLE,
            absolute: ABSOLUTE,
            stream_check: CHECK,
            clock: Clock::Manual(clock.clone()),
            ..args.auth_policy(([127, 0, 0, 1], 3000).into())
        }
    }

    struct Watched {
        auth: Arc<Auth>,
        accounts: Arc<SqliteAccounts>,
        clock: ManualClock,
        staff: Staff,
    }

    /// A user `u_1` with one session `s_1` begun now, on a manual clock.
    async fn auth_with_session(dir: &std::path::Path) -> Watched {
        let store = SqliteStore::open(dir, Durability::Normal).unwrap();
        let accounts = Arc::new(SqliteAccounts::open(store.path()).unwrap());
        let clock = ManualClock::starting_now();
        let auth = Arc::new(Auth::new(accounts.clone(), policy(&clock)));
        let now = clock.now();
        accounts
            .insert_user(&StoredUser {
                id: "u_1".into(),
                username: "cs".into(),
                display_name: "CS".into(),
                roles: vec![crate::model::Role::CustomerService],
                password_hash: "not a hash".into(),
                disabled: false,
                created_at: now,
                language: None,
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
                expires_at: now + to_chrono(ABSOLUTE),
            })
            .await
            .unwrap();
        let staff = Staff {
            user_id: "u_1".into(),
            username: "cs".into(),
            display_name: "CS".into(),
            roles: vec![crate::model::Role::CustomerService],
            session_id: "s_1".into(),
            language: None,
        };
        Watched {
            auth,
            accounts,
            clock,
            staff,
        }
    }

    /// A watcher of the session that has read it and is waiting on the clock.
    async fn watching(
        w: &Watched,
    ) -> (
        tokio::task::JoinHandle<Option<SessionEnded>>,
        CancellationToken,
    ) {
        let end = CancellationToken::new();
        let watcher = tokio::spawn(w.auth.clone().end_with_session(
            w.staff.clone(),
            "hash-1".into(),
            end.clone(),
        ));
        w.clock.until_sleeping(1).await;
        (watcher, end)
    }

    /// Lets the watcher run (this runtime has one thread), then checks it is
    /// still asleep: not woken, so not ended either.
    async fn still_asleep(w: &Watched, watcher: &tokio::task::JoinHandle<Option<SessionEnded>>) {
        for _ in 0..10 {
            tokio::task::yield_now().await;
        }
        assert!(!watcher.is_finished());
        assert_eq!(w.clock.sleeping(), 1, "the watcher still sleeps");
    }

    /// Advances the clock to the watcher's next wake-up (`span` ahead); true
    /// when it read its session and went back to sleep, false when it ended.
    async fn wakes_and_sleeps_again(
        w: &Watched,
        watcher: &tokio::task::JoinHandle<Option<SessionEnded>>,
        span: Duration,
    ) -> bool {
        let begun = w.clock.sleeps_begun();
        w.clock.advance(span);
        let again = async {
            w.clock.until_begun(begun + 1).await;
            true
        };
        let ends = async {
            while !watcher.is_finished() {
                tokio::task::yield_now().await;
            }
            false
        };
        // A guard against a hang, not a timing.
        tokio::time::timeout(Duration::from_secs(5), async {
            tokio::select! { a = again => a, e = ends => e }
        })
        .await
        .expect("the watcher sleeps again or ends")
    }

    async fn ended(watcher: tokio::task::JoinHandle<Option<SessionEnded>>) -> Option<SessionEnded> {
        // A guard against a hang, not a timing: the end follows at once.
        tokio::time::timeout(Duration::from_secs(5), watcher)
            .await
            .expect("the watcher ends")
            .unwrap()
    }

    /// A watcher that missed announcements (its receiver lagged) reads its
    /// session at once, long before its next periodic read.
    #[tokio::test]
    async fn a_lagged_watcher_reads_its_session_again_at_once() {
        let dir = tempfile::tempdir().unwrap();
        let w = auth_with_session(dir.path()).await;
        let (watcher, end) = watching(&w).await;
        assert!(!end.is_cancelled());

        // Deleted without an announcement for it, then more announcements
        // about others than the channel holds (this runtime has one thread:
        // the watcher reads none of them until the loop is done).
        assert!(w.accounts.delete_session("s_1").await.unwrap());
        for i in 0..300 {
            w.auth.revoke(Revoked::Session(format!("other-{i}")));
        }
        // The clock has not moved: no periodic read is due.
        assert_eq!(ended(watcher).await, Some(SessionEnded::Gone));
        assert!(end.is_cancelled());
    }

    #[tokio::test]
    async fn an_announced_revocation_ends_the_stream() {
        let dir = tempfile::tempdir().unwrap();
        let w = auth_with_session(dir.path()).await;
        let (watcher, end) = watching(&w).await;
        w.auth.revoke(Revoked::User("u_1".into()));
        assert_eq!(ended(watcher).await, Some(SessionEnded::Revoked));
        assert!(end.is_cancelled());
    }

    #[tokio::test]
    async fn a_change_of_roles_ends_the_stream_but_not_others() {
        let dir = tempfile::tempdir().unwrap();
        let w = auth_with_session(dir.path()).await;
        let (watcher, end) = watching(&w).await;
        w.auth.revoke(Revoked::Roles("u_2".into()));
        still_asleep(&w, &watcher).await;
        w.auth.revoke(Revoked::Roles("u_1".into()));
        assert_eq!(ended(watcher).await, Some(SessionEnded::RolesChanged));
        assert!(end.is_cancelled());
    }

    #[tokio::test]
    async fn the_stream_ends_when_the_session_idles_out() {
        let dir = tempfile::tempdir().unwrap();
        let w = auth_with_session(dir.path()).await;
        let (watcher, _end) = watching(&w).await;
        // Periodic re-reads find the session in use until the idle expiry.
        for _ in 0..(IDLE.as_secs() / CHECK.as_secs() - 1) {
            assert!(wakes_and_sleeps_again(&w, &watcher, CHECK).await);
        }
        w.clock.advance(CHECK - Duration::from_millis(1));
        still_asleep(&w, &watcher).await;
        assert!(!wakes_and_sleeps_again(&w, &watcher, Duration::from_millis(1)).await);
        assert_eq!(ended(watcher).await, Some(SessionEnded::Idle));
    }

    #[tokio::test]
    async fn the_stream_ends_exactly_at_the_absolute_expiry_even_in_use() {
        let dir = tempfile::tempdir().unwrap();
        let w = auth_with_session(dir.path()).await;
        let (watcher, _end) = watching(&w).await;
        let expiry = w.clock.now() + to_chrono(ABSOLUTE);
        while w.clock.now() + to_chrono(CHECK) < expiry {
            // In use: each re-read sees a fresh idle period.
            w.accounts
                .touch_session("s_1", w.clock.now() + to_chrono(CHECK))
                .await
                .unwrap();
            assert!(wakes_and_sleeps_again(&w, &watcher, CHECK).await);
        }
        w.clock
            .advance(between_now(&w.clock, expiry) - Duration::from_millis(1));
        still_asleep(&w, &watcher).await;
        w.clock.advance(Duration::from_millis(1));
        assert_eq!(ended(watcher).await, Some(SessionEnded::Expired));
    }

    #[tokio::test]
    async fn a_row_deleted_without_notice_ends_the_stream_at_the_next_re_read() {
        let dir = tempfile::tempdir().unwrap();
        let w = auth_with_session(dir.path()).await;
        let (watcher, _end) = watching(&w).await;
        assert!(w.accounts.delete_session("s_1").await.unwrap());
        w.clock.advance(CHECK - Duration::from_secs(1));
        still_asleep(&w, &watcher).await;
        assert!(!wakes_and_sleeps_again(&w, &watcher, Duration::from_secs(1)).await);
        assert_eq!(ended(watcher).await, Some(SessionEnded::Gone));
    }

    fn between_now(clock: &ManualClock, at: DateTime<Utc>) -> Duration {
        crate::server::clock::between(clock.now(), at)
    }

    #[tokio::test]
    async fn a_closed_stream_stops_its_watcher() {
        let dir = tempfile::tempdir().unwrap();
        let w = auth_with_session(dir.path()).await;
        let end = CancellationToken::new();
        let watcher = tokio::spawn(w.auth.clone().end_with_session(
            w.staff.clone(),
            "hash-1".into(),
            end.clone(),
        ));
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
