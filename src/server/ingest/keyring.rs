//! The secrets deliveries are verified with: those provisioned from the
//! environment (`CONTROL_ROOM_<NAME>_SECRET`, `…_PREVIOUS_SECRET`) and those an
//! admin set in the UI (the current one, and the replaced one until its overlap
//! ends). Verification reads a snapshot; a change swaps the snapshot.

use super::signature::Secrets;
use crate::model::Integration;
use crate::server::store::StoredSecret;
use chrono::{DateTime, Utc};
use std::sync::{Arc, RwLock};

/// Environment secrets plus stored ones, as one [`Secrets`] snapshot.
pub struct Keyring {
    env: Secrets,
    state: RwLock<Snapshot>,
}

struct Snapshot {
    stored: Vec<StoredSecret>,
    secrets: Arc<Secrets>,
    /// When the earliest previous secret stops being accepted.
    next_expiry: Option<DateTime<Utc>>,
}

impl Keyring {
    pub fn new(env: Secrets, stored: Vec<StoredSecret>) -> Keyring {
        let state = RwLock::new(Snapshot::build(&env, stored, Utc::now()));
        Keyring { env, state }
    }

    /// The secrets accepted now.
    pub fn secrets(&self) -> Arc<Secrets> {
        self.secrets_at(Utc::now())
    }

    /// The secrets accepted at `now`.
    fn secrets_at(&self, now: DateTime<Utc>) -> Arc<Secrets> {
        {
            let state = self.state.read().unwrap_or_else(|e| e.into_inner());
            if state.next_expiry.is_none_or(|t| t > now) {
                return state.secrets.clone();
            }
        }
        let mut state = self.state.write().unwrap_or_else(|e| e.into_inner());
        let stored = std::mem::take(&mut state.stored);
        *state = Snapshot::build(&self.env, stored, now);
        state.secrets.clone()
    }

    /// Replaces the stored secrets (after an admin changed them).
    pub fn replace(&self, stored: Vec<StoredSecret>) {
        let mut state = self.state.write().unwrap_or_else(|e| e.into_inner());
        *state = Snapshot::build(&self.env, stored, Utc::now());
    }

    /// Whether the environment provides a secret for `i`.
    pub fn from_env(&self, i: Integration) -> bool {
        !self.env.for_integration(i).is_empty()
    }

    /// The stored secrets as last loaded (expired previous ones left out).
    pub fn stored(&self) -> Vec<StoredSecret> {
        let now = Utc::now();
        let state = self.state.read().unwrap_or_else(|e| e.into_inner());
        state
            .stored
            .iter()
            .filter(|s| s.info.expires_at.is_none_or(|t| t > now))
            .cloned()
            .collect()
    }
}

impl Snapshot {
    fn build(env: &Secrets, stored: Vec<StoredSecret>, now: DateTime<Utc>) -> Snapshot {
        let live = |s: &&StoredSecret| s.info.expires_at.is_none_or(|t| t > now);
        let mut pairs = Vec::new();
        for i in Integration::ALL {
            // Current stored secret first, then the environment's, then a
            // previous one still in its overlap.
            let mine = stored.iter().filter(|s| s.integration == i).filter(live);
            let (previous, current): (Vec<_>, Vec<_>) = mine.partition(|s| s.previous);
            pairs.extend(current.iter().map(|s| (i, s.secret.clone())));
            pairs.extend(env.for_integration(i).iter().map(|s| (i, s.clone())));
            pairs.extend(previous.iter().map(|s| (i, s.secret.clone())));
        }
        let next_expiry = stored
            .iter()
            .filter_map(|s| s.info.expires_at)
            .filter(|t| *t > now)
            .min();
        Snapshot {
            stored,
            secrets: Arc::new(Secrets::from_pairs(pairs)),
            next_expiry,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::ingest::integration::SecretInfo;
    use chrono::Duration;

    fn stored(secret: &str, previous: bool, expires_at: Option<DateTime<Utc>>) -> StoredSecret {
        StoredSecret {
            integration: Integration::Wms,
            previous,
            secret: secret.to_string(),
            info: SecretInfo {
                hint: String::new(),
                set_at: Utc::now(),
                set_by: "admin".into(),
                expires_at,
            },
        }
    }

    #[test]
    fn current_environment_and_overlapping_previous_secrets_are_accepted() {
        let env = Secrets::from_pairs([(Integration::Wms, "from-env".to_string())]);
        let soon = Utc::now() + Duration::hours(1);
        let ring = Keyring::new(
            env,
            vec![
                stored("new-one", false, None),
                stored("old-one", true, Some(soon)),
            ],
        );
        assert_eq!(
            ring.secrets().for_integration(Integration::Wms),
            ["new-one", "from-env", "old-one"]
        );
        assert!(ring.from_env(Integration::Wms));
        assert!(!ring.from_env(Integration::Shopify));
    }

    #[test]
    fn a_previous_secret_stops_being_accepted_when_its_overlap_ends() {
        let past = Utc::now() - Duration::seconds(1);
        let ring = Keyring::new(
            Secrets::default(),
            vec![
                stored("new-one", false, None),
                stored("old-one", true, Some(past)),
            ],
        );
        assert_eq!(
            ring.secrets().for_integration(Integration::Wms),
            ["new-one"]
        );
        assert_eq!(ring.stored().len(), 1);
    }

    #[test]
    fn the_snapshot_refreshes_once_the_overlap_has_passed() {
        let ring = Keyring::new(Secrets::default(), Vec::new());
        let until = Utc::now() + Duration::hours(1);
        ring.replace(vec![
            stored("new-one", false, None),
            stored("old-one", true, Some(until)),
        ]);
        assert_eq!(ring.secrets().for_integration(Integration::Wms).len(), 2);
        let later = until + Duration::seconds(1);
        assert_eq!(
            ring.secrets_at(later).for_integration(Integration::Wms),
            ["new-one"]
        );
    }
}
