//! The integrations service: everything the server knows about the systems
//! that feed the log — the keyring, the mapping table in force, API keys — and
//! the stores behind them. Its operations live beside it: [`super::pipeline`]
//! (a delivery's way into the log, linking, replay), [`super::settings`] (what
//! admins change) and [`super::api_keys`] (keys for the timeline write API).

use super::api_keys::KeyCache;
use super::keyring::Keyring;
use super::mapping_table::MappingTable;
use super::signature::Secrets;
use crate::server::auth::Auth;
use crate::server::store::{IntegrationSettings, Store, StoreError};
use std::sync::Arc;

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
}

impl Integrations {
    /// Loads the stored secrets, mapping rows and API keys; `env` are the
    /// secrets provisioned from the environment.
    pub async fn load(
        store: Store,
        settings: IntegrationSettings,
        auth: Arc<Auth>,
        env: Secrets,
    ) -> Result<Integrations, StoreError> {
        let keyring = Keyring::new(env, settings.secrets().await?);
        let mappings = MappingTable::new(settings.mapping_overrides().await?);
        let keys = KeyCache::new(settings.api_keys().await?);
        Ok(Integrations {
            store,
            settings,
            auth,
            keyring,
            mappings,
            keys,
        })
    }

    /// The secrets deliveries are verified with now.
    pub fn secrets(&self) -> Arc<Secrets> {
        self.keyring.secrets()
    }
}
