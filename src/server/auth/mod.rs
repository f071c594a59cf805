//! Who is calling: staff accounts, sign-in with throttling, sessions in
//! HttpOnly SameSite=Strict cookies (`__Host-` and `Secure` over TLS) with idle
//! and absolute expiry and a cap per account, and the audit trail of sign-ins,
//! sign-outs, denials and admin actions (lengths capped, refusals summed,
//! old entries pruned).

pub mod password;
pub mod refusals;
pub mod session_watch;
mod sign_in;
pub mod throttle;

use super::logged_text::capped;
use super::public_origin::PublicOrigins;
use super::store::{Accounts, Disabling, NewAudit, StoreError, StoredUser};
use crate::model::access::account::{
    AuditKind, AuditPage, Me, NewUser, SessionSummary, UserSummary,
};
use crate::model::access::granting_role;
use crate::model::{Actor, Lens, Permission, Role};
use axum::http::HeaderMap;
use base64::Engine;
use chrono::Utc;
use cookie::{Cookie, SameSite};
use rand::RngCore;
use refusals::RefusalTally;
use sha2::{Digest, Sha256};
use std::net::SocketAddr;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::Duration;
use throttle::{Limits, Throttle};

/// The session cookie's name over plain HTTP (local use).
pub const COOKIE: &str = "ocr_session";
/// The session cookie's name over TLS: the browser keeps a `__Host-` cookie
/// only if it is `Secure`, for this host alone (no `Domain`), on path `/`.
pub const SECURE_COOKIE: &str = "__Host-ocr_session";
/// Audit entries per page.
const AUDIT_PAGE: u32 = 50;
/// A sign-in with a longer username is refused before anything else (real
/// usernames are at most 32 characters).
pub const MAX_USERNAME_INPUT: usize = 64;
/// Longest username an audit entry keeps.
const AUDIT_USERNAME: usize = 64;
/// Longest detail an audit entry keeps.
const AUDIT_DETAIL: usize = 512;
/// How often summed sign-in refusals are written.
const REFUSALS_EVERY: Duration = Duration::from_secs(60);
/// How often the audit trail is pruned.
const PRUNE_EVERY: Duration = Duration::from_secs(3600);

/// How sessions and sign-ins behave.
#[derive(Debug, Clone)]
pub struct Policy {
    /// A session unused this long ends.
    pub idle: Duration,
    /// A session ends this long after sign-in, used or not.
    pub absolute: Duration,
    /// How often an open live stream re-reads its session (see [`session_watch`]).
    pub stream_check: Duration,
    /// Mark cookies `Secure` and name them `__Host-` (the server is reached
    /// over TLS).
    pub secure_cookies: bool,
    pub limits: Limits,
    /// Sessions one account may hold; signing in beyond it ends the oldest.
    pub max_sessions_per_user: usize,
    /// Audit entries older than this are pruned (`None`: kept forever).
    pub audit_retention: Option<Duration>,
    /// The origins the app is served from.
    pub origins: PublicOrigins,
    pub demo: bool,
}

/// A signed-in member of staff.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Staff {
    pub user_id: String,
    pub username: String,
    pub display_name: String,
    pub roles: Vec<Role>,
    pub session_id: String,
}

impl Staff {
    pub fn may(&self, permission: Permission) -> bool {
        granting_role(&self.roles, permission).is_some()
    }

    /// What this person sees of orders.
    pub fn lens(&self) -> Lens {
        Lens::for_roles(&self.roles).unwrap_or(Lens {
            money: false,
            phone: crate::model::Reveal::Masked,
            address: crate::model::Reveal::Masked,
        })
    }

    /// The actor of an event this person causes with `permission`.
    pub fn actor(&self, permission: Permission) -> Actor {
        Actor::Staff {
            user_id: self.user_id.clone(),
            name: self.display_name.clone(),
            role: granting_role(&self.roles, permission).unwrap_or(self.roles[0]),
        }
    }

    pub fn roles_label(&self) -> String {
        self.roles
            .iter()
            .map(|r| r.label())
            .collect::<Vec<_>>()
            .join(", ")
    }

    pub fn me(&self) -> Me {
        let mut permissions: Vec<Permission> = self
            .roles
            .iter()
            .flat_map(|r| r.permissions().iter().copied())
            .collect();
        permissions.sort_by_key(|p| *p as u8);
        permissions.dedup();
        Me {
            user_id: self.user_id.clone(),
            username: self.username.clone(),
            display_name: self.display_name.clone(),
            roles: self.roles.clone(),
            permissions,
            lens: self.lens(),
        }
    }
}

/// Who made a request.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Caller {
    Anonymous,
    Staff(Staff),
}

