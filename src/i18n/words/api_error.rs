//! A server call's failure in the reader's language. The server's detail (a
//! field name, an id) is kept inside the sentence where it helps.

use crate::api::ApiError;
use crate::i18n::*;
use crate::model::Money;

/// An amount in a refusal: the reader's `Intl` in the browser, the model's
/// own form natively.
fn money(locale: Locale, money: &Money) -> String {
    #[cfg(feature = "csr")]
    return crate::ui::kit::format::money(locale, money);
    #[cfg(not(feature = "csr"))]
    {
        let _ = locale;
        money.to_string()
    }
}

/// `请先登录` / `please sign in`, `登录失败次数过多，请 30 秒后再试`, …
pub fn api_error(locale: Locale, error: &ApiError) -> String {
    match error {
        ApiError::BadRequest(detail) => {
            td_string!(locale, common.error.bad_request, detail = detail).to_string()
        }
        ApiError::Unauthenticated => td_string!(locale, common.error.unauthenticated).to_string(),
        ApiError::SignInRefused(_) => td_string!(locale, common.error.sign_in_refused).to_string(),
        ApiError::Forbidden(_) => td_string!(locale, common.error.forbidden).to_string(),
        ApiError::TooManyAttempts { retry_after_secs } => td_string!(
            locale,
            common.error.too_many_attempts,
            seconds = retry_after_secs
        )
        .to_string(),
        ApiError::NotFound(what) => {
            td_string!(locale, common.error.not_found, what = what).to_string()
        }
        ApiError::Refused(refusal) => td_string!(
            locale,
            common.error.refused,
            why = super::refusal(locale, refusal, &|m| money(locale, m))
        )
        .to_string(),
        ApiError::InvalidSettings(problem) => settings_problem(locale, problem),
        ApiError::InvalidAccount(problem) => td_string!(
            locale,
            common.error.bad_request,
            detail = super::account_error(locale, problem)
        )
        .to_string(),
        ApiError::AccountRefused(refusal) => td_string!(
            locale,
            common.error.refused,
            why = super::account_refusal(locale, refusal)
        )
        .to_string(),
        ApiError::Internal => td_string!(locale, common.error.internal).to_string(),
        ApiError::Transport(_) => td_string!(locale, common.error.transport).to_string(),
    }
}

/// What is wrong with a field of the detectors' settings.
pub fn settings_problem(
    locale: Locale,
    problem: &crate::model::detect::settings_form::FormError,
) -> String {
    use crate::model::detect::settings_form::FormError;
    match problem {
        FormError::Number {
            field,
            min,
            max,
            got,
        } => td_string!(
            locale,
            admin.detectors.bad_number,
            field = settings_field(locale, field),
            min = min,
            max = max,
            got = got
        )
        .to_string(),
        FormError::Line { field, line, .. } => td_string!(
            locale,
            admin.detectors.bad_line,
            field = settings_field(locale, field),
            line = line
        )
        .to_string(),
    }
}

/// A field of the detectors' settings by its label on the form.
fn settings_field(locale: Locale, field: &str) -> String {
    use crate::model::{Channel, ExceptionCode};
    let label = match field {
        "paid_not_shipped_hours" => td_string!(locale, admin.detectors.paid_not_shipped),
        "no_waybill_minutes" => td_string!(locale, admin.detectors.no_waybill),
        "carrier_silent_hours" => td_string!(locale, admin.detectors.carrier_silent),
        "duplicate_window_hours" => td_string!(locale, admin.detectors.duplicate_window),
        "transit_default_hours" => td_string!(locale, admin.detectors.transit_default),
        "confidence_pct" => td_string!(locale, admin.detectors.confidence),
        "customs" => td_string!(locale, admin.detectors.customs),
        "lanes" => td_string!(locale, admin.detectors.lanes),
        other => {
            if let Some(code) = other.strip_prefix("sla.").and_then(ExceptionCode::parse) {
                return super::exception_code(locale, code).to_string();
            }
            if let Some(c) = other
                .strip_prefix("paid_not_shipped.")
                .and_then(|c| c.parse::<Channel>().ok())
            {
                return super::channel(locale, c).to_string();
            }
            return other.to_string();
        }
    };
    label.to_string()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::api::AccountRefusal;
    use crate::model::Refusal;

    #[test]
    fn a_refusal_reads_in_the_readers_language() {
        let e = ApiError::Refused(Refusal::AlreadyShipped);
        assert_eq!(
            api_error(Locale::zh_CN, &e),
            "未执行：订单已发货，不能再修改"
        );
        assert_eq!(
            api_error(Locale::en, &e),
            "Not done: a parcel has already shipped"
        );
        let e = ApiError::AccountRefused(AccountRefusal::UsernameTaken("li".into()));
        assert_eq!(api_error(Locale::zh_CN, &e), "未执行：用户名 li 已被占用");
        assert_eq!(
            api_error(Locale::en, &e),
            "Not done: the username li is taken"
        );
    }
}
