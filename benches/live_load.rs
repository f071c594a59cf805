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
//! The tool shares the cores with the server, so it is kept lean: each
//! subscriber is a plain TCP connection with a minimal HTTP/1.1 + chunked +
//! SSE reader (no HTTP client stack, no per-event allocation), so as little
//! of the machine as possible goes to measuring rather than serving. The
//! publisher has a thread and runtime of its own and by default sends each
//! message at its time whether or not the earlier ones are acknowledged (an
//! open loop: the load does not drop when a server slows down);
//! `--closed-loop` waits for each acknowledgement first.
//!
//! `cargo bench --features ssr --bench live_load -- --target ours --base http://127.0.0.1:3000 --username admin --password … --subscribers 1000 --rate 100 --seconds 20 --server-pid <pid>`
//! (`scripts/live-bench` starts both servers and runs the whole comparison).

use clap::Parser;
use reqwest::cookie::{CookieStore, Jar};
use std::sync::{Arc, Mutex};
use std::time::{Duration, SystemTime, UNIX_EPOCH};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpStream;

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
    /// Wait for each publish to be acknowledged before sending the next (the
    /// rate then drops when the server acknowledges slowly); by default each
    /// message is sent at its time regardless.
    #[arg(long)]
    closed_loop: bool,
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
    /// Message numbers received (a bit per number).
    numbers: Vec<bool>,
    received: u64,
    duplicates: u64,
}

impl Seen {
    fn record(&mut self, sent_ns: u128, n: u64) {
        let latency = (now_ns().saturating_sub(sent_ns) / 1_000) as u64;
        self.latencies_us.push(latency);
        let i = n as usize;
        if i >= self.numbers.len() {
            self.numbers.resize(i + 1, false);
        }
        if self.numbers[i] {
            self.duplicates += 1;
        } else {
            self.numbers[i] = true;
            self.received += 1;
        }
    }
}

/// Where a subscriber connects: `http://host:port/path?query`.
struct StreamTarget {
    addr: String,
    request: Vec<u8>,
}

impl StreamTarget {
    fn new(url: &str, cookie: Option<String>) -> StreamTarget {
        let rest = url.strip_prefix("http://").expect("an http:// URL");
        let (addr, path) = match rest.find('/') {
            Some(i) => (&rest[..i], &rest[i..]),
            None => (rest, "/"),
        };
        let mut request =
            format!("GET {path} HTTP/1.1\r\nHost: {addr}\r\nAccept: text/event-stream\r\n");
        if let Some(cookie) = cookie {
            request.push_str(&format!("Cookie: {cookie}\r\n"));
        }
        request.push_str("\r\n");
        StreamTarget {
            addr: addr.to_string(),
            request: request.into_bytes(),
        }
    }
}

/// Reads one SSE response: head, then (chunked or not) the body, frame by
/// frame; each frame's stamp is recorded as it arrives. Signals `ready` once
/// the server has answered 200.
async fn subscribe(
    target: Arc<StreamTarget>,
    seen: Arc<Mutex<Seen>>,
    ready: tokio::sync::mpsc::Sender<()>,
) {
    let mut socket = TcpStream::connect(&target.addr).await.expect("connect");
    socket.set_nodelay(true).expect("nodelay");
    socket.write_all(&target.request).await.expect("request");
    let mut buf = vec![0u8; 16 * 1024];
    let mut pending: Vec<u8> = Vec::with_capacity(16 * 1024);
    // The response head.
    let head_end = loop {
        let n = socket.read(&mut buf).await.expect("response");
        assert!(n > 0, "the server closed before answering");
        pending.extend_from_slice(&buf[..n]);
        if let Some(i) = find(&pending, b"\r\n\r\n") {
            break i + 4;
        }
    };
    let head = String::from_utf8_lossy(&pending[..head_end]).to_ascii_lowercase();
    assert!(
        head.starts_with("http/1.1 200"),
        "subscribe: {}",
        head.lines().next().unwrap_or("")
    );
    let mut body = Body::new(head.contains("transfer-encoding: chunked"));
    let _ = ready.send(()).await;
    let mut frames = Frames::default();
    body.feed(&pending[head_end..], &mut frames);
    frames.drain(&seen);
    loop {
        let n = match socket.read(&mut buf).await {
            Ok(0) | Err(_) => return,
            Ok(n) => n,
        };
        body.feed(&buf[..n], &mut frames);
        frames.drain(&seen);
    }
}

