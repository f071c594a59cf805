//! One log line per request answered: method, route, status and duration.
//! The route is the router's template (`/api/track/{token}`), never the
//! address as sent, so tokens, order ids in paths and query strings (which may
//! hold personal data or secrets) stay out of the log; files of the app are
//! logged as `(app)`.

use axum::body::Body;
use axum::extract::{MatchedPath, Request};
use axum::middleware::Next;
use axum::response::Response;
use std::time::Instant;
use tracing::Instrument;

/// Middleware (as a route layer, where the matched route is known).
pub async fn routes(req: Request<Body>, next: Next) -> Response {
    let route = req
        .extensions()
        .get::<MatchedPath>()
        .map_or_else(|| "(unmatched)".to_string(), |p| p.as_str().to_string());
    logged(route, req, next).await
}

/// Middleware for the app's files (the router's fallback).
pub async fn files(req: Request<Body>, next: Next) -> Response {
    logged("(app)".to_string(), req, next).await
}

async fn logged(route: String, req: Request<Body>, next: Next) -> Response {
    let method = req.method().clone();
    let span = tracing::info_span!("request", %method, route);
    let started = Instant::now();
    let res = next.run(req).instrument(span.clone()).await;
    span.in_scope(|| {
        tracing::info!(
            status = res.status().as_u16(),
            ms = %format_args!("{:.2}", started.elapsed().as_secs_f64() * 1000.0),
            "answered"
        );
    });
    res
}
