//! What an event means, in one sentence a person on any desk can read, in the
//! reader's language: `包裹 P1 已交给顺丰速运，运单号 SF123`. An amount the
//! viewer's lens withholds is left out of the sentence, never written as zero;
//! amounts read through the caller's money formatter.

use super::{
    carrier, channel, contact, exception_code, exception_mark, facts, list_separator, not_applied,
    reported, route, MoneyWords,
};
use crate::i18n::*;
use crate::model::order::amount::Amount;
use crate::model::order::event::{EventKind, ScanKind};
use crate::model::order::exceptions::ExceptionCode;
use crate::model::order::ids::ParcelId;
use crate::model::order::request::{Ask, Outcome};
use crate::model::views::query::ExceptionMark;
use crate::model::CHINA_TIME;
use chrono::{DateTime, Utc};

/// A carrier scan as staff read it: `已揽收` / `picked up`.
pub fn scan(locale: Locale, scan: ScanKind) -> &'static str {
    match scan {
        ScanKind::PickedUp => td_string!(locale, domain.scan.picked_up),
        ScanKind::InTransit => td_string!(locale, domain.scan.in_transit),
        ScanKind::Customs => td_string!(locale, domain.scan.customs),
        ScanKind::OutForDelivery => td_string!(locale, domain.scan.out_for_delivery),
        ScanKind::Delivered => td_string!(locale, domain.scan.delivered),
        ScanKind::Exception => td_string!(locale, domain.scan.exception),
    }
}

