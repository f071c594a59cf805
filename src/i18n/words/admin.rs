//! The admin screens' own closed sets in the reader's language: audit kinds,
//! integrations (and what each one's secret is), delivery outcomes, refusal
//! reasons, mapping targets, and why a typed-in secret is not accepted. Only
//! the admin screens show these, so they live in the `admin` namespace; the
//! model keeps its values and never a sentence.

use crate::i18n::*;
use crate::model::access::account::AuditKind;
use crate::model::ingest::delivery_refusal::RefusalReason;
use crate::model::ingest::integration::{check_secret, DeliveryOutcome, MIN_SECRET_LEN};
use crate::model::ingest::mapping::Target;
use crate::model::{ComponentKind, Integration, ScanKind};

/// How the delivery log names the timeline write API.
pub const TIMELINE_API: &str = "api";

/// Longest typed-in secret (bytes), as [`check_secret`] holds it.
const MAX_SECRET_BYTES: usize = 512;

/// `登录成功` / `Signed in`.
pub fn audit_kind(locale: Locale, kind: AuditKind) -> &'static str {
    match kind {
        AuditKind::LoginSucceeded => td_string!(locale, admin.audit_kind.login_succeeded),
        AuditKind::LoginFailed => td_string!(locale, admin.audit_kind.login_failed),
        AuditKind::LoginThrottled => td_string!(locale, admin.audit_kind.login_throttled),
        AuditKind::Logout => td_string!(locale, admin.audit_kind.logout),
        AuditKind::PermissionDenied => td_string!(locale, admin.audit_kind.permission_denied),
        AuditKind::UserCreated => td_string!(locale, admin.audit_kind.user_created),
        AuditKind::PasswordReset => td_string!(locale, admin.audit_kind.password_reset),
        AuditKind::UserDisabled => td_string!(locale, admin.audit_kind.user_disabled),
        AuditKind::UserEnabled => td_string!(locale, admin.audit_kind.user_enabled),
        AuditKind::SessionEnded => td_string!(locale, admin.audit_kind.session_ended),
        AuditKind::SecretRotated => td_string!(locale, admin.audit_kind.secret_rotated),
        AuditKind::SecretOverlapEnded => {
            td_string!(locale, admin.audit_kind.secret_overlap_ended)
        }
        AuditKind::MappingChanged => td_string!(locale, admin.audit_kind.mapping_changed),
        AuditKind::DeliveryReplayed => td_string!(locale, admin.audit_kind.delivery_replayed),
        AuditKind::ApiKeyCreated => td_string!(locale, admin.audit_kind.api_key_created),
        AuditKind::ApiKeyRevoked => td_string!(locale, admin.audit_kind.api_key_revoked),
        AuditKind::TrackingLinkCreated => {
            td_string!(locale, admin.audit_kind.tracking_link_created)
        }
        AuditKind::TrackingLinkRevoked => {
            td_string!(locale, admin.audit_kind.tracking_link_revoked)
        }
        AuditKind::RolesChanged => td_string!(locale, admin.audit_kind.roles_changed),
        AuditKind::OrdersExported => td_string!(locale, admin.audit_kind.orders_exported),
        AuditKind::WarehouseChanged => td_string!(locale, admin.audit_kind.warehouse_changed),
        AuditKind::StockImported => td_string!(locale, admin.audit_kind.stock_imported),
    }
}

/// `抖店` / `Douyin shop`.
pub fn integration(locale: Locale, integration: Integration) -> &'static str {
    match integration {
        Integration::Shopify => td_string!(locale, admin.integration.shopify),
        Integration::Douyin => td_string!(locale, admin.integration.douyin),
        Integration::Wechat => td_string!(locale, admin.integration.wechat),
        Integration::Kuaidi100 => td_string!(locale, admin.integration.kuaidi100),
        Integration::Track17 => td_string!(locale, admin.integration.track17),
        Integration::EasyPost => td_string!(locale, admin.integration.easypost),
        Integration::Wms => td_string!(locale, admin.integration.wms),
    }
}

