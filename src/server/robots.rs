//! Keeping the control room out of search engines: `/robots.txt` (the file in
//! `public/`, which Trunk also copies into `dist/`, served by the server
//! itself so it is there whatever `dist/` holds) asks crawlers to stay out of
//! the API and the staff pages, and every response says `X-Robots-Tag:
//! noindex`. Tracking links are left crawlable on purpose: a crawler that
//! finds one posted somewhere public must fetch it to see `noindex` and drop
//! it; a disallowed address may still be listed bare, token and all.

use axum::body::Body;
use axum::extract::Request;
use axum::http::{header, HeaderName, HeaderValue};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};

/// The robots file, as in `public/robots.txt`.
pub const ROBOTS_TXT: &str = include_str!("../../public/robots.txt");

const X_ROBOTS_TAG: HeaderName = HeaderName::from_static("x-robots-tag");

/// `GET /robots.txt`.
pub async fn robots_txt() -> impl IntoResponse {
    (
        [(header::CONTENT_TYPE, "text/plain; charset=utf-8")],
        ROBOTS_TXT,
    )
}

/// Middleware: `X-Robots-Tag: noindex, nofollow` on every response.
pub async fn noindex(req: Request<Body>, next: Next) -> Response {
    let mut res = next.run(req).await;
    res.headers_mut().insert(
        X_ROBOTS_TAG,
        HeaderValue::from_static("noindex, nofollow, noarchive"),
    );
    res
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn robots_txt_keeps_crawlers_out_of_the_api_but_lets_them_read_noindex_on_links() {
        let rules: Vec<&str> = ROBOTS_TXT.lines().filter(|l| !l.starts_with('#')).collect();
        assert!(rules.contains(&"User-agent: *"));
        assert!(rules.contains(&"Disallow: /api/"));
        assert!(!rules.iter().any(|r| r.starts_with("Disallow: /track")));
    }
}
