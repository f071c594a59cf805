//! Browser-facing protections on every response and request: refusing
//! requests for other hosts and cross-site state changes (CSRF) against the
//! public origins, a Content-Security-Policy that fits the Trunk-built app,
//! and headers that keep staff data out of frames and caches.

use super::public_origin::PublicOrigins;
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
/// a request comes from in `Sec-Fetch-Site`, and in `Origin`: when either is
/// sent it must say "this app" — `Origin` must be one of the public origins,
/// scheme, host and port alike. Requests with neither (curl, other servers)
/// carry no ambient browser cookies to abuse.
pub fn is_cross_site(method: &Method, headers: &HeaderMap, origins: &PublicOrigins) -> bool {
    if matches!(*method, Method::GET | Method::HEAD | Method::OPTIONS) {
        return false;
    }
    if let Some(site) = headers.get("sec-fetch-site") {
        if !matches!(site.to_str(), Ok("same-origin" | "none")) {
            return true;
        }
    }
    match headers.get(header::ORIGIN) {
        Some(origin) => !origin.to_str().is_ok_and(|o| origins.allows_origin(o)),
        None => false,
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

/// Paths served to other servers, not browsers: they carry no cookies, each
/// request proves itself (signature, API key), and health probes and
/// platforms may name the server by any host.
fn is_machine_path(path: &str) -> bool {
    path == "/healthz" || path.starts_with("/hooks/") || path.starts_with("/api/v1/")
}

/// Why a request is not for this app.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Misdirected {
    /// No `Host` at all.
    NoHost,
    /// A `Host` that is not one of the public origins (DNS rebinding, a
    /// forged host).
    OtherHost,
}

/// Browser requests must name one of the public origins in `Host`.
pub fn check_host(
    path: &str,
    uri_host: Option<&str>,
    headers: &HeaderMap,
    origins: &PublicOrigins,
) -> Result<(), Misdirected> {
    if is_machine_path(path) {
        return Ok(());
    }
    let host = headers
        .get(header::HOST)
        .and_then(|v| v.to_str().ok())
        .or(uri_host);
    match host {
        None => Err(Misdirected::NoHost),
        Some(host) if origins.allows_host(host) => Ok(()),
        Some(_) => Err(Misdirected::OtherHost),
    }
}

/// Middleware: requests for another host are refused (421, or 400 without a
/// `Host`), and state-changing requests from another origin (403).
pub async fn same_origin(
    State(origins): State<PublicOrigins>,
    req: Request<Body>,
    next: Next,
) -> Response {
    let path = req.uri().path();
    let authority = req.uri().authority().map(|a| a.as_str());
    match check_host(path, authority, req.headers(), &origins) {
        Ok(()) => {}
        Err(Misdirected::NoHost) => {
            return (StatusCode::BAD_REQUEST, "the request names no host").into_response();
        }
        Err(Misdirected::OtherHost) => {
            tracing::warn!(path, host = ?req.headers().get(header::HOST), "request for another host refused");
            return (
                StatusCode::MISDIRECTED_REQUEST,
                "this server does not answer for that host",
            )
                .into_response();
        }
    }
    if is_cross_site(req.method(), req.headers(), &origins) {
        tracing::warn!(path, "cross-site request refused");
        return (StatusCode::FORBIDDEN, "cross-site request refused").into_response();
    }
    next.run(req).await
}

/// Middleware: security headers on every response (refusals included).
pub async fn guard(
    State(headers): State<Arc<Headers>>,
    req: Request<Body>,
    next: Next,
) -> Response {
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

    fn local() -> PublicOrigins {
        PublicOrigins::of_bound_address("127.0.0.1:3000".parse().unwrap())
    }

    #[test]
    fn cross_site_posts_are_recognised() {
        let post = Method::POST;
        let cross = |pairs: &[(&'static str, &'static str)]| {
            is_cross_site(&post, &headers(pairs), &local())
        };
        assert!(cross(&[("sec-fetch-site", "cross-site")]));
        assert!(cross(&[("sec-fetch-site", "same-site")]));
        assert!(!cross(&[("sec-fetch-site", "same-origin")]));
        assert!(cross(&[("origin", "https://evil.example")]));
        assert!(cross(&[("origin", "null")]));
        // The host part alone is not enough: scheme and port count too.
        assert!(cross(&[("origin", "evil://127.0.0.1:3000")]));
        assert!(cross(&[("origin", "https://127.0.0.1:3000")]));
        assert!(cross(&[("origin", "http://127.0.0.1:3001")]));
        assert!(cross(&[
            ("origin", "https://evil.example"),
            ("sec-fetch-site", "same-origin")
        ]));
        assert!(!cross(&[("origin", "http://127.0.0.1:3000")]));
        assert!(!cross(&[("origin", "http://localhost:3000")]));
        assert!(!cross(&[]));
        assert!(!is_cross_site(
            &Method::GET,
            &headers(&[("sec-fetch-site", "cross-site")]),
            &local()
        ));
    }

    #[test]
    fn browser_paths_must_name_a_public_host() {
        let check = |path: &str, pairs: &[(&'static str, &'static str)]| {
            check_host(path, None, &headers(pairs), &local())
        };
        assert_eq!(check("/orders", &[("host", "127.0.0.1:3000")]), Ok(()));
        assert_eq!(
            check("/api/orders/list", &[("host", "localhost:3000")]),
            Ok(())
        );
        assert_eq!(
            check("/api/orders/list", &[("host", "evil.example:3000")]),
            Err(Misdirected::OtherHost)
        );
        assert_eq!(check("/", &[]), Err(Misdirected::NoHost));
        // Machine endpoints prove each request themselves.
        assert_eq!(check("/hooks/shopify", &[("host", "10.1.2.3")]), Ok(()));
        assert_eq!(check("/api/v1/orders/X/events", &[]), Ok(()));
        assert_eq!(check("/healthz", &[("host", "10.1.2.3:3000")]), Ok(()));
        // HTTP/2 names the host in the URI.
        assert_eq!(
            check_host("/", Some("127.0.0.1:3000"), &HeaderMap::new(), &local()),
            Ok(())
        );
    }

    #[test]
    fn inline_scripts_are_found_and_external_ones_skipped() {
        let html = r#"<script src="/a.js"></script><script type="module">import init from '/x.js';</script>"#;
        let found: Vec<_> = inline_scripts(html).collect();
        assert_eq!(found, vec!["import init from '/x.js';"]);
    }
}
