//! Command line and environment configuration of the `control-room` binary.

use super::public_origin::{PublicOrigin, PublicOrigins};
use super::store::{Durability, WalBound};
use clap::{Args, Parser, Subcommand};
use std::net::SocketAddr;
use std::path::PathBuf;
use std::time::Duration;

/// Order Control Room: one event log per order, seen live by every role.
#[derive(Debug, Parser)]
#[command(name = "control-room", version)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Serve the control room (app, server functions, live stream).
    Serve(Box<ServeArgs>),
    /// Rebuild the order projection from the event log (stop the server first).
    Rebuild(StoreArgs),
    /// Create an admin account (the first one, or another). Asks for the
    /// password twice, or reads one line from standard input with --password-stdin.
    CreateAdmin(CreateAdminArgs),
    /// Write a merchant-sized demo history into the store (stop the server
    /// first): N orders placed evenly over the last D days, each following its
    /// scripted fate at a real pace; the newest are still in flight.
    DemoHistory(HistoryArgs),
    /// Measure the customer-service desk's reads on a store (stop the server
    /// first): the order list's first page and a deep filtered page with their
    /// totals, a search of each kind, the order page's read and the customer's
    /// 30-day orders, p50 / p99 over many calls.
    BenchDesk(BenchArgs),
    /// Drives the demo at a high rate over a filled store with every
    /// detector and the router on; reports ingest, detection delay, CPU and memory.
    BenchDetectors(BenchDetectorsArgs),
}

/// Options of `control-room bench-detectors`.
#[derive(Debug, Clone, Args)]
pub struct BenchDetectorsArgs {
    #[command(flatten)]
    pub store: StoreArgs,
    /// New orders a second.
    #[arg(long, default_value_t = 1200.0)]
    pub rate: f64,
    /// How long, in seconds.
    #[arg(long, default_value_t = 60, value_parser = clap::value_parser!(u64).range(1..=3600))]
    pub secs: u64,
    /// Send the traffic as signed webhooks through HTTP instead of appending it.
    #[arg(long)]
    pub hooks: bool,
    /// Start the detectors at the log's head: the history is taken as already
    /// looked at, so the run measures its own traffic (a store whose
    /// detectors never ran otherwise has them catch up from the start).
    #[arg(long)]
    pub from_head: bool,
    /// The traffic of a sales peak: each order placed, paid, confirmed (and
    /// declared, promised) at the demo's pace, routed by the router; the
    /// warehouse's and carriers' steps, hours later in real life, left out.
    #[arg(long)]
    pub peak: bool,
    #[arg(long, default_value_t = 1200)]
    pub seed: u64,
}

/// Options of `control-room bench-desk`.
#[derive(Debug, Clone, Args)]
pub struct BenchArgs {
    #[command(flatten)]
    pub store: StoreArgs,
    /// Timed calls per read.
    #[arg(long, default_value_t = 1000, value_parser = clap::value_parser!(u64).range(1..=1_000_000))]
    pub calls: u64,
    /// The same seed draws the same orders to search for.
    #[arg(long, default_value_t = 13)]
    pub seed: u64,
}

/// Options of `control-room demo-history`.
#[derive(Debug, Clone, Args)]
pub struct HistoryArgs {
    #[command(flatten)]
    pub store: StoreArgs,
    /// How many orders.
    #[arg(long, default_value_t = 10_000, value_parser = clap::value_parser!(u64).range(1..))]
    pub orders: u64,
    /// Over how many days up to now.
    #[arg(long, default_value_t = 90, value_parser = clap::value_parser!(u32).range(1..=3650))]
    pub days: u32,
    /// The same seed writes the same orders.
    #[arg(long, default_value_t = 2026)]
    pub seed: u64,
}

/// Options of `control-room create-admin`.
#[derive(Debug, Clone, Args)]
pub struct CreateAdminArgs {
    #[command(flatten)]
    pub store: StoreArgs,
    #[arg(long)]
    pub username: String,
    #[arg(long)]
    pub display_name: Option<String>,
    /// Read the password from standard input (for automated deployments).
    #[arg(long)]
    pub password_stdin: bool,
}

