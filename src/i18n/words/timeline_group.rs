//! The heading of one group of an order's timeline: `包裹 P2 · 礼盒` /
//! `Parcel P2 · Gift box`, and once shipped `顺丰速运 · 运单号 SF123`.

use super::{carrier, list_separator};
use crate::i18n::*;
use crate::model::views::timeline_groups::{GroupKey, TimelineGroup};

/// `订单` / `Order`, or the parcel with what is in it (component names as given).
pub fn group_title<A>(locale: Locale, group: &TimelineGroup<A>) -> String {
    match &group.key {
        GroupKey::Order => td_string!(locale, domain.group.order).to_string(),
        GroupKey::Parcel(id) if group.contents.is_empty() => {
            td_string!(locale, domain.group.parcel, parcel = id).to_string()
        }
        GroupKey::Parcel(id) => {
            let names: Vec<&str> = group.contents.iter().map(|c| c.name.as_str()).collect();
            td_string!(
                locale,
                domain.group.parcel_with,
                parcel = id,
                contents = names.join(list_separator(locale))
            )
            .to_string()
        }
    }
}

/// Carrier and waybill once shipped; `None` before.
pub fn group_shipping<A>(locale: Locale, group: &TimelineGroup<A>) -> Option<String> {
    let parcel = group.parcel.as_ref()?;
    match (&parcel.carrier, &parcel.waybill) {
        (Some(given), Some(waybill)) => Some(
            td_string!(
                locale,
                domain.group.shipping,
                carrier = carrier(locale, given),
                waybill = waybill
            )
            .to_string(),
        ),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::order::status::Stage;
    use crate::model::{Parcel, ParcelId};

    fn group(carrier: Option<&str>) -> TimelineGroup {
        let id = ParcelId::parse("P2").unwrap();
        TimelineGroup {
            key: GroupKey::Parcel(id.clone()),
            parcel: Some(Parcel {
                id,
                components: vec![],
                stage: Stage::Shipped,
                carrier: carrier.map(Into::into),
                waybill: carrier.map(|_| "SF123".into()),
                last_scan_at: None,
                notified_at: None,
                shipped_at: None,
            }),
            contents: vec![],
            exception: None,
            seqs: vec![],
        }
    }

    #[test]
    fn a_parcels_heading_reads_in_each_language() {
        let g = group(Some("shunfeng"));
        assert_eq!(group_title(Locale::en, &g), "Parcel P2");
        assert_eq!(group_title(Locale::zh_CN, &g), "包裹 P2");
        assert_eq!(
            group_shipping(Locale::en, &g).as_deref(),
            Some("SF Express · waybill SF123")
        );
        assert_eq!(
            group_shipping(Locale::zh_CN, &g).as_deref(),
            Some("顺丰速运 · 运单号 SF123")
        );
        assert_eq!(group_shipping(Locale::en, &group(None)), None);
    }
}
