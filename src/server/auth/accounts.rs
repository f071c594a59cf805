//! Staff accounts as admins manage them: listing, creating, password resets,
//! disabling (never the last enabled admin), the first admin from the command
//! line, and the demo accounts. Each change is written to the audit trail
//! with the admin who made it.

use super::tokens::random_token;
use super::{password, Auth, AuthError, RequestInfo, Revoked, Staff};
use crate::i18n::Locale;
use crate::model::access::account::{AuditKind, NewUser, UserSummary};
use crate::model::Role;
use crate::server::store::{AdminGuarded, StoreError, StoredUser};

/// Hashes on a blocking thread: argon2 is deliberately slow.
async fn hash_password(password: &str) -> Result<String, StoreError> {
    let password = password.to_string();
    tokio::task::spawn_blocking(move || password::hash(&password))
        .await
        .map_err(StoreError::from)
}

pub(super) fn summary(u: StoredUser) -> UserSummary {
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
            created_at: self.clock().now(),
            language: None,
        };
        if !self.accounts.insert_user(&stored).await? {
            return Err(AuthError::UsernameTaken(user.username));
        }
        Ok(summary(stored))
    }

    pub(super) async fn user(&self, id: &str) -> Result<StoredUser, AuthError> {
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

    /// Keeps `language` as the person's own. Not audited: it changes what they
    /// read, not what anyone may do.
    pub async fn set_language(&self, staff: &Staff, language: Locale) -> Result<(), AuthError> {
        if self.accounts.set_language(&staff.user_id, language).await? {
            Ok(())
        } else {
            Err(AuthError::NotFound(format!("user {}", staff.user_id)))
        }
    }

    /// The log position up to which `staff` has read their mentions.
    pub async fn mentions_read(&self, staff: &Staff) -> Result<u64, AuthError> {
        Ok(self.accounts.mentions_read(&staff.user_id).await?)
    }

    /// Marks `staff`'s mentions read up to `seq` (never back).
    pub async fn mark_mentions_read(&self, staff: &Staff, seq: u64) -> Result<(), AuthError> {
        Ok(self
            .accounts
            .mark_mentions_read(&staff.user_id, seq)
            .await?)
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
                AdminGuarded::Done => {}
                AdminGuarded::NotFound => {
                    return Err(AuthError::NotFound(format!("user {user_id}")))
                }
                AdminGuarded::LastAdmin => return Err(AuthError::LastAdmin(user.username)),
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
