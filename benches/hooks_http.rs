//! Benchmark: acknowledged webhook deliveries per second through the real HTTP
//! endpoint (`POST /hooks/douyin`: signature check, parse, translate through the
//! mapping table, one durable commit shared by concurrent deliveries), with
//! concurrent keep-alive clients on loopback sharing the machine's cores.
//!
//! `cargo bench --features ssr --bench hooks_http`
//! Environment: `BENCH_DURABILITY=full|normal` (default full), `BENCH_CLIENTS`
//! (default 64), `BENCH_SECONDS` per shape (default 10; a shape ends early when
//! its prepared deliveries, up to 512 MiB of them, run out).
//!
//! Two shapes of delivery:
//! - `douyin`: a Douyin shop push of one message, or a batch of messages as
//!   Douyin sends them, each about a different known order (tag 113, "seller
//!   memo changed": kept in the log as a reported status, one event per message);
//! - `kuaidi100`: a Kuaidi100 push for one shipped parcel carrying `n` scans the
//!   log has not seen (one event per scan, one order row updated).
//!
//! `BENCH_SHAPES` picks them, e.g. `douyin:1,douyin:50,kuaidi100:20` (the default).

#[path = "support/orders.rs"]
mod orders;

use order_control_room::model::{
    Channel, ComponentId, Currency, EventKind, Money, OrderEvent, OrderId, ParcelId,
};
use order_control_room::server::app::Application;
use order_control_room::server::config::ServeArgs;
use order_control_room::server::store::Durability;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

/// mimalloc: the server allocates many small, short-lived buffers (JSON,
/// rows); glibc's allocator showed up at ~10% of its profile.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

const SALT: &str = "bench-kuaidi100-salt";
const APP_KEY: &str = "bench-app-key";
const APP_SECRET: &str = "bench-app-secret";
const ORDERS: usize = 5_000;

fn placed(i: usize) -> OrderEvent {
    let order = OrderId::parse(format!("CR-B{i:07}")).expect("valid id");
    orders::placed(&order, Channel::Douyin, channel_order_id(i))
}

/// The events that ship order `i`'s one parcel under its waybill.
fn shipped(i: usize) -> Vec<OrderEvent> {
    let order = placed(i);
    let event = |kind| OrderEvent {
        kind,
        ..order.clone()
    };
    let total = Money::new(9900, Currency::CNY);
    vec![
        order.clone(),
        event(EventKind::PaymentCaptured { amount: total }),
        event(EventKind::ParcelPacked {
            parcel: ParcelId::parse("P1").expect("valid id"),
            components: vec![ComponentId::parse("item-1").expect("valid id")],
        }),
        event(EventKind::ParcelShipped {
            parcel: ParcelId::parse("P1").expect("valid id"),
            carrier: "YTO Express".into(),
            waybill: waybill(i),
        }),
    ]
}

fn waybill(i: usize) -> String {
    format!("YT{i:013}")
}

/// A signed Kuaidi100 push (form body) of `scans` new scans, push number `n`.
fn kuaidi100(n: u64, scans: usize) -> Vec<u8> {
    let i = (n % ORDERS as u64) as usize;
    let base = chrono::NaiveDate::from_ymd_opt(2026, 1, 1)
        .expect("date")
        .and_hms_opt(0, 0, 0)
        .expect("time")
        + chrono::Duration::seconds((n * scans as u64) as i64);
    let data: Vec<_> = (0..scans)
        .rev()
        .map(|k| {
            let at = (base + chrono::Duration::seconds(k as i64))
                .format("%Y-%m-%d %H:%M:%S")
                .to_string();
            serde_json::json!({"time": at, "ftime": at, "context": "快件已到达 杭州转运中心", "status": "在途"})
        })
        .collect();
    let param = serde_json::json!({
        "status": "polling", "billstatus": "got", "message": "",
        "lastResult": {"message": "ok", "nu": waybill(i), "ischeck": "0", "com": "yuantong",
                       "status": "200", "state": "0", "data": data}
    })
    .to_string();
    let mut md5 = <md5::Md5 as md5::Digest>::new();
    md5::Digest::update(&mut md5, param.as_bytes());
    md5::Digest::update(&mut md5, SALT.as_bytes());
    let sign = hex::encode_upper(md5::Digest::finalize(md5));
    serde_urlencoded::to_string([("param", param.as_str()), ("sign", sign.as_str())])
        .expect("form")
        .into_bytes()
}

