//! The `control-room` server binary.

use clap::Parser;
use order_control_room::server::app;
use order_control_room::server::config::{Cli, Command};
use std::process::ExitCode;

/// mimalloc: the server allocates many small, short-lived buffers (JSON,
/// rows); glibc's allocator showed up at ~10% of its profile.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

/// Threads for blocking work (SQLite reads, password hashing). The stores
/// serialise on their connections anyway; without a cap a burst of requests
/// (a thousand live viewers connecting at once) starts hundreds of threads,
/// each with its own stack and allocator heap.
const BLOCKING_THREADS: usize = 32;

fn main() -> ExitCode {
    match tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .max_blocking_threads(BLOCKING_THREADS)
        .build()
    {
        Ok(runtime) => runtime.block_on(run()),
        Err(e) => {
            eprintln!("control-room: could not start the runtime: {e}");
            ExitCode::FAILURE
        }
    }
}

async fn run() -> ExitCode {
    tracing_subscriber::fmt()
        .with_env_filter(
            tracing_subscriber::EnvFilter::try_from_default_env()
                .unwrap_or_else(|_| "info,tower_http=warn".into()),
        )
        .init();
    let cli = Cli::parse();
    let outcome = match cli.command {
        Command::Serve(args) => app::serve(*args).await,
        Command::Rebuild(args) => app::rebuild(args).await.map(|n| {
            println!("projection rebuilt from {n} events");
        }),
        Command::CreateAdmin(args) => app::create_admin(args).await.map(|username| {
            println!("admin {username} created; sign in at /login");
        }),
        Command::DemoHistory(args) => {
            let started = std::time::Instant::now();
            app::demo_history(args).await.map(|w| {
                let secs = started.elapsed().as_secs_f64();
                println!(
                    "demo history: {} orders, {} events in {secs:.1} s ({:.0} events/s)",
                    w.orders,
                    w.events,
                    w.events as f64 / secs
                );
            })
        }
        Command::BenchDesk(args) => app::bench_desk(args).await.map(|report| {
            print!("{}", report.table());
        }),
        Command::BenchDetectors(args) => {
            order_control_room::server::bench_watch::bench_detectors(args)
                .await
                .map(|report| print!("{}", report.table()))
        }
    };
    match outcome {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("control-room: {e}");
            ExitCode::FAILURE
        }
    }
}
