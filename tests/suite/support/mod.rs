//! Test support: a real server on port 0 over a fresh temp store, and clients for
//! its server functions and live stream.
#![allow(dead_code)]

pub mod hooks;

use eventsource_stream::Eventsource;
use futures::{Stream, StreamExt};
use order_control_room::model::{
    Actor, Address, Channel, Component, ComponentId, ComponentKind, Currency, Customer, EventKind,
    Money, Order, OrderEvent, OrderId, RecordedEvent, Source,
};
use order_control_room::server::app::Application;
use order_control_room::server::config::ServeArgs;
use order_control_room::server::AppState;
use std::path::Path;
use std::pin::Pin;
use std::time::Duration;
use tokio::sync::oneshot;
use tokio::task::JoinHandle;

/// The password of every test account (one per role: cs, logistics, finance, admin).
pub const PASSWORD: &str = "test-password-1";

/// A running server.
pub struct TestServer {
    pub base: String,
    pub state: AppState,
    /// Signed in as `admin`.
    pub http: reqwest::Client,
    /// Signed in as nobody.
    pub anon: reqwest::Client,
    stop: Option<oneshot::Sender<()>>,
    task: Option<JoinHandle<()>>,
    _dist: tempfile::TempDir,
}

impl TestServer {
    /// Starts a server over `data_dir`, serving `dist` (a temp dir with an index.html).
    pub async fn spawn(data_dir: &Path) -> TestServer {
        Self::spawn_with(data_dir, |_| {}).await
    }

    /// Like [`TestServer::spawn`], with changed options.
    pub async fn spawn_with(data_dir: &Path, adjust: impl FnOnce(&mut ServeArgs)) -> TestServer {
        let mut args = ServeArgs::local(data_dir.to_path_buf(), "127.0.0.1:0".parse().unwrap());
        let dist = dist_dir();
        args.dist = dist.path().to_path_buf();
        // Tests drive the detectors' passes at the moments they choose; the
        // ones about the detectors' own task turn it on.
        args.no_detectors = true;
        adjust(&mut args);
        let app = Application::build(args).await.expect("server starts");
        let base = format!("http://{}", app.local_addr());
        let state = app.state();
        state
            .auth
            .ensure_demo_users(PASSWORD)
            .await
            .expect("test accounts");
        let (stop, stopped) = oneshot::channel::<()>();
        let task = tokio::spawn(app.run_until(async {
            let _ = stopped.await;
        }));
        let mut server = TestServer {
            base,
            state,
            http: reqwest::Client::new(),
            anon: reqwest::Client::new(),
            stop: Some(stop),
            task: Some(task),
            _dist: dist,
        };
        server.http = server.login("admin").await;
        server
    }

    /// A client signed in as `username` (password [`PASSWORD`]).
    pub async fn login(&self, username: &str) -> reqwest::Client {
        let (status, body, client) = self.try_login(username, PASSWORD).await;
        assert_eq!(status, 200, "{username} signs in: {body}");
        client
    }

    /// Tries to sign in; returns the answer and the client holding any cookie.
    pub async fn try_login(
        &self,
        username: &str,
        password: &str,
    ) -> (u16, serde_json::Value, reqwest::Client) {
        let client = reqwest::Client::builder()
            .cookie_store(true)
            .build()
            .unwrap();
        let (status, body) = call(
            &client,
            &self.base,
            "auth/login",
            serde_json::json!({"username": username, "password": password}),
        )
        .await;
        (status, body, client)
    }

    /// Calls a server function as the given client.
    pub async fn call_as(
        &self,
        client: &reqwest::Client,
        endpoint: &str,
        body: serde_json::Value,
    ) -> (u16, serde_json::Value) {
        call(client, &self.base, endpoint, body).await
    }

    /// Stops the server gracefully and waits until it has.
    pub async fn stop(mut self) {
        if let Some(stop) = self.stop.take() {
            let _ = stop.send(());
        }
        if let Some(task) = self.task.take() {
            tokio::time::timeout(Duration::from_secs(10), task)
                .await
                .expect("server stops within 10 s")
                .expect("server task did not panic");
        }
    }

