//! What the simulator signs with, and the HMAC the formats that use one sign
//! with.

use super::WireError;
use crate::model::Integration;
use crate::server::ingest::signature::Secrets;
use crate::server::ingest::wechat_safe_mode::WechatKey;
use hmac::{Hmac, Mac};
use rand::Rng;
use sha2::Sha256;
use std::collections::HashMap;
use std::fmt;

/// What the simulator signs with: one secret per integration (as the control
/// room is configured with it; Douyin's is `app_key:app_secret`) and an API key
/// for the timeline write API.
#[derive(Clone)]
pub struct WireKeys {
    pub secrets: HashMap<Integration, String>,
    pub api_key: String,
}

impl WireKeys {
    /// These keys with each integration's current secret from `secrets` (the
    /// first accepted one), where it has one the simulator can sign with.
    pub fn with_current(&self, secrets: &Secrets) -> WireKeys {
        let mut keys = self.clone();
        for (i, secret) in keys.secrets.iter_mut() {
            if let Some(current) = secrets.for_integration(*i).first() {
                // Douyin signs with app_key and app_secret, WeChat in safe mode.
                let usable = match i {
                    Integration::Douyin => current.contains(':'),
                    Integration::Wechat => WechatKey::parse(current).is_ok(),
                    _ => true,
                };
                if usable {
                    secret.clone_from(current);
                }
            }
        }
        keys
    }

    /// Fresh random secrets for every integration, with `api_key` for the
    /// timeline API.
    pub fn random(api_key: impl Into<String>) -> WireKeys {
        let mut rng = rand::rng();
        let mut hex = |bytes: usize| -> String {
            (0..bytes)
                .map(|_| format!("{:02x}", rng.random::<u8>()))
                .collect()
        };
        let secrets = Integration::ALL
            .into_iter()
            .map(|i| {
                let secret = match i {
                    // A numeric app key, as Douyin issues them.
                    Integration::Douyin => {
                        let key = u64::from_str_radix(&hex(7), 16).unwrap_or_default();
                        format!("7{key:017}:{}", hex(16))
                    }
                    // Token and EncodingAESKey, as set in the WeChat console.
                    Integration::Wechat => WechatKey::generate(),
                    _ => hex(24),
                };
                (i, secret)
            })
            .collect();
        WireKeys {
            secrets,
            api_key: api_key.into(),
        }
    }

    /// The same secrets as the control room's ingest verifies them.
    pub fn signing_secrets(&self) -> Secrets {
        Secrets::from_pairs(self.secrets.iter().map(|(i, s)| (*i, s.clone())))
    }

    pub(super) fn secret(&self, integration: Integration) -> Result<&str, WireError> {
        self.secrets
            .get(&integration)
            .map(String::as_str)
            .filter(|s| !s.is_empty())
            .ok_or(WireError::NoSecret(integration))
    }

    /// HMAC-SHA256 of `body` keyed with `integration`'s secret.
    pub(super) fn hmac_sha256(
        &self,
        integration: Integration,
        body: &[u8],
    ) -> Result<Vec<u8>, WireError> {
        let secret = self.secret(integration)?;
        let mut mac = Hmac::<Sha256>::new_from_slice(secret.as_bytes())
            .map_err(|_| WireError::BadKey(integration))?;
        mac.update(body);
        Ok(mac.finalize().into_bytes().to_vec())
    }
}

/// Never prints a secret or the API key.
impl fmt::Debug for WireKeys {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mut names: Vec<&str> = self.secrets.keys().map(|i| i.as_str()).collect();
        names.sort_unstable();
        f.debug_struct("WireKeys")
            .field("integrations", &names)
            .field("api_key", &"…")
            .finish()
    }
}
