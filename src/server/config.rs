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
    #[arg(long, default_value_t = 0.5)]
    pub demo_rate: f64,
    /// Demo: seed for reproducible traffic (random when absent).
    #[arg(long)]
    pub demo_seed: Option<u64>,
    /// Seconds a paid order may wait for its first shipment before it is flagged
    /// (default: 24 h; 60 s with --demo).
    #[arg(long)]
    pub ship_within_secs: Option<u64>,
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
            ship_within_secs: None,
        }
    }

    pub fn ship_within(&self) -> Duration {
        let default = if self.demo { 60 } else { 24 * 3600 };
        Duration::from_secs(self.ship_within_secs.unwrap_or(default))
    }
}
