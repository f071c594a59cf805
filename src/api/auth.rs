//! Server functions for signing in and out.

use super::ApiError;
use crate::model::access::account::{AuthStatus, Me};
use leptos::prelude::*;
use leptos::server_fn::codec::Json;

/// Who is signed in (if anyone), and whether this is a demo server.
#[server(name = GetAuthStatus, endpoint = "auth/status", input = Json)]
pub async fn auth_status() -> Result<AuthStatus, ApiError> {
    let state = super::access::state()?;
    let request = super::access::request()?;
    Ok(AuthStatus {
        me: request.caller.me(),
        demo: state.auth.demo(),
    })
}

/// Keeps `language` (`en`, `zh-CN`) as the caller's own, on every device they
/// sign in on. Sent as its tag and parsed here: a language the control room
/// does not have is refused (the i18n `Locale` would quietly pick another).
#[server(endpoint = "auth/language", input = Json)]
pub async fn set_language(language: String) -> Result<(), ApiError> {
    let language: crate::i18n::Locale = language
        .parse()
        .map_err(|()| ApiError::BadRequest(format!("no language {language:?}")))?;
    let state = super::access::state()?;
    let request = super::access::request()?;
    match &request.caller {
        crate::server::auth::Caller::Anonymous => Err(ApiError::Unauthenticated),
        crate::server::auth::Caller::Staff(staff) => {
            Ok(state.auth.set_language(staff, language).await?)
        }
    }
}

/// Signs in; sets the session cookie.
#[server(endpoint = "auth/login", input = Json)]
pub async fn login(username: String, password: String) -> Result<Me, ApiError> {
    let state = super::access::state()?;
    let request = super::access::request()?;
    let (me, cookie) = state.auth.login(&username, &password, &request).await?;
    crate::server::auth::set_cookie(&cookie);
    Ok(me)
}

/// Signs out: ends the session and clears the cookie.
#[server(endpoint = "auth/logout", input = Json)]
pub async fn logout() -> Result<(), ApiError> {
    let state = super::access::state()?;
    let request = super::access::request()?;
    let cookie = state.auth.logout(&request).await?;
    crate::server::auth::set_cookie(&cookie);
    Ok(())
}
