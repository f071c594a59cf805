//! API keys for the timeline write API: created by an admin (shown once,
//! only a SHA-256 stored), revoked at once, recognised in constant time per
//! request from an in-memory copy of the stored hashes.

use super::integrations::{IntegrationError, Integrations};
use crate::model::access::account::AuditKind;
use crate::model::ingest::integration::{ApiKeyCreated, ApiKeySummary};
use crate::server::auth::{random_token, token_hash, RequestInfo, Staff};
use crate::server::store::StoredApiKey;
use chrono::{DateTime, Duration, Utc};
use std::collections::HashMap;
use std::sync::RwLock;

/// What every key starts with, so a leaked one is recognisable.
const KEY_PREFIX: &str = "ocr_";
/// Characters of the key shown in listings.
const SHOWN_PREFIX: usize = 12;
/// `last used` is written at most this often per key.
const TOUCH_EVERY: Duration = Duration::minutes(1);
/// Longest key name.
const MAX_NAME: usize = 80;

/// Active keys by hash.
pub struct KeyCache {
    by_hash: RwLock<HashMap<String, ApiKeySummary>>,
}

impl KeyCache {
    pub fn new(keys: Vec<StoredApiKey>) -> KeyCache {
        let by_hash = keys
            .into_iter()
            .filter(|k| k.summary.revoked_at.is_none())
            .map(|k| (k.key_hash, k.summary))
            .collect();
        KeyCache {
            by_hash: RwLock::new(by_hash),
        }
    }

    fn insert(&self, hash: String, key: ApiKeySummary) {
        self.write().insert(hash, key);
    }

    fn remove(&self, id: &str) {
        self.write().retain(|_, k| k.id != id);
    }

    fn write(&self) -> std::sync::RwLockWriteGuard<'_, HashMap<String, ApiKeySummary>> {
        self.by_hash.write().unwrap_or_else(|e| e.into_inner())
    }

    /// The active key `hash` belongs to, marking it used when due.
    fn find(&self, hash: &str, now: DateTime<Utc>) -> Option<(ApiKeySummary, bool)> {
        let mut keys = self.write();
        let key = keys.get_mut(hash)?;
        let due = key.last_used_at.is_none_or(|t| now - t >= TOUCH_EVERY);
        if due {
            key.last_used_at = Some(now);
        }
        Some((key.clone(), due))
    }
}

impl Integrations {
    /// Every API key, newest first.
    pub async fn api_keys(&self) -> Result<Vec<ApiKeySummary>, IntegrationError> {
        Ok(self
            .settings
            .api_keys()
            .await?
            .into_iter()
            .map(|k| k.summary)
            .collect())
    }

    /// Creates a key; the answer carries it this once.
    pub async fn create_api_key(
        &self,
        name: &str,
        admin: &Staff,
        request: &RequestInfo,
    ) -> Result<ApiKeyCreated, IntegrationError> {
        let created = self.issue_api_key(name, &admin.username).await?;
        self.audit_key(AuditKind::ApiKeyCreated, &created.summary, admin, request)
            .await;
        Ok(created)
    }

    /// Creates a key for `created_by` (a person, or the server itself).
    pub async fn issue_api_key(
        &self,
        name: &str,
        created_by: &str,
    ) -> Result<ApiKeyCreated, IntegrationError> {
        let name = name.trim();
        if name.is_empty() || name.chars().count() > MAX_NAME {
            return Err(IntegrationError::BadRequest(format!(
                "the name must be 1 to {MAX_NAME} characters"
            )));
        }
        let key = format!("{KEY_PREFIX}{}", random_token(32));
        let summary = ApiKeySummary {
            id: format!("k_{}", random_token(9)),
            name: name.to_string(),
            prefix: key.chars().take(SHOWN_PREFIX).collect(),
            created_at: Utc::now(),
            created_by: created_by.to_string(),
            last_used_at: None,
            revoked_at: None,
        };
        let stored = StoredApiKey {
            summary: summary.clone(),
            key_hash: token_hash(&key),
        };
        self.settings.insert_api_key(&stored).await?;
        self.keys.insert(stored.key_hash, summary.clone());
        Ok(ApiKeyCreated { summary, key })
    }

    /// Revokes every active key named `name` created by `created_by`.
    pub async fn retire_api_keys(
        &self,
        name: &str,
        created_by: &str,
    ) -> Result<(), IntegrationError> {
        for key in self.settings.api_keys().await? {
            let s = &key.summary;
            if s.name == name && s.created_by == created_by && s.revoked_at.is_none() {
                self.settings.revoke_api_key(&s.id, Utc::now()).await?;
                self.keys.remove(&s.id);
            }
        }
        Ok(())
    }

    /// Revokes a key: the next request with it is refused.
    pub async fn revoke_api_key(
        &self,
        id: &str,
        admin: &Staff,
        request: &RequestInfo,
    ) -> Result<ApiKeySummary, IntegrationError> {
        let revoked = self
            .settings
            .revoke_api_key(id, Utc::now())
            .await?
            .ok_or_else(|| IntegrationError::NotFound(format!("API key {id} was not found")))?;
        self.keys.remove(id);
        self.audit_key(AuditKind::ApiKeyRevoked, &revoked.summary, admin, request)
            .await;
        Ok(revoked.summary)
    }

    async fn audit_key(
        &self,
        kind: AuditKind,
        key: &ApiKeySummary,
        admin: &Staff,
        request: &RequestInfo,
    ) {
        self.auth
            .audit_entry(
                kind,
                Some(&admin.username),
                &request.address,
                format!("{} ({}…)", key.name, key.prefix),
            )
            .await;
    }

    /// The active key a bearer token is, if any. Looks up the token's SHA-256,
    /// so comparing does not leak the key through timing.
    pub async fn api_key(&self, token: &str) -> Option<ApiKeySummary> {
        if !token.starts_with(KEY_PREFIX) {
            return None;
        }
        let now = Utc::now();
        let (key, due) = self.keys.find(&token_hash(token), now)?;
        if due {
            if let Err(e) = self.settings.touch_api_key(&key.id, now).await {
                tracing::warn!(error = %e, "could not record an API key's use");
            }
        }
        Some(key)
    }
}