/// One sentence describing the event.
pub fn meaning<A: Amount>(locale: Locale, kind: &EventKind<A>, money: MoneyWords) -> String {
    match kind {
        EventKind::OrderPlaced {
            channel: c,
            channel_order_id,
            components,
            total,
            ..
        } => match total.known() {
            Some(total) => td_string!(
                locale,
                domain.event.placed,
                channel = channel(locale, *c),
                channel_order_id = channel_order_id,
                components = components.len(),
                total = money(&total)
            )
            .to_string(),
            None => td_string!(
                locale,
                domain.event.placed_no_total,
                channel = channel(locale, *c),
                channel_order_id = channel_order_id,
                components = components.len()
            )
            .to_string(),
        },
        EventKind::PaymentCaptured { amount } => match amount.known() {
            Some(amount) => {
                td_string!(locale, domain.event.paid, amount = money(&amount)).to_string()
            }
            None => td_string!(locale, domain.event.paid_no_amount).to_string(),
        },
        EventKind::OrderConfirmed => td_string!(locale, domain.event.confirmed).to_string(),
        EventKind::WarehouseAllocated { warehouse } => {
            td_string!(locale, domain.event.allocated, warehouse = warehouse).to_string()
        }
        EventKind::PickingStarted => td_string!(locale, domain.event.picking).to_string(),
        EventKind::ParcelPacked { parcel, components } => {
            let list: Vec<&str> = components.iter().map(|c| c.as_str()).collect();
            td_string!(
                locale,
                domain.event.packed,
                parcel = parcel,
                components = list.join(list_separator(locale))
            )
            .to_string()
        }
        EventKind::ParcelShipped {
            parcel,
            carrier: given,
            waybill,
        } => td_string!(
            locale,
            domain.event.shipped,
            parcel = parcel,
            carrier = carrier(locale, given),
            waybill = waybill
        )
        .to_string(),
        EventKind::CarrierScan {
            waybill,
            scan: kind,
            location,
            detail,
        } => {
            let what = scan(locale, *kind);
            let detail = detail.trim();
            match (location, detail.is_empty()) {
                (Some(at), false) => td_string!(
                    locale,
                    domain.event.scan_at,
                    waybill = waybill,
                    what = what,
                    location = at,
                    detail = detail
                )
                .to_string(),
                (Some(at), true) => td_string!(
                    locale,
                    domain.event.scan_at_plain,
                    waybill = waybill,
                    what = what,
                    location = at
                )
                .to_string(),
                (None, false) => td_string!(
                    locale,
                    domain.event.scan,
                    waybill = waybill,
                    what = what,
                    detail = detail
                )
                .to_string(),
                (None, true) => td_string!(
                    locale,
                    domain.event.scan_plain,
                    waybill = waybill,
                    what = what
                )
                .to_string(),
            }
        }
        EventKind::HoldPlaced { reason } => {
            td_string!(locale, domain.event.hold_placed, reason = reason).to_string()
        }
        EventKind::HoldReleased { reason } if reason.trim().is_empty() => {
            td_string!(locale, domain.event.hold_released).to_string()
        }
        EventKind::HoldReleased { reason } => {
            td_string!(locale, domain.event.hold_released_because, reason = reason).to_string()
        }
        EventKind::OrderCancelled { reason } => {
            td_string!(locale, domain.event.cancelled, reason = reason).to_string()
        }
        EventKind::RefundRequested { amount, reason } => match amount.known() {
            Some(amount) => td_string!(
                locale,
                domain.event.refund_requested,
                amount = money(&amount),
                reason = reason
            )
            .to_string(),
            None => td_string!(
                locale,
                domain.event.refund_requested_no_amount,
                reason = reason
            )
            .to_string(),
        },
        EventKind::RefundDeclined { reason } => {
            td_string!(locale, domain.event.refund_declined, reason = reason).to_string()
        }
        EventKind::Refunded { amount } => match amount.known() {
            Some(amount) => {
                td_string!(locale, domain.event.refunded, amount = money(&amount)).to_string()
            }
            None => td_string!(locale, domain.event.refunded_no_amount).to_string(),
        },
        EventKind::ReturnRequested { reason } => {
            td_string!(locale, domain.event.return_requested, reason = reason).to_string()
        }
        EventKind::ReturnReceived => td_string!(locale, domain.event.return_received).to_string(),
        EventKind::ExceptionRaised {
            code,
            parcel,
            detail,
            facts: found,
        } => {
            // Facts become words now, so they read true whenever shown.
            let why = found
                .as_ref()
                .map_or_else(|| detail.clone(), |f| facts(locale, f));
            let code = exception_code(locale, *code);
            match parcel {
                Some(p) => td_string!(
                    locale,
                    domain.event.exception_raised_parcel,
                    parcel = p,
                    code = code,
                    why = why
                )
                .to_string(),
                None => td_string!(
                    locale,
                    domain.event.exception_raised,
                    code = code,
                    why = why
                )
                .to_string(),
            }
        }
        EventKind::ExceptionCleared { code, parcel } => {
            let code = exception_code(locale, *code);
            match parcel {
                Some(p) => td_string!(
                    locale,
                    domain.event.exception_cleared_parcel,
                    parcel = p,
                    code = code
                )
                .to_string(),
                None => td_string!(locale, domain.event.exception_cleared, code = code).to_string(),
            }
        }
        EventKind::ExceptionClaimed { code, parcel } => td_string!(
            locale,
            domain.event.exception_claimed,
            what = mark(locale, *code, parcel)
        )
        .to_string(),
        EventKind::ExceptionSnoozed {
            code,
            parcel,
            until,
            reason,
        } => td_string!(
            locale,
            domain.event.exception_snoozed,
            what = mark(locale, *code, parcel),
            until = china_time(until),
            reason = reason
        )
        .to_string(),
        EventKind::ExceptionResolved {
            code,
            parcel,
            reason,
        } => td_string!(
            locale,
            domain.event.exception_resolved,
            what = mark(locale, *code, parcel),
            reason = reason
        )
        .to_string(),
        EventKind::ShipmentNotified { parcel, carrier: c } => td_string!(
            locale,
            domain.event.shipment_notified,
            parcel = parcel,
            carrier = carrier(locale, c)
        )
        .to_string(),
        EventKind::CustomsDeclared { fields } => td_string!(
            locale,
            domain.event.customs_declared,
            fields = fields.keys().cloned().collect::<Vec<_>>().join(", ")
        )
        .to_string(),
        EventKind::RouteProposed { decision } => route::decision(locale, decision),
        EventKind::RouteAccepted { warehouse } => {
            td_string!(locale, domain.route.accepted, warehouse = warehouse).to_string()
        }
        EventKind::RouteOverridden { warehouse, reason } => td_string!(
            locale,
            domain.route.overridden,
            warehouse = warehouse,
            reason = reason
        )
        .to_string(),
        EventKind::DeliveryPromised { by } => {
            td_string!(locale, domain.event.delivery_promised, by = china_time(by)).to_string()
        }
        EventKind::NoteAdded { text } => {
            td_string!(locale, domain.event.note, text = text).to_string()
        }
        EventKind::ContactChanged { contact: c, reason } => td_string!(
            locale,
            domain.event.contact_changed,
            contact = contact(locale, c),
            reason = reason
        )
        .to_string(),
        EventKind::RequestMade {
            request,
            ask,
            reason,
        } => match ask {
            Ask::Relabel { parcel, contact: c } => td_string!(
                locale,
                domain.event.request_relabel,
                request = request,
                parcel = parcel,
                contact = contact(locale, c),
                reason = reason
            )
            .to_string(),
            Ask::Redirect { parcel, contact: c } => td_string!(
                locale,
                domain.event.request_redirect,
                request = request,
                parcel = parcel,
                contact = contact(locale, c),
                reason = reason
            )
            .to_string(),
            Ask::WarehouseIntercept => td_string!(
                locale,
                domain.event.request_warehouse_intercept,
                request = request,
                reason = reason
            )
            .to_string(),
            Ask::CarrierIntercept { parcel } => td_string!(
                locale,
                domain.event.request_carrier_intercept,
                request = request,
                parcel = parcel,
                reason = reason
            )
            .to_string(),
        },
        EventKind::RequestSettled {
            request,
            outcome,
            detail,
        } => match (outcome, detail.trim().is_empty()) {
            (Outcome::Confirmed, true) => {
                td_string!(locale, domain.event.request_confirmed, request = request).to_string()
            }
            (Outcome::Confirmed, false) => td_string!(
                locale,
                domain.event.request_confirmed_detail,
                request = request,
                detail = detail
            )
            .to_string(),
            (Outcome::Failed, _) => td_string!(
                locale,
                domain.event.request_failed,
                request = request,
                detail = detail
            )
            .to_string(),
        },
        EventKind::StatusReported {
            dialect,
            value,
            not_applied: why,
            ..
        } => {
            let (system, meaning) = reported(locale, dialect, value);
            match why {
                Some(why) => td_string!(
                    locale,
                    domain.event.reported_not_applied,
                    system = system,
                    meaning = meaning,
                    why = not_applied(locale, why, money)
                )
                .to_string(),
                None => td_string!(
                    locale,
                    domain.event.reported,
                    system = system,
                    meaning = meaning
                )
                .to_string(),
            }
        }
    }
}