/// Where the store lives and how hard it commits.
#[derive(Debug, Clone, Args)]
pub struct StoreArgs {
    /// Directory of the embedded store (created if missing).
    #[arg(long, env = "CONTROL_ROOM_DATA_DIR", default_value = "data")]
    pub data_dir: PathBuf,
    /// How hard commits are pushed to disk before they are acknowledged.
    #[arg(
        long,
        value_enum,
        env = "CONTROL_ROOM_DURABILITY",
        default_value = "full"
    )]
    pub durability: Durability,

    // --- Bounded WAL (issue 11, wal-bounded) ---
    /// The write-ahead log is checkpointed and truncated by the writer when it
    /// passes three quarters of this many MiB (a reader holding an old
    /// snapshot can keep it above until it lets go).
    #[arg(
        long,
        env = "CONTROL_ROOM_WAL_MAX_MB",
        default_value_t = 256,
        value_parser = clap::value_parser!(u64).range(1..)
    )]
    pub wal_max_mb: u64,
    // ---- end of the bounded WAL ----
}

impl StoreArgs {
    /// The WAL bound these arguments ask for.
    pub fn wal_bound(&self) -> WalBound {
        WalBound::megabytes(self.wal_max_mb)
    }
}

/// Options of `control-room serve`.
#[derive(Debug, Clone, Args)]
pub struct ServeArgs {
    #[command(flatten)]
    pub store: StoreArgs,
    /// Address to listen on.
    #[arg(long, env = "CONTROL_ROOM_BIND", default_value = "127.0.0.1:3000")]
    pub bind: SocketAddr,
    /// The built app (Trunk's dist directory).
    #[arg(long, env = "CONTROL_ROOM_DIST", default_value = "dist")]
    pub dist: PathBuf,
    /// Feed simulated omnichannel traffic into the store.
    #[arg(long, env = "CONTROL_ROOM_DEMO")]
    pub demo: bool,
    /// Demo: new orders per second.
    #[arg(long, default_value_t = 1.0)]
    pub demo_rate: f64,
    /// Demo: seed for reproducible traffic (random when absent).
    #[arg(long)]
    pub demo_seed: Option<u64>,
    /// Demo: send the traffic as real, signed deliveries through the webhook
    /// endpoints and the timeline API (`hooks`), or append it to the store as
    /// it is (`store`).
    #[arg(long, value_enum, default_value_t = DemoFeed::Hooks)]
    pub demo_feed: DemoFeed,
    /// Demo: send only what happens at a sales peak — placing, paying,
    /// confirming, customs and promises — and leave out the warehouse's and
    /// the carriers' steps (hours to days later in real life).
    #[arg(long)]
    pub demo_peak: bool,
    /// Live streams one session may hold open at once (a page uses one).
    #[arg(long, default_value_t = 8)]
    pub max_streams_per_session: usize,
    /// Sessions unused this many seconds end.
    #[arg(long, default_value_t = 30 * 60)]
    pub session_idle_secs: u64,
    /// Sessions end this many seconds after sign-in, used or not.
    #[arg(long, default_value_t = 12 * 3600)]
    pub session_max_secs: u64,
    /// Mark session cookies Secure (set when the server is reached over TLS,
    /// e.g. behind a TLS-terminating proxy).
    #[arg(long, env = "CONTROL_ROOM_SECURE_COOKIES")]
    pub secure_cookies: bool,
    /// Failed sign-ins are counted over this many seconds.
    #[arg(long, default_value_t = 15 * 60)]
    pub login_window_secs: u64,
    /// Failed sign-ins for one account from one address within the window
    /// before that account is held for that address (other addresses are
    /// slowed, not held: see --login-slow-after).
    #[arg(long, default_value_t = 5)]
    pub login_failures_per_account: usize,
    /// Failed sign-ins per network address within the window before it is held.
    #[arg(long, default_value_t = 20)]
    pub login_failures_per_address: usize,
    /// Demo: the password of the demo accounts (random when absent).
    #[arg(long, env = "CONTROL_ROOM_DEMO_PASSWORD", hide_env_values = true)]
    pub demo_password: Option<String>,

