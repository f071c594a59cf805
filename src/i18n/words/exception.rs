//! Exceptions in words: their names (`配送失败` / `Delivery failed`), what
//! raised them (a carrier's reason, a detector's facts, what was said), and the
//! open ones of an order-list row. Facts are put in words when read, so they
//! read true whenever shown.

use super::list_separator;
use crate::i18n::*;
use crate::model::order::exceptions::{Cause, ExceptionCode, ExceptionFacts, OpenException};
use crate::model::views::query::ExceptionMark;

/// `已付款未发货` / `Paid but not shipped`.
pub fn exception_code(locale: Locale, code: ExceptionCode) -> &'static str {
    match code {
        ExceptionCode::PaidNotShipped => td_string!(locale, domain.exception.paid_not_shipped),
        ExceptionCode::DeliveryFailed => td_string!(locale, domain.exception.delivery_failed),
        ExceptionCode::NoWaybill => td_string!(locale, domain.exception.no_waybill),
        ExceptionCode::RefundBeforeShipping => {
            td_string!(locale, domain.exception.refund_before_shipping)
        }
        ExceptionCode::GiftMissing => td_string!(locale, domain.exception.gift_missing),
        ExceptionCode::LikelyDuplicate => td_string!(locale, domain.exception.likely_duplicate),
        ExceptionCode::CustomsIncomplete => td_string!(locale, domain.exception.customs_incomplete),
        ExceptionCode::CarrierSilent => td_string!(locale, domain.exception.carrier_silent),
        ExceptionCode::DeliveryAtRisk => td_string!(locale, domain.exception.delivery_at_risk),
        ExceptionCode::WarehouseOverCapacity => {
            td_string!(locale, domain.exception.warehouse_over_capacity)
        }
        ExceptionCode::RouteReview => td_string!(locale, domain.exception.route_review),
    }
}

/// A span of seconds in its largest whole unit: `24 小时` / `24 h`, `15 min`, `90 s`.
pub fn span(locale: Locale, secs: u64) -> String {
    match secs {
        s if s >= 3600 && s % 3600 == 0 => {
            td_string!(locale, domain.exception.hours, count = s / 3600).to_string()
        }
        s if s >= 60 && s % 60 == 0 => {
            td_string!(locale, domain.exception.minutes, count = s / 60).to_string()
        }
        s => td_string!(locale, domain.exception.seconds, count = s).to_string(),
    }
}

/// A detector's findings: `已付款，下单后 24 小时内没有包裹发出`.
pub fn facts(locale: Locale, facts: &ExceptionFacts) -> String {
    match facts {
        ExceptionFacts::NotShipped { within_secs, .. } => td_string!(
            locale,
            domain.exception.not_shipped,
            span = span(locale, *within_secs)
        )
        .to_string(),
        ExceptionFacts::NoWaybill { within_secs, .. } => td_string!(
            locale,
            domain.exception.no_waybill_facts,
            span = span(locale, *within_secs)
        )
        .to_string(),
        ExceptionFacts::RefundBeforeShipping => {
            td_string!(locale, domain.exception.refund_before_shipping_facts).to_string()
        }
        ExceptionFacts::GiftMissing { missing } => td_string!(
            locale,
            domain.exception.gift_missing_facts,
            components = missing
                .iter()
                .map(ToString::to_string)
                .collect::<Vec<_>>()
                .join(list_separator(locale))
        )
        .to_string(),
        ExceptionFacts::LikelyDuplicate {
            original,
            within_secs,
            ..
        } => td_string!(
            locale,
            domain.exception.likely_duplicate_facts,
            order = original,
            span = span(locale, *within_secs)
        )
        .to_string(),
        ExceptionFacts::CustomsIncomplete {
            destination,
            missing,
        } => td_string!(
            locale,
            domain.exception.customs_incomplete_facts,
            destination = destination,
            fields = missing.join(list_separator(locale))
        )
        .to_string(),
        ExceptionFacts::CarrierSilent { within_secs, .. } => td_string!(
            locale,
            domain.exception.carrier_silent_facts,
            span = span(locale, *within_secs)
        )
        .to_string(),
        ExceptionFacts::DeliveryAtRisk {
            promised_by,
            expected_by,
        } => td_string!(
            locale,
            domain.exception.delivery_at_risk_facts,
            promised = day(promised_by),
            expected = day(expected_by)
        )
        .to_string(),
        ExceptionFacts::RouteReview {
            proposed: Some(w),
            confidence_pct,
        } => td_string!(
            locale,
            domain.exception.route_review_facts,
            warehouse = w,
            confidence = confidence_pct
        )
        .to_string(),
        ExceptionFacts::RouteReview { proposed: None, .. } => {
            td_string!(locale, domain.exception.route_review_none).to_string()
        }
        ExceptionFacts::OverCapacity {
            warehouse,
            backlog,
            capacity,
        } => td_string!(
            locale,
            domain.exception.over_capacity_facts,
            warehouse = warehouse,
            backlog = backlog,
            capacity = capacity
        )
        .to_string(),
    }
}

/// A day as the facts name it: China time, `11-30 18:00`.
fn day(at: &chrono::DateTime<chrono::Utc>) -> String {
    at.with_timezone(&crate::model::CHINA_TIME)
        .format("%m-%d %H:%M")
        .to_string()
}

