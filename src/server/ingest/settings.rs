//! What admins change about the integrations, each change audited: signing
//! secrets (rotated with an overlap, shown once), mapping rows, replaying a
//! stored delivery; and what they read: the delivery log and unmapped values.

use super::integrations::{IntegrationError, Integrations};
use super::secret_forms::{self, SecretFormError};
use crate::model::access::account::AuditKind;
use crate::model::ingest::integration::{
    check_secret, DeliveryDetail, DeliveryOutcome, DeliveryPage, DeliveryQuery, DeliverySummary,
    IntegrationSummary, MappingRow, NewSecret, SecretShown, UnmappedValue, MAX_OVERLAP_HOURS,
};
use crate::model::ingest::mapping::Target;
use crate::model::Integration;
use crate::server::auth::{RequestInfo, Staff};
use crate::server::store::DeliveryRow;
use chrono::{Duration, Utc};

/// Longest dialect or value an admin may map.
const MAX_MAPPING_TEXT: usize = 200;

impl Integrations {
    async fn audit(&self, kind: AuditKind, admin: &Staff, request: &RequestInfo, detail: String) {
        self.auth
            .audit_entry(kind, Some(&admin.username), &request.address, detail)
            .await;
    }

    /// Every integration with the state of its secrets.
    pub async fn summaries(&self) -> Result<Vec<IntegrationSummary>, IntegrationError> {
        let stored = self.keyring.stored();
        Ok(Integration::ALL
            .into_iter()
            .map(|i| {
                let mine = |previous: bool| {
                    stored
                        .iter()
                        .find(|s| s.integration == i && s.previous == previous)
                        .map(|s| s.info.clone())
                };
                IntegrationSummary {
                    integration: i,
                    endpoint: format!("/hooks/{}", i.as_str()),
                    current: mine(false),
                    previous: mine(true),
                    from_env: self.keyring.from_env(i),
                    health: self.health(i),
                }
            })
            .collect())
    }

    /// Sets a new secret; the replaced one is accepted for `overlap_hours` more.
    pub async fn rotate(
        &self,
        integration: Integration,
        secret: NewSecret,
        overlap_hours: u32,
        admin: &Staff,
        request: &RequestInfo,
    ) -> Result<SecretShown, IntegrationError> {
        if overlap_hours > MAX_OVERLAP_HOURS {
            return Err(IntegrationError::BadRequest(format!(
                "the overlap may be at most {MAX_OVERLAP_HOURS} hours"
            )));
        }
        let bad = |e: SecretFormError| IntegrationError::BadRequest(e.to_string());
        let secret = match secret {
            NewSecret::Generate => secret_forms::generate(integration).map_err(bad)?,
            NewSecret::Given(s) => {
                check_secret(&s).map_err(IntegrationError::BadRequest)?;
                s
            }
        };
        let allow_plain = self.freshness.policy().wechat_allow_plain;
        secret_forms::check(integration, &secret, allow_plain).map_err(bad)?;
        let now = self.clock().now();
        let had_current = self
            .keyring
            .stored()
            .iter()
            .any(|s| s.integration == integration && !s.previous);
        let previous_until = (had_current && overlap_hours > 0)
            .then(|| now + Duration::hours(i64::from(overlap_hours)));
        self.settings
            .rotate_secret(integration, &secret, &admin.username, now, previous_until)
            .await?;
        self.keyring.replace(self.settings.secrets().await?);
        let overlap = match previous_until {
            Some(t) => format!("previous accepted until {}", t.to_rfc3339()),
            None => "no overlap".to_string(),
        };
        self.audit(
            AuditKind::SecretRotated,
            admin,
            request,
            format!("{integration}: new secret; {overlap}"),
        )
        .await;
        Ok(SecretShown {
            integration,
            secret,
            previous_until,
        })
    }

    /// The current stored secret of every integration that has one.
    pub fn current_secrets(&self) -> Vec<(Integration, String)> {
        self.keyring
            .stored()
            .into_iter()
            .filter(|s| !s.previous)
            .map(|s| (s.integration, s.secret))
            .collect()
    }

    /// Sets a secret on behalf of the server itself (the demo simulator), with
    /// no overlap.
    pub async fn provision_secret(
        &self,
        integration: Integration,
        secret: &str,
        by: &str,
    ) -> Result<(), IntegrationError> {
        let allow_plain = self.freshness.policy().wechat_allow_plain;
        secret_forms::check(integration, secret, allow_plain)
            .map_err(|e| IntegrationError::BadRequest(e.to_string()))?;
        self.settings
            .rotate_secret(integration, secret, by, self.clock().now(), None)
            .await?;
        self.keyring.replace(self.settings.secrets().await?);
        Ok(())
    }

