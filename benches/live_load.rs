//! Load tool for live streams: opens N SSE subscribers against a running
//! server, publishes messages at a fixed rate, and reports delivered
//! messages/s, latency from publish to receipt (p50/p99/max), missed and
//! duplicated messages, and the server's resident memory per connection.
//!
//! Two targets:
//! - `ours`: the control room at `--base`. Signs in (`--username`/`--password`,
//!   an admin, for the API key), places one order through the timeline write
//!   API and publishes notes to it through the same API (each committed durably
//!   before it is fanned out); subscribers follow `topics=order:<id>`.
//! - `nchan`: a peer pub/sub server (nginx + nchan): subscribers open
//!   `--sub-url` as EventSource, messages are POSTed to `--pub-url`.
//!
//! Every message carries `t=<publish time, ns since the epoch> n=<number>`, so
//! latency is measured the same way for both, on one clock.
//!
//! `cargo bench --features ssr --bench live_load -- --target ours --base http://127.0.0.1:3000 --username admin --password … --subscribers 1000 --rate 100 --seconds 20 --server-pid <pid>`
//! (`scripts/live-bench` starts both servers and runs the whole comparison).

use clap::Parser;
use eventsource_stream::Eventsource;
use futures::StreamExt;
use std::collections::HashSet;
use std::sync::{Arc, Mutex};
use std::time::{Duration, SystemTime, UNIX_EPOCH};

#[derive(Debug, Parser)]
struct Args {
    /// `ours` or `nchan`.
    #[arg(long)]
    target: String,
    /// ours: the control room's address.
    #[arg(long, default_value = "http://127.0.0.1:3000")]
    base: String,
    #[arg(long, default_value = "admin")]
    username: String,
    #[arg(long, default_value = "")]
    password: String,
    /// nchan: the subscriber URL (EventSource).
    #[arg(long, default_value = "http://127.0.0.1:8089/sub")]
    sub_url: String,
    /// nchan: the publisher URL.
    #[arg(long, default_value = "http://127.0.0.1:8089/pub")]
    pub_url: String,
    #[arg(long, default_value_t = 100)]
    subscribers: usize,
    /// Messages published per second.
    #[arg(long, default_value_t = 100)]
    rate: u32,
    #[arg(long, default_value_t = 10)]
    seconds: u64,
    /// The server's process ids (comma-separated), to read their resident memory.
    #[arg(long, value_delimiter = ',')]
    server_pid: Vec<u32>,
    /// Accepted and ignored (cargo bench passes it).
    #[arg(long, hide = true)]
    bench: bool,
}

fn now_ns() -> u128 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .expect("clock after 1970")
        .as_nanos()
}

/// Resident memory of `pids` together in KiB.
fn rss_of(pids: &[u32]) -> Option<u64> {
    if pids.is_empty() {
        return None;
    }
    pids.iter().map(|p| rss_kib(*p)).sum()
}

/// Resident memory of `pid` in KiB.
fn rss_kib(pid: u32) -> Option<u64> {
    let status = std::fs::read_to_string(format!("/proc/{pid}/status")).ok()?;
    status
        .lines()
        .find_map(|l| l.strip_prefix("VmRSS:"))
        .and_then(|v| v.trim().trim_end_matches("kB").trim().parse().ok())
}

/// `t=… n=…` out of a message body (ours: inside the event JSON).
fn stamp(data: &str) -> Option<(u128, u64)> {
    let t = data.find("t=")?;
    let rest = &data[t + 2..];
    let end = rest.find(|c: char| !c.is_ascii_digit())?;
    let sent: u128 = rest[..end].parse().ok()?;
    let n_at = rest.find("n=")?;
    let rest = &rest[n_at + 2..];
    let end = rest
        .find(|c: char| !c.is_ascii_digit())
        .unwrap_or(rest.len());
    Some((sent, rest[..end].parse().ok()?))
}

/// What one subscriber saw.
#[derive(Default)]
struct Seen {
    latencies_us: Vec<u64>,
    numbers: HashSet<u64>,
    duplicates: u64,
}

/// How to publish one message.
enum Publisher {
    Ours {
        http: reqwest::Client,
        url: String,
        key: String,
    },
    Nchan {
        http: reqwest::Client,
        url: String,
    },
}

impl Publisher {
    async fn publish(&self, n: u64) -> bool {
        let text = format!("t={} n={n}", now_ns());
        let res = match self {
            Publisher::Ours { http, url, key } => {
                let body = serde_json::json!({
                    "event_id": format!("load-{}-{n}", std::process::id()),
                    "occurred_at": chrono::Utc::now().to_rfc3339(),
                    "source": {"kind": "control_room"},
                    "event": {"type": "note_added", "text": text},
                });
                http.post(url).bearer_auth(key).json(&body).send().await
            }
            Publisher::Nchan { http, url } => http.post(url).body(text).send().await,
        };
        matches!(res, Ok(r) if r.status().is_success())
    }
}

