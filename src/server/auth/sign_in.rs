//! Signing in: the attempt is counted by the throttle before anything is
//! checked, slowed if the account is under attack, checked against its
//! password (one argon2 verification, counted), and turned into a session
//! within the cap per account. Throttled attempts are summed for the audit
//! trail rather than written one by one.

use super::refusals::TallyKey;
use super::throttle::{Held, HeldBy};
use super::tokens::{random_token, token_hash};
use super::{password, Auth, AuthError, RequestInfo, Revoked, Staff, MAX_USERNAME_INPUT};
use crate::model::access::account::{AuditKind, Me};
use crate::server::clock::to_chrono;
use crate::server::store::StoredSession;
use cookie::Cookie;
use std::sync::atomic::Ordering;

impl Auth {
    /// Signs in: counts the attempt against the throttle (before anything
    /// is checked), waits if the account is being slowed, checks the password
    /// and the account; creates a session (ending the oldest beyond the cap)
    /// and returns the cookie to set. A wrong password, an unknown username
    /// and a disabled account take the same path to the same answer.
    pub async fn login(
        &self,
        username: &str,
        password: &str,
        req: &RequestInfo,
    ) -> Result<(Me, Cookie<'static>), AuthError> {
        let username = username.trim().to_lowercase();
        if username.chars().count() > MAX_USERNAME_INPUT {
            return Err(AuthError::UsernameTooLong);
        }
        let admitted = match self
            .throttle
            .admit(&username, &req.address, self.clock().now())
        {
            Ok(admitted) => admitted,
            Err(held) => {
                self.refused(&username, &req.address, held).await;
                return Err(AuthError::Throttled(held.wait));
            }
        };
        // Slowed on the policy's clock (tests move it instead of waiting).
        self.clock().sleep(admitted.delay).await;
        let user = self.accounts.user_by_name(&username).await?;
        let stored_hash = user.as_ref().map(|u| u.password_hash.clone());
        let matches = self.check_password(password, stored_hash).await;
        let user = match user {
            Some(u) if matches && !u.disabled => u,
            user => {
                // The reservation stays: it counts as a failure.
                let why = match user {
                    Some(u) if u.disabled && matches => "account disabled",
                    _ => "wrong username or password",
                };
                self.audit_entry(
                    AuditKind::LoginFailed,
                    Some(&username),
                    &req.address,
                    why.into(),
                )
                .await;
                return Err(AuthError::WrongCredentials);
            }
        };
        self.throttle.succeeded(admitted.attempt);
        let now = self.clock().now();
        let token = random_token(32);
        let session = StoredSession {
            id: random_token(12),
            token_hash: token_hash(&token),
            user_id: user.id.clone(),
            address: req.address.clone(),
            created_at: now,
            last_seen_at: now,
            expires_at: now + to_chrono(self.policy.absolute),
        };
        self.accounts.insert_session(&session).await?;
        let ended = self
            .accounts
            .keep_newest_sessions(&user.id, self.policy.max_sessions_per_user)
            .await?;
        for id in &ended {
            self.revoke(Revoked::Session(id.clone()));
        }
        let detail = if ended.is_empty() {
            format!("session {}", session.id)
        } else {
            format!(
                "session {}; ended the oldest {} (more than {} sessions)",
                session.id,
                ended.join(", "),
                self.policy.max_sessions_per_user
            )
        };
        self.audit_entry(
            AuditKind::LoginSucceeded,
            Some(&username),
            &req.address,
            detail,
        )
        .await;
        let staff = Staff {
            user_id: user.id,
            username: user.username,
            display_name: user.display_name,
            roles: user.roles,
            session_id: session.id,
            language: user.language,
        };
        Ok((staff.me(), self.cookie(token, self.policy.absolute)))
    }

    /// Checks `password` against `stored` (or a decoy hash when there is no
    /// such account, so both take as long) on a blocking thread, and counts it.
    async fn check_password(&self, password: &str, stored: Option<String>) -> bool {
        self.password_checks.fetch_add(1, Ordering::Relaxed);
        let candidate = password.to_string();
        tokio::task::spawn_blocking(move || {
            password::verify(&candidate, stored.as_deref().unwrap_or(password::decoy()))
        })
        .await
        .unwrap_or(false)
    }

    /// A throttled attempt: the first of its kind is written to the audit
    /// trail now, the rest are summed and written by [`Auth::write_refusals`].
    async fn refused(&self, username: &str, address: &str, held: Held) {
        if !self
            .refusals
            .count(TallyKey::new(held.by, username, address))
        {
            return;
        }
        let (username, detail) = match held.by {
            HeldBy::AccountAddress => (
                Some(username),
                format!("refused for {} s", held.wait.as_secs()),
            ),
            HeldBy::Address => (
                None,
                format!(
                    "this address is held for {} s (too many failed sign-ins)",
                    held.wait.as_secs()
                ),
            ),
        };
        self.audit_entry(AuditKind::LoginThrottled, username, address, detail)
            .await;
    }

    /// Writes the throttled sign-ins summed since the last call: one entry
    /// per account and address (or address) that had any.
    pub async fn write_refusals(&self) {
        for (key, count) in self.refusals.drain() {
            let detail = format!("{count} more refused in the last minute");
            match key {
                TallyKey::AccountAddress { account, address } => {
                    self.audit_entry(AuditKind::LoginThrottled, Some(&account), &address, detail)
                        .await
                }
                TallyKey::Address(address) => {
                    self.audit_entry(AuditKind::LoginThrottled, None, &address, detail)
                        .await
                }
                TallyKey::Overflow => {
                    self.audit_entry(AuditKind::LoginThrottled, None, "many addresses", detail)
                        .await
                }
            }
        }
    }
}