/// What the integration's secret is, in the sending system's own terms.
pub fn secret_meaning(locale: Locale, integration: Integration) -> &'static str {
    match integration {
        Integration::Shopify => td_string!(locale, admin.secret_meaning.shopify),
        Integration::Douyin => td_string!(locale, admin.secret_meaning.douyin),
        Integration::Wechat => td_string!(locale, admin.secret_meaning.wechat),
        Integration::Kuaidi100 => td_string!(locale, admin.secret_meaning.kuaidi100),
        Integration::Track17 => td_string!(locale, admin.secret_meaning.track17),
        Integration::EasyPost => td_string!(locale, admin.secret_meaning.easypost),
        Integration::Wms => td_string!(locale, admin.secret_meaning.wms),
    }
}

/// A sender the delivery log names (`kuaidi100`, `api`) as people read it;
/// a name nobody knows stays as it is.
pub fn sender(locale: Locale, name: &str) -> String {
    match name.parse::<Integration>() {
        Ok(known) => integration(locale, known).to_string(),
        Err(_) if name == TIMELINE_API => {
            td_string!(locale, admin.integration.timeline_api).to_string()
        }
        Err(_) => name.to_string(),
    }
}

/// `已拒收` / `Rejected`.
pub fn delivery_outcome(locale: Locale, outcome: DeliveryOutcome) -> &'static str {
    match outcome {
        DeliveryOutcome::Accepted => td_string!(locale, admin.outcome.accepted),
        DeliveryOutcome::Pending => td_string!(locale, admin.outcome.pending),
        DeliveryOutcome::Duplicate => td_string!(locale, admin.outcome.duplicate),
        DeliveryOutcome::Rejected => td_string!(locale, admin.outcome.rejected),
        DeliveryOutcome::Replayed => td_string!(locale, admin.outcome.replayed),
    }
}

/// `签名错误或缺失` / `Bad or missing signature`.
pub fn refusal_reason(locale: Locale, reason: RefusalReason) -> &'static str {
    match reason {
        RefusalReason::Unauthenticated => td_string!(locale, admin.refusal_reason.unauthenticated),
        RefusalReason::Stale => td_string!(locale, admin.refusal_reason.stale),
        RefusalReason::Malformed => td_string!(locale, admin.refusal_reason.malformed),
        RefusalReason::UnknownIntegration => {
            td_string!(locale, admin.refusal_reason.unknown_integration)
        }
        RefusalReason::NotApplicable => td_string!(locale, admin.refusal_reason.not_applicable),
        RefusalReason::Duplicate => td_string!(locale, admin.refusal_reason.duplicate),
    }
}

/// What a mapped value means: `物流扫描：派送中` / `Scan: out for delivery`.
pub fn target(locale: Locale, target: Target) -> &'static str {
    match target {
        Target::Paid => td_string!(locale, admin.target.paid),
        Target::Confirmed => td_string!(locale, admin.target.confirmed),
        Target::Cancelled => td_string!(locale, admin.target.cancelled),
        Target::RefundRequested => td_string!(locale, admin.target.refund_requested),
        Target::RefundDeclined => td_string!(locale, admin.target.refund_declined),
        Target::Refunded => td_string!(locale, admin.target.refunded),
        Target::Scan(ScanKind::PickedUp) => td_string!(locale, admin.target.scan_picked_up),
        Target::Scan(ScanKind::InTransit) => td_string!(locale, admin.target.scan_in_transit),
        Target::Scan(ScanKind::Customs) => td_string!(locale, admin.target.scan_customs),
        Target::Scan(ScanKind::OutForDelivery) => {
            td_string!(locale, admin.target.scan_out_for_delivery)
        }
        Target::Scan(ScanKind::Delivered) => td_string!(locale, admin.target.scan_delivered),
        Target::Scan(ScanKind::Exception) => td_string!(locale, admin.target.scan_exception),
        Target::Shipped => td_string!(locale, admin.target.shipped),
        Target::NoChange => td_string!(locale, admin.target.no_change),
        Target::Kind(ComponentKind::Main) => td_string!(locale, admin.target.kind_main),
        Target::Kind(ComponentKind::Gift) => td_string!(locale, admin.target.kind_gift),
        Target::Kind(ComponentKind::Trial) => td_string!(locale, admin.target.kind_trial),
        Target::Kind(ComponentKind::GiftBox) => td_string!(locale, admin.target.kind_gift_box),
    }
}

