//! Assembles the axum application: routes, state, background tasks, shutdown.

use super::config::ServeArgs;
use super::store::{OrderStore, SqliteStore, StoreError};
use super::{demo, detector, live, AppState};
use crate::api::ApiError;
use axum::body::Body;
use axum::extract::{Request, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::{Json, Router};
use leptos::prelude::provide_context;
use std::future::Future;
use std::net::SocketAddr;
use std::path::Path;
use std::sync::Arc;
use tokio::net::TcpListener;
use tokio_util::sync::CancellationToken;
use tower_http::limit::RequestBodyLimitLayer;
use tower_http::services::{ServeDir, ServeFile};
use tower_http::trace::TraceLayer;

/// Why the server could not start.
#[derive(Debug, thiserror::Error)]
pub enum StartError {
    #[error("could not open the store: {0}")]
    Store(#[from] StoreError),
    #[error("could not listen on {addr}: {source}")]
    Bind {
        addr: SocketAddr,
        source: std::io::Error,
    },
}

/// The routes of the control room over `state`, serving the built app from `dist`.
pub fn router(state: AppState, dist: &Path) -> Router {
    let index = ServeFile::new(dist.join("index.html"));
    Router::new()
        .route("/healthz", get(healthz))
        .route("/api/stream", get(live::stream))
        .route(
            "/api/{*fn_name}",
            post(server_fn).layer(RequestBodyLimitLayer::new(MAX_SERVER_FN_BODY)),
        )
        // Unknown paths are the app's own routes: deep links get index.html.
        .fallback_service(ServeDir::new(dist).fallback(index))
        .layer(TraceLayer::new_for_http())
        .with_state(state)
}

async fn healthz(State(state): State<AppState>) -> impl IntoResponse {
    Json(serde_json::json!({ "status": "ok", "head": state.store.head() }))
}

/// Largest body a server function accepts.
pub const MAX_SERVER_FN_BODY: usize = 64 * 1024;

async fn server_fn(State(state): State<AppState>, req: Request<Body>) -> Response {
    let res =
        leptos_axum::handle_server_fns_with_context(move || provide_context(state.clone()), req)
            .await
            .into_response();
    with_error_status(res).await
}

/// Every server function fails with an [`ApiError`]; Leptos 0.8 answers all
/// failures with 500, so the status is set here from the error itself (also for
/// arguments that do not decode, which never reach the function).
async fn with_error_status(res: Response) -> Response {
    if !res.headers().contains_key("serverfnerror") {
        return res;
    }
    let (mut parts, body) = res.into_parts();
    let Ok(bytes) = axum::body::to_bytes(body, MAX_SERVER_FN_BODY).await else {
        return StatusCode::INTERNAL_SERVER_ERROR.into_response();
    };
    if let Ok(error) = serde_json::from_slice::<ApiError>(&bytes) {
        parts.status = StatusCode::from_u16(error.status()).unwrap_or(parts.status);
    }
    Response::from_parts(parts, Body::from(bytes))
}

/// A bound, ready-to-run server.
pub struct Application {
    listener: TcpListener,
    state: AppState,
    args: ServeArgs,
}

impl Application {
    /// Opens the store (applying migrations) and binds the listener.
    pub async fn build(args: ServeArgs) -> Result<Self, StartError> {
        let store = SqliteStore::open(&args.store.data_dir, args.store.durability)?;
        let listener = TcpListener::bind(args.bind)
            .await
            .map_err(|source| StartError::Bind {
                addr: args.bind,
                source,
            })?;
        Ok(Application {
            listener,
            state: AppState {
                store: Arc::new(store),
                shutdown: CancellationToken::new(),
            },
            args,
        })
    }

    pub fn local_addr(&self) -> SocketAddr {
        self.listener
            .local_addr()
            .expect("a bound listener has an address")
    }

    pub fn state(&self) -> AppState {
        self.state.clone()
    }

    /// Serves until `shutdown` completes, then stops background tasks.
    pub async fn run_until(self, shutdown: impl Future<Output = ()> + Send + 'static) {
        let mut tasks = Vec::new();
        let store = self.state.store.clone();
        tasks.push(tokio::spawn(detector::paid_not_shipped(
            store.clone(),
            self.args.ship_within(),
        )));
        if self.args.demo {
            let seed = self.args.demo_seed.unwrap_or_else(rand::random);
            tracing::info!(seed, rate = self.args.demo_rate, "demo traffic on");
            tasks.push(tokio::spawn(demo::run(
                store.clone(),
                demo::Settings {
                    orders_per_second: self.args.demo_rate,
                    seed: seed ^ store.head(),
                },
            )));
        }
        let app = router(self.state.clone(), &self.args.dist);
        let streams = self.state.shutdown.clone();
        let shutdown = async move {
            shutdown.await;
            // Live streams never end by themselves: end them so the server can stop.
            streams.cancel();
        };
        if let Err(e) = axum::serve(self.listener, app)
            .with_graceful_shutdown(shutdown)
            .await
        {
            tracing::error!(error = %e, "server stopped with an error");
        }
        for task in tasks {
            task.abort();
        }
    }
}

/// `control-room serve`: runs until Ctrl-C or SIGTERM.
pub async fn serve(args: ServeArgs) -> Result<(), StartError> {
    let data_dir = args.store.data_dir.clone();
    let demo = args.demo;
    let app = Application::build(args).await?;
    println!(
        "Order Control Room on http://{}  (store: {}, demo traffic: {})",
        app.local_addr(),
        data_dir.display(),
        if demo { "on" } else { "off" }
    );
    app.run_until(shutdown_signal()).await;
    Ok(())
}

async fn shutdown_signal() {
    let ctrl_c = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    #[cfg(unix)]
    let term = async {
        if let Ok(mut s) = tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate())
        {
            s.recv().await;
        }
    };
    #[cfg(not(unix))]
    let term = std::future::pending::<()>();
    tokio::select! { _ = ctrl_c => {}, _ = term => {} }
}

/// `control-room rebuild`: folds the projection again from the log.
pub async fn rebuild(args: super::config::StoreArgs) -> Result<u64, StartError> {
    let store = SqliteStore::open(&args.data_dir, args.durability)?;
    Ok(store.rebuild_projection().await?)
}
