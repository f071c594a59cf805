//! Which lane a new connection takes, from its first request line, read
//! without consuming it (`peek`): `GET` of a live stream (`/api/stream`, or a
//! tracking link's `/api/track/<token>/stream`) takes the stream lane;
//! anything else, including a line that has not arrived in time, goes to axum,
//! which answers it as always.

use std::time::Duration;
use tokio::net::TcpStream;

/// The longest request line looked at; a longer one goes to axum.
const MAX_LINE: usize = 4096;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Lane {
    Stream,
    Axum,
    /// The peer closed (or failed) before sending a request line.
    Gone,
}

/// Peeks at the connection until its first request line is complete.
pub async fn lane(stream: &TcpStream, wait: Duration) -> Lane {
    let mut buf = vec![0u8; MAX_LINE];
    let deadline = tokio::time::Instant::now() + wait;
    loop {
        let n = match tokio::time::timeout_at(deadline, stream.peek(&mut buf)).await {
            Err(_) => return Lane::Axum,
            Ok(Err(_)) | Ok(Ok(0)) => return Lane::Gone,
            Ok(Ok(n)) => n,
        };
        match classify(&buf[..n]) {
            Some(lane) => return lane,
            // Only part of the line is here: `peek` would return at once
            // again, so give the rest a moment to arrive.
            None if n < MAX_LINE => tokio::time::sleep(Duration::from_millis(1)).await,
            None => return Lane::Axum,
        }
    }
}

/// The lane for the bytes seen so far, or `None` while the line is incomplete
/// and could still be a live stream.
fn classify(start: &[u8]) -> Option<Lane> {
    const GET: &[u8] = b"GET ";
    if !GET.starts_with(&start[..start.len().min(GET.len())]) {
        return Some(Lane::Axum);
    }
    let line_end = start.iter().position(|&b| b == b'\n')?;
    let line = std::str::from_utf8(&start[..line_end]).ok()?;
    let target = line.split(' ').nth(1).unwrap_or("");
    let path = target.split('?').next().unwrap_or("");
    Some(if is_live_stream(path) {
        Lane::Stream
    } else {
        Lane::Axum
    })
}

fn is_live_stream(path: &str) -> bool {
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
        let staff = b"GET /api/stream?topics=order:CR-1&after=3 HTTP/1.1\r\nHost: x\r\n";
        assert_eq!(classify(staff), Some(Lane::Stream));
        assert_eq!(
            classify(b"GET /api/stream HTTP/1.1\r\n"),
            Some(Lane::Stream)
        );
        let customer = b"GET /api/track/abcDEF_123/stream HTTP/1.1\r\n";
        assert_eq!(classify(customer), Some(Lane::Stream));
    }

    #[test]
    fn everything_else_goes_to_axum() {
        for line in [
            &b"POST /api/stream HTTP/1.1\r\n"[..],
            b"GET /api/streams HTTP/1.1\r\n",
            b"GET /api/track/abc HTTP/1.1\r\n",
            b"GET /api/track//stream HTTP/1.1\r\n",
            b"GET /api/track/a/b/stream HTTP/1.1\r\n",
            b"GET / HTTP/1.1\r\n",
            b"PRI * HTTP/2.0\r\n",
            b"\x16\x03\x01",
        ] {
            assert_eq!(classify(line), Some(Lane::Axum), "{line:?}");
        }
    }

    #[test]
    fn an_incomplete_line_waits_only_while_it_could_be_a_stream() {
        assert_eq!(classify(b"GE"), None);
        assert_eq!(classify(b"GET /api/str"), None);
        assert_eq!(classify(b"PO"), Some(Lane::Axum));
    }
}