    // --- Sign-in, sessions and requests (issue 10, edge-auth) ---
    /// An origin the app is served from, as the browser sees it (e.g.
    /// https://orders.example.com); repeat for several. `Host` and `Origin`
    /// must name one of them; an https origin makes cookies Secure. Default:
    /// the bound address (http://127.0.0.1:<port> and http://localhost:<port>).
    #[arg(
        long = "public-origin",
        env = "CONTROL_ROOM_PUBLIC_ORIGIN",
        value_delimiter = ','
    )]
    pub public_origins: Vec<PublicOrigin>,
    /// Failed sign-ins for one account (from any addresses) within the
    /// window before each further attempt on it is slowed (doubling from 0.5 s).
    #[arg(long, default_value_t = 10)]
    pub login_slow_after: usize,
    /// The longest a slowed sign-in waits, in milliseconds.
    #[arg(long, default_value_t = 5_000)]
    pub login_max_delay_ms: u64,
    /// Sessions one account may hold; signing in beyond it ends the oldest.
    #[arg(long, default_value_t = 20, value_parser = clap::value_parser!(u32).range(1..))]
    pub max_sessions_per_user: u32,
    /// Days the audit trail keeps its entries (0: forever).
    #[arg(long, env = "CONTROL_ROOM_AUDIT_RETENTION_DAYS", default_value_t = 365)]
    pub audit_retention_days: u32,
    /// Seconds a paid order may wait for its first shipment before it is
    /// flagged, until an admin sets the detectors (default: 24 h; 60 s with
    /// --demo).
    #[arg(long)]
    pub ship_within_secs: Option<u64>,
    /// Leave the detectors idle: nothing raises or clears exceptions on its
    /// own (for measuring ingest alone, and for tests that drive the
    /// detectors' passes themselves).
    #[arg(long)]
    pub no_detectors: bool,

    // ---- Connections (the edge) ----
    /// Seconds a new connection has to send its whole first request head.
    #[arg(long, default_value_t = 10.0)]
    pub header_read_timeout_secs: f64,
    /// Seconds a kept-alive connection may wait for (and take to send) its
    /// next request head before it is closed.
    #[arg(long, default_value_t = 30.0)]
    pub idle_timeout_secs: f64,
    /// Open connections at once, live streams not counted (lowered to fit
    /// the process's open-file limit).
    #[arg(long, env = "CONTROL_ROOM_MAX_CONNECTIONS", default_value_t = 4096)]
    pub max_connections: usize,
    /// Open connections at once from one network address, streams not counted
    /// (a connection counts here until its first request head is read, so a
    /// thousand screens behind one address reconnecting at once must fit).
    #[arg(long, default_value_t = 1024)]
    pub max_connections_per_address: usize,
    /// Open live streams at once (lowered to fit the open-file limit).
    #[arg(long, env = "CONTROL_ROOM_MAX_STREAMS", default_value_t = 16384)]
    pub max_streams: usize,
    /// Open live streams at once from one network address (an office behind
    /// one address may have many screens open).
    #[arg(long, default_value_t = 4096)]
    pub max_streams_per_address: usize,

    // --- Live streams end with their session; tracking links (issue 10, points 7 and 14) ---
    /// Milliseconds between an open live stream's re-reads of its session
    /// (ends streams whose session was deleted without a notice; default: a
    /// quarter of the idle period, at most 15 s).
    #[arg(long)]
    pub stream_session_check_ms: Option<u64>,
    /// Session idle period in milliseconds, overriding --session-idle-secs (tests).
    #[arg(long, hide = true)]
    pub session_idle_ms: Option<u64>,
    /// Absolute session lifetime in milliseconds, overriding --session-max-secs (tests).
    #[arg(long, hide = true)]
    pub session_max_ms: Option<u64>,
    /// Tracking link opens (page loads and live streams) one network address
    /// may make per minute; more get 429 with Retry-After.
    #[arg(long, default_value_t = 60)]
    pub tracking_opens_per_minute: u32,
    /// Milliseconds between writes of tracking link open counts (kept in
    /// memory meanwhile, and written at shutdown).
    #[arg(long, default_value_t = 10_000)]
    pub tracking_open_flush_ms: u64,
    /// The webhook edge (issue 10: ingest).
    #[command(flatten)]
    pub ingest: IngestArgs,
    /// Signing secrets handed over by whoever starts the server in-process
    /// (tests), instead of `CONTROL_ROOM_<NAME>_SECRET` variables:
    /// `(integration, secret)`, the first of an integration current.
    #[arg(skip)]
    pub provisioned_secrets: Vec<(crate::model::ingest::integration::Integration, String)>,
    /// Where expiry and throttling rules take the time from: the system clock,
    /// or a manual one that tests start the server with and move themselves.
    #[arg(skip)]
    pub clock: crate::server::clock::Clock,
}

