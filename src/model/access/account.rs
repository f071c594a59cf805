//! Staff accounts, sessions and the audit trail as the app sees them.

use crate::model::access::{Lens, Permission, Role};
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

/// Shortest password an account may have.
pub const MIN_PASSWORD: usize = 10;

/// The signed-in person, as the app needs to know them.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Me {
    pub user_id: String,
    pub username: String,
    pub display_name: String,
    pub roles: Vec<Role>,
    pub permissions: Vec<Permission>,
    pub lens: Lens,
    /// The language they chose for the control room; `None` until they
    /// choose, so their browser's language is followed.
    pub language: Option<crate::i18n::Locale>,
}

impl Me {
    pub fn may(&self, permission: Permission) -> bool {
        self.permissions.contains(&permission)
    }
}

/// Whether someone is signed in, and whether this server runs the demo.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AuthStatus {
    pub me: Option<Me>,
    pub demo: bool,
}

/// A staff account in the admin's list.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct UserSummary {
    pub id: String,
    pub username: String,
    pub display_name: String,
    pub roles: Vec<Role>,
    pub disabled: bool,
    pub created_at: DateTime<Utc>,
}

/// What an admin fills in to create an account.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct NewUser {
    pub username: String,
    pub display_name: String,
    pub roles: Vec<Role>,
    pub password: String,
}

/// Why account details are not acceptable (sent as data, so the browser
/// words it in the reader's language).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error, Serialize, Deserialize)]
pub enum AccountError {
    #[error("the username must be 3–32 lower-case letters, digits, '.', '-' or '_'")]
    BadUsername,
    #[error("the display name must be 1–64 characters")]
    BadDisplayName,
    #[error("an account needs at least one role")]
    NoRole,
    #[error("the password must be at least {MIN_PASSWORD} characters")]
    ShortPassword,
}

impl NewUser {
    /// Checks the fields; returns the normalised account.
    pub fn validated(mut self) -> Result<NewUser, AccountError> {
        self.username = self.username.trim().to_lowercase();
        self.display_name = self.display_name.trim().to_string();
        if !valid_username(&self.username) {
            return Err(AccountError::BadUsername);
        }
        if self.display_name.is_empty() || self.display_name.chars().count() > 64 {
            return Err(AccountError::BadDisplayName);
        }
        self.roles = validated_roles(self.roles)?;
        check_password(&self.password)?;
        Ok(self)
    }
}

/// The roles an account is given, sorted and without duplicates; at least one.
pub fn validated_roles(mut roles: Vec<Role>) -> Result<Vec<Role>, AccountError> {
    roles.sort();
    roles.dedup();
    if roles.is_empty() {
        return Err(AccountError::NoRole);
    }
    Ok(roles)
}

pub fn valid_username(u: &str) -> bool {
    (3..=32).contains(&u.len())
        && u.chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || matches!(c, '.' | '-' | '_'))
}

pub fn check_password(p: &str) -> Result<(), AccountError> {
    if p.chars().count() < MIN_PASSWORD {
        Err(AccountError::ShortPassword)
    } else {
        Ok(())
    }
}

/// A signed-in session in the admin's list (never the token itself).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SessionSummary {
    pub id: String,
    pub user_id: String,
    pub username: String,
    pub address: String,
    pub created_at: DateTime<Utc>,
    pub last_seen_at: DateTime<Utc>,
    /// When it ends if unused (idle expiry).
    pub idle_expires_at: DateTime<Utc>,
    /// When it ends regardless (absolute expiry).
    pub expires_at: DateTime<Utc>,
    /// The session of the admin looking at the list.
    pub current: bool,
}

/// What the audit trail records.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum AuditKind {
    LoginSucceeded,
    LoginFailed,
    LoginThrottled,
    Logout,
    PermissionDenied,
    UserCreated,
    PasswordReset,
    UserDisabled,
    UserEnabled,
    SessionEnded,
    SecretRotated,
    SecretOverlapEnded,
    MappingChanged,
    DeliveryReplayed,
    ApiKeyCreated,
    ApiKeyRevoked,
    TrackingLinkCreated,
    TrackingLinkRevoked,
    RolesChanged,
    /// Orders exported as CSV (the list with its filters, or a customer's).
    OrdersExported,
    /// A warehouse added, changed or removed.
    WarehouseChanged,
    /// Warehouse stock imported (CSV).
    StockImported,
}