/// An exception by its name, and its parcel when it has one.
fn mark(locale: Locale, code: ExceptionCode, parcel: &Option<ParcelId>) -> String {
    exception_mark(
        locale,
        &ExceptionMark {
            code,
            parcel: parcel.clone(),
        },
    )
}

/// A moment as the operations team reads it in an event: China time,
/// `11-30 18:00`.
fn china_time(at: &DateTime<Utc>) -> String {
    at.with_timezone(&CHINA_TIME)
        .format("%m-%d %H:%M")
        .to_string()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::order::event::NotApplied;
    use crate::model::order::exceptions::ExceptionFacts;
    use crate::model::{Currency, ExceptionCode, Money, ParcelId, Seen, SeenMoney};
    use chrono::{TimeZone, Utc};

    fn plain(m: &Money) -> String {
        m.to_string()
    }

    fn both<A: Amount>(kind: &EventKind<A>) -> (String, String) {
        (
            meaning(Locale::en, kind, &plain),
            meaning(Locale::zh_CN, kind, &plain),
        )
    }

    #[test]
    fn meanings_name_the_facts_with_one_name_per_carrier() {
        let e: EventKind = EventKind::ParcelShipped {
            parcel: ParcelId::parse("P1").unwrap(),
            carrier: "SF Express".into(),
            waybill: "SF123".into(),
        };
        assert_eq!(
            both(&e),
            (
                "Parcel P1 handed to SF Express, waybill SF123".into(),
                "包裹 P1 已交给顺丰速运，运单号 SF123".into()
            )
        );
        let e: EventKind = EventKind::ParcelShipped {
            parcel: ParcelId::parse("P1").unwrap(),
            carrier: "顺丰".into(),
            waybill: "SF123".into(),
        };
        assert_eq!(both(&e).0, "Parcel P1 handed to SF Express, waybill SF123");
    }

    #[test]
    fn an_amount_reads_through_the_formatter_and_a_withheld_one_is_left_out() {
        let e = EventKind::PaymentCaptured {
            amount: Money::new(12800, Currency::CNY),
        };
        assert_eq!(
            both(&e),
            (
                "Payment of ¥128.00 received".into(),
                "已收款 ¥128.00".into()
            )
        );
        let intl = |m: &Money| format!("CNY {}", m.decimal());
        assert_eq!(
            meaning(Locale::en, &e, &intl),
            "Payment of CNY 128.00 received"
        );
        let withheld = EventKind::<SeenMoney>::PaymentCaptured {
            amount: Seen::Withheld,
        };
        assert_eq!(
            both(&withheld),
            ("Payment received".into(), "已收款".into())
        );
    }

    #[test]
    fn scans_read_as_operations_say_them() {
        let e: EventKind = EventKind::CarrierScan {
            waybill: "SF1".into(),
            scan: ScanKind::PickedUp,
            location: Some("杭州".into()),
            detail: "快件已揽收".into(),
        };
        assert_eq!(
            both(&e),
            (
                "Waybill SF1 picked up at 杭州: 快件已揽收".into(),
                "运单 SF1 已揽收（杭州）：快件已揽收".into()
            )
        );
        let e: EventKind = EventKind::CarrierScan {
            waybill: "SF1".into(),
            scan: ScanKind::OutForDelivery,
            location: None,
            detail: String::new(),
        };
        assert_eq!(
            both(&e),
            (
                "Waybill SF1 out for delivery".into(),
                "运单 SF1 派送中".into()
            )
        );
    }

    #[test]
    fn a_detectors_facts_are_put_in_words_when_read() {
        let e: EventKind = EventKind::ExceptionRaised {
            code: ExceptionCode::PaidNotShipped,
            parcel: None,
            detail: String::new(),
            facts: Some(ExceptionFacts::NotShipped {
                placed_at: Utc.with_ymd_and_hms(2026, 11, 1, 8, 0, 0).unwrap(),
                within_secs: 60,
            }),
        };
        assert_eq!(
            both(&e),
            (
                "Exception raised — Paid but not shipped: paid, and no parcel shipped within \
                 1 min of the order being placed"
                    .into(),
                "发生异常 — 已付款未发货：已付款，下单后 1 分钟内没有包裹发出".into()
            )
        );
        let e: EventKind = EventKind::ExceptionCleared {
            code: ExceptionCode::DeliveryFailed,
            parcel: Some(ParcelId::parse("P2").unwrap()),
        };
        assert_eq!(
            both(&e),
            (
                "Exception cleared on parcel P2 — Delivery failed".into(),
                "包裹 P2 异常已解除 — 配送失败".into()
            )
        );
    }

    #[test]
    fn desk_actions_and_requests_read_in_each_language() {
        use crate::model::order::ids::RequestId;
        use crate::model::order::request::ContactChange;
        let phone = ContactChange {
            phone: Some("13900139000".into()),
            ..Default::default()
        };
        let e: EventKind = EventKind::RequestMade {
            request: RequestId::parse("RQ-1").unwrap(),
            ask: Ask::Relabel {
                parcel: ParcelId::parse("P1").unwrap(),
                contact: phone.clone(),
            },
            reason: "客户来电".into(),
        };
        assert_eq!(
            both(&e),
            (
                "Re-label request RQ-1 to the warehouse for parcel P1 — phone 13900139000: 客户来电"
                    .into(),
                "已请仓库为包裹 P1 改标（请求 RQ-1，电话 13900139000）：客户来电".into()
            )
        );
        let e: EventKind = EventKind::RequestMade {
            request: RequestId::parse("RQ-2").unwrap(),
            ask: Ask::CarrierIntercept {
                parcel: ParcelId::parse("P2").unwrap(),
            },
            reason: "refund".into(),
        };
        assert_eq!(both(&e).1, "已请快递拦截包裹 P2（请求 RQ-2）：refund");
        let e: EventKind = EventKind::RequestSettled {
            request: RequestId::parse("RQ-2").unwrap(),
            outcome: Outcome::Failed,
            detail: "already out for delivery".into(),
        };
        assert_eq!(
            both(&e),
            (
                "Request RQ-2 failed: already out for delivery".into(),
                "请求 RQ-2 未成功：already out for delivery".into()
            )
        );
        let e: EventKind = EventKind::ContactChanged {
            contact: phone,
            reason: "customer called".into(),
        };
        assert_eq!(
            both(&e).0,
            "Delivery details changed — phone 13900139000: customer called"
        );
        let old: EventKind = serde_json::from_str(r#"{"type":"hold_released"}"#).unwrap();
        assert_eq!(both(&old).1, "已解除挂起");
        let e: EventKind = EventKind::HoldReleased {
            reason: "address confirmed".into(),
        };
        assert_eq!(both(&e).0, "Hold released: address confirmed");
    }

    #[test]
    fn a_reported_status_reads_as_its_meaning_never_its_code() {
        let e = EventKind::StatusReported {
            dialect: "douyin.tag".into(),
            value: "200".into(),
            note: NotApplied::NOTE.into(),
            not_applied: Some(NotApplied::RefundTooLarge {
                requested: Money::new(99999999, Currency::CNY),
                refundable: Money::new(68500, Currency::CNY),
            }),
        };
        let (en, zh) = both(&e);
        assert_eq!(
            en,
            "Douyin reported: refund in progress (not applied: a refund of ¥999999.99 exceeds \
             what is refundable (¥685.00))"
        );
        assert_eq!(
            zh,
            "抖店上报：退款中（未执行：退款 ¥999999.99 超过可退金额（¥685.00））"
        );
        assert!(!en.contains("200") && !zh.contains("douyin.tag"));
        let withheld = e.map_amounts(&|_| SeenMoney::Withheld);
        assert_eq!(
            both(&withheld).0,
            "Douyin reported: refund in progress (not applied: a refund exceeds what is refundable)"
        );
        let unmapped: EventKind = EventKind::StatusReported {
            dialect: "douyin.order_status".into(),
            value: "9917".into(),
            note: "no mapping yet".into(),
            not_applied: None,
        };
        assert_eq!(both(&unmapped).1, "抖店上报：尚未映射的状态");
    }
}