// ---- The webhook edge (issue 10, ingest: WeChat safe mode, Shopify age,
// refusals sampled, delivery log retention) ----

/// How the webhook endpoints treat deliveries.
#[derive(Debug, Clone, Args)]
pub struct IngestArgs {
    /// Accept WeChat Channels pushes in plain-text mode, whose signature leaves
    /// the body out (safe mode is required otherwise). Where allowed, the
    /// timestamp window applies and a nonce is good for one body only.
    #[arg(long, env = "CONTROL_ROOM_WECHAT_ALLOW_PLAIN")]
    pub wechat_allow_plain: bool,
    /// How far a WeChat push's signed timestamp may be from now, in seconds.
    #[arg(long, default_value_t = 300)]
    pub wechat_timestamp_window_secs: u64,
    /// Deliveries dated (by Shopify's signed `updated_at`, or its
    /// `X-Shopify-Triggered-At`) more than this many hours ago are refused.
    #[arg(long, default_value_t = 24)]
    pub max_delivery_age_hours: u64,
    /// Refused deliveries listed in the delivery log per integration and
    /// minute; the others are only counted.
    #[arg(long, default_value_t = 10)]
    pub refusals_listed_per_minute: u32,
    /// Days the delivery log keeps refused, duplicate and replayed rows, and
    /// the bodies of accepted ones (0 keeps everything).
    #[arg(long, default_value_t = 30)]
    pub delivery_log_retention_days: u64,
}

impl Default for IngestArgs {
    fn default() -> Self {
        IngestArgs {
            wechat_allow_plain: false,
            wechat_timestamp_window_secs: 300,
            max_delivery_age_hours: 24,
            refusals_listed_per_minute: 10,
            delivery_log_retention_days: 30,
        }
    }
}

impl IngestArgs {
    /// The policy the ingest service runs with.
    pub fn policy(&self) -> crate::server::ingest::IngestPolicy {
        let secs = |s: u64| {
            i64::try_from(s)
                .ok()
                .and_then(chrono::TimeDelta::try_seconds)
                .unwrap_or(chrono::TimeDelta::MAX)
        };
        crate::server::ingest::IngestPolicy {
            freshness: crate::server::ingest::freshness::FreshnessPolicy {
                wechat_allow_plain: self.wechat_allow_plain,
                wechat_window: secs(self.wechat_timestamp_window_secs),
                max_age: secs(self.max_delivery_age_hours.saturating_mul(3600)),
            },
            refusals_listed_per_minute: self.refusals_listed_per_minute,
        }
    }

    /// How long the delivery log keeps rows; `None` keeps everything.
    pub fn delivery_log_retention(&self) -> Option<Duration> {
        let days = self.delivery_log_retention_days;
        (days > 0).then(|| Duration::from_secs(days.saturating_mul(24 * 3600)))
    }
}

// ---- end of the webhook edge ----

/// How demo traffic enters the log.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum DemoFeed {
    Hooks,
    Store,
}

