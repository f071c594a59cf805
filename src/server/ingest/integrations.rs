//! The integrations service: everything the server knows about the systems
//! that feed the log — the keyring, the mapping table in force, API keys — and
//! the stores behind them. Its operations live beside it: [`super::pipeline`]
//! (a delivery's way into the log, linking, replay), [`super::settings`] (what
//! admins change) and [`super::api_keys`] (keys for the timeline write API).

use super::api_keys::KeyCache;
use super::freshness::{Freshness, FreshnessPolicy};
use super::keyring::Keyring;
use super::mapping_table::MappingTable;
use super::refusals::Refusals;
use super::secret_forms;
use super::signature::Secrets;
use crate::model::ingest::delivery_refusal::{RefusalCount, RefusalReason};
use crate::model::ingest::integration::FeedHealth;
use crate::model::Integration;
use crate::server::auth::Auth;
use crate::server::store::{IntegrationSettings, Store, StoreError};
use chrono::{DateTime, Utc};
use std::collections::HashMap;
use std::sync::Arc;

/// How the edge treats deliveries (from the server's options).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct IngestPolicy {
    pub freshness: FreshnessPolicy,
    /// Refused deliveries listed in the delivery log per integration per
    /// minute; the rest are only counted.
    pub refusals_listed_per_minute: u32,
}

/// Why an integration operation failed.
#[derive(Debug, thiserror::Error)]
pub enum IntegrationError {
    #[error("{0}")]
    BadRequest(String),
    #[error("{0}")]
    NotFound(String),
    #[error(transparent)]
    Store(#[from] StoreError),
}

/// The service, shared by the webhook endpoint, the timeline API, the linker
/// and the admin server functions.
pub struct Integrations {
    pub(super) store: Store,
    pub(super) settings: IntegrationSettings,
    pub(super) auth: Arc<Auth>,
    pub(super) keyring: Keyring,
    pub(super) mappings: MappingTable,
    pub(super) keys: KeyCache,
    pub(super) freshness: Freshness,
    pub(super) refusals: Refusals,
    /// When each integration last sent a delivery whose signature held.
    pub(super) last_verified: std::sync::Mutex<HashMap<Integration, DateTime<Utc>>>,
}

impl Integrations {
    /// Loads the stored secrets, mapping rows and API keys; `env` are the
    /// secrets provisioned from the environment (checked by the caller, see
    /// [`secret_forms::check_environment`]).
    pub async fn load(
        store: Store,
        settings: IntegrationSettings,
        auth: Arc<Auth>,
        env: Secrets,
        policy: IngestPolicy,
    ) -> Result<Integrations, StoreError> {
        let stored = settings.secrets().await?;
        let allow_plain = policy.freshness.wechat_allow_plain;
        for s in &stored {
            if let Err(e) = secret_forms::check(s.integration, &s.secret, allow_plain) {
                tracing::warn!(
                    integration = %s.integration,
                    previous = s.previous,
                    reason = %e,
                    "a stored secret has the wrong form and verifies nothing: set a new one"
                );
            }
        }
        let keyring = Keyring::new(env, stored);
        let mappings = MappingTable::new(settings.mapping_overrides().await?);
        let keys = KeyCache::new(settings.api_keys().await?);
        let last_verified = settings
            .last_verified()
            .await?
            .into_iter()
            .filter_map(|(name, at)| Some((name.parse::<Integration>().ok()?, at)))
            .collect();
        Ok(Integrations {
            store,
            settings,
            auth,
            keyring,
            mappings,
            keys,
            freshness: Freshness::new(policy.freshness),
            refusals: Refusals::new(policy.refusals_listed_per_minute),
            last_verified: std::sync::Mutex::new(last_verified),
        })
    }

    /// Notes that `integration` sent a delivery whose signature held.
    pub(super) fn verified(&self, integration: Integration, at: DateTime<Utc>) {
        let mut last = self
            .last_verified
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        let entry = last.entry(integration).or_insert(at);
        *entry = (*entry).max(at);
    }

    /// How `integration`'s feed is doing now.
    pub(super) fn health(&self, integration: Integration) -> FeedHealth {
        let name = integration.as_str();
        FeedHealth {
            last_verified_at: self
                .last_verified
                .lock()
                .unwrap_or_else(std::sync::PoisonError::into_inner)
                .get(&integration)
                .copied(),
            refused_last_hour: self
                .refusal_counts()
                .iter()
                .filter(|c| c.integration == name && c.reason != RefusalReason::Duplicate)
                .map(|c| c.last_hour)
                .sum(),
        }
    }

    /// Deliveries answered without a row each, counted per integration and
    /// reason.
    pub fn refusal_counts(&self) -> Vec<RefusalCount> {
        self.refusals.counts(Utc::now())
    }

    /// The secrets deliveries are verified with now.
    pub fn secrets(&self) -> Arc<Secrets> {
        self.keyring.secrets()
    }
}