/// What raised an exception: the carrier's reason and where, the detector's
/// facts, or what was said (free text, as given).
pub fn cause(locale: Locale, cause: &Cause) -> String {
    match cause {
        Cause::CarrierScan {
            reason,
            location: Some(at),
            ..
        } => td_string!(
            locale,
            domain.exception.scan_at,
            reason = reason,
            location = at
        )
        .to_string(),
        Cause::CarrierScan { reason, .. } => reason.clone(),
        Cause::Found { facts: f } => facts(locale, f),
        Cause::Said { detail } => detail.clone(),
    }
}

/// `配送失败：联系不上收件人（杭州转运中心）` / `Delivery failed: recipient unreachable (at Hangzhou hub)`.
pub fn open_exception(locale: Locale, open: &OpenException) -> String {
    td_string!(
        locale,
        domain.exception.with_cause,
        code = exception_code(locale, open.code),
        cause = cause(locale, &open.cause)
    )
    .to_string()
}

/// `配送失败（包裹 P1）` / `Delivery failed (parcel P1)`, `Paid but not shipped`.
pub fn exception_mark(locale: Locale, mark: &ExceptionMark) -> String {
    let code = exception_code(locale, mark.code);
    match &mark.parcel {
        Some(p) => {
            td_string!(locale, domain.exception.on_parcel, code = code, parcel = p).to_string()
        }
        None => code.to_string(),
    }
}

/// A row's open exceptions, `None` when there are none:
/// `Open exception: Delivery failed (parcel P1)`, `2 open exceptions: …; …`.
pub fn open_exceptions(locale: Locale, marks: &[ExceptionMark]) -> Option<String> {
    let names: Vec<String> = marks.iter().map(|m| exception_mark(locale, m)).collect();
    match names.as_slice() {
        [] => None,
        [one] => Some(td_string!(locale, domain.exception.one_open, what = one).to_string()),
        several => {
            let separator = match locale {
                Locale::zh_CN => "；",
                Locale::en => "; ",
            };
            Some(
                td_string!(
                    locale,
                    domain.exception.many_open,
                    count = several.len(),
                    list = several.join(separator)
                )
                .to_string(),
            )
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::ParcelId;
    use chrono::{TimeZone, Utc};

    fn mark(code: ExceptionCode, parcel: Option<&str>) -> ExceptionMark {
        ExceptionMark {
            code,
            parcel: parcel.map(|p| ParcelId::parse(p).unwrap()),
        }
    }

    #[test]
    fn spans_read_in_their_largest_whole_unit() {
        assert_eq!(span(Locale::en, 86_400), "24 h");
        assert_eq!(span(Locale::en, 900), "15 min");
        assert_eq!(span(Locale::en, 60), "1 min");
        assert_eq!(span(Locale::en, 90), "90 s");
        assert_eq!(span(Locale::zh_CN, 86_400), "24 小时");
        assert_eq!(span(Locale::zh_CN, 900), "15 分钟");
    }

    #[test]
    fn an_open_exception_reads_with_its_cause() {
        let open = OpenException {
            code: ExceptionCode::DeliveryFailed,
            parcel: Some(ParcelId::parse("P1").unwrap()),
            cause: Cause::CarrierScan {
                waybill: "SF1".into(),
                location: Some("杭州 hub".into()),
                reason: "recipient unreachable".into(),
            },
            since: Utc.with_ymd_and_hms(2026, 11, 1, 8, 0, 0).unwrap(),
            claim: None,
            snooze: None,
        };
        assert_eq!(
            open_exception(Locale::en, &open),
            "Delivery failed: recipient unreachable (at 杭州 hub)"
        );
        assert_eq!(
            open_exception(Locale::zh_CN, &open),
            "配送失败：recipient unreachable（杭州 hub）"
        );
    }

    #[test]
    fn a_detectors_facts_name_no_frozen_relative_time() {
        let open = OpenException {
            code: ExceptionCode::PaidNotShipped,
            parcel: None,
            cause: Cause::Found {
                facts: ExceptionFacts::NotShipped {
                    placed_at: Utc.with_ymd_and_hms(2026, 11, 1, 8, 0, 0).unwrap(),
                    within_secs: 24 * 3600,
                },
            },
            since: Utc.with_ymd_and_hms(2026, 11, 2, 9, 0, 0).unwrap(),
            claim: None,
            snooze: None,
        };
        let en = open_exception(Locale::en, &open);
        assert_eq!(
            en,
            "Paid but not shipped: paid, and no parcel shipped within 24 h of the order being placed"
        );
        assert!(!en.contains("ago"), "{en}");
        assert_eq!(
            open_exception(Locale::zh_CN, &open),
            "已付款未发货：已付款，下单后 24 小时内没有包裹发出"
        );
    }

    #[test]
    fn a_row_says_its_open_exceptions_in_words() {
        assert_eq!(open_exceptions(Locale::en, &[]), None);
        let one = [mark(ExceptionCode::DeliveryFailed, Some("P1"))];
        assert_eq!(
            open_exceptions(Locale::en, &one).as_deref(),
            Some("Open exception: Delivery failed (parcel P1)")
        );
        assert_eq!(
            open_exceptions(Locale::zh_CN, &one).as_deref(),
            Some("未处理异常：配送失败（包裹 P1）")
        );
        let two = [
            mark(ExceptionCode::DeliveryFailed, Some("P1")),
            mark(ExceptionCode::PaidNotShipped, None),
        ];
        assert_eq!(
            open_exceptions(Locale::en, &two).as_deref(),
            Some("2 open exceptions: Delivery failed (parcel P1); Paid but not shipped")
        );
        assert_eq!(
            open_exceptions(Locale::zh_CN, &two).as_deref(),
            Some("2 个未处理异常：配送失败（包裹 P1）；已付款未发货")
        );
    }
}
