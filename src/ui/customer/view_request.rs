//! Loads the customer's view from `GET /api/track/<token>` with the same
//! browser client the server functions use (this endpoint is a plain GET with
//! a path parameter, not a server function). Why it failed is kept as a
//! kind ([`ViewError`]), put in words in the reader's language when shown.

use crate::api::ApiError;
use crate::i18n::*;
use crate::model::views::tracking::TrackingView;
use leptos::server_fn::client::{browser::BrowserClient, Client};
use leptos::server_fn::request::{browser::BrowserRequest, ClientReq};
use leptos::server_fn::response::{browser::BrowserResponse, ClientRes};

/// Why the view did not load. The `Display` is for the console; the page
/// shows [`ViewError::words`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum ViewError {
    /// Unknown, expired or revoked: the server does not say which.
    #[error("the tracking link is not valid (unknown, expired or withdrawn)")]
    NotValid,
    /// The server could not be reached.
    #[error("the server could not be reached")]
    Unreachable,
    /// The answer was not a view this page can read.
    #[error("the answer could not be read")]
    Unreadable,
    /// Too many requests from the customer's network (429).
    #[error("too many requests from this network")]
    Busy,
    /// The server could not answer (its detail is in its log).
    #[error("the server could not load the order (status {0})")]
    Failed(u16),
}

impl ViewError {
    /// What the customer reads.
    pub fn words(self, locale: Locale) -> &'static str {
        match self {
            ViewError::NotValid => td_string!(locale, customer.error.not_valid),
            ViewError::Unreachable => td_string!(locale, customer.error.unreachable),
            ViewError::Unreadable => td_string!(locale, customer.error.unreadable),
            ViewError::Busy => td_string!(locale, customer.error.busy),
            ViewError::Failed(_) => td_string!(locale, customer.error.failed),
        }
    }
}

const JSON: &str = "application/json";

/// The view through `token`. `refresh`: the open page reloading itself after
/// a live step (the server does not count it as another open).
pub async fn load_view(token: &str, refresh: bool) -> Result<TrackingView, ViewError> {
    let path = format!(
        "/api/track/{}",
        String::from(js_sys::encode_uri_component(token))
    );
    let query = if refresh { "refresh=true" } else { "" };
    let unreachable = |_| ViewError::Unreachable;
    let request = <BrowserRequest as ClientReq<ApiError>>::try_new_get(&path, JSON, JSON, query)
        .map_err(unreachable)?;
    let response = <BrowserClient as Client<ApiError>>::send(request)
        .await
        .map_err(unreachable)?;
    let status = <BrowserResponse as ClientRes<ApiError>>::status(&response);
    let body = <BrowserResponse as ClientRes<ApiError>>::try_into_string(response)
        .await
        .map_err(unreachable)?;
    match status {
        200 => serde_json::from_str(&body).map_err(|e| {
            leptos::logging::warn!("could not read the tracking view: {e}");
            ViewError::Unreadable
        }),
        404 => Err(ViewError::NotValid),
        429 => Err(ViewError::Busy),
        status => Err(ViewError::Failed(status)),
    }
}
