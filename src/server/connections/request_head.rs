//! The first request of a new connection, read (not peeked) into a buffer
//! until its head is complete, with one deadline for the whole head. The
//! bytes read are handed on: to the stream lane as a parsed request, or to
//! the HTTP lane in front of the rest of the connection ([`super::rewound`]).
//! Nothing here polls: a read waits for bytes, the end of input, or the
//! deadline, whichever comes first.

use axum::http::StatusCode;
use std::time::Duration;
use tokio::io::AsyncReadExt;
use tokio::net::TcpStream;

/// The largest request head accepted (as hyper's default allows).
pub const MAX_HEAD: usize = 64 * 1024;
/// The longest request line accepted.
const MAX_LINE: usize = 8 * 1024;
const MAX_HEADERS: usize = 100;

/// Which lane a connection takes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Lane {
    /// `GET` of a live stream (`/api/stream`, or a tracking link's
    /// `/api/track/<token>/stream`).
    Stream,
    /// Everything else: the HTTP lane (hyper and the router).
    Http,
}

/// A complete first request head (and whatever followed it).
#[derive(Debug)]
pub struct Head {
    pub lane: Lane,
    /// The bytes read so far: the head, and possibly the start of a body.
    pub bytes: Vec<u8>,
}

/// Why no head was read.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum HeadError {
    /// The peer closed or failed before a head was complete: nothing to answer.
    #[error("the peer went away")]
    Gone,
    #[error("the request head did not arrive in time")]
    Timeout,
    #[error("request line too long")]
    LineTooLong,
    #[error("request head too large")]
    TooLarge,
    #[error("malformed request")]
    Malformed,
}

impl HeadError {
    /// The status to answer with, if any.
    pub fn status(self) -> Option<StatusCode> {
        match self {
            HeadError::Gone => None,
            HeadError::Timeout => Some(StatusCode::REQUEST_TIMEOUT),
            HeadError::LineTooLong => Some(StatusCode::URI_TOO_LONG),
            HeadError::TooLarge => Some(StatusCode::REQUEST_HEADER_FIELDS_TOO_LARGE),
            HeadError::Malformed => Some(StatusCode::BAD_REQUEST),
        }
    }
}

/// Reads the first request head, all of it within `wait`.
pub async fn read(stream: &mut TcpStream, wait: Duration) -> Result<Head, HeadError> {
    let deadline = tokio::time::Instant::now() + wait;
    let mut bytes = Vec::with_capacity(1024);
    loop {
        if bytes.len() == bytes.capacity() {
            bytes.reserve(
                bytes
                    .len()
                    .min(MAX_HEAD.saturating_sub(bytes.len()))
                    .max(1024),
            );
        }
        match tokio::time::timeout_at(deadline, stream.read_buf(&mut bytes)).await {
            Err(_) => return Err(HeadError::Timeout),
            Ok(Err(_)) | Ok(Ok(0)) => return Err(HeadError::Gone),
            Ok(Ok(_)) => {}
        }
        if let Some(lane) = judge(&bytes)? {
            return Ok(Head { lane, bytes });
        }
    }
}

/// The lane once the head in `bytes` is complete, `None` while it is not.
fn judge(bytes: &[u8]) -> Result<Option<Lane>, HeadError> {
    let line_end = bytes.iter().position(|&b| b == b'\n');
    if line_end.unwrap_or(bytes.len()) > MAX_LINE {
        return Err(HeadError::LineTooLong);
    }
    if !starts_like_a_request(bytes) {
        return Err(HeadError::Malformed);
    }
    let mut headers = [httparse::EMPTY_HEADER; MAX_HEADERS];
    let mut request = httparse::Request::new(&mut headers);
    match request.parse(bytes) {
        Ok(httparse::Status::Complete(_)) => {
            let lane = if request.method == Some("GET") && request.path.is_some_and(is_live_stream)
            {
                Lane::Stream
            } else {
                Lane::Http
            };
            Ok(Some(lane))
        }
        Ok(httparse::Status::Partial) if bytes.len() < MAX_HEAD => Ok(None),
        Ok(httparse::Status::Partial) | Err(httparse::Error::TooManyHeaders) => {
            Err(HeadError::TooLarge)
        }
        Err(_) => Err(HeadError::Malformed),
    }
}

/// An HTTP/1 request starts with an upper-case method token and a space;
/// anything else (TLS, HTTP/2 without upgrade, noise) is refused at once
/// instead of waiting for a head that will never come.
fn starts_like_a_request(bytes: &[u8]) -> bool {
    let method_len = bytes.iter().take_while(|b| b.is_ascii_uppercase()).count();
    match bytes.get(method_len) {
        None => method_len == bytes.len() && method_len <= 16,
        Some(b' ') => (1..=16).contains(&method_len),
        Some(_) => false,
    }
}

fn is_live_stream(target: &str) -> bool {
    let path = target.split('?').next().unwrap_or("");
    path == "/api/stream"
        || path
            .strip_prefix("/api/track/")
            .and_then(|rest| rest.strip_suffix("/stream"))
            .is_some_and(|token| !token.is_empty() && !token.contains('/'))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn live_streams_take_the_stream_lane() {
        for head in [
            &b"GET /api/stream?topics=order:CR-1&after=3 HTTP/1.1\r\nHost: x\r\n\r\n"[..],
            b"GET /api/stream HTTP/1.1\r\n\r\n",
            b"GET /api/track/abcDEF_123/stream HTTP/1.1\r\nHost: x\r\n\r\n",
        ] {
            assert_eq!(judge(head), Ok(Some(Lane::Stream)), "{head:?}");
        }
    }

    #[test]
    fn everything_else_takes_the_http_lane() {
        for head in [
            &b"POST /api/stream HTTP/1.1\r\n\r\n"[..],
            b"GET /api/streams HTTP/1.1\r\n\r\n",
            b"GET /api/track/abc HTTP/1.1\r\n\r\n",
            b"GET /api/track//stream HTTP/1.1\r\n\r\n",
            b"GET /api/track/a/b/stream HTTP/1.1\r\n\r\n",
            b"GET / HTTP/1.1\r\nHost: x\r\n\r\nbody",
        ] {
            assert_eq!(judge(head), Ok(Some(Lane::Http)), "{head:?}");
        }
    }

    #[test]
    fn an_incomplete_head_waits_and_noise_is_refused_at_once() {
        assert_eq!(judge(b"G"), Ok(None));
        assert_eq!(judge(b"GET /api/str"), Ok(None));
        assert_eq!(judge(b"GET /api/stream HTTP/1.1\r\nHost: x\r\n"), Ok(None));
        assert_eq!(judge(b"\x16\x03\x01\x02"), Err(HeadError::Malformed));
        assert_eq!(judge(b"get / HTTP/1.1\r\n"), Err(HeadError::Malformed));
        assert_eq!(
            judge(b"PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n"),
            Err(HeadError::Malformed)
        );
    }

    #[test]
    fn oversized_lines_and_heads_are_refused() {
        let long_line = format!("GET /{} HTTP/1.1\r\n", "a".repeat(MAX_LINE));
        assert_eq!(judge(long_line.as_bytes()), Err(HeadError::LineTooLong));
        let mut big = b"GET / HTTP/1.1\r\n".to_vec();
        while big.len() < MAX_HEAD {
            big.extend_from_slice(b"X-Filler: aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa\r\n");
        }
        assert_eq!(judge(&big), Err(HeadError::TooLarge));
    }
}
