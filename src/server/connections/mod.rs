//! Accepting connections. Each new connection takes a place within the
//! connection caps ([`limits`]), then its first request head is read with a
//! deadline ([`request_head`]); a fresh connection whose first request opens a
//! live stream takes the stream lane ([`stream_lane`]): the same router
//! answers it, and its event frames are then written straight to the socket,
//! without HTTP/1.1 chunking or hyper's per-frame work in between — with a
//! thousand viewers that is most of what the server does per event. Every
//! other connection takes the HTTP lane ([`http_lane`]): hyper with keep-alive
//! and an idle timeout, reading on from the bytes already read
//! ([`rewound`]). What the layer refuses by itself is answered with the
//! security headers every answer carries ([`refusal`]).

mod http_lane;
mod limits;
mod refusal;
mod request_head;
mod rewound;
mod stream_lane;

pub use limits::{Caps, Limits};

use axum::http::StatusCode;
use axum::Router;
use request_head::Lane;
use rewound::Rewound;
use std::net::SocketAddr;
use std::sync::Arc;
use std::time::Duration;
use tokio::net::{TcpListener, TcpStream};
use tokio_util::sync::CancellationToken;
use tokio_util::task::TaskTracker;

/// How connections are held and for how long.
#[derive(Debug, Clone)]
pub struct Settings {
    /// A new connection must send its whole first request head within this.
    pub header_read: Duration,
    /// A kept-alive connection waiting this long for its next request head
    /// (or taking this long to send it) is closed.
    pub idle: Duration,
    pub limits: Arc<Limits>,
}

/// How long connections may take to finish after shutdown begins.
const DRAIN: Duration = Duration::from_secs(5);

/// Accepts on `listener` and serves every connection with `router` until
/// `shutdown` is cancelled; then lets open connections finish their request
/// in hand (at most [`DRAIN`]) and returns.
pub async fn serve(
    listener: TcpListener,
    router: Router,
    settings: Settings,
    shutdown: CancellationToken,
) {
    let settings = Arc::new(settings);
    let tracker = TaskTracker::new();
    loop {
        let (stream, peer) = tokio::select! {
            _ = shutdown.cancelled() => break,
            accepted = listener.accept() => match accepted {
                Ok(accepted) => accepted,
                Err(e) => {
                    // Out of file descriptors and the like: wait, do not spin.
                    tracing::warn!(error = %e, "could not accept a connection");
                    tokio::time::sleep(Duration::from_millis(50)).await;
                    continue;
                }
            },
        };
        let permit = match settings.limits.admit(peer.ip()) {
            Ok(permit) => permit,
            Err(full) => {
                tracing::debug!(%peer, %full, "connection refused");
                refusal::try_send(&stream, StatusCode::SERVICE_UNAVAILABLE, "server busy");
                continue;
            }
        };
        if let Err(e) = stream.set_nodelay(true) {
            tracing::debug!(error = %e, "could not set TCP_NODELAY");
        }
        let (router, settings, shutdown) = (router.clone(), settings.clone(), shutdown.clone());
        tracker.spawn(async move {
            connection(stream, peer, permit, router, &settings, shutdown).await;
        });
    }
    tracker.close();
    if tokio::time::timeout(DRAIN, tracker.wait()).await.is_err() {
        tracing::warn!(
            open = tracker.len(),
            "connections still open after shutdown; leaving them"
        );
    }
}

async fn connection(
    mut stream: TcpStream,
    peer: SocketAddr,
    permit: limits::Permit,
    router: Router,
    settings: &Settings,
    shutdown: CancellationToken,
) {
    let head = tokio::select! {
        head = request_head::read(&mut stream, settings.header_read) => head,
        _ = shutdown.cancelled() => return,
    };
    let head = match head {
        Ok(head) => head,
        Err(e) => {
            if let Some(status) = e.status() {
                tracing::debug!(%peer, error = %e, "request head refused");
                refusal::send(&mut stream, status, &e.to_string()).await;
            }
            return;
        }
    };
    match head.lane {
        Lane::Stream => match permit.into_stream() {
            Ok(permit) => stream_lane::serve(stream, &head.bytes, peer, router, permit).await,
            Err((_, full)) => {
                tracing::debug!(%peer, %full, "live stream refused");
                refusal::send(
                    &mut stream,
                    StatusCode::SERVICE_UNAVAILABLE,
                    "too many live streams",
                )
                .await;
            }
        },
        Lane::Http => {
            let stream = Rewound::new(head.bytes, stream);
            http_lane::serve(stream, peer, router, settings.idle, shutdown).await;
            drop(permit);
        }
    }
}
