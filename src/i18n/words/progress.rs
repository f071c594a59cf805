//! How far an order's shipping has come, and what changed under a shown list,
//! in words: `部分发货 · 礼盒待发` / `Partially shipped · gift box pending`,
//! `1 个新订单 — 显示` / `1 new order — show`.

use crate::i18n::*;
use crate::model::order::ComponentKind;
use crate::model::views::list_page::Tally;
use crate::model::views::progress::Progress;

/// A kind of component as a label: `赠品` / `Gift`.
pub fn component_kind(locale: Locale, kind: ComponentKind) -> &'static str {
    match kind {
        ComponentKind::Main => td_string!(locale, domain.component_kind.name.main),
        ComponentKind::Gift => td_string!(locale, domain.component_kind.name.gift),
        ComponentKind::Trial => td_string!(locale, domain.component_kind.name.trial),
        ComponentKind::GiftBox => td_string!(locale, domain.component_kind.name.gift_box),
    }
}

/// `部分发货 · 礼盒待发` / `Partially shipped · gift box pending`; `尚未打包`
/// / `Nothing packed yet` rather than `0 / 0`.
pub fn progress(locale: Locale, progress: &Progress) -> String {
    match progress {
        Progress::NothingPacked { closed: false } => {
            td_string!(locale, domain.progress.nothing_packed).to_string()
        }
        Progress::NothingPacked { closed: true } => {
            td_string!(locale, domain.progress.nothing_shipped).to_string()
        }
        Progress::Packed { parcels, unpacked } if unpacked.is_empty() => td_string!(
            locale,
            domain.progress.packed,
            parcels = parcel_count(locale, *parcels)
        )
        .to_string(),
        Progress::Packed { parcels, unpacked } => td_string!(
            locale,
            domain.progress.packed_rest_unpacked,
            parcels = parcel_count(locale, *parcels),
            kinds = kinds(locale, unpacked)
        )
        .to_string(),
        Progress::PartiallyShipped {
            pending,
            closed: false,
        } => td_string!(
            locale,
            domain.progress.partial_pending,
            kinds = kinds(locale, pending)
        )
        .to_string(),
        Progress::PartiallyShipped {
            pending,
            closed: true,
        } => td_string!(
            locale,
            domain.progress.partial_closed,
            kinds = kinds(locale, pending)
        )
        .to_string(),
        Progress::AllShipped { parcels } => td_string!(
            locale,
            domain.progress.all_shipped,
            parcels = parcel_count(locale, *parcels)
        )
        .to_string(),
    }
}

/// The words of the list's "show" button (`1 new order — show`); `None` when
/// nothing changed.
pub fn tally(locale: Locale, tally: Tally) -> Option<String> {
    let Tally { new, gone } = tally;
    Some(match (new, gone) {
        (0, 0) => return None,
        (1, 0) => td_string!(locale, domain.tally.new_single).to_string(),
        (n, 0) => td_string!(locale, domain.tally.new_several, count = n).to_string(),
        (0, 1) => td_string!(locale, domain.tally.gone_single).to_string(),
        (0, n) => td_string!(locale, domain.tally.gone_several, count = n).to_string(),
        (1, gone) => td_string!(locale, domain.tally.both_single, gone = gone).to_string(),
        (n, gone) => {
            td_string!(locale, domain.tally.both_several, count = n, gone = gone).to_string()
        }
    })
}

/// `1 个包裹` / `1 parcel`, `2 parcels`.
fn parcel_count(locale: Locale, n: u32) -> String {
    match n {
        1 => td_string!(locale, domain.progress.parcel_single).to_string(),
        n => td_string!(locale, domain.progress.parcel_several, count = n).to_string(),
    }
}

/// A kind of component in a sentence, one or `n` of them.
fn kind_count(locale: Locale, kind: ComponentKind, n: u32) -> String {
    use ComponentKind::*;
    match (kind, n) {
        (Main, 1) => td_string!(locale, domain.component_kind.main).to_string(),
        (Gift, 1) => td_string!(locale, domain.component_kind.gift).to_string(),
        (Trial, 1) => td_string!(locale, domain.component_kind.trial).to_string(),
        (GiftBox, 1) => td_string!(locale, domain.component_kind.gift_box).to_string(),
        (Main, n) => td_string!(locale, domain.component_kind.main_several, count = n).to_string(),
        (Gift, n) => td_string!(locale, domain.component_kind.gift_several, count = n).to_string(),
        (Trial, n) => {
            td_string!(locale, domain.component_kind.trial_several, count = n).to_string()
        }
        (GiftBox, n) => {
            td_string!(locale, domain.component_kind.gift_box_several, count = n).to_string()
        }
    }
}