impl ServeArgs {
    /// Arguments for a server on `bind` over `data_dir`, no demo: what tests start.
    pub fn local(data_dir: PathBuf, bind: SocketAddr) -> Self {
        ServeArgs {
            store: StoreArgs {
                data_dir,
                durability: Durability::Full,
                wal_max_mb: 256,
            },
            bind,
            dist: PathBuf::from("dist"),
            demo: false,
            demo_rate: 0.5,
            demo_seed: None,
            demo_feed: DemoFeed::Store,
            demo_peak: false,
            ship_within_secs: None,
            no_detectors: false,
            max_streams_per_session: 8,
            session_idle_secs: 30 * 60,
            session_max_secs: 12 * 3600,
            secure_cookies: false,
            login_window_secs: 15 * 60,
            login_failures_per_account: 5,
            login_failures_per_address: 20,
            demo_password: None,
            header_read_timeout_secs: 10.0,
            idle_timeout_secs: 30.0,
            max_connections: 4096,
            max_connections_per_address: 1024,
            max_streams: 16384,
            max_streams_per_address: 4096,
            public_origins: Vec::new(),
            login_slow_after: 10,
            login_max_delay_ms: 5_000,
            max_sessions_per_user: 20,
            audit_retention_days: 365,
            ingest: IngestArgs::default(),
            provisioned_secrets: Vec::new(),
            clock: crate::server::clock::Clock::System,
            stream_session_check_ms: None,
            session_idle_ms: None,
            session_max_ms: None,
            tracking_opens_per_minute: 60,
            tracking_open_flush_ms: 10_000,
        }
    }

    /// Sessions, sign-in limits and the origins served, for a server bound to
    /// `bound` (the real address: tests bind port 0).
    pub fn auth_policy(&self, bound: SocketAddr) -> crate::server::auth::Policy {
        let origins = PublicOrigins::resolve(&self.public_origins, bound);
        let idle = self
            .session_idle_ms
            .map(Duration::from_millis)
            .unwrap_or(Duration::from_secs(self.session_idle_secs));
        let absolute = self
            .session_max_ms
            .map(Duration::from_millis)
            .unwrap_or(Duration::from_secs(self.session_max_secs));
        crate::server::auth::Policy {
            idle,
            absolute,
            stream_check: self
                .stream_session_check_ms
                .map(Duration::from_millis)
                .unwrap_or_else(|| crate::server::auth::session_watch::default_stream_check(idle)),
            secure_cookies: self.secure_cookies || origins.any_https(),
            limits: crate::server::auth::throttle::Limits {
                window: Duration::from_secs(self.login_window_secs),
                per_account_address: self.login_failures_per_account,
                per_address: self.login_failures_per_address,
                slow_after: self.login_slow_after,
                max_delay: Duration::from_millis(self.login_max_delay_ms),
            },
            max_sessions_per_user: self.max_sessions_per_user as usize,
            audit_retention: (self.audit_retention_days > 0)
                .then(|| Duration::from_secs(u64::from(self.audit_retention_days) * 86_400)),
            origins,
            demo: self.demo,
            clock: self.clock.clone(),
        }
    }

    /// The connection caps as asked (the connection layer fits them to the
    /// open-file limit, see [`crate::server::connections::Caps::fitted`]).
    pub fn connection_caps(&self) -> crate::server::connections::Caps {
        crate::server::connections::Caps {
            connections: self.max_connections,
            connections_per_address: self.max_connections_per_address,
            streams: self.max_streams,
            streams_per_address: self.max_streams_per_address,
        }
    }

    /// Timeouts and caps of the connection layer.
    pub fn connection_settings(
        &self,
        limits: std::sync::Arc<crate::server::connections::Limits>,
    ) -> crate::server::connections::Settings {
        crate::server::connections::Settings {
            header_read: Duration::from_secs_f64(self.header_read_timeout_secs.max(0.001)),
            idle: Duration::from_secs_f64(self.idle_timeout_secs.max(0.001)),
            limits,
        }
    }

    /// The detectors' settings until an admin saves some: the defaults (the
    /// demo's shorter spans with --demo), with --ship-within-secs applied.
    pub fn initial_detector_settings(&self) -> crate::model::detect::DetectorSettings {
        let mut settings = if self.demo {
            crate::model::detect::DetectorSettings::demo()
        } else {
            crate::model::detect::DetectorSettings::default()
        };
        if let Some(secs) = self.ship_within_secs {
            settings.paid_not_shipped = crate::model::detect::settings::PerChannel::flat(secs);
        }
        settings
    }
}
