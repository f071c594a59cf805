//! Why a change was not made, in the reader's language: the lifecycle's
//! refusals (`订单已发货，不能再修改`), a refused report kept in the log, and
//! the account rules. Amounts come through the caller's money formatter (the
//! browser's `Intl`, or plain text natively).

use super::{status, MoneyWords};
use crate::api::AccountRefusal;
use crate::i18n::*;
use crate::model::access::account::{AccountError, MIN_PASSWORD};
use crate::model::order::amount::{both, Amount};
use crate::model::order::event::NotApplied;
use crate::model::Refusal;

/// One refusal of the lifecycle: `the order is on hold` / `订单已挂起`.
pub fn refusal(locale: Locale, refusal: &Refusal, money: MoneyWords) -> String {
    match refusal {
        Refusal::UnknownOrder(id) => {
            td_string!(locale, domain.refusal.unknown_order, order = id).to_string()
        }
        Refusal::AlreadyExists(id) => {
            td_string!(locale, domain.refusal.already_exists, order = id).to_string()
        }
        Refusal::Closed(s) => td_string!(
            locale,
            domain.refusal.closed,
            status = status(locale, *s).to_lowercase()
        )
        .to_string(),
        Refusal::NotPaid => td_string!(locale, domain.refusal.not_paid).to_string(),
        Refusal::OnHold => td_string!(locale, domain.refusal.on_hold).to_string(),
        Refusal::NotOnHold => td_string!(locale, domain.refusal.not_on_hold).to_string(),
        Refusal::AlreadyShipped => td_string!(locale, domain.refusal.already_shipped).to_string(),
        Refusal::UnknownComponent(c) => {
            td_string!(locale, domain.refusal.unknown_component, component = c).to_string()
        }
        Refusal::AlreadyPacked(c) => {
            td_string!(locale, domain.refusal.already_packed, component = c).to_string()
        }
        Refusal::DuplicateParcel(p) => {
            td_string!(locale, domain.refusal.duplicate_parcel, parcel = p).to_string()
        }
        Refusal::UnknownParcel(p) => {
            td_string!(locale, domain.refusal.unknown_parcel, parcel = p).to_string()
        }
        Refusal::NotPacked(p) => {
            td_string!(locale, domain.refusal.not_packed, parcel = p).to_string()
        }
        Refusal::DuplicateWaybill(w) => {
            td_string!(locale, domain.refusal.duplicate_waybill, waybill = w).to_string()
        }
        Refusal::UnknownWaybill(w) => {
            td_string!(locale, domain.refusal.unknown_waybill, waybill = w).to_string()
        }
        Refusal::NoRefundRequested => {
            td_string!(locale, domain.refusal.no_refund_requested).to_string()
        }
        Refusal::RefundTooLarge {
            requested,
            refundable,
        } => td_string!(
            locale,
            domain.refusal.refund_too_large,
            requested = money(requested),
            refundable = money(refundable)
        )
        .to_string(),
        Refusal::NotDelivered => td_string!(locale, domain.refusal.not_delivered).to_string(),
        Refusal::NoReturnRequested => {
            td_string!(locale, domain.refusal.no_return_requested).to_string()
        }
        Refusal::WrongCurrency { got, expected } => td_string!(
            locale,
            domain.refusal.wrong_currency,
            got = got,
            expected = expected
        )
        .to_string(),
        Refusal::PaymentNotPositive(amount) => td_string!(
            locale,
            domain.refusal.payment_not_positive,
            amount = money(amount)
        )
        .to_string(),
        Refusal::PaymentTooLarge { paid, owed } => td_string!(
            locale,
            domain.refusal.payment_too_large,
            paid = money(paid),
            owed = money(owed)
        )
        .to_string(),
        Refusal::AmountTooLarge => td_string!(locale, domain.refusal.amount_too_large).to_string(),
        Refusal::CannotHold(s) => td_string!(
            locale,
            domain.refusal.cannot_hold,
            status = status(locale, *s).to_lowercase()
        )
        .to_string(),
        Refusal::ParcelPacked(p) => {
            td_string!(locale, domain.refusal.parcel_packed, parcel = p).to_string()
        }
        Refusal::ParcelShipped(p) => {
            td_string!(locale, domain.refusal.parcel_shipped, parcel = p).to_string()
        }
        Refusal::ParcelNotShipped(p) => {
            td_string!(locale, domain.refusal.parcel_not_shipped, parcel = p).to_string()
        }
        Refusal::ParcelDelivered(p) => {
            td_string!(locale, domain.refusal.parcel_delivered, parcel = p).to_string()
        }
        Refusal::AllDelivered => td_string!(locale, domain.refusal.all_delivered).to_string(),
        Refusal::AllShipped => td_string!(locale, domain.refusal.all_shipped).to_string(),
        Refusal::Intercepted => td_string!(locale, domain.refusal.intercepted).to_string(),
        Refusal::UnknownRequest(r) => {
            td_string!(locale, domain.refusal.unknown_request, request = r).to_string()
        }
        Refusal::DuplicateRequest(r) => {
            td_string!(locale, domain.refusal.duplicate_request, request = r).to_string()
        }
        Refusal::RequestPending(r) => {
            td_string!(locale, domain.refusal.request_pending, request = r).to_string()
        }
        Refusal::RequestSettled(r) => {
            td_string!(locale, domain.refusal.request_settled, request = r).to_string()
        }
        Refusal::AlreadyIntercepted(r) => {
            td_string!(locale, domain.refusal.already_intercepted, request = r).to_string()
        }
        // The server's own detail (a field, a limit), as it said it.
        Refusal::AlreadyAllocated(w) => {
            td_string!(locale, domain.refusal.already_allocated, warehouse = w).to_string()
        }
        Refusal::NoRouteWaiting => td_string!(locale, domain.refusal.no_route_waiting).to_string(),
        Refusal::ExceptionNotOpen => {
            td_string!(locale, domain.refusal.exception_not_open).to_string()
        }
        Refusal::SnoozeInPast => td_string!(locale, domain.refusal.snooze_in_past).to_string(),
        Refusal::Invalid(detail) => detail.clone(),
    }
}

