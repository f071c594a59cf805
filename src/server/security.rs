//! Browser-facing protections on every response and request: refusing
//! cross-site state changes (CSRF), a Content-Security-Policy that fits the
//! Trunk-built app, and headers that keep staff data out of frames and caches.

use axum::body::Body;
use axum::extract::{Request, State};
use axum::http::{header, HeaderMap, HeaderValue, Method, StatusCode};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use base64::Engine;
use sha2::{Digest, Sha256};
use std::path::Path;
use std::sync::Arc;

/// Headers computed once at start.
#[derive(Debug, Clone)]
pub struct Headers {
    csp: HeaderValue,
}

impl Headers {
    /// Builds the policy for the app in `dist`: Trunk's inline bootstrap script
    /// is allowed by its hash; WebAssembly needs `'wasm-unsafe-eval'`, nothing
    /// needs `unsafe-eval` or `unsafe-inline`.
    pub fn for_dist(dist: &Path) -> Arc<Headers> {
        let index = std::fs::read_to_string(dist.join("index.html")).unwrap_or_default();
        let hashes: String = inline_scripts(&index)
            .map(|script| {
                let digest = Sha256::digest(script.as_bytes());
                format!(
                    " 'sha256-{}'",
                    base64::engine::general_purpose::STANDARD.encode(digest)
                )
            })
            .collect();
        let csp = format!(
            "default-src 'self'; script-src 'self' 'wasm-unsafe-eval'{hashes}; \
             style-src 'self'; img-src 'self' data:; connect-src 'self'; font-src 'self'; \
             object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'"
        );
        Arc::new(Headers {
            csp: HeaderValue::from_str(&csp).expect("the policy is ASCII"),
        })
    }
}

/// The bodies of `<script>` elements without a `src`.
fn inline_scripts(html: &str) -> impl Iterator<Item = &str> {
    html.split("<script").skip(1).filter_map(|rest| {
        let open_end = rest.find('>')?;
        let attrs = &rest[..open_end];
        if attrs.contains("src=") {
            return None;
        }
        let body = &rest[open_end + 1..];
        let close = body.find("</script>")?;
        Some(&body[..close])
    })
}

/// A state-changing request sent by another site is refused. Browsers say where
/// a request comes from in `Sec-Fetch-Site`, or at least `Origin`; requests with
/// neither (curl, other servers) carry no ambient browser cookies to abuse.
pub fn is_cross_site(method: &Method, headers: &HeaderMap) -> bool {
    if matches!(*method, Method::GET | Method::HEAD | Method::OPTIONS) {
        return false;
    }
    if let Some(site) = headers.get("sec-fetch-site").and_then(|v| v.to_str().ok()) {
        return !matches!(site, "same-origin" | "none");
    }
    match (
        headers.get(header::ORIGIN).and_then(|v| v.to_str().ok()),
        headers.get(header::HOST).and_then(|v| v.to_str().ok()),
    ) {
        (Some(origin), Some(host)) => {
            let origin_host = origin.split("://").nth(1).unwrap_or("");
            origin == "null" || origin_host != host
        }
        (Some(_), None) => true,
        (None, _) => false,
    }
}

/// The headers every response carries, also those made outside the router
/// (refusals of the connection layer): no sniffing, no referrer, no framing,
/// and a policy that allows nothing (the router's own answers replace it with
/// the app's).
pub fn add_baseline(h: &mut HeaderMap) {
    h.insert(
        header::X_CONTENT_TYPE_OPTIONS,
        HeaderValue::from_static("nosniff"),
    );
    h.insert(
        header::REFERRER_POLICY,
        HeaderValue::from_static("no-referrer"),
    );
    h.insert(header::X_FRAME_OPTIONS, HeaderValue::from_static("DENY"));
    h.insert(
        header::CONTENT_SECURITY_POLICY,
        HeaderValue::from_static("default-src 'none'; frame-ancestors 'none'"),
    );
}

/// Middleware: CSRF check on the way in, security headers on the way out.
pub async fn guard(
    State(headers): State<Arc<Headers>>,
    req: Request<Body>,
    next: Next,
) -> Response {
    if is_cross_site(req.method(), req.headers()) {
        tracing::warn!(path = %req.uri().path(), "cross-site request refused");
        return (StatusCode::FORBIDDEN, "cross-site request refused").into_response();
    }
    let api = req.uri().path().starts_with("/api/") || req.uri().path().starts_with("/healthz");
    let mut res = next.run(req).await;
    let h = res.headers_mut();
    add_baseline(h);
    h.insert(header::CONTENT_SECURITY_POLICY, headers.csp.clone());
    let is_html = h
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.starts_with("text/html"));
    if api || is_html {
        // Staff data (and the page that shows it) never goes into a shared
        // cache, nor the back/forward cache after sign-out.
        h.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    }
    res
}

#[cfg(test)]
mod tests {
    use super::*;

    fn headers(pairs: &[(&'static str, &'static str)]) -> HeaderMap {
        let mut h = HeaderMap::new();
        for (k, v) in pairs {
            h.insert(*k, HeaderValue::from_static(v));
        }
        h
    }

    #[test]
    fn cross_site_posts_are_recognised() {
        let post = Method::POST;
        assert!(is_cross_site(
            &post,
            &headers(&[("sec-fetch-site", "cross-site")])
        ));
        assert!(is_cross_site(
            &post,
            &headers(&[("sec-fetch-site", "same-site")])
        ));
        assert!(!is_cross_site(
            &post,
            &headers(&[("sec-fetch-site", "same-origin")])
        ));
        assert!(is_cross_site(
            &post,
            &headers(&[
                ("origin", "https://evil.example"),
                ("host", "127.0.0.1:3000")
            ])
        ));
        assert!(!is_cross_site(
            &post,
            &headers(&[
                ("origin", "http://127.0.0.1:3000"),
                ("host", "127.0.0.1:3000")
            ])
        ));
        assert!(!is_cross_site(&post, &headers(&[])));
        assert!(!is_cross_site(
            &Method::GET,
            &headers(&[("sec-fetch-site", "cross-site")])
        ));
    }

    #[test]
    fn inline_scripts_are_found_and_external_ones_skipped() {
        let html = r#"<script src="/a.js"></script><script type="module">import init from '/x.js';</script>"#;
        let found: Vec<_> = inline_scripts(html).collect();
        assert_eq!(found, vec!["import init from '/x.js';"]);
    }
}
