//! `control-room bench-detectors --data-dir DIR --rate 1200 --secs 60`: the
//! demo traffic driven at `rate` new orders a second for `secs` seconds
//! through the real server (its ingest path, every detector and the router
//! on; the store feed by default, the signed webhooks with `--feed hooks`),
//! over a store already holding a history (`demo-history`, e.g. a million
//! orders). It reports, second by second, the events appended and how far
//! the detectors' cursor trails the log (a lag that keeps growing means they
//! do not keep up), then how long detection took (from a check's due moment,
//! and from an order's last event, to the end of its look: p50 / p99 / max),
//! the CPU the process used and its peak memory.
//!
//! Paid orders are flagged 20 s after placing here (instead of 24 h), so
//! the time-based detectors fire while it runs.

use super::app::{Application, StartError};
use super::config::{BenchDetectorsArgs, DemoFeed, ServeArgs};
use crate::model::OrderQuery;
use std::time::{Duration, Instant};

/// One second of the run.
#[derive(Debug, Clone, PartialEq)]
pub struct Second {
    pub events: u64,
    /// Events appended but not yet looked at by the detectors.
    pub detector_lag: u64,
}

/// p50 / p99 / max of samples, in milliseconds, and how many.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Spread {
    pub samples: usize,
    pub p50_ms: f64,
    pub p99_ms: f64,
    pub max_ms: f64,
}

impl Spread {
    fn of(mut secs: Vec<f64>) -> Spread {
        if secs.is_empty() {
            return Spread::default();
        }
        secs.sort_by(f64::total_cmp);
        let at =
            |q: f64| secs[((q * secs.len() as f64).ceil() as usize).clamp(1, secs.len()) - 1] * 1e3;
        Spread {
            samples: secs.len(),
            p50_ms: at(0.5),
            p99_ms: at(0.99),
            max_ms: secs[secs.len() - 1] * 1e3,
        }
    }
}

/// What the run measured.
#[derive(Debug, Clone, PartialEq)]
pub struct WatchBenchReport {
    pub orders_before: u64,
    pub orders_placed: u64,
    pub target_orders: u64,
    pub seconds: Vec<Second>,
    pub after_due: Spread,
    /// Looks at checks already due when the run began (left from earlier).
    pub overdue_before: usize,
    pub after_event: Spread,
    /// Process CPU over the run, in cores (1.0 = one core busy).
    pub cpu_cores: f64,
    pub peak_rss_mib: f64,
}

impl WatchBenchReport {
    /// The report as the README shows it.
    pub fn table(&self) -> String {
        let mut out = format!(
            "orders in the store before: {}\norders placed: {} (target {})\n\nsecond | events appended | detector lag (events)\n",
            self.orders_before, self.orders_placed, self.target_orders
        );
        for (i, s) in self.seconds.iter().enumerate() {
            out.push_str(&format!(
                "{:>6} | {:>15} | {:>8}\n",
                i + 1,
                s.events,
                s.detector_lag
            ));
        }
        let row = |name: &str, s: &Spread| {
            format!(
                "{name}: {} looks, p50 {:.1} ms, p99 {:.1} ms, max {:.1} ms\n",
                s.samples, s.p50_ms, s.p99_ms, s.max_ms
            )
        };
        out.push('\n');
        out.push_str(&row("detection after its due moment", &self.after_due));
        out.push_str(&format!(
            "(and {} looks at checks already due when the run began)\n",
            self.overdue_before
        ));
        out.push_str(&row("detection after an order's event", &self.after_event));
        out.push_str(&format!(
            "CPU: {:.2} cores on average; peak memory (RSS): {:.0} MiB\n",
            self.cpu_cores, self.peak_rss_mib
        ));
        out
    }
}

/// CPU seconds this process has used (user + system), from /proc.
fn cpu_seconds() -> f64 {
    let Ok(stat) = std::fs::read_to_string("/proc/self/stat") else {
        return 0.0;
    };
    // Fields after the command name (which ends with ')').
    let rest = stat.rsplit(')').next().unwrap_or("");
    let fields: Vec<&str> = rest.split_whitespace().collect();
    let ticks = |i: usize| {
        fields
            .get(i)
            .and_then(|f| f.parse::<f64>().ok())
            .unwrap_or(0.0)
    };
    // utime and stime are fields 14 and 15 of stat (11 and 12 here), in ticks of 1/100 s.
    (ticks(11) + ticks(12)) / 100.0
}

/// Peak resident memory of this process, MiB, from /proc.
fn peak_rss_mib() -> f64 {
    std::fs::read_to_string("/proc/self/status")
        .ok()
        .and_then(|s| {
            s.lines()
                .find(|l| l.starts_with("VmHWM:"))
                .and_then(|l| l.split_whitespace().nth(1))
                .and_then(|kb| kb.parse::<f64>().ok())
        })
        .map_or(0.0, |kb| kb / 1024.0)
}

async fn orders(app_state: &super::AppState) -> Result<u64, StartError> {
    Ok(app_state
        .store
        .list_orders(&OrderQuery::default())
        .await?
        .total)
}

pub async fn bench_detectors(args: BenchDetectorsArgs) -> Result<WatchBenchReport, StartError> {
    let mut serve = ServeArgs::local(
        args.store.data_dir.clone(),
        "127.0.0.1:0".parse().expect("an address"),
    );
    serve.store = args.store.clone();
    serve.demo = true;
    serve.demo_rate = args.rate;
    serve.demo_seed = Some(args.seed);
    serve.demo_feed = if args.hooks {
        DemoFeed::Hooks
    } else {
        DemoFeed::Store
    };
    serve.demo_password = Some("bench-detectors-password".into());
    serve.demo_peak = args.peak;
    serve.ship_within_secs = Some(20);
    let app = Application::build(serve).await?;
    let state = app.state();
    if args.from_head {
        state.detectors.start_at(state.store.head()).await?;
    }
    let orders_before = orders(&state).await?;
    let run_for = Duration::from_secs(args.secs);
    let server = tokio::spawn(app.run_until(tokio::time::sleep(run_for)));
    let cpu_start = cpu_seconds();
    let started = Instant::now();
    let mut seconds = Vec::new();
    let mut last_head = state.store.head();
    state.detectors.take_timings();
    for n in 1..=args.secs {
        tokio::time::sleep_until(tokio::time::Instant::from_std(
            started + Duration::from_secs(n),
        ))
        .await;
        let head = state.store.head();
        let cursor = state.detectors.cursor().await?;
        seconds.push(Second {
            events: head - last_head,
            detector_lag: head.saturating_sub(cursor),
        });
        last_head = head;
    }
    let wall = started.elapsed().as_secs_f64();
    let cpu_cores = (cpu_seconds() - cpu_start) / wall;
    let timings = state.detectors.take_timings();
    let orders_after = orders(&state).await?;
    let _ = server.await;
    Ok(WatchBenchReport {
        orders_before,
        orders_placed: orders_after.saturating_sub(orders_before),
        target_orders: (args.rate * args.secs as f64) as u64,
        seconds,
        after_due: Spread::of(timings.after_due),
        overdue_before: timings.overdue_before,
        after_event: Spread::of(timings.after_event),
        cpu_cores,
        peak_rss_mib: peak_rss_mib(),
    })
}
