//! Carriers by one name each, whatever a feed or a person called them:
//! `SF Express`, `shunfeng`, `顺丰`, `SF` all read 顺丰速运 / SF Express. A
//! carrier the table does not know is shown as given.

use crate::i18n::*;

/// The carriers the table knows.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Carrier {
    Sf,
    Zto,
    Yto,
    Jd,
    Yunda,
    Sto,
    Ems,
}

/// Every carrier with the names it goes by, compared without case, spaces,
/// dashes or dots.
const ALIASES: [(Carrier, &[&str]); 7] = [
    (
        Carrier::Sf,
        &[
            "sf",
            "sfexpress",
            "shunfeng",
            "shunfengexpress",
            "顺丰",
            "顺丰速运",
            "顺丰快递",
        ],
    ),
    (
        Carrier::Zto,
        &[
            "zto",
            "ztoexpress",
            "zhongtong",
            "中通",
            "中通快递",
            "中通速递",
        ],
    ),
    (
        Carrier::Yto,
        &[
            "yto",
            "ytoexpress",
            "yuantong",
            "圆通",
            "圆通速递",
            "圆通快递",
        ],
    ),
    (
        Carrier::Jd,
        &[
            "jd",
            "jdl",
            "jdlogistics",
            "jdexpress",
            "jingdong",
            "京东",
            "京东物流",
            "京东快递",
        ],
    ),
    (
        Carrier::Yunda,
        &["yunda", "yundaexpress", "韵达", "韵达快递", "韵达速递"],
    ),
    (
        Carrier::Sto,
        &["sto", "stoexpress", "shentong", "申通", "申通快递"],
    ),
    (
        Carrier::Ems,
        &[
            "ems",
            "chinapost",
            "chinapostems",
            "emschinapost",
            "中国邮政",
            "邮政",
            "ems中国邮政",
            "中国邮政ems",
            "邮政ems",
        ],
    ),
];

/// `顺丰速运` / `SF Express` for any of SF's names; an unknown carrier as given.
pub fn carrier(locale: Locale, given: &str) -> String {
    match known(given) {
        Some(c) => name(locale, c).to_string(),
        None => given.to_string(),
    }
}

fn known(given: &str) -> Option<Carrier> {
    let key: String = given
        .chars()
        .filter(|c| !c.is_whitespace() && !matches!(c, '-' | '_' | '.'))
        .flat_map(char::to_lowercase)
        .collect();
    ALIASES
        .iter()
        .find(|(_, names)| names.contains(&key.as_str()))
        .map(|(c, _)| *c)
}

fn name(locale: Locale, carrier: Carrier) -> &'static str {
    match carrier {
        Carrier::Sf => td_string!(locale, domain.carrier.sf),
        Carrier::Zto => td_string!(locale, domain.carrier.zto),
        Carrier::Yto => td_string!(locale, domain.carrier.yto),
        Carrier::Jd => td_string!(locale, domain.carrier.jd),
        Carrier::Yunda => td_string!(locale, domain.carrier.yunda),
        Carrier::Sto => td_string!(locale, domain.carrier.sto),
        Carrier::Ems => td_string!(locale, domain.carrier.ems),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_name_of_sf_reads_as_one_carrier() {
        for given in [
            "SF Express",
            "shunfeng",
            "顺丰",
            "SF",
            "sf-express",
            "顺丰速运",
        ] {
            assert_eq!(carrier(Locale::zh_CN, given), "顺丰速运", "{given}");
            assert_eq!(carrier(Locale::en, given), "SF Express", "{given}");
        }
    }

    #[test]
    fn the_other_carriers_have_their_names_and_an_unknown_one_is_shown_as_given() {
        assert_eq!(carrier(Locale::zh_CN, "ZTO"), "中通快递");
        assert_eq!(carrier(Locale::en, "圆通"), "YTO Express");
        assert_eq!(carrier(Locale::zh_CN, "JD Logistics"), "京东物流");
        assert_eq!(carrier(Locale::en, "韵达"), "Yunda Express");
        assert_eq!(carrier(Locale::zh_CN, "sto express"), "申通快递");
        assert_eq!(carrier(Locale::zh_CN, "China Post"), "EMS 中国邮政");
        assert_eq!(carrier(Locale::en, "EMS"), "EMS");
        assert_eq!(carrier(Locale::zh_CN, "Acme Freight"), "Acme Freight");
    }
}
