//! The audit trail: entries (lengths capped), refused calls, pages of it for
//! admins, and its upkeep (summed sign-in refusals written every minute, old
//! entries pruned every hour).

use super::{Auth, AuthError, Staff};
use crate::model::access::account::{AuditKind, AuditPage};
use crate::model::Permission;
use crate::server::clock::to_chrono;
use crate::server::logged_text::capped;
use crate::server::store::NewAudit;
use chrono::{DateTime, Utc};
use std::sync::Arc;
use std::time::Duration;

/// Audit entries per page.
const AUDIT_PAGE: u32 = 50;
/// Longest username an audit entry keeps.
const AUDIT_USERNAME: usize = 64;
/// Longest detail an audit entry keeps.
const AUDIT_DETAIL: usize = 512;
/// How often summed sign-in refusals are written.
const REFUSALS_EVERY: Duration = Duration::from_secs(60);
/// How often the audit trail is pruned.
const PRUNE_EVERY: Duration = Duration::from_secs(3600);

impl Auth {
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

    /// A page of the audit trail, newest first, optionally of one kind.
    pub async fn audit(&self, page: u32, kind: Option<AuditKind>) -> Result<AuditPage, AuthError> {
        Ok(self.accounts.audit(page, AUDIT_PAGE, kind).await?)
    }

    /// Removes audit entries older than the retention period (as of `now`);
    /// returns how many.
    pub async fn prune_audit(&self, now: DateTime<Utc>) -> Result<u64, AuthError> {
        let Some(keep) = self.policy.audit_retention else {
            return Ok(0);
        };
        Ok(self.accounts.prune_audit(now - to_chrono(keep)).await?)
    }

    /// Background upkeep until the server stops: summed refusals are written
    /// every minute, the audit trail pruned every hour.
    pub async fn maintain(self: Arc<Self>) {
        let mut refusals = tokio::time::interval(REFUSALS_EVERY);
        let mut prune = tokio::time::interval(PRUNE_EVERY);
        loop {
            tokio::select! {
                _ = refusals.tick() => self.write_refusals().await,
                _ = prune.tick() => match self.prune_audit(self.clock().now()).await {
                    Ok(0) => {}
                    Ok(n) => tracing::info!(removed = n, "pruned the audit trail"),
                    Err(e) => tracing::error!(error = %e, "could not prune the audit trail"),
                },
            }
        }
    }
}