/// Why a typed-in secret is not accepted ([`check_secret`]'s rules).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SecretRefusal {
    Spaces,
    TooShort,
    TooLong,
    ControlCharacters,
}

impl SecretRefusal {
    /// What is wrong with `secret`; `None` when it is accepted.
    pub fn of(secret: &str) -> Option<SecretRefusal> {
        check_secret(secret).err()?;
        Some(if secret.trim() != secret {
            SecretRefusal::Spaces
        } else if secret.chars().count() < MIN_SECRET_LEN {
            SecretRefusal::TooShort
        } else if secret.len() > MAX_SECRET_BYTES {
            SecretRefusal::TooLong
        } else {
            SecretRefusal::ControlCharacters
        })
    }
}

/// `密钥首尾不能有空格` / `the secret must not start or end with spaces`.
pub fn secret_refusal(locale: Locale, refusal: SecretRefusal) -> String {
    match refusal {
        SecretRefusal::Spaces => td_string!(locale, admin.new_secret.secret_spaces).to_string(),
        SecretRefusal::TooShort => td_string!(
            locale,
            admin.new_secret.secret_short,
            count = MIN_SECRET_LEN
        )
        .to_string(),
        SecretRefusal::TooLong => {
            td_string!(locale, admin.new_secret.secret_long, max = MAX_SECRET_BYTES).to_string()
        }
        SecretRefusal::ControlCharacters => {
            td_string!(locale, admin.new_secret.secret_control).to_string()
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_english_words_are_the_ones_the_screens_always_showed() {
        for kind in AuditKind::ALL {
            assert_eq!(audit_kind(Locale::en, kind), kind.label());
        }
        for i in Integration::ALL {
            assert_eq!(integration(Locale::en, i), i.label());
            assert_eq!(secret_meaning(Locale::en, i), i.secret_meaning());
        }
        for outcome in DeliveryOutcome::ALL {
            assert_eq!(delivery_outcome(Locale::en, outcome), outcome.label());
        }
        for reason in RefusalReason::ALL {
            assert_eq!(refusal_reason(Locale::en, reason), reason.label());
        }
        for t in Target::all() {
            assert_eq!(target(Locale::en, t), t.label());
        }
    }

    #[test]
    fn every_value_is_translated() {
        for kind in AuditKind::ALL {
            assert_ne!(audit_kind(Locale::zh_CN, kind), kind.label(), "{kind:?}");
        }
        for outcome in DeliveryOutcome::ALL {
            assert_ne!(delivery_outcome(Locale::zh_CN, outcome), outcome.label());
        }
        for reason in RefusalReason::ALL {
            assert_ne!(refusal_reason(Locale::zh_CN, reason), reason.label());
        }
        for t in Target::all() {
            assert_ne!(target(Locale::zh_CN, t), t.label(), "{t:?}");
        }
        assert_eq!(integration(Locale::zh_CN, Integration::Douyin), "抖店");
        assert_eq!(sender(Locale::zh_CN, TIMELINE_API), "时间线 API");
        assert_eq!(sender(Locale::en, "kuaidi100"), "Kuaidi100");
        assert_eq!(sender(Locale::en, "someone"), "someone");
    }

    #[test]
    fn a_refused_secret_says_why_in_each_language() {
        let said = |locale, secret: &str| {
            SecretRefusal::of(secret).map(|refusal| secret_refusal(locale, refusal))
        };
        assert_eq!(said(Locale::en, "long enough secret"), None);
        let huge = "x".repeat(MAX_SECRET_BYTES + 1);
        for bad in [
            " padded secret ",
            "short",
            "bell\u{7}bell\u{7}",
            huge.as_str(),
        ] {
            assert_eq!(said(Locale::en, bad), check_secret(bad).err(), "{bad:?}");
            assert_ne!(said(Locale::zh_CN, bad), said(Locale::en, bad), "{bad:?}");
        }
    }
}
