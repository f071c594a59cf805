//! Accepting connections: every connection goes to axum (hyper) except a
//! fresh connection whose first request opens a live stream, which takes the
//! stream lane ([`stream_lane`]): the same router answers it, and the event
//! frames are then written straight to the socket, without HTTP/1.1 chunking
//! or hyper's per-frame machinery in between. With a thousand viewers that is
//! most of what the server does per event.
//!
//! [`Lanes`] is an axum [`Listener`]: a task accepts, sets `TCP_NODELAY`
//! (frames are small and must leave at once), and looks at the request line
//! ([`first_request`]) before deciding which lane a connection takes.

mod first_request;
mod stream_lane;

use axum::serve::Listener;
use axum::Router;
use std::net::SocketAddr;
use std::time::Duration;
use tokio::net::{TcpListener, TcpStream};
use tokio::sync::mpsc;
use tokio_util::sync::CancellationToken;

/// How long a new connection may take to send its request line.
const REQUEST_LINE_WAIT: Duration = Duration::from_secs(10);

/// Connections for axum, after live streams have been taken out.
pub struct Lanes {
    local: SocketAddr,
    to_axum: mpsc::Receiver<(TcpStream, SocketAddr)>,
}

impl Lanes {
    /// Starts accepting on `listener`. Live streams are answered by `router`
    /// on the stream lane; everything else is handed to whoever accepts from
    /// the returned listener (axum). Stops accepting when `shutdown` is
    /// cancelled.
    pub fn start(listener: TcpListener, router: Router, shutdown: CancellationToken) -> Lanes {
        let local = listener
            .local_addr()
            .expect("a bound listener has an address");
        let (tx, to_axum) = mpsc::channel(256);
        tokio::spawn(accept(listener, router, tx, shutdown));
        Lanes { local, to_axum }
    }
}

impl Listener for Lanes {
    type Io = TcpStream;
    type Addr = SocketAddr;

    async fn accept(&mut self) -> (TcpStream, SocketAddr) {
        match self.to_axum.recv().await {
            Some(connection) => connection,
            // No more connections (shutting down): axum stops on its own signal.
            None => std::future::pending().await,
        }
    }

    fn local_addr(&self) -> std::io::Result<SocketAddr> {
        Ok(self.local)
    }
}

async fn accept(
    listener: TcpListener,
    router: Router,
    to_axum: mpsc::Sender<(TcpStream, SocketAddr)>,
    shutdown: CancellationToken,
) {
    loop {
        let (stream, peer) = tokio::select! {
            _ = shutdown.cancelled() => return,
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
        if let Err(e) = stream.set_nodelay(true) {
            tracing::debug!(error = %e, "could not set TCP_NODELAY");
        }
        let (router, to_axum) = (router.clone(), to_axum.clone());
        tokio::spawn(async move {
            match first_request::lane(&stream, REQUEST_LINE_WAIT).await {
                first_request::Lane::Stream => stream_lane::serve(stream, peer, router).await,
                first_request::Lane::Axum => {
                    let _ = to_axum.send((stream, peer)).await;
                }
                first_request::Lane::Gone => {}
            }
        });
    }
}
