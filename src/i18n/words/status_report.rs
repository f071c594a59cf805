//! A status another system reported, read as what it means, never as the raw
//! code: `douyin.tag = 200` reads `抖店上报：退款中` / `Douyin reported: refund
//! in progress`. The meaning is the default mapping table's; a value the table
//! does not know reads as a status not mapped yet.

use super::{channel, progress::component_kind, scan};
use crate::i18n::*;
use crate::model::ingest::mapping::{self, default_mappings, MappingIndex, Target};
use crate::model::Channel;
use std::sync::OnceLock;

/// Who reported (`抖店`, `快递100`) and what it means (`退款中`).
pub fn reported(locale: Locale, dialect: &str, value: &str) -> (String, String) {
    let meaning = match defaults().get(dialect, value) {
        Some(target) => target_meaning(locale, *target).to_string(),
        None if dialect == mapping::dialect::COMPONENT_KIND => {
            td_string!(locale, domain.reported.unmapped_kind).to_string()
        }
        None => td_string!(locale, domain.reported.unmapped).to_string(),
    };
    (system(locale, dialect), meaning)
}

/// What a mapped value means, as a report reads: `退款中` / `refund in progress`.
pub fn target_meaning(locale: Locale, target: Target) -> &'static str {
    match target {
        Target::Paid => td_string!(locale, domain.reported.paid),
        Target::Confirmed => td_string!(locale, domain.reported.confirmed),
        Target::Cancelled => td_string!(locale, domain.reported.cancelled),
        Target::RefundRequested => td_string!(locale, domain.reported.refund_requested),
        Target::RefundDeclined => td_string!(locale, domain.reported.refund_declined),
        Target::Refunded => td_string!(locale, domain.reported.refunded),
        Target::Shipped => td_string!(locale, domain.reported.shipped),
        Target::Scan(kind) => scan(locale, kind),
        Target::NoChange => td_string!(locale, domain.reported.no_change),
        Target::Kind(kind) => component_kind(locale, kind),
    }
}

/// The system a dialect belongs to (`douyin.tag` → `抖店`); an unknown one by
/// its own name.
fn system(locale: Locale, dialect: &str) -> String {
    let name = dialect.split('.').next().unwrap_or(dialect);
    match name {
        "douyin" => channel(locale, Channel::Douyin),
        "wechat" => channel(locale, Channel::Wechat),
        "shopify" => channel(locale, Channel::Shopify),
        "tmall" => channel(locale, Channel::Tmall),
        "xiaohongshu" => channel(locale, Channel::Xiaohongshu),
        "kuaidi100" => td_string!(locale, domain.system.kuaidi100),
        "17track" => td_string!(locale, domain.system.track17),
        "easypost" => td_string!(locale, domain.system.easypost),
        "component" => td_string!(locale, domain.system.component),
        other => other,
    }
    .to_string()
}

/// The default mapping table, indexed once.
fn defaults() -> &'static MappingIndex {
    static INDEX: OnceLock<MappingIndex> = OnceLock::new();
    INDEX.get_or_init(|| MappingIndex::new(&default_mappings()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_platform_code_reads_as_its_meaning() {
        assert_eq!(
            reported(Locale::zh_CN, "douyin.tag", "200"),
            ("抖店".to_string(), "退款中".to_string())
        );
        assert_eq!(
            reported(Locale::en, "douyin.tag", "200"),
            ("Douyin".to_string(), "refund in progress".to_string())
        );
        assert_eq!(
            reported(Locale::zh_CN, "douyin.order_status", "9917").1,
            "尚未映射的状态"
        );
        assert_eq!(reported(Locale::zh_CN, "acme.status", "x").0, "acme");
        assert_eq!(
            reported(Locale::zh_CN, "component.kind", "试吃装"),
            (
                "组件类型".to_string(),
                "尚未映射的组件类型（暂按商品计）".to_string()
            )
        );
    }
}
