//! Server functions for admins: accounts, sessions and the audit trail.

use super::ApiError;
use crate::model::access::account::{AuditKind, AuditPage, NewUser, SessionSummary, UserSummary};
use crate::model::Role;
use leptos::prelude::*;
use leptos::server_fn::codec::Json;

#[cfg(feature = "ssr")]
use {
    super::access::{request, require, state},
    crate::model::Permission,
};

/// Every staff account.
#[server(endpoint = "admin/users/list", input = Json)]
pub async fn list_users() -> Result<Vec<UserSummary>, ApiError> {
    require(Permission::ManageUsers).await?;
    Ok(state()?.auth.users().await?)
}

/// Creates a staff account.
#[server(endpoint = "admin/users/create", input = Json)]
pub async fn create_user(user: NewUser) -> Result<UserSummary, ApiError> {
    let admin = require(Permission::ManageUsers).await?;
    let user = user.validated().map_err(ApiError::InvalidAccount)?;
    Ok(state()?.auth.create_user(user, &admin, &request()?).await?)
}

/// Sets a new password for an account and ends its sessions.
#[server(endpoint = "admin/users/password", input = Json)]
pub async fn reset_password(user_id: String, password: String) -> Result<(), ApiError> {
    let admin = require(Permission::ManageUsers).await?;
    crate::model::access::account::check_password(&password).map_err(ApiError::InvalidAccount)?;
    Ok(state()?
        .auth
        .reset_password(&user_id, &password, &admin, &request()?)
        .await?)
}

/// Disables (ending its sessions) or re-enables an account.
#[server(endpoint = "admin/users/disabled", input = Json)]
pub async fn set_user_disabled(user_id: String, disabled: bool) -> Result<UserSummary, ApiError> {
    let admin = require(Permission::ManageUsers).await?;
    Ok(state()?
        .auth
        .set_disabled(&user_id, disabled, &admin, &request()?)
        .await?)
}

/// Sets an account's roles (at least one). Refused when it would take the
/// Admin role from the last enabled admin. The account's sessions stay and
/// have the new permissions from their next request on; their open live
/// streams end and reopen under the new roles.
#[server(endpoint = "admin/users/roles", input = Json)]
pub async fn set_user_roles(user_id: String, roles: Vec<Role>) -> Result<UserSummary, ApiError> {
    let admin = require(Permission::ManageUsers).await?;
    let roles =
        crate::model::access::account::validated_roles(roles).map_err(ApiError::InvalidAccount)?;
    Ok(state()?
        .auth
        .set_roles(&user_id, roles, &admin, &request()?)
        .await?)
}

/// Every live session.
#[server(endpoint = "admin/sessions/list", input = Json)]
pub async fn list_sessions() -> Result<Vec<SessionSummary>, ApiError> {
    let admin = require(Permission::ManageSessions).await?;
    Ok(state()?.auth.sessions(&admin).await?)
}

/// Ends one session (its holder is signed out at their next request).
#[server(endpoint = "admin/sessions/end", input = Json)]
pub async fn end_session(session_id: String) -> Result<(), ApiError> {
    let admin = require(Permission::ManageSessions).await?;
    Ok(state()?
        .auth
        .end_session(&session_id, &admin, &request()?)
        .await?)
}

/// A page of the audit trail, newest first, optionally of one kind.
#[server(endpoint = "admin/audit", input = Json)]
pub async fn audit_log(page: u32, kind: Option<AuditKind>) -> Result<AuditPage, ApiError> {
    require(Permission::ViewAudit).await?;
    Ok(state()?.auth.audit(page, kind).await?)
}