fn find(haystack: &[u8], needle: &[u8]) -> Option<usize> {
    haystack.windows(needle.len()).position(|w| w == needle)
}

/// The response body's framing: chunked transfer coding or plain bytes.
struct Body {
    chunked: bool,
    /// Bytes left in the current chunk's data.
    left: usize,
    /// A chunk-size line (or the CRLF after a chunk) read so far.
    line: Vec<u8>,
    /// After a chunk's data: its CRLF is still to be skipped.
    skip_crlf: usize,
}

impl Body {
    fn new(chunked: bool) -> Body {
        Body {
            chunked,
            left: 0,
            line: Vec::new(),
            skip_crlf: 0,
        }
    }

    /// Passes the payload bytes in `input` on to `frames`.
    fn feed(&mut self, mut input: &[u8], frames: &mut Frames) {
        if !self.chunked {
            frames.bytes.extend_from_slice(input);
            return;
        }
        while !input.is_empty() {
            if self.left > 0 {
                let take = self.left.min(input.len());
                frames.bytes.extend_from_slice(&input[..take]);
                self.left -= take;
                input = &input[take..];
                if self.left == 0 {
                    self.skip_crlf = 2;
                }
            } else if self.skip_crlf > 0 {
                self.skip_crlf -= 1;
                input = &input[1..];
            } else {
                let Some(nl) = input.iter().position(|&b| b == b'\n') else {
                    self.line.extend_from_slice(input);
                    return;
                };
                self.line.extend_from_slice(&input[..nl]);
                input = &input[nl + 1..];
                let line = String::from_utf8_lossy(&self.line);
                let size = line.trim().split(';').next().unwrap_or("");
                self.left = usize::from_str_radix(size, 16).unwrap_or(0);
                self.line.clear();
            }
        }
    }
}

/// SSE payload bytes not yet split into frames.
#[derive(Default)]
struct Frames {
    bytes: Vec<u8>,
}

impl Frames {
    /// Records every complete frame's stamp and keeps the incomplete rest.
    fn drain(&mut self, seen: &Mutex<Seen>) {
        let mut start = 0;
        while let Some(end) = find(&self.bytes[start..], b"\n\n") {
            let frame = &self.bytes[start..start + end];
            if let Some((sent, n)) = std::str::from_utf8(frame).ok().and_then(stamp) {
                seen.lock().expect("seen").record(sent, n);
            }
            start += end + 2;
        }
        self.bytes.drain(..start);
    }
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
    /// The same publisher with an HTTP client (and connections) of the
    /// calling runtime.
    fn with_fresh_client(self) -> Publisher {
        let http = reqwest::Client::new();
        match self {
            Publisher::Ours { url, key, .. } => Publisher::Ours { http, url, key },
            Publisher::Nchan { url, .. } => Publisher::Nchan { http, url },
        }
    }

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

/// Publishes `total` messages at `rate` per second, each at its own time
/// whether or not earlier ones are acknowledged yet (an open loop, so a slow
/// acknowledgement does not lower the load): how long it took, how many
/// failed, and each one's time to acknowledgement.
async fn publish_all(
    publisher: Publisher,
    rate: u32,
    total: u64,
    closed_loop: bool,
) -> (f64, u64, Vec<u64>) {
    let publisher = Arc::new(publisher.with_fresh_client());
    let mut tick = tokio::time::interval(Duration::from_secs_f64(1.0 / rate as f64));
    tick.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Burst);
    let started = std::time::Instant::now();
    let mut sends = Vec::with_capacity(total as usize);
    let mut results = Vec::with_capacity(total as usize);
    for n in 0..total {
        tick.tick().await;
        let publisher = publisher.clone();
        let send = tokio::spawn(async move {
            let sent = std::time::Instant::now();
            let ok = publisher.publish(n).await;
            (ok, sent.elapsed().as_micros() as u64)
        });
        if closed_loop {
            results.push(send.await.expect("publish task"));
        } else {
            sends.push(send);
        }
    }
    for send in sends {
        results.push(send.await.expect("publish task"));
    }
    let mut failed = 0;
    let mut acks_us = Vec::with_capacity(total as usize);
    for (ok, ack_us) in results {
        acks_us.push(ack_us);
        if !ok {
            failed += 1;
        }
    }
    (started.elapsed().as_secs_f64(), failed, acks_us)
}