impl AuditKind {
    pub const ALL: [AuditKind; 22] = [
        AuditKind::LoginSucceeded,
        AuditKind::LoginFailed,
        AuditKind::LoginThrottled,
        AuditKind::Logout,
        AuditKind::PermissionDenied,
        AuditKind::UserCreated,
        AuditKind::PasswordReset,
        AuditKind::UserDisabled,
        AuditKind::UserEnabled,
        AuditKind::SessionEnded,
        AuditKind::SecretRotated,
        AuditKind::SecretOverlapEnded,
        AuditKind::MappingChanged,
        AuditKind::DeliveryReplayed,
        AuditKind::ApiKeyCreated,
        AuditKind::ApiKeyRevoked,
        AuditKind::TrackingLinkCreated,
        AuditKind::TrackingLinkRevoked,
        AuditKind::RolesChanged,
        AuditKind::OrdersExported,
        AuditKind::WarehouseChanged,
        AuditKind::StockImported,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            AuditKind::LoginSucceeded => "login_succeeded",
            AuditKind::LoginFailed => "login_failed",
            AuditKind::LoginThrottled => "login_throttled",
            AuditKind::Logout => "logout",
            AuditKind::PermissionDenied => "permission_denied",
            AuditKind::UserCreated => "user_created",
            AuditKind::PasswordReset => "password_reset",
            AuditKind::UserDisabled => "user_disabled",
            AuditKind::UserEnabled => "user_enabled",
            AuditKind::SessionEnded => "session_ended",
            AuditKind::SecretRotated => "secret_rotated",
            AuditKind::SecretOverlapEnded => "secret_overlap_ended",
            AuditKind::MappingChanged => "mapping_changed",
            AuditKind::DeliveryReplayed => "delivery_replayed",
            AuditKind::ApiKeyCreated => "api_key_created",
            AuditKind::ApiKeyRevoked => "api_key_revoked",
            AuditKind::TrackingLinkCreated => "tracking_link_created",
            AuditKind::TrackingLinkRevoked => "tracking_link_revoked",
            AuditKind::RolesChanged => "roles_changed",
            AuditKind::OrdersExported => "orders_exported",
            AuditKind::WarehouseChanged => "warehouse_changed",
            AuditKind::StockImported => "stock_imported",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            AuditKind::LoginSucceeded => "Signed in",
            AuditKind::LoginFailed => "Sign-in failed",
            AuditKind::LoginThrottled => "Sign-in throttled",
            AuditKind::Logout => "Signed out",
            AuditKind::PermissionDenied => "Permission denied",
            AuditKind::UserCreated => "User created",
            AuditKind::PasswordReset => "Password reset",
            AuditKind::UserDisabled => "User disabled",
            AuditKind::UserEnabled => "User enabled",
            AuditKind::SessionEnded => "Session ended",
            AuditKind::SecretRotated => "Integration secret set",
            AuditKind::SecretOverlapEnded => "Previous secret retired",
            AuditKind::MappingChanged => "Mapping changed",
            AuditKind::DeliveryReplayed => "Delivery replayed",
            AuditKind::ApiKeyCreated => "API key created",
            AuditKind::ApiKeyRevoked => "API key revoked",
            AuditKind::TrackingLinkCreated => "Tracking link created",
            AuditKind::TrackingLinkRevoked => "Tracking link revoked",
            AuditKind::RolesChanged => "Roles changed",
            AuditKind::OrdersExported => "Orders exported",
            AuditKind::WarehouseChanged => "Warehouse changed",
            AuditKind::StockImported => "Stock imported",
        }
    }
}

/// One entry of the audit trail.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AuditEntry {
    pub id: u64,
    pub at: DateTime<Utc>,
    pub kind: AuditKind,
    /// The account concerned (the one signing in, or the admin acting).
    pub username: Option<String>,
    /// The network address of the request.
    pub address: String,
    pub detail: String,
}

/// A page of the audit trail, newest first.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AuditPage {
    pub entries: Vec<AuditEntry>,
    pub total: u64,
    pub page: u32,
    pub per_page: u32,
}

#[cfg(test)]
mod tests {
    use super::*;

    fn new_user(username: &str, password: &str, roles: Vec<Role>) -> NewUser {
        NewUser {
            username: username.into(),
            display_name: "Li Na".into(),
            roles,
            password: password.into(),
        }
    }

    #[test]
    fn new_users_are_checked_and_normalised() {
        let ok = new_user(
            " Li.Na ",
            "long enough pw",
            vec![Role::Finance, Role::Finance],
        )
        .validated()
        .unwrap();
        assert_eq!(ok.username, "li.na");
        assert_eq!(ok.roles, vec![Role::Finance]);
        assert_eq!(
            new_user("li na", "long enough pw", vec![Role::Admin]).validated(),
            Err(AccountError::BadUsername)
        );
        assert_eq!(
            new_user("lina", "short", vec![Role::Admin]).validated(),
            Err(AccountError::ShortPassword)
        );
        assert_eq!(
            new_user("lina", "long enough pw", vec![]).validated(),
            Err(AccountError::NoRole)
        );
    }
}