impl Caller {
    pub fn me(&self) -> Option<Me> {
        match self {
            Caller::Anonymous => None,
            Caller::Staff(s) => Some(s.me()),
        }
    }
}

/// What the server knows about a request before any server function runs.
#[derive(Debug, Clone)]
pub struct RequestInfo {
    pub caller: Caller,
    /// The peer's IP address.
    pub address: String,
}

/// Why an account operation failed.
#[derive(Debug, thiserror::Error)]
pub enum AuthError {
    /// Also the answer for a disabled account: the right password for one
    /// reveals nothing.
    #[error("wrong username or password")]
    WrongCredentials,
    #[error("the username is longer than {MAX_USERNAME_INPUT} characters")]
    UsernameTooLong,
    #[error("too many failed sign-ins")]
    Throttled(Duration),
    #[error("{0} is the last enabled admin account; enable or create another admin first")]
    LastAdmin(String),
    #[error("{0} was not found")]
    NotFound(String),
    #[error("the username {0} is taken")]
    UsernameTaken(String),
    #[error(transparent)]
    Store(#[from] StoreError),
}

/// A session that has ended, announced so open live streams can close.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Revoked {
    Session(String),
    /// Every session of this user (disabled, or password reset).
    User(String),
}

impl Revoked {
    pub fn ends(&self, staff: &Staff) -> bool {
        match self {
            Revoked::Session(id) => *id == staff.session_id,
            Revoked::User(id) => *id == staff.user_id,
        }
    }
}

/// Sign-in, sessions, accounts and the audit trail.
pub struct Auth {
    accounts: Accounts,
    throttle: Throttle,
    refusals: RefusalTally,
    /// Passwords checked against a hash (argon2 runs) since start.
    password_checks: AtomicU64,
    policy: Policy,
    revoked: tokio::sync::broadcast::Sender<Revoked>,
}

pub(crate) fn random_token(bytes: usize) -> String {
    let mut buf = vec![0u8; bytes];
    rand::rng().fill_bytes(&mut buf);
    base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(buf)
}

