//! The built app as the browser gets it: each file sent precompressed when
//! the browser accepts it (the brotli and gzip copies `scripts/build-client`
//! writes beside every file of `dist/`), and kept by the browser as long as
//! its name says it can: files named with Trunk's content hash never change,
//! so they are `immutable` for a year; anything else is revalidated. The app
//! page itself (`index.html`, also every deep link) is never stored at all
//! (see [`super::security`]).

use axum::body::Body;
use axum::extract::Request;
use axum::http::{header, HeaderValue, Method};
use axum::middleware::Next;
use axum::response::Response;
use std::path::Path;
use tower_http::services::{ServeDir, ServeFile};

/// The service for everything under `dist`; unknown paths are the app's own
/// routes and get `index.html`.
pub fn service(dist: &Path) -> ServeDir<ServeFile> {
    let index = ServeFile::new(dist.join("index.html"))
        .precompressed_br()
        .precompressed_gzip();
    ServeDir::new(dist)
        .precompressed_br()
        .precompressed_gzip()
        .fallback(index)
}

/// Whether a file name carries a content hash (`main-33ae929fd362b228.css`,
/// `control-room-app-b2cb8bfebe9b6bd8_bg.wasm`): a dash, 12 to 16 hex
/// digits (Trunk writes the hash without leading zeros), then `.` or `_`.
pub fn is_hashed(name: &str) -> bool {
    name.split('-').skip(1).any(|part| {
        let digits = part.bytes().take_while(u8::is_ascii_hexdigit).count();
        (12..=16).contains(&digits) && matches!(part.as_bytes().get(digits), Some(b'.' | b'_'))
    })
}

/// Middleware: how long the browser keeps a file of the app.
pub async fn cache_policy(req: Request<Body>, next: Next) -> Response {
    let path = req.uri().path().to_string();
    let is_file = matches!(*req.method(), Method::GET | Method::HEAD)
        && !path.starts_with("/api/")
        && !path.starts_with("/hooks/")
        && path != "/healthz";
    let mut res = next.run(req).await;
    if !is_file || !res.status().is_success() {
        return res;
    }
    let name = path.rsplit('/').next().unwrap_or("");
    let is_html = res
        .headers()
        .get(header::CONTENT_TYPE)
        .is_some_and(|v| v.as_bytes().starts_with(b"text/html"));
    let policy = if is_hashed(name) && !is_html {
        "public, max-age=31536000, immutable"
    } else {
        "no-cache"
    };
    res.headers_mut()
        .entry(header::CACHE_CONTROL)
        .or_insert(HeaderValue::from_static(policy));
    res
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn trunk_hashed_names_are_recognised_and_others_are_not() {
        for hashed in [
            "control-room-app-108db4b541559c8_bg.wasm",
            "control-room-app-b2cb8bfebe9b6bd8_bg.wasm",
            "control-room-app-b2cb8bfebe9b6bd8.js",
            "main-33ae929fd362b228.css",
        ] {
            assert!(is_hashed(hashed), "{hashed}");
        }
        for plain in [
            "index.html",
            "favicon.svg",
            "robots.txt",
            "orders",
            "CR-0123456789ABCDEF",
            "a-b2cb8bfebe9b6bd",
        ] {
            assert!(!is_hashed(plain), "{plain}");
        }
    }
}
