//! The session cookie: its name (`__Host-` and `Secure` over TLS), how it is
//! built (HttpOnly, SameSite=Strict, path `/`), read from a request, and set
//! on a server function's response.

use super::Auth;
use axum::http::HeaderMap;
use cookie::{Cookie, SameSite};
use std::time::Duration;

/// The session cookie's name over plain HTTP (local use).
pub const COOKIE: &str = "ocr_session";
/// The session cookie's name over TLS: the browser keeps a `__Host-` cookie
/// only if it is `Secure`, for this host alone (no `Domain`), on path `/`.
pub const SECURE_COOKIE: &str = "__Host-ocr_session";

impl Auth {
    /// The session cookie's name.
    pub fn cookie_name(&self) -> &'static str {
        if self.policy.secure_cookies {
            SECURE_COOKIE
        } else {
            COOKIE
        }
    }

    /// The session cookie holding `value` for `max_age` (zero clears it).
    pub(super) fn cookie(&self, value: String, max_age: Duration) -> Cookie<'static> {
        Cookie::build((self.cookie_name(), value))
            .http_only(true)
            .same_site(SameSite::Strict)
            .secure(self.policy.secure_cookies)
            .path("/")
            .max_age(cookie::time::Duration::seconds(max_age.as_secs() as i64))
            .build()
    }
}

/// The session token from the request's cookie named `name`.
pub fn session_token(headers: &HeaderMap, name: &str) -> Option<String> {
    headers
        .get_all(axum::http::header::COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(Cookie::split_parse)
        .filter_map(Result::ok)
        .find(|c| c.name() == name && !c.value().is_empty())
        .map(|c| c.value().to_string())
}

/// Adds a `Set-Cookie` header to the current server function's response.
pub fn set_cookie(cookie: &Cookie<'static>) {
    if let (Some(opts), Ok(value)) = (
        leptos::prelude::use_context::<leptos_axum::ResponseOptions>(),
        axum::http::HeaderValue::from_str(&cookie.to_string()),
    ) {
        opts.append_header(axum::http::header::SET_COOKIE, value);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_session_token_is_read_from_the_named_cookie_only() {
        let mut headers = HeaderMap::new();
        headers.insert(
            axum::http::header::COOKIE,
            "ocr_session=plain; __Host-ocr_session=secure"
                .parse()
                .unwrap(),
        );
        assert_eq!(session_token(&headers, COOKIE).as_deref(), Some("plain"));
        assert_eq!(
            session_token(&headers, SECURE_COOKIE).as_deref(),
            Some("secure")
        );
        assert_eq!(session_token(&headers, "other"), None);
    }
}
