//! Changing an account's roles. Refused when it would take the Admin role from
//! the last enabled admin (checked and done in one store statement, so two
//! admins cannot demote each other at once). The account's sessions stay:
//! every request reads the roles again, so the next one has the new
//! permissions; its open live streams, which fixed what they show when they
//! opened, are ended and reopen under the new roles.

use super::accounts::summary;
use super::{Auth, AuthError, RequestInfo, Revoked, Staff};
use crate::model::access::account::{AuditKind, UserSummary};
use crate::model::Role;
use crate::server::store::AdminGuarded;

fn labels(roles: &[Role]) -> String {
    roles
        .iter()
        .map(|r| r.label())
        .collect::<Vec<_>>()
        .join(", ")
}

impl Auth {
    /// Sets the roles of `user_id` to `roles` (already validated: not empty,
    /// sorted, no duplicates).
    pub async fn set_roles(
        &self,
        user_id: &str,
        roles: Vec<Role>,
        admin: &Staff,
        req: &RequestInfo,
    ) -> Result<UserSummary, AuthError> {
        let mut user = self.user(user_id).await?;
        let before = std::mem::take(&mut user.roles);
        match self
            .accounts
            .set_roles_unless_last_admin(user_id, &roles)
            .await?
        {
            AdminGuarded::Done => {}
            AdminGuarded::NotFound => return Err(AuthError::NotFound(format!("user {user_id}"))),
            AdminGuarded::LastAdmin => return Err(AuthError::LastAdminRole(user.username)),
        }
        user.roles = roles;
        if user.roles != before {
            self.revoke(Revoked::Roles(user_id.to_string()));
            self.audit_entry(
                AuditKind::RolesChanged,
                Some(&admin.username),
                &req.address,
                format!(
                    "changed the roles of {} from {} to {}",
                    user.username,
                    labels(&before),
                    labels(&user.roles)
                ),
            )
            .await;
        }
        Ok(summary(user))
    }
}
