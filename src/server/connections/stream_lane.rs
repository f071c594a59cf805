//! The stream lane: one live-stream request on a fresh connection, answered
//! by the application's own router (the same handler, checks and frames as
//! on any other connection), then written to the socket as a close-delimited
//! HTTP/1.1 response: each event frame goes out as it is, with one write.
//! The connection is closed when the stream ends or the peer goes away.

use super::limits::Permit;
use super::refusal;
use axum::body::{Body, Bytes};
use axum::extract::ConnectInfo;
use axum::http::{header, HeaderName, HeaderValue, Method, Request, Response, StatusCode, Version};
use axum::Router;
use http_body_util::BodyExt;
use std::net::SocketAddr;
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpStream;
use tower::ServiceExt;

const MAX_HEADERS: usize = 100;
/// Responses that are not event streams (refusals) are small; more is cut.
const MAX_PLAIN_BODY: usize = 64 * 1024;

/// Serves one live-stream request on `stream`, whose head is `head` (already
/// read and judged complete). The permit is held until the connection closes.
pub async fn serve(
    mut stream: TcpStream,
    head: &[u8],
    peer: SocketAddr,
    router: Router,
    _permit: Permit,
) {
    let Some(request) = parse(head, peer) else {
        refusal::send(&mut stream, StatusCode::BAD_REQUEST, "malformed request").await;
        return;
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
        let mut out = refusal::head(parts.status, &parts.headers);
        out.extend_from_slice(format!("content-length: {}\r\n\r\n", body.len()).as_bytes());
        out.extend_from_slice(&body);
        let _ = stream.write_all(&out).await;
    }
}

/// The event stream: head, then every frame as it comes, until the stream
/// ends, a write fails, or the peer closes its side.
async fn write_stream(mut stream: TcpStream, response: Response<Body>) {
    let (parts, mut body) = response.into_parts();
    let mut out = refusal::head(parts.status, &parts.headers);
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

/// The request in a complete head (a live-stream request has no body).
fn parse(head: &[u8], peer: SocketAddr) -> Option<Request<Body>> {
    let mut headers = [httparse::EMPTY_HEADER; MAX_HEADERS];
    let mut parsed = httparse::Request::new(&mut headers);
    match parsed.parse(head) {
        Ok(httparse::Status::Complete(_)) => to_request(&parsed, peer),
        _ => None,
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