/// Signs in, makes an API key and an order: the stream URL and the publisher.
async fn prepare_ours(args: &Args) -> (reqwest::Client, String, Publisher) {
    let http = reqwest::Client::builder()
        .cookie_store(true)
        .build()
        .expect("client");
    let base = args.base.trim_end_matches('/');
    let login = http
        .post(format!("{base}/api/auth/login"))
        .json(&serde_json::json!({"username": args.username, "password": args.password}))
        .send()
        .await
        .expect("sign-in request");
    assert!(login.status().is_success(), "sign-in: {}", login.status());
    let created: serde_json::Value = http
        .post(format!("{base}/api/admin/api-keys/create"))
        .json(&serde_json::json!({"name": "live load tool"}))
        .send()
        .await
        .expect("API key request")
        .json()
        .await
        .expect("API key answer");
    let key = created["key"].as_str().expect("an API key").to_string();
    let order = format!("CR-L{:07}", std::process::id() % 10_000_000);
    let placed = serde_json::json!({
        "event_id": format!("load-{order}-placed"),
        "occurred_at": chrono::Utc::now().to_rfc3339(),
        "source": {"kind": "channel", "name": "pos"},
        "event": {"type": "order_placed", "channel": "pos",
            "channel_order_id": format!("load-{order}"),
            "customer": {"name": "Load", "phone": "13800138000",
                "address": {"country": "CN", "province": "上海", "city": "上海", "line": "-"}},
            "components": [{"id": "item-1", "sku": "SKU", "name": "Item", "kind": "main",
                "quantity": 1, "unit_price": {"minor": 100, "currency": "CNY"}, "ships_later": false}],
            "total": {"minor": 100, "currency": "CNY"}}
    });
    let url = format!("{base}/api/v1/orders/{order}/events");
    let res = http
        .post(&url)
        .bearer_auth(&key)
        .json(&placed)
        .send()
        .await
        .expect("order request");
    assert!(
        res.status().is_success(),
        "placing the order: {}",
        res.status()
    );
    let stream = format!("{base}/api/stream?topics=order:{order}");
    let publisher = Publisher::Ours {
        http: http.clone(),
        url,
        key,
    };
    (http, stream, publisher)
}

fn percentile(sorted: &[u64], p: f64) -> u64 {
    if sorted.is_empty() {
        return 0;
    }
    let i = ((sorted.len() as f64 - 1.0) * p).round() as usize;
    sorted[i]
}

#[tokio::main]
async fn main() {
    let args = Args::parse();
    let (http, stream_url, publisher) = match args.target.as_str() {
        "ours" => prepare_ours(&args).await,
        "nchan" => {
            let http = reqwest::Client::new();
            let publisher = Publisher::Nchan {
                http: http.clone(),
                url: args.pub_url.clone(),
            };
            (http, args.sub_url.clone(), publisher)
        }
        other => panic!("unknown target {other:?}: ours or nchan"),
    };
    let rss_before = rss_of(&args.server_pid);

    // Open every subscriber and wait until each has its connection.
    let seen: Vec<Arc<Mutex<Seen>>> = (0..args.subscribers).map(|_| Arc::default()).collect();
    let (ready_tx, mut ready_rx) = tokio::sync::mpsc::channel::<()>(args.subscribers.max(1));
    let mut tasks = Vec::new();
    for s in &seen {
        let (http, url, s, ready) = (
            http.clone(),
            stream_url.clone(),
            s.clone(),
            ready_tx.clone(),
        );
        tasks.push(tokio::spawn(async move {
            let res = http
                .get(&url)
                .header("accept", "text/event-stream")
                .send()
                .await
                .expect("subscribe");
            assert!(res.status().is_success(), "subscribe: {}", res.status());
            let _ = ready.send(()).await;
            let mut events = res.bytes_stream().eventsource();
            while let Some(Ok(ev)) = events.next().await {
                let Some((sent, n)) = stamp(&ev.data) else {
                    continue;
                };
                let latency = (now_ns().saturating_sub(sent) / 1_000) as u64;
                let mut s = s.lock().expect("seen");
                s.latencies_us.push(latency);
                if !s.numbers.insert(n) {
                    s.duplicates += 1;
                }
            }
        }));
    }
    drop(ready_tx);
    for _ in 0..args.subscribers {
        ready_rx.recv().await.expect("a subscriber connected");
    }
    // Let the server settle, then read its memory with every connection idle.
    tokio::time::sleep(Duration::from_secs(1)).await;
    let rss_idle = rss_of(&args.server_pid);

    let total = args.rate as u64 * args.seconds;
    let mut tick = tokio::time::interval(Duration::from_secs_f64(1.0 / args.rate as f64));
    tick.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Burst);
    let started = std::time::Instant::now();
    let mut failed = 0;
    for n in 0..total {
        tick.tick().await;
        if !publisher.publish(n).await {
            failed += 1;
        }
    }
    let published_in = started.elapsed().as_secs_f64();
    // Give the last messages time to arrive.
    tokio::time::sleep(Duration::from_secs(2)).await;
    for t in &tasks {
        t.abort();
    }

    let mut latencies = Vec::new();
    let (mut missed, mut duplicates, mut delivered) = (0u64, 0u64, 0u64);
    for s in &seen {
        let s = s.lock().expect("seen");
        latencies.extend_from_slice(&s.latencies_us);
        delivered += s.numbers.len() as u64;
        missed += total - (s.numbers.len() as u64).min(total);
        duplicates += s.duplicates;
    }
    latencies.sort_unstable();
    let ms = |us: u64| us as f64 / 1000.0;
    println!(
        "live_load target={} subscribers={} rate={}/s published={} (failed {failed}) in {:.1} s: \
         delivered {:.0} msg/s, latency p50 {:.2} ms, p99 {:.2} ms, max {:.2} ms, missed {missed}, duplicated {duplicates}",
        args.target,
        args.subscribers,
        args.rate,
        total,
        published_in,
        delivered as f64 / published_in,
        ms(percentile(&latencies, 0.50)),
        ms(percentile(&latencies, 0.99)),
        ms(latencies.last().copied().unwrap_or(0)),
    );
    if let (Some(before), Some(idle)) = (rss_before, rss_idle) {
        let per = (idle.saturating_sub(before)) as f64 / args.subscribers.max(1) as f64;
        println!(
            "live_load target={} server RSS {before} KiB before, {idle} KiB with {} idle subscribers: {per:.1} KiB per connection",
            args.target, args.subscribers
        );
    }
}