    /// Calls a server function as admin.
    pub async fn call(&self, endpoint: &str, body: serde_json::Value) -> (u16, serde_json::Value) {
        call(&self.http, &self.base, endpoint, body).await
    }

    /// Opens the live stream. `last_event_id` is sent as the `Last-Event-ID` header.
    pub async fn stream(&self, query: &str, last_event_id: Option<u64>) -> LiveClient {
        self.stream_as(&self.http, query, last_event_id).await
    }

    /// Opens the live stream as the given client.
    pub async fn stream_as(
        &self,
        client: &reqwest::Client,
        query: &str,
        last_event_id: Option<u64>,
    ) -> LiveClient {
        let mut req = client.get(format!("{}/api/stream{query}", self.base));
        if let Some(id) = last_event_id {
            req = req.header("Last-Event-ID", id.to_string());
        }
        let res = req.send().await.expect("stream opens");
        assert_eq!(res.status().as_u16(), 200, "stream answers 200");
        // The stream lane ends its response with the connection; hyper keeps
        // HTTP/1.1 connections alive and says nothing.
        let lane = match res.headers().get("connection") {
            Some(v) if v == "close" => Lane::Stream,
            _ => Lane::Axum,
        };
        LiveClient {
            lane,
            events: Box::pin(res.bytes_stream().eventsource()),
            resyncs: 0,
            caught_up_to: Vec::new(),
        }
    }

    /// Opens the live stream on a connection that has already served a
    /// request, so axum (hyper) serves it, not the stream lane.
    pub async fn stream_on_used_connection(
        &self,
        client: &reqwest::Client,
        query: &str,
        last_event_id: Option<u64>,
    ) -> LiveClient {
        let warm = client
            .get(format!("{}/healthz", self.base))
            .send()
            .await
            .expect("healthz answers");
        warm.bytes().await.expect("healthz body");
        self.stream_as(client, query, last_event_id).await
    }

    /// A client signed in as `username` that opens a new connection for
    /// every request, so its live streams take the stream lane.
    pub async fn login_fresh_connections(&self, username: &str) -> reqwest::Client {
        let client = reqwest::Client::builder()
            .cookie_store(true)
            .pool_max_idle_per_host(0)
            .build()
            .unwrap();
        let (status, body) = call(
            &client,
            &self.base,
            "auth/login",
            serde_json::json!({"username": username, "password": PASSWORD}),
        )
        .await;
        assert_eq!(status, 200, "{username} signs in: {body}");
        client
    }

    /// The status the live stream answers `query` with (the connection is dropped).
    pub async fn stream_status(&self, client: &reqwest::Client, query: &str) -> u16 {
        client
            .get(format!("{}/api/stream{query}", self.base))
            .send()
            .await
            .expect("request is sent")
            .status()
            .as_u16()
    }

    /// The current state of an order that must exist.
    pub async fn order(&self, id: &str) -> Order {
        self.state
            .store
            .order(&order_id(id))
            .await
            .expect("the store answers")
            .unwrap_or_else(|| panic!("order {id} exists"))
    }

    /// Appends through the store's one append path, as ingest and the demo do.
    pub async fn append(&self, events: Vec<OrderEvent>) -> Vec<RecordedEvent> {
        self.state
            .store
            .append(events)
            .await
            .expect("append accepted")
    }
}

/// A raw SSE event stream, as reqwest + eventsource-stream give it.
pub type SseStream = Pin<
    Box<
        dyn Stream<
                Item = Result<
                    eventsource_stream::Event,
                    eventsource_stream::EventStreamError<reqwest::Error>,
                >,
            > + Send,
    >,
>;

/// Which path through the server a live stream took.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Lane {
    /// A fresh connection: the stream lane writes frames to the socket itself.
    Stream,
    /// A connection that served other requests first: axum (hyper) serves it.
    Axum,
}

/// One open SSE connection.
pub struct LiveClient {
    events: SseStream,
    pub lane: Lane,
    /// `resync` frames seen: the server said this client fell behind.
    pub resyncs: usize,
    /// The heads named by `caught_up` frames: a catch-up reached them.
    pub caught_up_to: Vec<u64>,
}

