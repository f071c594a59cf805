//! What a customer reads on their tracking page: the status of the order, a
//! parcel or a component (`运输中` / `In transit`), and each step of the
//! timeline (`包裹 P1 已交给顺丰速运，运单号 SF100`).

use super::{carrier, channel};
use crate::i18n::*;
use crate::model::order::event::ScanKind;
use crate::model::views::tracking::{CustomerStatus, StepKind};

/// The status in the customer's terms: `备货中` / `Being prepared`.
pub fn customer_status(locale: Locale, status: CustomerStatus) -> &'static str {
    use CustomerStatus::*;
    match status {
        Placed => td_string!(locale, domain.customer_status.placed),
        Paid => td_string!(locale, domain.customer_status.paid),
        Preparing => td_string!(locale, domain.customer_status.preparing),
        Packed => td_string!(locale, domain.customer_status.packed),
        Shipped => td_string!(locale, domain.customer_status.shipped),
        PickedUp => td_string!(locale, domain.customer_status.picked_up),
        InTransit => td_string!(locale, domain.customer_status.in_transit),
        InCustoms => td_string!(locale, domain.customer_status.in_customs),
        OutForDelivery => td_string!(locale, domain.customer_status.out_for_delivery),
        Delivered => td_string!(locale, domain.customer_status.delivered),
        DeliveryDelayed => td_string!(locale, domain.customer_status.delivery_delayed),
        RefundRequested => td_string!(locale, domain.customer_status.refund_requested),
        Refunded => td_string!(locale, domain.customer_status.refunded),
        Cancelled => td_string!(locale, domain.customer_status.cancelled),
        ReturnRequested => td_string!(locale, domain.customer_status.return_requested),
        Returned => td_string!(locale, domain.customer_status.returned),
    }
}

/// One step of the customer's timeline in words.
pub fn step(locale: Locale, step: &StepKind) -> String {
    match step {
        StepKind::Placed { channel: c } => {
            td_string!(locale, domain.step.placed, channel = channel(locale, *c)).to_string()
        }
        StepKind::Paid => td_string!(locale, domain.step.paid).to_string(),
        StepKind::Confirmed => td_string!(locale, domain.step.confirmed).to_string(),
        StepKind::Preparing => td_string!(locale, domain.step.preparing).to_string(),
        StepKind::Packed { parcel } => {
            td_string!(locale, domain.step.packed, parcel = parcel).to_string()
        }
        StepKind::Shipped {
            parcel,
            carrier: given,
            waybill,
        } => td_string!(
            locale,
            domain.step.shipped,
            parcel = parcel,
            carrier = carrier(locale, given),
            waybill = waybill
        )
        .to_string(),
        StepKind::Scan {
            waybill,
            scan,
            location,
        } => {
            let what = scan_step(locale, *scan);
            match location {
                Some(at) => td_string!(
                    locale,
                    domain.step.scan_at,
                    what = what,
                    location = at,
                    waybill = waybill
                )
                .to_string(),
                None => {
                    td_string!(locale, domain.step.scan, what = what, waybill = waybill).to_string()
                }
            }
        }
        StepKind::Cancelled => td_string!(locale, domain.step.cancelled).to_string(),
        StepKind::RefundRequested => td_string!(locale, domain.step.refund_requested).to_string(),
        StepKind::RefundDeclined => td_string!(locale, domain.step.refund_declined).to_string(),
        StepKind::Refunded => td_string!(locale, domain.step.refunded).to_string(),
        StepKind::ReturnRequested => td_string!(locale, domain.step.return_requested).to_string(),
        StepKind::ReturnReceived => td_string!(locale, domain.step.return_received).to_string(),
    }
}

/// A carrier scan as the customer reads it (a problem reads as a delay).
fn scan_step(locale: Locale, scan: ScanKind) -> &'static str {
    match scan {
        ScanKind::PickedUp => td_string!(locale, domain.step.picked_up),
        ScanKind::InTransit => td_string!(locale, domain.step.in_transit),
        ScanKind::Customs => td_string!(locale, domain.step.customs),
        ScanKind::OutForDelivery => td_string!(locale, domain.step.out_for_delivery),
        ScanKind::Delivered => td_string!(locale, domain.step.delivered),
        ScanKind::Exception => td_string!(locale, domain.step.exception),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{Channel, ParcelId};

    fn both(s: &StepKind) -> (String, String) {
        (step(Locale::en, s), step(Locale::zh_CN, s))
    }

    #[test]
    fn steps_read_in_each_language_with_one_name_per_carrier() {
        let shipped = StepKind::Shipped {
            parcel: ParcelId::parse("P1").unwrap(),
            carrier: "shunfeng".into(),
            waybill: "SF100".into(),
        };
        assert_eq!(
            both(&shipped),
            (
                "Parcel P1 handed to SF Express, waybill SF100".into(),
                "包裹 P1 已交给顺丰速运，运单号 SF100".into()
            )
        );
        let placed = StepKind::Placed {
            channel: Channel::Douyin,
        };
        assert_eq!(
            both(&placed),
            ("Order placed on Douyin".into(), "已在抖店下单".into())
        );
        let scan = StepKind::Scan {
            waybill: "SF100".into(),
            scan: ScanKind::InTransit,
            location: Some("杭州转运中心".into()),
        };
        assert_eq!(
            both(&scan),
            (
                "In transit at 杭州转运中心 (waybill SF100)".into(),
                "运输中：杭州转运中心（运单号 SF100）".into()
            )
        );
        let delayed = StepKind::Scan {
            waybill: "SF100".into(),
            scan: ScanKind::Exception,
            location: None,
        };
        assert_eq!(both(&delayed).1, "配送延迟，快递将再次派送（运单号 SF100）");
    }

    #[test]
    fn every_customer_status_has_words_in_each_language() {
        use CustomerStatus::*;
        for s in CustomerStatus::ALL {
            let (en, zh) = (
                customer_status(Locale::en, s),
                customer_status(Locale::zh_CN, s),
            );
            assert!(!en.is_empty() && !zh.is_empty(), "{s:?}");
            assert_ne!(en, zh, "{s:?}");
        }
        assert_eq!(customer_status(Locale::en, Preparing), "Being prepared");
        assert_eq!(customer_status(Locale::zh_CN, PickedUp), "快递已揽收");
    }
}
