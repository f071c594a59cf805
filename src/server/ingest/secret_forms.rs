//! The form each integration's secret must have: checked when an admin sets
//! one (refused with the reason), when the server starts with one from the
//! environment (refused to start, naming the variable), and followed when the
//! control room generates one.
//!
//! | integration | form |
//! |---|---|
//! | Douyin | `app_key:app_secret`, both issued by Douyin (never generated) |
//! | WeChat Channels | `token:EncodingAESKey[:AppID]` (safe mode); a bare token only where plain-text mode is allowed |
//! | the others | the secret as the platform issued it, or a generated one |
//!
//! A secret of the wrong form would otherwise be stored and silently verify
//! nothing.

use super::signature::Secrets;
use super::wechat_safe_mode::{check_token, WechatKey, WechatSecretError};
use crate::model::Integration;

/// Why a secret does not have its integration's form.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum SecretFormError {
    #[error("the Douyin secret must be app_key:app_secret (the app key, a colon, the app secret)")]
    DouyinPair,
    #[error(transparent)]
    Wechat(#[from] WechatSecretError),
    #[error(
        "a bare WeChat token is for plain-text mode, which this server does not allow: \
         give token:EncodingAESKey[:AppID] (safe mode)"
    )]
    WechatPlainNotAllowed,
    #[error("{0} issues its own secret: enter it as given (app_key:app_secret)")]
    NotGenerated(Integration),
}

/// Checks `secret` against `integration`'s form; `allow_plain` is whether
/// WeChat plain-text mode is allowed on this server.
pub fn check(
    integration: Integration,
    secret: &str,
    allow_plain: bool,
) -> Result<(), SecretFormError> {
    match integration {
        Integration::Douyin => {
            let pair = secret.split_once(':');
            let usable = pair.is_some_and(|(key, secret)| {
                !key.is_empty() && !secret.is_empty() && !key.contains(char::is_whitespace)
            });
            usable.then_some(()).ok_or(SecretFormError::DouyinPair)
        }
        Integration::Wechat if secret.contains(':') => {
            WechatKey::parse(secret)?;
            Ok(())
        }
        Integration::Wechat if allow_plain => Ok(check_token(secret)?),
        Integration::Wechat => Err(SecretFormError::WechatPlainNotAllowed),
        _ => Ok(()),
    }
}

/// A fresh secret of `integration`'s form.
pub fn generate(integration: Integration) -> Result<String, SecretFormError> {
    match integration {
        _ if !integration.secret_can_be_generated() => {
            Err(SecretFormError::NotGenerated(integration))
        }
        Integration::Wechat => Ok(WechatKey::generate()),
        _ => Ok(crate::server::auth::random_token(32)),
    }
}

/// Checks every secret provisioned from the environment; the error names
/// each variable whose value has the wrong form, and why.
pub fn check_environment(env: &Secrets, allow_plain: bool) -> Result<(), String> {
    let mut wrong = Vec::new();
    for i in Integration::ALL {
        for secret in env.for_integration(i) {
            if let Err(e) = check(i, secret, allow_plain) {
                let name = i.env_name();
                wrong.push(format!(
                    "CONTROL_ROOM_{name}_SECRET (or CONTROL_ROOM_{name}_PREVIOUS_SECRET): {e}"
                ));
            }
        }
    }
    if wrong.is_empty() {
        Ok(())
    } else {
        Err(format!(
            "secrets in the environment have the wrong form: {}",
            wrong.join("; ")
        ))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const AES: &str = "abcdefghijklmnopqrstuvwxyz0123456789ABCDEFG";

    #[test]
    fn douyin_needs_an_app_key_and_an_app_secret() {
        let d = Integration::Douyin;
        assert_eq!(check(d, "7001234567890:s3cret", false), Ok(()));
        assert_eq!(check(d, "7001234567890:a:b", false), Ok(()));
        for bad in [
            "no-colon-at-all",
            ":secret",
            "7001234567890:",
            "app key:secret",
        ] {
            assert_eq!(
                check(d, bad, true),
                Err(SecretFormError::DouyinPair),
                "{bad}"
            );
        }
        assert_eq!(generate(d), Err(SecretFormError::NotGenerated(d)));
    }

    #[test]
    fn wechat_needs_safe_mode_unless_plain_mode_is_allowed() {
        let w = Integration::Wechat;
        assert_eq!(check(w, &format!("Token123:{AES}"), false), Ok(()));
        assert_eq!(check(w, &format!("Token123:{AES}:wx1234"), false), Ok(()));
        assert_eq!(
            check(w, "Token123", false),
            Err(SecretFormError::WechatPlainNotAllowed)
        );
        assert_eq!(check(w, "Token123", true), Ok(()));
        assert_eq!(
            check(w, "token with spaces", true),
            Err(SecretFormError::Wechat(WechatSecretError::Token))
        );
        assert_eq!(
            check(w, "Token123:not-43", true),
            Err(SecretFormError::Wechat(WechatSecretError::AesKey))
        );
        let generated = generate(w).unwrap();
        assert_eq!(check(w, &generated, false), Ok(()));
    }

    #[test]
    fn other_integrations_take_their_secret_as_given() {
        assert_eq!(check(Integration::Shopify, "no:form:needed", false), Ok(()));
        assert!(generate(Integration::Wms).unwrap().len() >= 40);
    }

    #[test]
    fn the_environment_check_names_the_variable() {
        let env = Secrets::from_pairs([
            (Integration::Douyin, "no-colon".to_string()),
            (Integration::Wechat, "PlainToken".to_string()),
            (Integration::Shopify, "anything".to_string()),
        ]);
        let err = check_environment(&env, false).unwrap_err();
        assert!(err.contains("CONTROL_ROOM_DOUYIN_SECRET"), "{err}");
        assert!(err.contains("app_key:app_secret"), "{err}");
        assert!(err.contains("CONTROL_ROOM_WECHAT_SECRET"), "{err}");
        assert!(!err.contains("SHOPIFY"), "{err}");
        assert!(
            !err.contains("no-colon"),
            "the secret itself is not shown: {err}"
        );
        let plain_ok = Secrets::from_pairs([(Integration::Wechat, "PlainToken".to_string())]);
        assert_eq!(check_environment(&plain_ok, true), Ok(()));
    }
}
