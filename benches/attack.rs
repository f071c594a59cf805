//! The edge under attack, against a running release server (started by
//! `scripts/attack-bench`): what the floods of the security review cost
//! before and after the fixes. Prints one line per figure:
//!
//! - the server's CPU (per cent of one core) while idle, after 2,000
//!   one-byte connections were opened and closed in about a second, and
//!   while 1,000 connections hold a partial `GET /api/str`;
//! - rows the store gained from 5,000 unsigned webhook POSTs;
//! - signed WMS deliveries' p50/p95 on a quiet server, under the connection
//!   floods, under 500 unsigned POSTs a second, and under everything at once
//!   with the POSTs unpaced (a CPU flood on the same cores).
//!
//! `attack <host:port> <server pid> <store file> <wms secret>`

use hmac::{Hmac, Mac};
use sha2::Sha256;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpStream;

struct Target {
    addr: String,
    pid: u32,
    store: String,
    secret: String,
}

/// CPU seconds the process has used (user + system), from /proc.
fn cpu_seconds(pid: u32) -> f64 {
    let stat = std::fs::read_to_string(format!("/proc/{pid}/stat")).expect("the server runs");
    // Fields after the command name (which may hold spaces) start after ')'.
    let rest = &stat[stat.rfind(')').expect("stat format") + 2..];
    let fields: Vec<&str> = rest.split(' ').collect();
    let ticks: f64 = fields[11].parse::<f64>().unwrap() + fields[12].parse::<f64>().unwrap();
    // SAFETY: sysconf reads a constant of the system.
    let per_second = unsafe { libc::sysconf(libc::_SC_CLK_TCK) } as f64;
    ticks / per_second
}

/// Per cent of one core the server used over `window`.
async fn cpu_percent(pid: u32, window: Duration) -> f64 {
    let before = cpu_seconds(pid);
    tokio::time::sleep(window).await;
    (cpu_seconds(pid) - before) / window.as_secs_f64() * 100.0
}

fn rows(store: &str) -> i64 {
    let db =
        rusqlite::Connection::open_with_flags(store, rusqlite::OpenFlags::SQLITE_OPEN_READ_ONLY)
            .expect("the store opens read-only");
    ["deliveries", "audit", "events"]
        .iter()
        .map(|table| {
            db.query_row(&format!("SELECT count(*) FROM {table}"), [], |r| {
                r.get::<_, i64>(0)
            })
            .unwrap_or(0)
        })
        .sum()
}

fn signed(secret: &str, n: u64) -> (Vec<u8>, String) {
    let body = serde_json::json!({
        "message_id": format!("attack-bench-{}-{n}", std::process::id()),
        "type": "outbound_created",
        "channel": "douyin",
        "channel_order_id": format!("{}", 9_000_000_000_000_000_000u64 + n),
        "warehouse": "Shanghai",
        "at": "2026-11-20T08:00:00+08:00",
    })
    .to_string()
    .into_bytes();
    let mut mac = Hmac::<Sha256>::new_from_slice(secret.as_bytes()).expect("any key length");
    mac.update(&body);
    let signature = format!("sha256={}", hex::encode(mac.finalize().into_bytes()));
    (body, signature)
}

/// Signed deliveries from 4 keep-alive clients for `window`: p50 and p95 in ms.
async fn signed_latencies(target: &Arc<Target>, window: Duration, first: u64) -> (f64, f64, usize) {
    let counter = Arc::new(AtomicU64::new(first));
    let end = Instant::now() + window;
    let mut clients = Vec::new();
    for _ in 0..4 {
        let (target, counter) = (target.clone(), counter.clone());
        clients.push(tokio::spawn(async move {
            let http = reqwest::Client::new();
            let mut took = Vec::new();
            while Instant::now() < end {
                let (body, signature) =
                    signed(&target.secret, counter.fetch_add(1, Ordering::Relaxed));
                let start = Instant::now();
                let res = http
                    .post(format!("http://{}/hooks/wms", target.addr))
                    .header("content-type", "application/json")
                    .header("X-Control-Room-Signature", signature)
                    .body(body)
                    .send()
                    .await;
                if let Ok(res) = res {
                    let ok = res.status().is_success();
                    let _ = res.bytes().await;
                    if ok {
                        took.push(start.elapsed().as_secs_f64() * 1000.0);
                    }
                }
                // About 100 deliveries a second per client at most: a feed, not a flood.
                tokio::time::sleep(Duration::from_millis(10)).await;
            }
            took
        }));
    }
    let mut all = Vec::new();
    for client in clients {
        all.extend(client.await.unwrap());
    }
    all.sort_by(|a, b| a.partial_cmp(b).unwrap());
    let at = |q: f64| {
        all.get(((all.len() as f64 - 1.0) * q) as usize)
            .copied()
            .unwrap_or(f64::NAN)
    };
    (at(0.5), at(0.95), all.len())
}

