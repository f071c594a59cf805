//! The connection layer's own short answers, for requests that never reach
//! the router (a head that did not arrive in time, too large or malformed, a
//! full server): a status, a line of text, the security headers every answer
//! carries, and `connection: close`.

use crate::server::security;
use axum::http::{header, HeaderMap, HeaderValue, StatusCode};
use tokio::io::{AsyncReadExt, AsyncWriteExt};

/// The status line and `headers`, with `connection: close`; the caller adds
/// the blank line (and a body).
pub fn head(status: StatusCode, headers: &HeaderMap) -> Vec<u8> {
    let mut out = format!(
        "HTTP/1.1 {} {}\r\n",
        status.as_u16(),
        status.canonical_reason().unwrap_or("")
    )
    .into_bytes();
    for (name, value) in headers {
        if name == header::CONTENT_LENGTH
            || name == header::TRANSFER_ENCODING
            || name == header::CONNECTION
        {
            continue;
        }
        out.extend_from_slice(name.as_str().as_bytes());
        out.extend_from_slice(b": ");
        out.extend_from_slice(value.as_bytes());
        out.extend_from_slice(b"\r\n");
    }
    out.extend_from_slice(b"connection: close\r\n");
    out
}

/// A complete plain-text answer.
pub fn plain(status: StatusCode, text: &str) -> Vec<u8> {
    let mut headers = HeaderMap::new();
    headers.insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("text/plain; charset=utf-8"),
    );
    headers.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    if status == StatusCode::SERVICE_UNAVAILABLE {
        headers.insert(header::RETRY_AFTER, HeaderValue::from_static("5"));
    }
    security::add_baseline(&mut headers);
    let mut out = head(status, &headers);
    out.extend_from_slice(format!("content-length: {}\r\n\r\n", text.len()).as_bytes());
    out.extend_from_slice(text.as_bytes());
    out
}

/// Writes `plain(status, text)` to `stream` if it takes it at once (a peer
/// that reads nothing cannot hold the task), then lets the caller close.
pub fn try_send(stream: &tokio::net::TcpStream, status: StatusCode, text: &str) {
    let _ = stream.try_write(&plain(status, text));
}

/// How long, and how much, a refused peer's unread input is drained after
/// the answer, so closing does not reset the connection before the answer is
/// read (a "lingering close").
const LINGER: std::time::Duration = std::time::Duration::from_secs(2);
const LINGER_BYTES: usize = 256 * 1024;

/// Writes `plain(status, text)`, ends our side, and drains what the peer
/// still sends for a short while (bounded in time and bytes).
pub async fn send(stream: &mut tokio::net::TcpStream, status: StatusCode, text: &str) {
    if stream.write_all(&plain(status, text)).await.is_err() {
        return;
    }
    let _ = stream.shutdown().await;
    let drain = async {
        let mut scratch = [0u8; 4096];
        let mut drained = 0;
        while drained < LINGER_BYTES {
            match stream.read(&mut scratch).await {
                Ok(0) | Err(_) => break,
                Ok(n) => drained += n,
            }
        }
    };
    let _ = tokio::time::timeout(LINGER, drain).await;
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn refusals_carry_the_security_headers_and_close() {
        let text = String::from_utf8(plain(StatusCode::REQUEST_TIMEOUT, "too slow")).unwrap();
        assert!(text.starts_with("HTTP/1.1 408 Request Timeout\r\n"));
        for header in [
            "x-content-type-options: nosniff",
            "x-frame-options: DENY",
            "referrer-policy: no-referrer",
            "content-security-policy: default-src 'none'",
            "cache-control: no-store",
            "connection: close",
            "content-length: 8",
        ] {
            assert!(text.contains(header), "{header} in {text}");
        }
        assert!(text.ends_with("\r\n\r\ntoo slow"));
    }
}