/// The kinds named once each, in first-seen order, counted when more than
/// one: `2 gifts and gift box` / `2 件赠品和礼盒`.
fn kinds(locale: Locale, list: &[ComponentKind]) -> String {
    let mut seen: Vec<(ComponentKind, u32)> = Vec::new();
    for kind in list {
        match seen.iter_mut().find(|(k, _)| k == kind) {
            Some((_, n)) => *n += 1,
            None => seen.push((*kind, 1)),
        }
    }
    let names: Vec<String> = seen
        .into_iter()
        .map(|(kind, n)| kind_count(locale, kind, n))
        .collect();
    match names.as_slice() {
        [] => String::new(),
        [one] => one.clone(),
        [init @ .., last] => td_string!(
            locale,
            domain.progress.and,
            init = init.join(super::list_separator(locale)),
            last = last
        )
        .to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use ComponentKind::*;

    fn both(p: &Progress) -> (String, String) {
        (progress(Locale::en, p), progress(Locale::zh_CN, p))
    }

    #[test]
    fn nothing_packed_reads_as_such_not_zero_of_zero() {
        let (en, zh) = both(&Progress::NothingPacked { closed: false });
        assert_eq!(
            (en.as_str(), zh.as_str()),
            ("Nothing packed yet", "尚未打包")
        );
        let (en, zh) = both(&Progress::NothingPacked { closed: true });
        assert_eq!((en.as_str(), zh.as_str()), ("Nothing shipped", "未发货"));
    }

    #[test]
    fn a_gift_box_waiting_is_named() {
        let p = Progress::PartiallyShipped {
            pending: vec![GiftBox],
            closed: false,
        };
        assert_eq!(
            both(&p),
            (
                "Partially shipped · gift box pending".into(),
                "部分发货 · 礼盒待发".into()
            )
        );
        let p = Progress::PartiallyShipped {
            pending: vec![Gift, GiftBox],
            closed: true,
        };
        assert_eq!(
            both(&p),
            (
                "Partially shipped · gift and gift box not shipped".into(),
                "部分发货 · 赠品和礼盒未发出".into()
            )
        );
        let p = Progress::Packed {
            parcels: 1,
            unpacked: vec![GiftBox],
        };
        assert_eq!(
            both(&p),
            (
                "1 parcel packed, not shipped yet · gift box not packed".into(),
                "1 个包裹已打包，尚未发货 · 礼盒未打包".into()
            )
        );
        let p = Progress::AllShipped { parcels: 2 };
        assert_eq!(
            both(&p),
            (
                "All shipped · 2 parcels".into(),
                "已全部发货 · 2 个包裹".into()
            )
        );
    }

    #[test]
    fn kinds_are_counted_and_listed() {
        assert_eq!(
            kinds(Locale::en, &[Gift, GiftBox, Gift]),
            "2 gifts and gift box"
        );
        assert_eq!(
            kinds(Locale::zh_CN, &[Gift, GiftBox, Gift]),
            "2 件赠品和礼盒"
        );
        assert_eq!(
            kinds(Locale::en, &[Main, Trial, GiftBox]),
            "item, trial size and gift box"
        );
        assert_eq!(
            kinds(Locale::zh_CN, &[Main, Trial, GiftBox]),
            "商品、小样和礼盒"
        );
    }

    #[test]
    fn the_tally_says_both_counts_in_words() {
        assert_eq!(tally(Locale::en, Tally::default()), None);
        let t = |new, gone| {
            (
                tally(Locale::en, Tally { new, gone }).unwrap(),
                tally(Locale::zh_CN, Tally { new, gone }).unwrap(),
            )
        };
        assert_eq!(
            t(1, 0),
            ("1 new order — show".into(), "1 个新订单 — 点击查看".into())
        );
        assert_eq!(t(2, 0).0, "2 new orders — show");
        assert_eq!(t(0, 1).0, "1 order no longer matches — show");
        assert_eq!(
            t(0, 2),
            (
                "2 orders no longer match — show".into(),
                "2 个订单已不符合筛选 — 点击查看".into()
            )
        );
        assert_eq!(t(3, 1).0, "3 new orders, 1 no longer matching — show");
        assert_eq!(t(3, 1).1, "3 个新订单，1 个已不符合筛选 — 点击查看");
    }
}