/// Opens and closes `n` connections that send one byte each.
async fn one_byte_churn(addr: &str, n: usize) {
    for _ in 0..n {
        if let Ok(mut s) = TcpStream::connect(addr).await {
            let _ = s.write_all(b"G").await;
        }
    }
}

/// Holds `n` connections with a partial request line; reopens the ones the
/// server closes, until `stop`.
async fn half_open(addr: String, n: usize, stop: Arc<AtomicBool>) {
    let mut tasks = Vec::new();
    for _ in 0..n {
        let (addr, stop) = (addr.clone(), stop.clone());
        tasks.push(tokio::spawn(async move {
            while !stop.load(Ordering::Relaxed) {
                let Ok(mut s) = TcpStream::connect(&addr).await else {
                    tokio::time::sleep(Duration::from_millis(100)).await;
                    continue;
                };
                if s.write_all(b"GET /api/str").await.is_err() {
                    continue;
                }
                let mut sink = [0u8; 512];
                loop {
                    tokio::select! {
                        read = s.read(&mut sink) => match read { Ok(0) | Err(_) => break, Ok(_) => {} },
                        _ = tokio::time::sleep(Duration::from_millis(200)) => {
                            if stop.load(Ordering::Relaxed) { return; }
                        }
                    }
                }
            }
        }));
    }
    for t in tasks {
        let _ = t.await;
    }
}

