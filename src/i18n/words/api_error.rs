//! A server call's failure in the reader's language. The server's detail (a
//! field name, an id) is kept inside the sentence where it helps.

use crate::api::ApiError;
use crate::i18n::*;

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
        ApiError::Refused(why) => td_string!(locale, common.error.refused, why = why).to_string(),
        ApiError::Internal => td_string!(locale, common.error.internal).to_string(),
        ApiError::Transport(_) => td_string!(locale, common.error.transport).to_string(),
    }
}
