//! Assembles the axum application: routes, state, background tasks, shutdown.

use super::auth::{self, Auth, AuthError};
use super::config::CreateAdminArgs;
use super::config::{DemoFeed, ServeArgs};
use super::connections;
use super::ingest::signature::Secrets;
use super::ingest::{delivery_retention, hooks, linker, secret_forms, timeline_api, Integrations};
use super::store::{
    OrderStore, SqliteAccounts, SqliteDetectorState, SqliteIntegrations, SqliteStore,
    SqliteTrackingLinks, SqliteWarehouses, StoreError,
};
use super::{
    assets, demo, detectors, export, live, request_log, robots, security, tracking, warehouses,
    AppState,
};
use crate::api::ApiError;
use crate::model::access::account::NewUser;
use axum::body::Body;
use axum::extract::{ConnectInfo, Request, State};
use axum::http::{header, HeaderValue, StatusCode};
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

/// Why the server could not start.
#[derive(Debug, thiserror::Error)]
pub enum StartError {
    #[error("could not open the store: {0}")]
    Store(#[from] StoreError),
    #[error(transparent)]
    Account(#[from] AuthError),
    #[error("{0}")]
    Input(String),
    #[error("could not listen on {addr}: {source}")]
    Bind {
        addr: SocketAddr,
        source: std::io::Error,
    },
}

/// The routes of the control room over `state`, serving the built app from `dist`.
pub fn router(state: AppState, dist: &Path) -> Router {
    let headers = security::Headers::for_dist(dist);
    Router::new()
        .route("/healthz", get(healthz))
        .route("/robots.txt", get(robots::robots_txt))
        .route(
            "/hooks/{integration}",
            post(hooks::receive).layer(RequestBodyLimitLayer::new(hooks::MAX_BODY)),
        )
        .route(
            "/api/v1/orders/{order}/events",
            post(timeline_api::append).layer(RequestBodyLimitLayer::new(timeline_api::MAX_BODY)),
        )
        .route("/api/stream", get(live::stream))
        .route("/api/export/orders.csv", get(export::orders_csv))
        .route("/api/export/customer.csv", get(export::customer_csv))
        .route("/api/export/exceptions.csv", get(export::exceptions_csv))
        .route(
            "/api/warehouses/stock.csv",
            post(warehouses::stock_route::import).layer(RequestBodyLimitLayer::new(
                warehouses::stock_route::MAX_BODY,
            )),
        )
        .route("/api/track/{token}", get(tracking::view))
        .route("/api/track/{token}/stream", get(tracking::stream))
        .route(
            "/api/{*fn_name}",
            post(server_fn).layer(RequestBodyLimitLayer::new(MAX_SERVER_FN_BODY)),
        )
        .route_layer(axum::middleware::from_fn(request_log::routes))
        // Unknown paths are the app's own routes: deep links get index.html.
        .fallback_service(
            tower::ServiceBuilder::new()
                .layer(axum::middleware::from_fn(request_log::files))
                .service(assets::service(dist)),
        )
        .layer(axum::middleware::from_fn(assets::cache_policy))
        .layer(axum::middleware::from_fn_with_state(
            state.auth.public_origins().clone(),
            security::same_origin,
        ))
        .layer(axum::middleware::from_fn_with_state(
            headers,
            security::guard,
        ))
        .layer(axum::middleware::from_fn(robots::noindex))
        .with_state(state)
}

async fn healthz(State(state): State<AppState>) -> impl IntoResponse {
    Json(serde_json::json!({ "status": "ok", "head": state.store.head() }))
}

/// Largest body a server function accepts.
pub const MAX_SERVER_FN_BODY: usize = 64 * 1024;

async fn server_fn(
    State(state): State<AppState>,
    ConnectInfo(peer): ConnectInfo<SocketAddr>,
    req: Request<Body>,
) -> Response {
    // Who is calling is settled before any server function runs; an
    // anonymous call to a staff function ends here, its body unread.
    let info = state.auth.request_info(req.headers(), peer).await;
    if let Err(refusal) = crate::api::gate::check(req.uri().path(), &info.caller, req.headers()) {
        return refusal.into_response();
    }
    let res = leptos_axum::handle_server_fns_with_context(
        move || {
            provide_context(state.clone());
            provide_context(info.clone());
        },
        req,
    )
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
        if let ApiError::TooManyAttempts { retry_after_secs } = error {
            parts
                .headers
                .insert(header::RETRY_AFTER, HeaderValue::from(retry_after_secs));
        }
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
        // Bound first: the public origins default to the real bound address.
        let listener = TcpListener::bind(args.bind)
            .await
            .map_err(|source| StartError::Bind {
                addr: args.bind,
                source,
            })?;
        let bound = listener.local_addr().map_err(|source| StartError::Bind {
            addr: args.bind,
            source,
        })?;
        let store = SqliteStore::open_with(
            &args.store.data_dir,
            args.store.durability,
            args.store.wal_bound(),
        )?;
        let accounts = SqliteAccounts::open(store.path())?;
        let auth = Arc::new(Auth::new(Arc::new(accounts), args.auth_policy(bound)));
        let settings = Arc::new(SqliteIntegrations::open(store.path())?);
        let links = Arc::new(SqliteTrackingLinks::open(store.path())?);
        let path = store.path().to_path_buf();
        let warehouses = Arc::new(SqliteWarehouses::open(store.path())?);
        let side_writes = store.side_writes();
        let store: Arc<dyn OrderStore> = Arc::new(store);
        let watch = detectors::Watch::load(
            store.clone(),
            Arc::new(SqliteDetectorState::open(&path, side_writes)?),
            warehouses.clone(),
            args.initial_detector_settings(),
        )
        .await?;
        let tracking = tracking::TrackingLinks::new(
            links,
            store.clone(),
            auth.clone(),
            args.tracking_opens_per_minute,
        );
        let env = match args.provisioned_secrets.as_slice() {
            [] => Secrets::from_env(),
            given => Secrets::from_pairs(given.iter().cloned()),
        };
        let policy = args.ingest.policy();
        secret_forms::check_environment(&env, policy.freshness.wechat_allow_plain)
            .map_err(StartError::Input)?;
        let integrations =
            Integrations::load(store.clone(), settings, auth.clone(), env, policy).await?;
        Ok(Application {
            listener,
            state: AppState {
                store,
                auth,
                integrations: Arc::new(integrations),
                tracking: Arc::new(tracking),
                detectors: watch,
                warehouses,
                streams: live::StreamCount::new(args.max_streams_per_session),
                connections: connections::Limits::new(args.connection_caps().fitted()),
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
        if !self.args.no_detectors {
            tasks.push(tokio::spawn(
                self.state
                    .detectors
                    .clone()
                    .run(self.state.shutdown.clone()),
            ));
        }
        tasks.push(tokio::spawn(self.state.auth.clone().maintain()));
        tasks.push(tokio::spawn(linker::run(
            self.state.integrations.clone(),
            self.state.shutdown.clone(),
        )));
        if let Some(retention) = self.args.ingest.delivery_log_retention() {
            tasks.push(tokio::spawn(delivery_retention::run(
                self.state.integrations.clone(),
                retention,
                self.state.shutdown.clone(),
            )));
        }
        let open_counts = tokio::spawn(self.state.tracking.clone().flush_opens_every(
            std::time::Duration::from_millis(self.args.tracking_open_flush_ms.max(1)),
            self.state.shutdown.clone(),
        ));
        let app = router(self.state.clone(), &self.args.dist);
        if self.args.demo {
            let seed = self.args.demo_seed.unwrap_or_else(rand::random);
            tracing::info!(seed, rate = self.args.demo_rate, feed = ?self.args.demo_feed, "demo traffic on");
            if let Err(e) = demo::seed_warehouses(&self.state.warehouses).await {
                tracing::error!(error = %e, "the demo warehouses could not be set up");
            }
            let feed = match self.args.demo_feed {
                DemoFeed::Store => Ok(demo::Feed::Store(store.clone())),
                DemoFeed::Hooks => demo::Feed::hooks(&self.state, app.clone()).await,
            };
            match feed {
                Ok(feed) => tasks.push(tokio::spawn(demo::run(
                    feed,
                    demo::Settings {
                        orders_per_second: self.args.demo_rate,
                        seed: seed ^ store.head(),
                        peak: self.args.demo_peak,
                    },
                ))),
                Err(e) => tracing::error!(error = %e, "demo traffic could not start"),
            }
        }
        let stop = self.state.shutdown.clone();
        tokio::spawn(async move {
            shutdown.await;
            // Live streams never end by themselves: this ends them too.
            stop.cancel();
        });
        connections::serve(
            self.listener,
            app,
            self.args
                .connection_settings(self.state.connections.clone()),
            self.state.shutdown.clone(),
        )
        .await;
        for task in tasks {
            task.abort();
        }
        // The tracking link opens counted since the last write.
        self.state.shutdown.cancel();
        let _ = open_counts.await;
        if let Err(e) = self.state.tracking.flush_opens().await {
            tracing::error!(error = %e, "could not write tracking link open counts at shutdown");
        }
    }
}

/// `control-room serve`: runs until Ctrl-C or SIGTERM.
pub async fn serve(args: ServeArgs) -> Result<(), StartError> {
    let data_dir = args.store.data_dir.clone();
    let demo = args.demo;
    let demo_password = args.demo_password.clone();
    let wildcard_without_origin = args.public_origins.is_empty() && args.bind.ip().is_unspecified();
    let app = Application::build(args).await?;
    println!(
        "Order Control Room on http://{}  (store: {}, demo traffic: {})",
        app.local_addr(),
        data_dir.display(),
        if demo { "on" } else { "off" }
    );
    let auth = app.state().auth;
    println!("Answering as {}", auth.public_origins());
    if wildcard_without_origin {
        println!(
            "  Listening on every interface: name the address browsers use with \
             --public-origin (e.g. http://192.168.1.5:3000), or they are refused."
        );
    }
    if demo {
        let password = demo_password.unwrap_or_else(auth::random_password);
        println!("Demo accounts (password for all: {password}):");
        for (username, role) in auth.ensure_demo_users(&password).await? {
            println!("  {username:<10} {role}");
        }
    } else if !auth.has_users().await? {
        println!(
            "No accounts yet. Create the first admin:\n  control-room create-admin --data-dir {} --username <name>",
            data_dir.display()
        );
    }
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

/// `control-room create-admin`: adds an admin account.
pub async fn create_admin(args: CreateAdminArgs) -> Result<String, StartError> {
    let password = if args.password_stdin {
        let mut line = String::new();
        std::io::stdin()
            .read_line(&mut line)
            .map_err(|e| StartError::Input(format!("could not read the password: {e}")))?;
        line.trim_end_matches(['\r', '\n']).to_string()
    } else {
        let first = rpassword::prompt_password("Password: ")
            .map_err(|e| StartError::Input(format!("could not read the password: {e}")))?;
        let again = rpassword::prompt_password("Password again: ")
            .map_err(|e| StartError::Input(format!("could not read the password: {e}")))?;
        if first != again {
            return Err(StartError::Input("the passwords differ".into()));
        }
        first
    };
    let user = NewUser {
        display_name: args.display_name.unwrap_or_else(|| args.username.clone()),
        username: args.username,
        roles: vec![crate::model::Role::Admin],
        password,
    }
    .validated()
    .map_err(|e| StartError::Input(e.to_string()))?;
    let store = SqliteStore::open_with(
        &args.store.data_dir,
        args.store.durability,
        args.store.wal_bound(),
    )?;
    let auth = Auth::new(
        Arc::new(SqliteAccounts::open(store.path())?),
        super::config::ServeArgs::local(args.store.data_dir.clone(), ([127, 0, 0, 1], 0).into())
            .auth_policy(([127, 0, 0, 1], 0).into()),
    );
    Ok(auth.create_admin(user).await?.username)
}

/// `control-room rebuild`: folds the projection again from the log.
/// Writes a demo history into the store (`control-room demo-history`).
pub async fn demo_history(
    args: super::config::HistoryArgs,
) -> Result<super::demo::history::Written, StartError> {
    use super::demo::history::{write_history, HistorySettings};
    let store = SqliteStore::open_with(
        &args.store.data_dir,
        args.store.durability,
        args.store.wal_bound(),
    )?;
    let settings = HistorySettings {
        orders: args.orders,
        days: args.days,
        seed: args.seed,
        ..HistorySettings::default()
    };
    let started = std::time::Instant::now();
    let mut next_report = 0;
    let written = write_history(&store, settings, chrono::Utc::now(), |w| {
        if w.orders >= next_report {
            eprintln!(
                "{} orders, {} events after {:.0} s",
                w.orders,
                w.events,
                started.elapsed().as_secs_f64()
            );
            next_report = w.orders + 100_000;
        }
    })
    .await?;
    Ok(written)
}

/// Measures the desk's reads on the store (`control-room bench-desk`).
pub async fn bench_desk(
    args: super::config::BenchArgs,
) -> Result<super::bench::BenchReport, StartError> {
    let store = SqliteStore::open_with(
        &args.store.data_dir,
        args.store.durability,
        args.store.wal_bound(),
    )?;
    Ok(
        super::bench::bench_desk(&store, &args.store.data_dir, args.calls as usize, args.seed)
            .await?,
    )
}

pub async fn rebuild(args: super::config::StoreArgs) -> Result<u64, StartError> {
    let store = SqliteStore::open_with(&args.data_dir, args.durability, args.wal_bound())?;
    Ok(store.rebuild_projection().await?)
}