/// Signs in, makes an API key and an order: the stream URL and the publisher.
async fn prepare_ours(args: &Args) -> (StreamTarget, Publisher) {
    let jar = Arc::new(Jar::default());
    let http = reqwest::Client::builder()
        .cookie_provider(jar.clone())
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
    let cookie = jar
        .cookies(&base.parse().expect("base URL"))
        .and_then(|c| c.to_str().ok().map(str::to_string));
    assert!(cookie.is_some(), "signed in with a session cookie");
    let publisher = Publisher::Ours { http, url, key };
    (StreamTarget::new(&stream, cookie), publisher)
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
    let (target, publisher) = match args.target.as_str() {
        "ours" => prepare_ours(&args).await,
        "nchan" => {
            let publisher = Publisher::Nchan {
                http: reqwest::Client::new(),
                url: args.pub_url.clone(),
            };
            (StreamTarget::new(&args.sub_url, None), publisher)
        }
        other => panic!("unknown target {other:?}: ours or nchan"),
    };
    let rss_before = rss_of(&args.server_pid);

    // Open every subscriber and wait until each has its connection.
    let seen: Vec<Arc<Mutex<Seen>>> = (0..args.subscribers).map(|_| Arc::default()).collect();
    let (ready_tx, mut ready_rx) = tokio::sync::mpsc::channel::<()>(args.subscribers.max(1));
    let target = Arc::new(target);
    let mut tasks = Vec::new();
    for s in &seen {
        let (target, s, ready) = (target.clone(), s.clone(), ready_tx.clone());
        tasks.push(tokio::spawn(subscribe(target, s, ready)));
    }
    drop(ready_tx);
    for _ in 0..args.subscribers {
        ready_rx.recv().await.expect("a subscriber connected");
    }
    // Let the server settle, then read its memory with every connection idle.
    tokio::time::sleep(Duration::from_secs(1)).await;
    let rss_idle = rss_of(&args.server_pid);

    let total = args.rate as u64 * args.seconds;
    // The publisher has a thread and runtime of its own, so a message is not
    // sent late because the subscribers' reads keep the main runtime busy.
    let (rate, closed_loop) = (args.rate, args.closed_loop);
    let (published_in, failed, mut acks_us) = std::thread::spawn(move || {
        tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .expect("publisher runtime")
            .block_on(publish_all(publisher, rate, total, closed_loop))
    })
    .join()
    .expect("publisher thread");
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
        delivered += s.received;
        missed += total - s.received.min(total);
        duplicates += s.duplicates;
    }
    latencies.sort_unstable();
    let ms = |us: u64| us as f64 / 1000.0;
    println!(
        "live_load target={} subscribers={} rate={}/s{} published={} (failed {failed}) in {:.1} s: \
         delivered {:.0} msg/s, latency p50 {:.2} ms, p99 {:.2} ms, max {:.2} ms, missed {missed}, duplicated {duplicates}",
        args.target,
        args.subscribers,
        args.rate,
        if args.closed_loop { " closed-loop" } else { "" },
        total,
        published_in,
        delivered as f64 / published_in,
        ms(percentile(&latencies, 0.50)),
        ms(percentile(&latencies, 0.99)),
        ms(latencies.last().copied().unwrap_or(0)),
    );
    acks_us.sort_unstable();
    println!(
        "live_load target={} publish acknowledged (ours: after the durable commit) p50 {:.2} ms, p99 {:.2} ms",
        args.target,
        ms(percentile(&acks_us, 0.50)),
        ms(percentile(&acks_us, 0.99)),
    );
    if let (Some(before), Some(idle)) = (rss_before, rss_idle) {
        let per = (idle.saturating_sub(before)) as f64 / args.subscribers.max(1) as f64;
        println!(
            "live_load target={} server RSS {before} KiB before, {idle} KiB with {} idle subscribers: {per:.1} KiB per connection",
            args.target, args.subscribers
        );
    }
}