/// Why a reported fact was not applied; without amounts when they are
/// withheld (never as zero).
pub fn not_applied<A: Amount>(locale: Locale, why: &NotApplied<A>, money: MoneyWords) -> String {
    match why {
        NotApplied::RefundTooLarge {
            requested,
            refundable,
        } => match both(requested, refundable) {
            Some((requested, refundable)) => refusal(
                locale,
                &Refusal::RefundTooLarge {
                    requested,
                    refundable,
                },
                money,
            ),
            None => td_string!(locale, domain.refusal.refund_too_large_withheld).to_string(),
        },
        NotApplied::PaymentNotPositive => {
            td_string!(locale, domain.refusal.payment_not_positive_plain).to_string()
        }
        NotApplied::PaymentTooLarge => {
            td_string!(locale, domain.refusal.payment_too_large_plain).to_string()
        }
        NotApplied::Refused { refusal: r } => refusal(locale, r, money),
        // Kept in words by an older log: as it was written.
        NotApplied::Other { reason } => reason.clone(),
    }
}

/// An account rule that refused a change: `admin 是最后一个启用的管理员账号…`.
pub fn account_refusal(locale: Locale, refusal: &AccountRefusal) -> String {
    match refusal {
        AccountRefusal::LastAdmin(who) => {
            td_string!(locale, domain.refusal.last_admin, username = who).to_string()
        }
        AccountRefusal::LastAdminRole(who) => {
            td_string!(locale, domain.refusal.last_admin_role, username = who).to_string()
        }
        AccountRefusal::UsernameTaken(who) => {
            td_string!(locale, domain.refusal.username_taken, username = who).to_string()
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{Currency, Money, SeenMoney, Status};

    fn plain(m: &Money) -> String {
        m.to_string()
    }

    #[test]
    fn a_lifecycle_refusal_reads_in_each_language() {
        let r = Refusal::AlreadyShipped;
        assert_eq!(
            refusal(Locale::en, &r, &plain),
            "a parcel has already shipped"
        );
        assert_eq!(refusal(Locale::zh_CN, &r, &plain), "订单已发货，不能再修改");
        let r = Refusal::Closed(Status::Cancelled);
        assert_eq!(
            refusal(Locale::en, &r, &plain),
            "the order is cancelled and is closed to this change"
        );
        assert_eq!(
            refusal(Locale::zh_CN, &r, &plain),
            "订单已取消，不能再做这项修改"
        );
        let r = Refusal::DuplicateWaybill("SF1".into());
        assert_eq!(
            refusal(Locale::zh_CN, &r, &plain),
            "运单号 SF1 已属于另一个包裹"
        );
    }

    #[test]
    fn the_desks_refusals_read_in_each_language() {
        let r = Refusal::ParcelPacked("P1".into());
        assert_eq!(
            refusal(Locale::zh_CN, &r, &plain),
            "包裹 P1 已打包：修改收货信息需请仓库改标"
        );
        let r = Refusal::CannotHold(Status::RefundRequested);
        assert_eq!(
            refusal(Locale::en, &r, &plain),
            "the order is refund requested and cannot be put on hold"
        );
        assert_eq!(refusal(Locale::zh_CN, &r, &plain), "订单退款中，不能挂起");
        for r in [
            Refusal::ParcelShipped("P1".into()),
            Refusal::ParcelNotShipped("P1".into()),
            Refusal::ParcelDelivered("P1".into()),
            Refusal::AllDelivered,
            Refusal::AllShipped,
            Refusal::Intercepted,
            Refusal::UnknownRequest("RQ-9".into()),
            Refusal::DuplicateRequest("RQ-1".into()),
            Refusal::RequestPending("RQ-1".into()),
            Refusal::RequestSettled("RQ-1".into()),
            Refusal::AlreadyIntercepted("RQ-1".into()),
        ] {
            assert_eq!(refusal(Locale::en, &r, &plain), r.to_string());
            assert_ne!(refusal(Locale::zh_CN, &r, &plain), r.to_string());
        }
    }

    #[test]
    fn english_refusals_read_as_the_server_logs_them() {
        for r in [
            Refusal::NotPaid,
            Refusal::OnHold,
            Refusal::UnknownParcel("P9".into()),
            Refusal::RefundTooLarge {
                requested: Money::new(200, Currency::CNY),
                refundable: Money::new(100, Currency::CNY),
            },
            Refusal::WrongCurrency {
                got: Currency::USD,
                expected: Currency::CNY,
            },
        ] {
            assert_eq!(refusal(Locale::en, &r, &plain), r.to_string());
        }
    }

    #[test]
    fn a_refused_refund_names_its_amounts_only_for_those_who_see_money() {
        let why = NotApplied::RefundTooLarge {
            requested: Money::new(99999999, Currency::CNY),
            refundable: Money::new(68500, Currency::CNY),
        };
        assert_eq!(
            not_applied(Locale::zh_CN, &why, &plain),
            "退款 ¥999999.99 超过可退金额（¥685.00）"
        );
        let withheld = why.map_amounts(&|_| SeenMoney::Withheld);
        assert_eq!(
            not_applied(Locale::en, &withheld, &plain),
            "a refund exceeds what is refundable"
        );
        assert_eq!(
            not_applied(Locale::zh_CN, &withheld, &plain),
            "退款金额超过可退金额"
        );
    }

    #[test]
    fn a_refused_payment_kept_as_a_report_names_no_amount() {
        let why = NotApplied::of(&Refusal::PaymentTooLarge {
            paid: Money::new(10001, Currency::CNY),
            owed: Money::new(10000, Currency::CNY),
        });
        assert_eq!(
            not_applied(Locale::en, &why, &plain),
            "a payment is more than what is still owed"
        );
        assert_eq!(
            not_applied(Locale::zh_CN, &why, &plain),
            "付款金额超过待付金额"
        );
    }

    #[test]
    fn account_rules_read_in_each_language() {
        let r = AccountRefusal::LastAdmin("admin".into());
        assert_eq!(account_refusal(Locale::en, &r), r.to_string());
        assert!(account_refusal(Locale::zh_CN, &r).starts_with("admin 是最后一个启用的管理员账号"));
        let r = AccountRefusal::UsernameTaken("li".into());
        assert_eq!(account_refusal(Locale::en, &r), r.to_string());
        assert_eq!(account_refusal(Locale::zh_CN, &r), "用户名 li 已被占用");
    }
}

/// Why account details are not acceptable: `用户名须为 3–32 位…`.
pub fn account_error(locale: Locale, problem: &AccountError) -> String {
    match problem {
        AccountError::BadUsername => {
            td_string!(locale, domain.account_error.bad_username).to_string()
        }
        AccountError::BadDisplayName => {
            td_string!(locale, domain.account_error.bad_display_name).to_string()
        }
        AccountError::NoRole => td_string!(locale, domain.account_error.no_role).to_string(),
        AccountError::ShortPassword => td_string!(
            locale,
            domain.account_error.short_password,
            min = MIN_PASSWORD
        )
        .to_string(),
    }
}

#[cfg(test)]
mod account_error_tests {
    use super::*;

    #[test]
    fn account_problems_read_in_both_languages_and_english_is_the_server_s() {
        for problem in [
            AccountError::BadUsername,
            AccountError::BadDisplayName,
            AccountError::NoRole,
            AccountError::ShortPassword,
        ] {
            assert_eq!(account_error(Locale::en, &problem), problem.to_string());
            assert_ne!(account_error(Locale::zh_CN, &problem), problem.to_string());
        }
        assert!(account_error(Locale::zh_CN, &AccountError::ShortPassword)
            .contains(&MIN_PASSWORD.to_string()));
    }
}
