//! What the server logs with the default filter (`info`): one line per
//! request answered (method, the route's template, status, milliseconds) and
//! a `delivery` span (integration, dedupe key) around each webhook delivery,
//! never a body, a secret or a path as sent.

use crate::support;

use serde_json::json;
use std::sync::{Arc, Mutex};
use support::hooks::{server_with_secrets, wms};
use support::placed_and_paid;
use tracing_subscriber::fmt::format::FmtSpan;
use tracing_subscriber::fmt::MakeWriter;

/// Log output kept in memory.
#[derive(Clone, Default)]
struct Captured(Arc<Mutex<Vec<u8>>>);

impl std::io::Write for Captured {
    fn write(&mut self, bytes: &[u8]) -> std::io::Result<usize> {
        self.0.lock().unwrap().extend_from_slice(bytes);
        Ok(bytes.len())
    }

    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

impl<'a> MakeWriter<'a> for Captured {
    type Writer = Captured;

    fn make_writer(&'a self) -> Self::Writer {
        self.clone()
    }
}

impl Captured {
    fn lines(&self) -> Vec<String> {
        String::from_utf8_lossy(&self.0.lock().unwrap())
            .lines()
            .map(str::to_string)
            .collect()
    }
}

const SECRET: &str = "request-log-wms-secret";

#[tokio::test]
async fn requests_and_deliveries_are_logged_without_bodies_or_secrets() {
    let logs = Captured::default();
    // While only one dispatcher exists, tracing-core settles whether a
    // callsite is wanted by asking the registering thread's dispatcher alone:
    // a callsite first reached on another test's thread would be cached as
    // unwanted by ours too. A second, silent dispatcher makes it ask each.
    let _second = tracing::Dispatch::new(tracing::subscriber::NoSubscriber::default());
    // This runtime has one thread, which runs the server's tasks too: the
    // thread's default subscriber sees what the server logs.
    let subscriber = tracing_subscriber::fmt()
        .with_writer(logs.clone())
        .with_ansi(false)
        .with_env_filter("info")
        .with_span_events(FmtSpan::CLOSE)
        .finish();
    let _default = tracing::subscriber::set_default(subscriber);

    let dir = tempfile::tempdir().unwrap();
    let server = server_with_secrets(dir.path(), &[]).await;
    let (status, body) = server
        .call(
            "admin/integrations/secret",
            json!({"integration": "wms", "secret": {"kind": "given", "value": SECRET}, "overlap_hours": 0}),
        )
        .await;
    assert_eq!(status, 200, "{body}");
    server.append(placed_and_paid("CR-LOG1")).await;
    let message = json!({
        "message_id": "log-delivery-1", "type": "picking", "channel": "douyin",
        "channel_order_id": "69CR-LOG1", "warehouse": "Logged-Warehouse-Name",
        "at": "2026-11-20T08:00:00+08:00"
    });
    let (status, answer) = wms(&server, SECRET, &message).await;
    assert_eq!(status, 200, "{answer}");
    let unknown = server
        .anon
        .get(format!(
            "{}/api/track/not-a-real-token?x=secret-query",
            server.base
        ))
        .send()
        .await
        .unwrap();
    assert_eq!(unknown.status().as_u16(), 404);
    server.stop().await;

    let lines = logs.lines();
    let answered = |route: &str, status: u16| {
        lines.iter().any(|l| {
            l.contains("request{method=GET")
                && l.contains(route)
                && l.contains("answered")
                && l.contains(&format!("status={status}"))
                && l.contains("ms=")
        })
    };
    let hook = lines
        .iter()
        .find(|l| l.contains("/hooks/{integration}") && l.contains("answered"))
        .unwrap_or_else(|| panic!("the delivery's request is logged: {lines:#?}"));
    assert!(
        hook.contains("method=POST") && hook.contains("status=200") && hook.contains("ms="),
        "{hook}"
    );
    assert!(answered("/api/track/{token}", 404), "{lines:#?}");
    let delivery = lines
        .iter()
        .find(|l| l.contains("delivery{"))
        .unwrap_or_else(|| panic!("a delivery span is logged: {lines:#?}"));
    assert!(
        delivery.contains("integration=") && delivery.contains("wms"),
        "{delivery}"
    );
    assert!(
        delivery.contains("dedupe_key=") && delivery.contains("log-delivery-1"),
        "{delivery}"
    );
    for private in [
        SECRET,
        "Logged-Warehouse-Name",
        "not-a-real-token",
        "secret-query",
    ] {
        assert!(
            !lines.iter().any(|l| l.contains(private)),
            "{private} is not logged: {lines:#?}"
        );
    }
}
