//! Command line and environment configuration of the `control-room` binary.

use super::store::Durability;
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
    Serve(ServeArgs),
    /// Rebuild the order projection from the event log (stop the server first).
    Rebuild(StoreArgs),
    /// Create an admin account (the first one, or another). Asks for the
    /// password twice, or reads one line from standard input with --password-stdin.
    CreateAdmin(CreateAdminArgs),
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
    /// Failed sign-ins per account within the window before it is held.
    #[arg(long, default_value_t = 5)]
    pub login_failures_per_account: usize,
    /// Failed sign-ins per network address within the window before it is held.
    #[arg(long, default_value_t = 20)]
    pub login_failures_per_address: usize,
    /// Demo: the password of the demo accounts (random when absent).
    #[arg(long, env = "CONTROL_ROOM_DEMO_PASSWORD", hide_env_values = true)]
    pub demo_password: Option<String>,
    /// Seconds a paid order may wait for its first shipment before it is flagged
    /// (default: 24 h; 60 s with --demo).
    #[arg(long)]
    pub ship_within_secs: Option<u64>,

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
}

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
            },
            bind,
            dist: PathBuf::from("dist"),
            demo: false,
            demo_rate: 0.5,
            demo_seed: None,
            demo_feed: DemoFeed::Store,
            ship_within_secs: None,
            max_streams_per_session: 8,
            session_idle_secs: 30 * 60,
            session_max_secs: 12 * 3600,
            secure_cookies: false,
            login_window_secs: 15 * 60,
            login_failures_per_account: 5,
            login_failures_per_address: 20,
            demo_password: None,
            stream_session_check_ms: None,
            session_idle_ms: None,
            session_max_ms: None,
            tracking_opens_per_minute: 60,
            tracking_open_flush_ms: 10_000,
        }
    }

    /// Sessions and sign-in limits.
    pub fn auth_policy(&self) -> crate::server::auth::Policy {
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
            secure_cookies: self.secure_cookies,
            limits: crate::server::auth::throttle::Limits {
                window: Duration::from_secs(self.login_window_secs),
                per_account: self.login_failures_per_account,
                per_address: self.login_failures_per_address,
            },
            demo: self.demo,
        }
    }

    pub fn ship_within(&self) -> Duration {
        let default = if self.demo { 60 } else { 24 * 3600 };
        Duration::from_secs(self.ship_within_secs.unwrap_or(default))
    }
}