/// One unsigned POST to the WMS webhook, its answer read and dropped.
async fn forged_post(http: &reqwest::Client, addr: &str) {
    if let Ok(res) = http
        .post(format!("http://{addr}/hooks/wms"))
        .header("content-type", "application/json")
        .body(r#"{"message_id":"forged","type":"picking"}"#)
        .send()
        .await
    {
        let _ = res.bytes().await;
    }
}

/// `n` unsigned POSTs to the WMS webhook, 64 at a time.
async fn unsigned_posts(addr: &str, n: usize, stop: Option<Arc<AtomicBool>>) -> usize {
    let sent = Arc::new(AtomicU64::new(0));
    let mut tasks = Vec::new();
    for _ in 0..64 {
        let (addr, sent, stop) = (addr.to_string(), sent.clone(), stop.clone());
        tasks.push(tokio::spawn(async move {
            let http = reqwest::Client::new();
            loop {
                if stop.as_ref().is_some_and(|s| s.load(Ordering::Relaxed)) {
                    return;
                }
                if stop.is_none() && sent.fetch_add(1, Ordering::Relaxed) >= n as u64 {
                    return;
                }
                forged_post(&http, &addr).await;
                if stop.is_some() {
                    sent.fetch_add(1, Ordering::Relaxed);
                }
            }
        }));
    }
    for t in tasks {
        let _ = t.await;
    }
    sent.load(Ordering::Relaxed).min(n as u64) as usize
}

/// Unsigned POSTs sent on schedule, `per_second` of them, until `stop`
/// (open loop: a slow answer does not slow the attacker down).
async fn unsigned_at_rate(addr: String, per_second: u64, stop: Arc<AtomicBool>) {
    let http = reqwest::Client::new();
    let in_flight = Arc::new(tokio::sync::Semaphore::new(256));
    let mut tick = tokio::time::interval(Duration::from_micros(1_000_000 / per_second));
    while !stop.load(Ordering::Relaxed) {
        tick.tick().await;
        let Ok(slot) = in_flight.clone().try_acquire_owned() else {
            continue;
        };
        let (http, addr) = (http.clone(), addr.clone());
        tokio::spawn(async move {
            forged_post(&http, &addr).await;
            drop(slot);
        });
    }
}

/// Connection floods: 1,000 half-open connections held and 2,000 one-byte
/// connections a second, until `stop`.
fn connection_flood(addr: &str, stop: &Arc<AtomicBool>) -> Vec<tokio::task::JoinHandle<()>> {
    vec![
        tokio::spawn(half_open(addr.to_string(), 1_000, stop.clone())),
        tokio::spawn({
            let (addr, stop) = (addr.to_string(), stop.clone());
            async move {
                while !stop.load(Ordering::Relaxed) {
                    one_byte_churn(&addr, 200).await;
                    tokio::time::sleep(Duration::from_millis(100)).await;
                }
            }
        }),
    ]
}

/// Signed deliveries' p50/p95 while `flood` runs; prints one line.
async fn under(
    name: &str,
    target: &Arc<Target>,
    quiet_p95: f64,
    first: u64,
    flood: Vec<tokio::task::JoinHandle<()>>,
    stop: Arc<AtomicBool>,
) {
    tokio::time::sleep(Duration::from_secs(1)).await;
    let (p50, p95, n) = signed_latencies(target, Duration::from_secs(10), first).await;
    stop.store(true, Ordering::Relaxed);
    for task in flood {
        let _ = task.await;
    }
    println!(
        "signed deliveries under {name}: p50 {p50:.2} ms, p95 {p95:.2} ms ({n} deliveries); p95 {:+.0} % of quiet",
        (p95 / quiet_p95 - 1.0) * 100.0
    );
}

#[tokio::main]
async fn main() {
    let args: Vec<String> = std::env::args()
        .skip(1)
        .filter(|a| a != "--bench")
        .collect();
    let [addr, pid, store, secret] = args.as_slice() else {
        eprintln!("usage: attack <host:port> <server pid> <store file> <wms secret>");
        std::process::exit(2);
    };
    let target = Arc::new(Target {
        addr: addr.clone(),
        pid: pid.parse().expect("a pid"),
        store: store.clone(),
        secret: secret.clone(),
    });
    let window = Duration::from_secs(5);

    let (p50, p95, n) = signed_latencies(&target, Duration::from_secs(10), 0).await;
    println!("signed deliveries, quiet: p50 {p50:.2} ms, p95 {p95:.2} ms ({n} deliveries)");
    println!(
        "cpu idle: {:.1} % of a core",
        cpu_percent(target.pid, window).await
    );

    let start = Instant::now();
    one_byte_churn(&target.addr, 2_000).await;
    println!(
        "2,000 one-byte connections opened and closed in {:.2} s; cpu after: {:.1} % of a core",
        start.elapsed().as_secs_f64(),
        cpu_percent(target.pid, window).await
    );

    let stop = Arc::new(AtomicBool::new(false));
    let holders = tokio::spawn(half_open(target.addr.clone(), 1_000, stop.clone()));
    tokio::time::sleep(Duration::from_secs(1)).await;
    println!(
        "cpu with 1,000 half-open connections: {:.1} % of a core",
        cpu_percent(target.pid, window).await
    );
    stop.store(true, Ordering::Relaxed);
    let _ = holders.await;

    let before = rows(&target.store);
    let sent = unsigned_posts(&target.addr, 5_000, None).await;
    // The writer commits in batches: let the last one land before counting.
    tokio::time::sleep(Duration::from_secs(1)).await;
    println!(
        "rows written by {sent} unsigned POSTs: {}",
        rows(&target.store) - before
    );

    let stop = Arc::new(AtomicBool::new(false));
    let flood = connection_flood(&target.addr, &stop);
    under(
        "1,000 half-open + 2,000 one-byte connections/s",
        &target,
        p95,
        1_000_000,
        flood,
        stop,
    )
    .await;

    let stop = Arc::new(AtomicBool::new(false));
    let flood = vec![tokio::spawn(unsigned_at_rate(
        target.addr.clone(),
        500,
        stop.clone(),
    ))];
    under("500 unsigned POSTs/s", &target, p95, 2_000_000, flood, stop).await;

    // Everything at once, the POSTs as fast as 64 clients on these same
    // cores can send them: a CPU flood, which no rule of the server's own
    // can make free.
    let stop = Arc::new(AtomicBool::new(false));
    let mut flood = connection_flood(&target.addr, &stop);
    flood.push(tokio::spawn({
        let (addr, stop) = (target.addr.clone(), stop.clone());
        async move {
            unsigned_posts(&addr, usize::MAX, Some(stop)).await;
        }
    }));
    under(
        "all of it, POSTs unpaced from 64 clients",
        &target,
        p95,
        3_000_000,
        flood,
        stop,
    )
    .await;
}