impl LiveClient {
    /// The next order event (SSE id checked against its seq), or `None` when
    /// nothing arrives within `wait`.
    pub async fn next(&mut self, wait: Duration) -> Option<RecordedEvent> {
        loop {
            let item = tokio::time::timeout(wait, self.events.next())
                .await
                .ok()??;
            let ev = item.expect("well-formed SSE");
            if ev.event == "resync" {
                self.resyncs += 1;
                continue;
            }
            if ev.event == "caught_up" {
                let to: serde_json::Value = serde_json::from_str(&ev.data).expect("caught_up JSON");
                self.caught_up_to
                    .push(to["to"].as_u64().expect("caught_up names a seq"));
                continue;
            }
            if ev.event != "order_event" {
                continue;
            }
            let rec: RecordedEvent = serde_json::from_str(&ev.data).expect("event JSON");
            assert_eq!(ev.id, rec.seq.to_string(), "SSE id is the log sequence");
            return Some(rec);
        }
    }

    /// Reads exactly `n` events, failing if they do not arrive in time.
    pub async fn take(&mut self, n: usize) -> Vec<RecordedEvent> {
        let mut out = Vec::with_capacity(n);
        while out.len() < n {
            let ev = self
                .next(Duration::from_secs(10))
                .await
                .unwrap_or_else(|| panic!("only {} of {n} events arrived", out.len()));
            out.push(ev);
        }
        out
    }
}

/// A dist directory with a recognisable index.html.
/// Waits until `check` holds (work done in the background: the linker, a
/// connection closing), looking again every 20 ms; fails after `limit` (a
/// bound on a broken server, not a timing claim).
pub async fn eventually<F, Fut>(what: &str, limit: Duration, mut check: F)
where
    F: FnMut() -> Fut,
    Fut: std::future::Future<Output = bool>,
{
    let give_up = tokio::time::Instant::now() + limit;
    while !check().await {
        assert!(tokio::time::Instant::now() < give_up, "never: {what}");
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
}

pub fn dist_dir() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("index.html"),
        "<!doctype html><title>test app shell</title>",
    )
    .unwrap();
    dir
}

pub fn order_id(s: &str) -> OrderId {
    OrderId::parse(s).unwrap()
}

fn event(order: &str, kind: EventKind) -> OrderEvent {
    OrderEvent {
        order_id: order_id(order),
        occurred_at: chrono::Utc::now(),
        source: Source::ControlRoom,
        actor: Actor::System {
            name: "test".into(),
        },
        kind,
    }
}

/// The events that place and pay an order.
pub fn placed_and_paid(order: &str) -> Vec<OrderEvent> {
    let total = Money::new(26800, Currency::CNY);
    vec![
        event(
            order,
            EventKind::OrderPlaced {
                channel: Channel::Douyin,
                channel_order_id: format!("69{order}"),
                customer: Customer {
                    name: "李娜".into(),
                    phone: "13800138000".into(),
                    address: Address {
                        country: "CN".into(),
                        province: "上海".into(),
                        city: "上海".into(),
                        line: "浦东新区".into(),
                    },
                },
                components: vec![Component {
                    id: ComponentId::parse("item-1").unwrap(),
                    sku: "SER-ROSE-30".into(),
                    name: "Rose serum".into(),
                    kind: ComponentKind::Main,
                    quantity: 1,
                    unit_price: total,
                    ships_later: false,
                }],
                total,
            },
        ),
        event(order, EventKind::PaymentCaptured { amount: total }),
    ]
}

/// A note event, cheap to append many of.
pub fn note(order: &str, text: &str) -> OrderEvent {
    event(order, EventKind::NoteAdded { text: text.into() })
}

/// Calls a server function by its endpoint with a JSON body.
pub async fn call(
    client: &reqwest::Client,
    base: &str,
    endpoint: &str,
    body: serde_json::Value,
) -> (u16, serde_json::Value) {
    let res = client
        .post(format!("{base}/api/{endpoint}"))
        .json(&body)
        .send()
        .await
        .expect("request is sent");
    let status = res.status().as_u16();
    let text = res.text().await.unwrap_or_default();
    let json = serde_json::from_str(&text).unwrap_or(serde_json::Value::String(text));
    (status, json)
}
