//! What a search looked up and found, in words: `按手机尾号 8000 和姓名“张三”查找。`
//! / `Looked up as the phone's last 4 digits 8000 with the name “张三”.`,
//! `匹配：运单号` / `Found by the waybill`.

use crate::i18n::*;
use crate::model::views::search::{Field, Ignored, Probe};

/// The field a search found an order by: `运单号` / `the waybill`.
pub fn search_field(locale: Locale, field: Field) -> &'static str {
    match field {
        Field::OrderId => td_string!(locale, orders.search.field.order_id),
        Field::ChannelOrderId => td_string!(locale, orders.search.field.channel_order_id),
        Field::Waybill => td_string!(locale, orders.search.field.waybill),
        Field::Phone => td_string!(locale, orders.search.field.phone),
        Field::PhoneTailAndName => td_string!(locale, orders.search.field.phone_tail_and_name),
        Field::Name => td_string!(locale, orders.search.field.name),
    }
}

/// `匹配：运单号` / `Found by the waybill`.
pub fn found_by(locale: Locale, field: Field) -> String {
    td_string!(
        locale,
        orders.search.matched,
        field = search_field(locale, field)
    )
    .to_string()
}

/// How the pasted text was read: `按手机号 13800138000 查找。`.
pub fn read_as(locale: Locale, probe: &Probe) -> String {
    match probe {
        Probe::OrderNumber(text) => {
            td_string!(locale, orders.search.read_as.order_number, text = text).to_string()
        }
        Probe::Digits(text) => {
            td_string!(locale, orders.search.read_as.digits, text = text).to_string()
        }
        Probe::Code(text) => {
            td_string!(locale, orders.search.read_as.code, text = text).to_string()
        }
        Probe::Phone(text) => {
            td_string!(locale, orders.search.read_as.phone, text = text).to_string()
        }
        Probe::PhoneTailAndName { tail, name } => td_string!(
            locale,
            orders.search.read_as.tail_name,
            tail = tail,
            name = name
        )
        .to_string(),
        Probe::Name(text) => {
            td_string!(locale, orders.search.read_as.name, text = text).to_string()
        }
    }
}

/// What the caller's lens left out of a search, and why.
pub fn ignored_search(locale: Locale, ignored: Ignored) -> &'static str {
    match ignored {
        Ignored::PhoneWithheld => td_string!(locale, orders.search.phone_withheld),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_search_reads_in_both_languages() {
        let probe = Probe::PhoneTailAndName {
            tail: "8000".into(),
            name: "张三".into(),
        };
        assert_eq!(
            read_as(Locale::zh_CN, &probe),
            "按手机尾号 8000 和姓名“张三”查找。"
        );
        assert_eq!(
            read_as(Locale::en, &probe),
            "Looked up as the phone's last 4 digits 8000 with the name “张三”."
        );
        assert_eq!(found_by(Locale::zh_CN, Field::Waybill), "匹配：运单号");
        assert_eq!(found_by(Locale::en, Field::Waybill), "Found by the waybill");
        for field in Field::ALL {
            assert!(!search_field(Locale::en, field).is_empty());
        }
    }
}
