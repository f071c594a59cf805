//! Sessions after sign-in: resolving a request's caller from its cookie
//! (idle and absolute expiry, the account's roles read again on every
//! request), signing out, and the admin's list of sessions and ending one.

use super::session_cookie::session_token;
use super::tokens::token_hash;
use super::{Auth, AuthError, Caller, RequestInfo, Revoked, Staff};
use crate::model::access::account::{AuditKind, SessionSummary};
use crate::server::clock::to_chrono;
use crate::server::store::StoreError;
use axum::http::HeaderMap;
use cookie::Cookie;
use std::net::SocketAddr;
use std::time::Duration;

impl Auth {
    /// Resolves the caller from the session cookie: unknown, expired or
    /// disabled sessions make an anonymous caller (and expired ones are removed).
    pub async fn request_info(&self, headers: &HeaderMap, peer: SocketAddr) -> RequestInfo {
        let address = peer.ip().to_string();
        let caller = match session_token(headers, self.cookie_name()) {
            Some(token) => self.caller(&token).await.unwrap_or_else(|e| {
                tracing::error!(error = %e, "could not resolve a session");
                Caller::Anonymous
            }),
            None => Caller::Anonymous,
        };
        RequestInfo { caller, address }
    }

    /// The staff member behind a session token, with the roles their account
    /// has now (a change of roles applies from the next request on).
    async fn caller(&self, token: &str) -> Result<Caller, StoreError> {
        let Some(session) = self.accounts.session_by_token(&token_hash(token)).await? else {
            return Ok(Caller::Anonymous);
        };
        let now = self.clock().now();
        let idle_end = session.last_seen_at + to_chrono(self.policy.idle);
        if now >= session.expires_at || now >= idle_end {
            self.accounts.delete_session(&session.id).await?;
            return Ok(Caller::Anonymous);
        }
        let Some(user) = self.accounts.user(&session.user_id).await? else {
            return Ok(Caller::Anonymous);
        };
        if user.disabled || user.roles.is_empty() {
            return Ok(Caller::Anonymous);
        }
        // Refresh the idle clock, at most a few times per idle period.
        let touch_every = (self.policy.idle / 4).min(Duration::from_secs(15));
        if now - session.last_seen_at >= to_chrono(touch_every) {
            self.accounts.touch_session(&session.id, now).await?;
        }
        Ok(Caller::Staff(Staff {
            user_id: user.id,
            username: user.username,
            display_name: user.display_name,
            roles: user.roles,
            session_id: session.id,
            language: user.language,
        }))
    }

    /// Signs out: ends the caller's session; returns a cookie that clears it.
    pub async fn logout(&self, req: &RequestInfo) -> Result<Cookie<'static>, AuthError> {
        if let Caller::Staff(staff) = &req.caller {
            self.accounts.delete_session(&staff.session_id).await?;
            self.revoke(Revoked::Session(staff.session_id.clone()));
            self.audit_entry(
                AuditKind::Logout,
                Some(&staff.username),
                &req.address,
                format!("session {}", staff.session_id),
            )
            .await;
        }
        Ok(self.cookie(String::new(), Duration::ZERO))
    }

    /// Every session that has not expired.
    pub async fn sessions(&self, admin: &Staff) -> Result<Vec<SessionSummary>, AuthError> {
        let users = self.accounts.users().await?;
        let now = self.clock().now();
        let idle = to_chrono(self.policy.idle);
        Ok(self
            .accounts
            .sessions()
            .await?
            .into_iter()
            .filter(|s| now < s.expires_at && now < s.last_seen_at + idle)
            .map(|s| SessionSummary {
                username: users
                    .iter()
                    .find(|u| u.id == s.user_id)
                    .map(|u| u.username.clone())
                    .unwrap_or_default(),
                current: s.id == admin.session_id,
                idle_expires_at: s.last_seen_at + idle,
                id: s.id,
                user_id: s.user_id,
                address: s.address,
                created_at: s.created_at,
                last_seen_at: s.last_seen_at,
                expires_at: s.expires_at,
            })
            .collect())
    }

    /// Ends one session (its holder is signed out at their next request).
    pub async fn end_session(
        &self,
        session_id: &str,
        admin: &Staff,
        req: &RequestInfo,
    ) -> Result<(), AuthError> {
        if !self.accounts.delete_session(session_id).await? {
            return Err(AuthError::NotFound(format!("session {session_id}")));
        }
        self.revoke(Revoked::Session(session_id.to_string()));
        self.audit_entry(
            AuditKind::SessionEnded,
            Some(&admin.username),
            &req.address,
            format!("ended session {session_id}"),
        )
        .await;
        Ok(())
    }
}
