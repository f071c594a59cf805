//! Loads the customer's view from `GET /api/track/<token>` with the same
//! browser client the server functions use (this endpoint is a plain GET with
//! a path parameter, not a server function).

use crate::api::ApiError;
use crate::model::views::tracking::TrackingView;
use leptos::server_fn::client::{browser::BrowserClient, Client};
use leptos::server_fn::request::{browser::BrowserRequest, ClientReq};
use leptos::server_fn::response::{browser::BrowserResponse, ClientRes};

/// Why the view did not load.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ViewError {
    /// Unknown, expired or revoked: the server does not say which.
    #[error("This tracking link is not valid: it may have expired or been withdrawn.")]
    NotValid,
    /// The server could not be reached or could not answer.
    #[error("{0}")]
    Failed(String),
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
    let unreachable =
        |_| ViewError::Failed("The server could not be reached; please try again.".into());
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
            ViewError::Failed("The answer could not be read; please reload the page.".into())
        }),
        404 => Err(ViewError::NotValid),
        _ => Err(ViewError::Failed(
            serde_json::from_str::<serde_json::Value>(&body)
                .ok()
                .and_then(|v| v["error"].as_str().map(str::to_string))
                .unwrap_or_else(|| "The order could not be loaded; please try again.".into()),
        )),
    }
}
