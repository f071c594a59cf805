//! The HTTP lane: every connection that is not a fresh live stream, served by
//! hyper (HTTP/1.1 with keep-alive) and the application's router. A kept-alive
//! connection that waits longer than the idle timeout for its next request
//! head (or takes longer to send it) is closed; on shutdown, connections
//! finish the request in hand and close.

use super::rewound::Rewound;
use axum::extract::ConnectInfo;
use axum::Router;
use hyper::body::Incoming;
use hyper::server::conn::http1;
use hyper_util::rt::{TokioIo, TokioTimer};
use std::net::SocketAddr;
use std::time::Duration;
use tokio::net::TcpStream;
use tokio_util::sync::CancellationToken;
use tower::ServiceExt;

/// Serves `stream` (its first request head already read and put back) until
/// the peer closes, the idle timeout passes, or the server shuts down.
pub async fn serve(
    stream: Rewound<TcpStream>,
    peer: SocketAddr,
    router: Router,
    idle: Duration,
    shutdown: CancellationToken,
) {
    let service = hyper::service::service_fn(move |mut request: hyper::Request<Incoming>| {
        request.extensions_mut().insert(ConnectInfo(peer));
        router.clone().oneshot(request)
    });
    let mut builder = http1::Builder::new();
    builder
        .timer(TokioTimer::new())
        // hyper starts this clock when it begins waiting for a request head:
        // it bounds both the idle time between requests and a slow head.
        .header_read_timeout(idle)
        .keep_alive(true);
    let connection = builder.serve_connection(TokioIo::new(stream), service);
    tokio::pin!(connection);
    let result = tokio::select! {
        result = connection.as_mut() => result,
        _ = shutdown.cancelled() => {
            connection.as_mut().graceful_shutdown();
            connection.await
        }
    };
    if let Err(e) = result {
        tracing::debug!(%peer, error = %e, "connection ended with an error");
    }
}