fn channel_order_id(i: usize) -> String {
    format!("69{:017}", 4_705_288_465_508_532u64 + i as u64)
}

/// A signed Douyin push of `batch` messages starting at message number `n`.
fn delivery(n: u64, batch: usize) -> (Vec<u8>, String) {
    let messages: Vec<_> = (0..batch as u64)
        .map(|k| {
            let m = n * batch as u64 + k;
            serde_json::json!({
                "tag": 113,
                "msgId": format!("bench-{m}"),
                "data": {
                    "p_id": channel_order_id((m % ORDERS as u64) as usize),
                    "shop_id": 12345,
                    "update_time": 1_763_600_000 + m % 100_000,
                }
            })
        })
        .collect();
    let body = if batch == 1 {
        serde_json::to_vec(&messages[0])
    } else {
        serde_json::to_vec(&messages)
    }
    .expect("json");
    let mut md5 = <md5::Md5 as md5::Digest>::new();
    md5::Digest::update(&mut md5, APP_KEY.as_bytes());
    md5::Digest::update(&mut md5, &body);
    md5::Digest::update(&mut md5, APP_SECRET.as_bytes());
    let sign = hex::encode(md5::Digest::finalize(md5));
    (body, sign)
}

/// A delivery built before the clock starts, so the load generator spends its
/// share of the cores on sending, not on building JSON and signatures.
struct Prepared {
    path: &'static str,
    content_type: &'static str,
    sign: Option<String>,
    body: axum::body::Bytes,
}

fn prepare(shape: Shape, n: u64) -> Prepared {
    match shape {
        Shape::Douyin(batch) => {
            let (body, sign) = delivery(n, batch);
            Prepared {
                path: "/hooks/douyin",
                content_type: "application/json",
                sign: Some(sign),
                body: body.into(),
            }
        }
        Shape::Kuaidi100(scans) => Prepared {
            path: "/hooks/kuaidi100",
            content_type: "application/x-www-form-urlencoded",
            sign: None,
            body: kuaidi100(n, scans).into(),
        },
    }
}

/// At most this many bytes of prepared deliveries per shape.
const PREPARED_BYTES: usize = 512 << 20;

struct Totals {
    deliveries: AtomicU64,
    events: AtomicU64,
    failures: AtomicU64,
}

/// Which deliveries to send.
#[derive(Clone, Copy)]
enum Shape {
    Douyin(usize),
    Kuaidi100(usize),
}

