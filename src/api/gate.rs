//! The gate in front of every server function, settled before its body is
//! read: who may call it (anyone, or signed-in staff only) and what content
//! type its arguments come in, both taken from the functions' own types.
//! An anonymous call to a staff function is answered 401 without decoding
//! anything, so it learns nothing of the arguments; a body of another
//! content type than the function's is answered 415.

use super::*;
use crate::server::auth::Caller;
use axum::body::Body;
use axum::http::{header, HeaderMap, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use leptos::server_fn::codec::Encoding;
use leptos::server_fn::{Http, ServerFn};
use std::collections::HashMap;
use std::sync::LazyLock;

/// Who may call a server function.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Access {
    /// Anyone: signing in and out, and asking who is signed in.
    Anyone,
    /// Signed-in staff; the function checks the permission itself.
    Staff,
}

/// What the gate knows of one server function.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Route {
    pub path: &'static str,
    pub access: Access,
    /// The MIME type its arguments are sent as.
    pub input: &'static str,
}

/// The content type a protocol's arguments come in.
trait InputType {
    const INPUT: &'static str;
}

impl<I: Encoding, O> InputType for Http<I, O> {
    const INPUT: &'static str = I::CONTENT_TYPE;
}

fn route<F>(access: Access) -> Route
where
    F: ServerFn,
    F::Protocol: InputType,
{
    Route {
        path: F::PATH,
        access,
        input: <F::Protocol as InputType>::INPUT,
    }
}

/// Every server function of the app, by its type.
fn all() -> Vec<Route> {
    use Access::{Anyone, Staff};
    vec![
        route::<GetAuthStatus>(Anyone),
        route::<Login>(Anyone),
        route::<Logout>(Anyone),
        route::<SetLanguage>(Staff),
        route::<ListOrders>(Staff),
        route::<GetOrder>(Staff),
        route::<AddOrderNote>(Staff),
        route::<CustomerRecentOrders>(Staff),
        route::<MentionsInbox>(Staff),
        route::<MarkMentionsRead>(Staff),
        route::<ActOnOrder>(Staff),
        route::<ExceptionQueue>(Staff),
        route::<GetDetectorSettings>(Staff),
        route::<SaveDetectorSettings>(Staff),
        route::<ActOnException>(Staff),
        route::<CreateTrackingLink>(Staff),
        route::<ListTrackingLinks>(Staff),
        route::<RevokeTrackingLink>(Staff),
        route::<ListUsers>(Staff),
        route::<CreateUser>(Staff),
        route::<ResetPassword>(Staff),
        route::<SetUserDisabled>(Staff),
        route::<SetUserRoles>(Staff),
        route::<ListSessions>(Staff),
        route::<EndSession>(Staff),
        route::<AuditLog>(Staff),
        route::<ListIntegrations>(Staff),
        route::<RotateSecret>(Staff),
        route::<EndOverlap>(Staff),
        route::<ListMappings>(Staff),
        route::<SetMapping>(Staff),
        route::<ListUnmapped>(Staff),
        route::<ListDeliveries>(Staff),
        route::<ListRefusals>(Staff),
        route::<GetDelivery>(Staff),
        route::<ReplayDelivery>(Staff),
        route::<ListApiKeys>(Staff),
        route::<CreateApiKey>(Staff),
        route::<RevokeApiKey>(Staff),
        route::<LoadWarehouseBoard>(Staff),
        route::<WarehouseStock>(Staff),
        route::<SaveWarehouse>(Staff),
        route::<RemoveWarehouse>(Staff),
        route::<ImportStockCsv>(Staff),
    ]
}

static ROUTES: LazyLock<HashMap<&'static str, Route>> =
    LazyLock::new(|| all().into_iter().map(|r| (r.path, r)).collect());

/// The function at `path`. A path not in the table (a function added
/// without an entry) is treated as a staff function taking JSON.
pub fn route_of(path: &str) -> Route {
    ROUTES.get(path).copied().unwrap_or(Route {
        path: "",
        access: Access::Staff,
        input: "application/json",
    })
}