pub(crate) fn token_hash(token: &str) -> String {
    Sha256::digest(token.as_bytes())
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

/// Hashes on a blocking thread: argon2 is deliberately slow.
async fn hash_password(password: &str) -> Result<String, StoreError> {
    let password = password.to_string();
    tokio::task::spawn_blocking(move || password::hash(&password))
        .await
        .map_err(StoreError::from)
}

fn chrono(d: Duration) -> chrono::Duration {
    chrono::Duration::from_std(d).unwrap_or(chrono::Duration::MAX)
}

fn summary(u: StoredUser) -> UserSummary {
    UserSummary {
        id: u.id,
        username: u.username,
        display_name: u.display_name,
        roles: u.roles,
        disabled: u.disabled,
        created_at: u.created_at,
    }
}

impl Auth {
    pub fn new(accounts: Accounts, policy: Policy) -> Self {
        Auth {
            accounts,
            throttle: Throttle::new(policy.limits),
            refusals: RefusalTally::default(),
            password_checks: AtomicU64::new(0),
            policy,
            revoked: tokio::sync::broadcast::channel(256).0,
        }
    }

    /// The origins the app is served from.
    pub fn public_origins(&self) -> &PublicOrigins {
        &self.policy.origins
    }

    /// How many passwords have been checked against a hash since start (each
    /// one argon2 verification): what the sign-in throttle bounds.
    pub fn password_checks(&self) -> u64 {
        self.password_checks.load(Ordering::Relaxed)
    }

    /// The session cookie's name.
    pub fn cookie_name(&self) -> &'static str {
        if self.policy.secure_cookies {
            SECURE_COOKIE
        } else {
            COOKIE
        }
    }

    /// Ended sessions from now on.
    pub fn revocations(&self) -> tokio::sync::broadcast::Receiver<Revoked> {
        self.revoked.subscribe()
    }

    fn revoke(&self, what: Revoked) {
        let _ = self.revoked.send(what);
    }

    pub fn demo(&self) -> bool {
        self.policy.demo
    }

    /// Adds an entry to the audit trail; what callers supply is cut to a
    /// bounded length, so no request can make an entry large.
    pub async fn audit_entry(
        &self,
        kind: AuditKind,
        username: Option<&str>,
        address: &str,
        detail: String,
    ) {
        let entry = NewAudit {
            kind,
            username: username.map(|u| capped(u, AUDIT_USERNAME)),
            address: capped(address, AUDIT_USERNAME),
            detail: capped(&detail, AUDIT_DETAIL),
        };
        if let Err(e) = self.accounts.record(entry).await {
            tracing::error!(error = %e, ?kind, "could not record an audit entry");
        }
    }

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

    async fn caller(&self, token: &str) -> Result<Caller, StoreError> {
        let Some(session) = self.accounts.session_by_token(&token_hash(token)).await? else {
            return Ok(Caller::Anonymous);
        };
        let now = Utc::now();
        let idle_end = session.last_seen_at + chrono(self.policy.idle);
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
        if now - session.last_seen_at >= chrono(touch_every) {
            self.accounts.touch_session(&session.id, now).await?;
        }
        Ok(Caller::Staff(Staff {
            user_id: user.id,
            username: user.username,
            display_name: user.display_name,
            roles: user.roles,
            session_id: session.id,
        }))
    }

    /// Removes audit entries older than the retention period (as of `now`);
    /// returns how many.
    pub async fn prune_audit(&self, now: chrono::DateTime<Utc>) -> Result<u64, AuthError> {
        let Some(keep) = self.policy.audit_retention else {
            return Ok(0);
        };
        Ok(self.accounts.prune_audit(now - chrono(keep)).await?)
    }

    /// Background upkeep until the server stops: summed refusals are written
    /// every minute, the audit trail pruned every hour.
    pub async fn maintain(self: std::sync::Arc<Self>) {
        let mut refusals = tokio::time::interval(REFUSALS_EVERY);
        let mut prune = tokio::time::interval(PRUNE_EVERY);
        loop {
            tokio::select! {
                _ = refusals.tick() => self.write_refusals().await,
                _ = prune.tick() => match self.prune_audit(Utc::now()).await {
                    Ok(0) => {}
                    Ok(n) => tracing::info!(removed = n, "pruned the audit trail"),
                    Err(e) => tracing::error!(error = %e, "could not prune the audit trail"),
                },
            }
        }
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

    fn cookie(&self, value: String, max_age: Duration) -> Cookie<'static> {
        Cookie::build((self.cookie_name(), value))
            .http_only(true)
            .same_site(SameSite::Strict)
            .secure(self.policy.secure_cookies)
            .path("/")
            .max_age(cookie::time::Duration::seconds(max_age.as_secs() as i64))
            .build()
    }

    /// Records a refused call.
    pub async fn record_denial(&self, staff: &Staff, permission: Permission, address: &str) {
        self.audit_entry(
            AuditKind::PermissionDenied,
            Some(&staff.username),
            address,
            format!("needs {permission:?}; has {}", staff.roles_label()),
        )
        .await;
    }

    pub async fn users(&self) -> Result<Vec<UserSummary>, AuthError> {
        Ok(self
            .accounts
            .users()
            .await?
            .into_iter()
            .map(summary)
            .collect())
    }

    /// Creates an account (already validated).
    pub async fn create_user(
        &self,
        user: NewUser,
        admin: &Staff,
        req: &RequestInfo,
    ) -> Result<UserSummary, AuthError> {
        let created = self.insert(user).await?;
        let roles: Vec<&str> = created.roles.iter().map(|r| r.label()).collect();
        self.audit_entry(
            AuditKind::UserCreated,
            Some(&admin.username),
            &req.address,
            format!("created {} ({})", created.username, roles.join(", ")),
        )
        .await;
        Ok(created)
    }

    async fn insert(&self, user: NewUser) -> Result<UserSummary, AuthError> {
        let hash = hash_password(&user.password).await?;
        let stored = StoredUser {
            id: format!("u_{}", random_token(9)),
            username: user.username.clone(),
            display_name: user.display_name,
            roles: user.roles,
            password_hash: hash,
            disabled: false,
            created_at: Utc::now(),
        };
        if !self.accounts.insert_user(&stored).await? {
            return Err(AuthError::UsernameTaken(user.username));
        }
        Ok(summary(stored))
    }

    async fn user(&self, id: &str) -> Result<StoredUser, AuthError> {
        self.accounts
            .user(id)
            .await?
            .ok_or_else(|| AuthError::NotFound(format!("user {id}")))
    }

    /// Sets a new password and ends the account's sessions.
    pub async fn reset_password(
        &self,
        user_id: &str,
        new_password: &str,
        admin: &Staff,
        req: &RequestInfo,
    ) -> Result<(), AuthError> {
        let user = self.user(user_id).await?;
        let hash = hash_password(new_password).await?;
        self.accounts.set_password_hash(user_id, &hash).await?;
        let ended = self.accounts.delete_sessions_of(user_id).await?;
        self.revoke(Revoked::User(user_id.to_string()));
        self.audit_entry(
            AuditKind::PasswordReset,
            Some(&admin.username),
            &req.address,
            format!(
                "reset the password of {}; ended {ended} session(s)",
                user.username
            ),
        )
        .await;
        Ok(())
    }

    /// Disables (ending its sessions) or re-enables an account.
    pub async fn set_disabled(
        &self,
        user_id: &str,
        disabled: bool,
        admin: &Staff,
        req: &RequestInfo,
    ) -> Result<UserSummary, AuthError> {
        let mut user = self.user(user_id).await?;
        if disabled {
            match self.accounts.disable_unless_last_admin(user_id).await? {
                Disabling::Done => {}
                Disabling::NotFound => return Err(AuthError::NotFound(format!("user {user_id}"))),
                Disabling::LastAdmin => return Err(AuthError::LastAdmin(user.username)),
            }
        } else {
            self.accounts.set_disabled(user_id, false).await?;
        }
        user.disabled = disabled;
        let (kind, detail) = if disabled {
            let ended = self.accounts.delete_sessions_of(user_id).await?;
            self.revoke(Revoked::User(user_id.to_string()));
            (
                AuditKind::UserDisabled,
                format!("disabled {}; ended {ended} session(s)", user.username),
            )
        } else {
            (AuditKind::UserEnabled, format!("enabled {}", user.username))
        };
        self.audit_entry(kind, Some(&admin.username), &req.address, detail)
            .await;
        Ok(summary(user))
    }

    /// Every session that has not expired.
    pub async fn sessions(&self, admin: &Staff) -> Result<Vec<SessionSummary>, AuthError> {
        let users = self.accounts.users().await?;
        let now = Utc::now();
        let idle = chrono(self.policy.idle);
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

    pub async fn audit(&self, page: u32, kind: Option<AuditKind>) -> Result<AuditPage, AuthError> {
        Ok(self.accounts.audit(page, AUDIT_PAGE, kind).await?)
    }

    /// Creates the first admin from the command line.
    pub async fn create_admin(&self, user: NewUser) -> Result<UserSummary, AuthError> {
        let created = self.insert(user).await?;
        self.audit_entry(
            AuditKind::UserCreated,
            None,
            "command line",
            format!("created admin {}", created.username),
        )
        .await;
        Ok(created)
    }

    /// Demo mode: one account per role, all with `password` (created, or reset
    /// if they exist). Returns the usernames.
    pub async fn ensure_demo_users(
        &self,
        password: &str,
    ) -> Result<Vec<(String, Role)>, AuthError> {
        let mut out = Vec::new();
        for role in Role::ALL {
            let username = match role {
                Role::CustomerService => "cs",
                Role::Logistics => "logistics",
                Role::Finance => "finance",
                Role::Admin => "admin",
            };
            match self.accounts.user_by_name(username).await? {
                Some(existing) => {
                    let hash = hash_password(password).await?;
                    self.accounts.set_password_hash(&existing.id, &hash).await?;
                    self.accounts.set_disabled(&existing.id, false).await?;
                }
                None => {
                    self.insert(NewUser {
                        username: username.into(),
                        display_name: format!("Demo {}", role.label()),
                        roles: vec![role],
                        password: password.into(),
                    })
                    .await?;
                }
            }
            out.push((username.to_string(), role));
        }
        Ok(out)
    }

    pub async fn has_users(&self) -> Result<bool, AuthError> {
        Ok(!self.accounts.users().await?.is_empty())
    }
}

/// A random password for demo accounts.
pub fn random_password() -> String {
    random_token(12)
}

/// The session token from the request's cookie named `name`.
pub fn session_token(headers: &HeaderMap, name: &str) -> Option<String> {
    headers
        .get_all(axum::http::header::COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(Cookie::split_parse)
        .filter_map(Result::ok)
        .find(|c| c.name() == name && !c.value().is_empty())
        .map(|c| c.value().to_string())
}

/// Adds a `Set-Cookie` header to the current server function's response.
pub fn set_cookie(cookie: &Cookie<'static>) {
    if let (Some(opts), Ok(value)) = (
        leptos::prelude::use_context::<leptos_axum::ResponseOptions>(),
        axum::http::HeaderValue::from_str(&cookie.to_string()),
    ) {
        opts.append_header(axum::http::header::SET_COOKIE, value);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_session_token_is_read_from_the_named_cookie_only() {
        let mut headers = HeaderMap::new();
        headers.insert(
            axum::http::header::COOKIE,
            "ocr_session=plain; __Host-ocr_session=secure"
                .parse()
                .unwrap(),
        );
        assert_eq!(session_token(&headers, COOKIE).as_deref(), Some("plain"));
        assert_eq!(
            session_token(&headers, SECURE_COOKIE).as_deref(),
            Some("secure")
        );
        assert_eq!(session_token(&headers, "other"), None);
    }
}