async fn run(durability: Durability, clients: usize, shape: Shape, seconds: u64) {
    let dir = tempfile::tempdir().expect("temp dir");
    let mut args = ServeArgs::local(
        dir.path().to_path_buf(),
        "127.0.0.1:0".parse().expect("addr"),
    );
    args.store.durability = durability;
    let app = Application::build(args).await.expect("server starts");
    let base = format!("http://{}", app.local_addr());
    let state = app.state();
    for chunk in (0..ORDERS).collect::<Vec<_>>().chunks(250) {
        let events = chunk.iter().flat_map(|i| shipped(*i)).collect();
        state
            .store
            .append(events)
            .await
            .expect("orders placed and shipped");
    }
    let (stop, stopped) = tokio::sync::oneshot::channel::<()>();
    let server = tokio::spawn(app.run_until(async {
        let _ = stopped.await;
    }));

    let first = prepare(shape, 0);
    let count = (PREPARED_BYTES / first.body.len().max(1)).min(200_000);
    let prepared: Arc<Vec<Prepared>> = Arc::new(
        std::iter::once(first)
            .chain((1..count as u64).map(|n| prepare(shape, n)))
            .collect(),
    );
    let totals = Arc::new(Totals {
        deliveries: AtomicU64::new(0),
        events: AtomicU64::new(0),
        failures: AtomicU64::new(0),
    });
    let next = Arc::new(AtomicU64::new(0));
    let deadline = Instant::now() + Duration::from_secs(seconds);
    let start = Instant::now();
    let tasks: Vec<_> = (0..clients)
        .map(|_| {
            let (totals, next, base) = (totals.clone(), next.clone(), base.clone());
            let prepared = prepared.clone();
            tokio::spawn(async move {
                let http = reqwest::Client::new();
                while Instant::now() < deadline {
                    let n = next.fetch_add(1, Ordering::Relaxed) as usize;
                    let Some(d) = prepared.get(n) else { break };
                    let mut req = http
                        .post(format!("{base}{}", d.path))
                        .header("content-type", d.content_type)
                        .body(d.body.clone());
                    if let Some(sign) = &d.sign {
                        req = req.header("event-sign", sign);
                    }
                    let res = req.send().await;
                    let ok = match res {
                        Ok(r) if r.status().as_u16() == 200 => {
                            let v: serde_json::Value = r.json().await.unwrap_or_default();
                            v["events"].as_array().map(|e| e.len() as u64)
                        }
                        _ => None,
                    };
                    match ok {
                        Some(events) => {
                            totals.deliveries.fetch_add(1, Ordering::Relaxed);
                            totals.events.fetch_add(events, Ordering::Relaxed);
                        }
                        None => {
                            totals.failures.fetch_add(1, Ordering::Relaxed);
                        }
                    }
                }
            })
        })
        .collect();
    for t in tasks {
        t.await.expect("client");
    }
    let secs = start.elapsed().as_secs_f64();
    let _ = stop.send(());
    let _ = server.await;
    let deliveries = totals.deliveries.load(Ordering::Relaxed);
    let events = totals.events.load(Ordering::Relaxed);
    let shape = match shape {
        Shape::Douyin(n) => format!("douyin push of {n} message(s)"),
        Shape::Kuaidi100(n) => format!("kuaidi100 push of {n} new scan(s)"),
    };
    println!(
        "hooks_http durability={durability:?} clients={clients} {shape}: \
         {:.0} deliveries/s, {:.0} acknowledged events/s ({deliveries} deliveries, {events} events, \
         {} failed, {secs:.1} s)",
        deliveries as f64 / secs,
        events as f64 / secs,
        totals.failures.load(Ordering::Relaxed),
    );
}

fn main() {
    std::env::set_var("CONTROL_ROOM_KUAIDI100_SECRET", SALT);
    std::env::set_var(
        "CONTROL_ROOM_DOUYIN_SECRET",
        format!("{APP_KEY}:{APP_SECRET}"),
    );
    let durability = match std::env::var("BENCH_DURABILITY").as_deref() {
        Ok("normal") => Durability::Normal,
        _ => Durability::Full,
    };
    let clients = std::env::var("BENCH_CLIENTS")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(64);
    let seconds = std::env::var("BENCH_SECONDS")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(10);
    let shapes: Vec<Shape> = std::env::var("BENCH_SHAPES")
        .unwrap_or_else(|_| "douyin:1,douyin:50,kuaidi100:20".into())
        .split(',')
        .filter_map(|s| {
            let (kind, n) = s.split_once(':')?;
            let n = n.parse().ok()?;
            match kind {
                "douyin" => Some(Shape::Douyin(n)),
                "kuaidi100" => Some(Shape::Kuaidi100(n)),
                _ => None,
            }
        })
        .collect();
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .expect("runtime");
    for shape in shapes {
        runtime.block_on(run(durability, clients, shape, seconds));
    }
}
