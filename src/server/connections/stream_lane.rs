//! The stream lane: one live-stream request on a fresh connection, answered
//! by the application's own router (the same handler, checks and frames as
//! on any other connection), then written to the socket as a close-delimited
//! HTTP/1.1 response: each event frame goes out as it is, with one write.
//! The connection is closed when the stream ends or the peer goes away.

use axum::body::{Body, Bytes};
use axum::extract::ConnectInfo;
use axum::http::{header, HeaderName, HeaderValue, Method, Request, Response, Version};
use axum::Router;
use http_body_util::BodyExt;
use std::net::SocketAddr;
use std::time::Duration;
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpStream;
use tower::ServiceExt;

/// The most a request head may take (as hyper's default allows).
const MAX_HEAD: usize = 64 * 1024;
const MAX_HEADERS: usize = 100;
/// How long the rest of the request head may take.
const HEAD_WAIT: Duration = Duration::from_secs(10);
/// Responses that are not event streams (refusals) are small; more is cut.
const MAX_PLAIN_BODY: usize = 64 * 1024;

/// Serves one live-stream request on `stream`.
pub async fn serve(mut stream: TcpStream, peer: SocketAddr, router: Router) {
    let request = match tokio::time::timeout(HEAD_WAIT, read_request(&mut stream, peer)).await {
        Ok(Ok(request)) => request,
        Ok(Err(HeadError::Gone)) | Err(_) => return,
        Ok(Err(HeadError::Bad(status, reason))) => {
            let _ = stream.write_all(&plain(status, reason.as_bytes())).await;
            return;
        }
    };
    let response = match router.oneshot(request).await {
        Ok(response) => response,
        Err(never) => match never {},
    };
    let is_stream = response
        .headers()
        .get(header::CONTENT_TYPE)
        .is_some_and(|v| v.as_bytes().starts_with(b"text/event-stream"));
    if is_stream {
        write_stream(stream, response).await;
    } else {
        let (parts, body) = response.into_parts();
        let body = match axum::body::to_bytes(body, MAX_PLAIN_BODY).await {
            Ok(body) => body,
            Err(_) => Bytes::new(),
        };
        let mut out = head(parts.status, &parts.headers);
        out.extend_from_slice(format!("content-length: {}\r\n\r\n", body.len()).as_bytes());
        out.extend_from_slice(&body);
        let _ = stream.write_all(&out).await;
    }
}

/// The event stream: head, then every frame as it comes, until the stream
/// ends, a write fails, or the peer closes its side.
async fn write_stream(mut stream: TcpStream, response: Response<Body>) {
    let (parts, mut body) = response.into_parts();
    let mut out = head(parts.status, &parts.headers);
    out.extend_from_slice(b"\r\n");
    if stream.write_all(&out).await.is_err() {
        return;
    }
    let mut scratch = [0u8; 512];
    loop {
        tokio::select! {
            frame = body.frame() => match frame {
                Some(Ok(frame)) => {
                    if let Ok(data) = frame.into_data() {
                        if stream.write_all(&data).await.is_err() {
                            return;
                        }
                    }
                }
                Some(Err(_)) | None => return,
            },
            // A client says nothing more after its request: end of input or
            // an error means it has gone.
            read = stream.read(&mut scratch) => match read {
                Ok(0) | Err(_) => return,
                Ok(_) => {}
            },
        }
    }
}

/// The status line and the handler's headers, with `connection: close`
/// (the body ends when the connection does).
fn head(status: axum::http::StatusCode, headers: &axum::http::HeaderMap) -> Vec<u8> {
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

/// A short plain-text answer to a request that could not be read.
fn plain(status: axum::http::StatusCode, body: &[u8]) -> Vec<u8> {
    let mut headers = axum::http::HeaderMap::new();
    headers.insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("text/plain; charset=utf-8"),
    );
    let mut out = head(status, &headers);
    out.extend_from_slice(format!("content-length: {}\r\n\r\n", body.len()).as_bytes());
    out.extend_from_slice(body);
    out
}

enum HeadError {
    Gone,
    Bad(axum::http::StatusCode, &'static str),
}

/// Reads and parses the request head (a live-stream request has no body).
async fn read_request(
    stream: &mut TcpStream,
    peer: SocketAddr,
) -> Result<Request<Body>, HeadError> {
    use axum::http::StatusCode;
    let mut buf = Vec::with_capacity(2048);
    let mut chunk = [0u8; 2048];
    loop {
        let n = stream.read(&mut chunk).await.map_err(|_| HeadError::Gone)?;
        if n == 0 {
            return Err(HeadError::Gone);
        }
        buf.extend_from_slice(&chunk[..n]);
        let mut headers = [httparse::EMPTY_HEADER; MAX_HEADERS];
        let mut parsed = httparse::Request::new(&mut headers);
        match parsed.parse(&buf) {
            Ok(httparse::Status::Complete(_)) => {
                return to_request(&parsed, peer)
                    .ok_or(HeadError::Bad(StatusCode::BAD_REQUEST, "malformed request"))
            }
            Ok(httparse::Status::Partial) if buf.len() < MAX_HEAD => {}
            Ok(httparse::Status::Partial) => {
                return Err(HeadError::Bad(
                    StatusCode::REQUEST_HEADER_FIELDS_TOO_LARGE,
                    "request head too large",
                ))
            }
            Err(_) => return Err(HeadError::Bad(StatusCode::BAD_REQUEST, "malformed request")),
        }
    }
}

fn to_request(parsed: &httparse::Request<'_, '_>, peer: SocketAddr) -> Option<Request<Body>> {
    let mut request = Request::builder()
        .method(Method::from_bytes(parsed.method?.as_bytes()).ok()?)
        .uri(parsed.path?)
        .version(Version::HTTP_11);
    for h in parsed.headers.iter() {
        request = request.header(
            HeaderName::from_bytes(h.name.as_bytes()).ok()?,
            HeaderValue::from_bytes(h.value).ok()?,
        );
    }
    let mut request = request.body(Body::empty()).ok()?;
    request.extensions_mut().insert(ConnectInfo(peer));
    Some(request)
}