    /// Stops accepting the previous secret now.
    pub async fn end_overlap(
        &self,
        integration: Integration,
        admin: &Staff,
        request: &RequestInfo,
    ) -> Result<IntegrationSummary, IntegrationError> {
        if !self.settings.drop_previous_secret(integration).await? {
            return Err(IntegrationError::NotFound(format!(
                "{integration} has no previous secret"
            )));
        }
        self.keyring.replace(self.settings.secrets().await?);
        self.audit(
            AuditKind::SecretOverlapEnded,
            admin,
            request,
            format!("{integration}: previous secret no longer accepted"),
        )
        .await;
        self.summaries()
            .await?
            .into_iter()
            .find(|s| s.integration == integration)
            .ok_or_else(|| IntegrationError::NotFound(integration.to_string()))
    }

    /// The mapping table, one dialect or all.
    pub async fn mappings(
        &self,
        dialect: Option<&str>,
    ) -> Result<Vec<MappingRow>, IntegrationError> {
        Ok(self
            .mappings
            .listing()
            .into_iter()
            .filter(|r| dialect.is_none_or(|d| r.dialect == d))
            .collect())
    }

    /// Adds or changes a mapping row; deliveries from now on use it.
    pub async fn set_mapping(
        &self,
        dialect: &str,
        value: &str,
        target: Target,
        admin: &Staff,
        request: &RequestInfo,
    ) -> Result<MappingRow, IntegrationError> {
        for (what, text) in [("dialect", dialect), ("value", value)] {
            if text.trim().is_empty() || text.len() > MAX_MAPPING_TEXT {
                return Err(IntegrationError::BadRequest(format!(
                    "the {what} must be 1 to {MAX_MAPPING_TEXT} characters"
                )));
            }
        }
        if !target.fits(dialect) {
            return Err(IntegrationError::BadRequest(format!(
                "a value of {dialect} cannot mean \"{}\"",
                target.label()
            )));
        }
        let row = MappingRow {
            dialect: dialect.to_string(),
            value: value.to_string(),
            target,
            changed_by: Some(admin.username.clone()),
            changed_at: Some(Utc::now()),
        };
        self.settings.set_mapping(&row).await?;
        self.mappings.set(row.clone());
        self.audit(
            AuditKind::MappingChanged,
            admin,
            request,
            format!("{dialect} = {value} → {}", target.label()),
        )
        .await;
        Ok(row)
    }

    /// Values reported with no mapping that still have none.
    pub async fn unmapped(&self) -> Result<Vec<UnmappedValue>, IntegrationError> {
        Ok(self
            .settings
            .reported_values()
            .await?
            .into_iter()
            .filter(|v| !self.mappings.knows(&v.dialect, &v.value))
            .collect())
    }

    pub async fn deliveries(
        &self,
        query: &DeliveryQuery,
    ) -> Result<DeliveryPage, IntegrationError> {
        Ok(self.settings.deliveries(query).await?)
    }

    pub async fn delivery(&self, id: i64) -> Result<DeliveryDetail, IntegrationError> {
        self.settings
            .delivery(id)
            .await?
            .map(|(detail, _)| detail)
            .ok_or_else(|| IntegrationError::NotFound(format!("delivery #{id} was not found")))
    }

    /// Processes a stored delivery again: a pending one is linked if its order
    /// is known now; an accepted one appends what the log does not have yet.
    pub async fn replay(
        &self,
        id: i64,
        admin: &Staff,
        request: &RequestInfo,
    ) -> Result<DeliverySummary, IntegrationError> {
        let not_found = || IntegrationError::NotFound(format!("delivery #{id} was not found"));
        let (detail, stored) = self.settings.delivery(id).await?.ok_or_else(not_found)?;
        let stored = match (detail.summary.outcome, stored) {
            (DeliveryOutcome::Accepted | DeliveryOutcome::Pending, Some(stored)) => stored,
            _ => {
                return Err(IntegrationError::BadRequest(format!(
                    "delivery #{id} is {} and has no stored body to replay",
                    detail.summary.outcome.as_str()
                )))
            }
        };
        let (row, only_new) = match detail.summary.outcome {
            DeliveryOutcome::Pending => (DeliveryRow::Settle { id }, false),
            _ => (
                DeliveryRow::Replay {
                    of: id,
                    integration: stored.integration.clone(),
                },
                true,
            ),
        };
        let (receipt, _) = self.reprocess(&stored, row, only_new).await?;
        let shown = receipt.delivery_id.unwrap_or(id);
        let after = self.delivery(shown).await?.summary;
        self.audit(
            AuditKind::DeliveryReplayed,
            admin,
            request,
            format!(
                "delivery #{id} ({}): {} — {} event(s)",
                stored.integration,
                after.outcome.as_str(),
                after.events
            ),
        )
        .await;
        Ok(after)
    }
}