/// Why the gate refused a call.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Refusal {
    /// Nobody is signed in and the function is for staff.
    Unauthenticated,
    /// The body is not of the function's content type.
    UnsupportedMediaType { expected: &'static str },
}

/// Lets the call through, or says why not (before the body is read).
pub fn check(path: &str, caller: &Caller, headers: &HeaderMap) -> Result<(), Refusal> {
    let route = route_of(path);
    if route.access == Access::Staff && *caller == Caller::Anonymous {
        return Err(Refusal::Unauthenticated);
    }
    let sent = headers
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.split(';').next())
        .map(str::trim);
    if !sent.is_some_and(|sent| sent.eq_ignore_ascii_case(route.input)) {
        return Err(Refusal::UnsupportedMediaType {
            expected: route.input,
        });
    }
    Ok(())
}

impl IntoResponse for Refusal {
    /// An [`ApiError`] as a server function answers one, so the app reads it
    /// like any other.
    fn into_response(self) -> Response {
        let (status, error) = match self {
            Refusal::Unauthenticated => (StatusCode::UNAUTHORIZED, ApiError::Unauthenticated),
            Refusal::UnsupportedMediaType { expected } => (
                StatusCode::UNSUPPORTED_MEDIA_TYPE,
                ApiError::BadRequest(format!("the request body must be {expected}")),
            ),
        };
        let body = serde_json::to_vec(&error).unwrap_or_default();
        let mut res = (status, Body::from(body)).into_response();
        let h = res.headers_mut();
        h.insert(
            header::CONTENT_TYPE,
            HeaderValue::from_static("application/json"),
        );
        h.insert("serverfnerror", HeaderValue::from_static("gate"));
        res
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn json() -> HeaderMap {
        let mut h = HeaderMap::new();
        h.insert(
            header::CONTENT_TYPE,
            HeaderValue::from_static("application/json; charset=utf-8"),
        );
        h
    }

    #[test]
    fn every_registered_server_function_is_in_the_table() {
        let registered: Vec<&str> = leptos::server_fn::axum::server_fn_paths()
            .map(|(p, _)| p)
            .collect();
        assert!(!registered.is_empty());
        for path in registered {
            assert!(
                ROUTES.contains_key(path),
                "{path} is not in the gate's table (src/api/gate.rs)"
            );
        }
    }

    #[test]
    fn only_signing_in_and_out_and_the_status_are_public() {
        let public: Vec<&str> = {
            let mut p: Vec<_> = all()
                .into_iter()
                .filter(|r| r.access == Access::Anyone)
                .map(|r| r.path)
                .collect();
            p.sort();
            p
        };
        assert_eq!(
            public,
            ["/api/auth/login", "/api/auth/logout", "/api/auth/status"]
        );
        assert!(all().iter().all(|r| r.input == "application/json"));
    }

    #[test]
    fn anonymous_callers_reach_only_public_functions() {
        let anon = Caller::Anonymous;
        assert_eq!(check("/api/auth/login", &anon, &json()), Ok(()));
        assert_eq!(
            check("/api/admin/users/create", &anon, &json()),
            Err(Refusal::Unauthenticated)
        );
        assert_eq!(
            check("/api/not/a/function", &anon, &HeaderMap::new()),
            Err(Refusal::Unauthenticated)
        );
    }

    #[test]
    fn the_content_type_must_be_the_functions_own() {
        let anon = Caller::Anonymous;
        let with = |value: &'static str| {
            let mut h = HeaderMap::new();
            h.insert(header::CONTENT_TYPE, HeaderValue::from_static(value));
            check("/api/auth/login", &anon, &h)
        };
        let refused = Err(Refusal::UnsupportedMediaType {
            expected: "application/json",
        });
        assert_eq!(with("application/json"), Ok(()));
        assert_eq!(with("Application/JSON;charset=UTF-8"), Ok(()));
        assert_eq!(with("text/plain"), refused);
        assert_eq!(with("application/x-www-form-urlencoded"), refused);
        assert_eq!(with("application/jsonp"), refused);
        assert_eq!(check("/api/auth/login", &anon, &HeaderMap::new()), refused);
    }
}
