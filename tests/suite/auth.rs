//! Sign-in and the security baseline: wrong passwords, disabled accounts,
//! expiry, throttling, cross-site requests, headers, lenses and the audit trail.

use crate::support;

use order_control_room::server::clock::{Clock, ManualClock};
use order_control_room::server::config::ServeArgs;
use serde_json::{json, Value};
use std::time::Duration;
use support::{placed_and_paid, TestServer, PASSWORD};

async fn login(
    server: &TestServer,
    username: &str,
    password: &str,
) -> (u16, Value, reqwest::Client) {
    server.try_login(username, password).await
}

async fn audit_kinds(server: &TestServer) -> Vec<String> {
    let (_, page) = server
        .call("admin/audit", json!({"page": 1, "kind": null}))
        .await;
    page["entries"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["kind"].as_str().unwrap().to_string())
        .collect()
}

#[tokio::test]
async fn a_wrong_password_is_refused_and_recorded() {
    let dir = tempfile::tempdir().unwrap();
    let server = TestServer::spawn(dir.path()).await;
    let (status, body, client) = login(&server, "cs", "not the password").await;
    assert_eq!(status, 401);
    assert_eq!(body, json!({"SignInRefused": "wrong username or password"}));
    let (status, _) = server.call_as(&client, "orders/list", json!({"query": {"page": 1, "per_page": 5, "status": null, "channel": null, "search": null}})).await;
    assert_eq!(status, 401, "no session was created");
    let (status, _, _) = login(&server, "nobody-here", PASSWORD).await;
    assert_eq!(status, 401, "an unknown user gets the same answer");
    assert!(
        audit_kinds(&server)
            .await
            .iter()
            .filter(|k| *k == "login_failed")
            .count()
            >= 2
    );
}

#[tokio::test]
async fn sessions_use_strict_http_only_cookies_and_sign_out_ends_them() {
    let dir = tempfile::tempdir().unwrap();
    let server = TestServer::spawn(dir.path()).await;
    let res = server
        .anon
        .post(format!("{}/api/auth/login", server.base))
        .json(&json!({"username": "cs", "password": PASSWORD}))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status().as_u16(), 200);
    let cookie = res.headers()["set-cookie"].to_str().unwrap().to_string();
    assert!(cookie.starts_with("ocr_session="), "{cookie}");
    assert!(
        cookie.contains("HttpOnly")
            && cookie.contains("SameSite=Strict")
            && cookie.contains("Path=/"),
        "{cookie}"
    );
    assert!(
        !cookie.contains("Secure"),
        "plain HTTP here; --secure-cookies adds it"
    );

    let client = server.login("cs").await;
    let (status, me) = server.call_as(&client, "auth/status", json!({})).await;
    assert_eq!(status, 200);
    assert_eq!(me["me"]["roles"], json!(["customer_service"]));
    let (status, _) = server.call_as(&client, "auth/logout", json!({})).await;
    assert_eq!(status, 200);
    let (_, me) = server.call_as(&client, "auth/status", json!({})).await;
    assert_eq!(me["me"], Value::Null, "signed out");
    assert!(audit_kinds(&server).await.contains(&"logout".to_string()));
}

#[tokio::test]
async fn a_disabled_user_cannot_sign_in_and_loses_open_sessions() {
    let dir = tempfile::tempdir().unwrap();
    let server = TestServer::spawn(dir.path()).await;
    let finance = server.login("finance").await;
    let (_, users) = server.call("admin/users/list", json!({})).await;
    let id = users
        .as_array()
        .unwrap()
        .iter()
        .find(|u| u["username"] == "finance")
        .unwrap()["id"]
        .clone();
    let (status, user) = server
        .call(
            "admin/users/disabled",
            json!({"user_id": id, "disabled": true}),
        )
        .await;
    assert_eq!(status, 200);
    assert_eq!(user["disabled"], true);

    let (status, _) = server.call_as(&finance, "auth/status", json!({})).await;
    assert_eq!(status, 200);
    let (status, _) = server.call_as(&finance, "orders/list", json!({"query": {"page": 1, "per_page": 5, "status": null, "channel": null, "search": null}})).await;
    assert_eq!(status, 401, "the open session ended");
    // The right password for a disabled account is answered exactly like a
    // wrong one, after the same work (one password check each).
    let checks = server.state.auth.password_checks();
    let right = login(&server, "finance", PASSWORD).await;
    assert_eq!(server.state.auth.password_checks(), checks + 1);
    let wrong = login(&server, "finance", "not the password").await;
    assert_eq!(server.state.auth.password_checks(), checks + 2);
    assert_eq!((right.0, &right.1), (wrong.0, &wrong.1));
    assert_eq!(right.0, 401);
    assert_eq!(
        right.1,
        json!({"SignInRefused": "wrong username or password"})
    );
}

/// A server whose expiry and throttling read `clock`.
async fn on_clock(
    dir: &std::path::Path,
    clock: &ManualClock,
    adjust: impl FnOnce(&mut ServeArgs),
) -> TestServer {
    TestServer::spawn_with(dir, |a| {
        a.clock = Clock::Manual(clock.clone());
        adjust(a);
    })
    .await
}

#[tokio::test]
async fn an_idle_session_expires() {
    let dir = tempfile::tempdir().unwrap();
    let clock = ManualClock::starting_now();
    let server = on_clock(dir.path(), &clock, |a| a.session_idle_secs = 600).await;
    let cs = server.login("cs").await;
    let list = json!({"query": {"page": 1, "per_page": 5, "status": null, "channel": null, "search": null}});
    assert_eq!(
        server.call_as(&cs, "orders/list", list.clone()).await.0,
        200
    );
    // Used a second before the idle limit: the idle period starts again.
    clock.advance(Duration::from_secs(599));
    assert_eq!(
        server.call_as(&cs, "orders/list", list.clone()).await.0,
        200
    );
    clock.advance(Duration::from_secs(599));
    assert_eq!(
        server.call_as(&cs, "orders/list", list.clone()).await.0,
        200,
        "the previous request kept the session alive"
    );
    // Unused for the whole idle period: over.
    clock.advance(Duration::from_secs(600));
    assert_eq!(server.call_as(&cs, "orders/list", list).await.0, 401);
}

#[tokio::test]
async fn an_absolute_expiry_ends_even_a_busy_session() {
    let dir = tempfile::tempdir().unwrap();
    let clock = ManualClock::starting_now();
    let server = on_clock(dir.path(), &clock, |a| {
        a.session_idle_secs = 600;
        a.session_max_secs = 3600;
    })
    .await;
    let cs = server.login("cs").await;
    // Busy all along: a request every five minutes, up to a second before
    // the absolute expiry.
    for _ in 0..11 {
        clock.advance(Duration::from_secs(300));
        assert_eq!(
            server.call_as(&cs, "auth/status", json!({})).await.1["me"]["username"],
            "cs"
        );
    }
    clock.advance(Duration::from_secs(299));
    assert_eq!(
        server.call_as(&cs, "auth/status", json!({})).await.1["me"]["username"],
        "cs",
        "a second before the expiry"
    );
    clock.advance(Duration::from_secs(1));
    assert_eq!(
        server.call_as(&cs, "auth/status", json!({})).await.1["me"],
        Value::Null
    );
}

#[tokio::test]
async fn repeated_failures_are_throttled_with_retry_after_and_the_hold_lifts() {
    let dir = tempfile::tempdir().unwrap();
    let clock = ManualClock::starting_now();
    let server = on_clock(dir.path(), &clock, |a| {
        a.login_window_secs = 120;
        a.login_failures_per_account = 3;
    })
    .await;
    for _ in 0..3 {
        assert_eq!(login(&server, "logistics", "wrong password").await.0, 401);
        clock.advance(Duration::from_secs(10));
    }
    let res = server
        .anon
        .post(format!("{}/api/auth/login", server.base))
        .json(&json!({"username": "logistics", "password": PASSWORD}))
        .send()
        .await
        .unwrap();
    assert_eq!(
        res.status().as_u16(),
        429,
        "held even with the right password"
    );
    let retry: u64 = res.headers()["retry-after"]
        .to_str()
        .unwrap()
        .parse()
        .unwrap();
    // The oldest failure was 30 s ago; it leaves the 120 s window in 90 s.
    assert_eq!(retry, 90, "Retry-After");
    let body: Value = res.json().await.unwrap();
    assert_eq!(body["TooManyAttempts"]["retry_after_secs"], 90);
    // Other accounts are not held.
    assert_eq!(login(&server, "cs", PASSWORD).await.0, 200);
    // A second short of Retry-After, still held; then the hold lifts.
    clock.advance(Duration::from_secs(retry - 1));
    assert_eq!(login(&server, "logistics", PASSWORD).await.0, 429);
    clock.advance(Duration::from_secs(1));
    assert_eq!(login(&server, "logistics", PASSWORD).await.0, 200);
    assert!(audit_kinds(&server)
        .await
        .contains(&"login_throttled".to_string()));
}

#[tokio::test]
async fn a_cross_site_post_is_refused_and_writes_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let server = TestServer::spawn(dir.path()).await;
    server.append(placed_and_paid("CR-X1")).await;
    let head = server.state.store.head();
    for (name, value) in [
        ("origin", "https://evil.example"),
        ("sec-fetch-site", "cross-site"),
    ] {
        let res = server
            .http
            .post(format!("{}/api/orders/note", server.base))
            .header(name, value)
            .json(&json!({"order_id": "CR-X1", "text": "forged"}))
            .send()
            .await
            .unwrap();
        assert_eq!(res.status().as_u16(), 403, "{name}: {value}");
    }
    assert_eq!(server.state.store.head(), head);
    // The same request from the app's own origin goes through.
    let res = server
        .http
        .post(format!("{}/api/orders/note", server.base))
        .header("origin", server.base.clone())
        .header("sec-fetch-site", "same-origin")
        .json(&json!({"order_id": "CR-X1", "text": "real"}))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status().as_u16(), 200);
}

#[tokio::test]
async fn responses_carry_the_security_headers() {
    let dir = tempfile::tempdir().unwrap();
    let server = TestServer::spawn(dir.path()).await;
    let page = server
        .anon
        .get(format!("{}/orders", server.base))
        .send()
        .await
        .unwrap();
    let h = page.headers();
    let csp = h["content-security-policy"].to_str().unwrap();
    assert!(
        csp.contains("'wasm-unsafe-eval'") && csp.contains("frame-ancestors 'none'"),
        "{csp}"
    );
    assert!(
        !csp.contains("'unsafe-eval'") && !csp.contains("'unsafe-inline'"),
        "{csp}"
    );
    assert_eq!(h["x-content-type-options"], "nosniff");
    assert_eq!(h["referrer-policy"], "no-referrer");
    assert_eq!(h["cache-control"], "no-store");
    let api = server
        .http
        .post(format!("{}/api/auth/status", server.base))
        .json(&json!({}))
        .send()
        .await
        .unwrap();
    assert_eq!(api.headers()["cache-control"], "no-store");
}

#[tokio::test]
async fn each_role_sees_orders_through_its_lens_and_signs_its_notes() {
    let dir = tempfile::tempdir().unwrap();
    let server = TestServer::spawn(dir.path()).await;
    server.append(placed_and_paid("CR-L1")).await;
    let get = json!({"id": "CR-L1"});

    let finance = server.login("finance").await;
    let (_, d) = server.call_as(&finance, "orders/get", get.clone()).await;
    assert_eq!(d["order"]["customer"]["phone"], "138****8000");
    assert_eq!(d["order"]["paid"]["minor"], 26800);
    assert_eq!(d["lens"]["money"], true);

    let logistics = server.login("logistics").await;
    let (_, d) = server.call_as(&logistics, "orders/get", get.clone()).await;
    assert_eq!(d["order"]["customer"]["phone"], "13800138000");
    assert_eq!(d["order"]["customer"]["address"]["line"], "浦东新区");
    assert_eq!(d["lens"]["money"], false);
    assert!(d["order"]["paid"].is_null(), "payment withheld, not zero");
    assert!(
        d["events"][1]["kind"]["amount"].is_null(),
        "also in the log"
    );

    let cs = server.login("cs").await;
    let (status, note) = server
        .call_as(
            &cs,
            "orders/note",
            json!({"order_id": "CR-L1", "text": "called back"}),
        )
        .await;
    assert_eq!(status, 200);
    assert_eq!(
        note["actor"],
        json!({"type": "staff", "user_id": note["actor"]["user_id"], "name": "Demo Customer service", "role": "customer_service"})
    );
}

#[tokio::test]
async fn the_first_admin_is_created_from_the_command_line() {
    use std::io::Write;
    let dir = tempfile::tempdir().unwrap();
    let mut child = std::process::Command::new(env!("CARGO_BIN_EXE_control-room"))
        .args([
            "create-admin",
            "--username",
            "Root",
            "--display-name",
            "Root Admin",
            "--password-stdin",
            "--data-dir",
        ])
        .arg(dir.path())
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    child
        .stdin
        .take()
        .unwrap()
        .write_all(b"first admin password\n")
        .unwrap();
    let out = child.wait_with_output().unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stdout)
    );
    let server = TestServer::spawn(dir.path()).await;
    let (status, me, _) = login(&server, "root", "first admin password").await;
    assert_eq!(status, 200, "{me}");
    assert_eq!(me["roles"], json!(["admin"]));
    // A short password is refused and creates nothing.
    let mut child = std::process::Command::new(env!("CARGO_BIN_EXE_control-room"))
        .args([
            "create-admin",
            "--username",
            "weak",
            "--password-stdin",
            "--data-dir",
        ])
        .arg(dir.path())
        .stdin(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    child.stdin.take().unwrap().write_all(b"short\n").unwrap();
    let out = child.wait_with_output().unwrap();
    assert!(!out.status.success());
    assert!(String::from_utf8_lossy(&out.stderr).contains("at least 10"));
}

#[tokio::test]
async fn ending_a_session_closes_its_open_live_stream() {
    let dir = tempfile::tempdir().unwrap();
    let server = TestServer::spawn(dir.path()).await;
    server.append(placed_and_paid("CR-S1")).await;
    let cs = server.login("cs").await;
    let res = cs
        .get(format!("{}/api/stream?after=0", server.base))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status().as_u16(), 200);
    let mut body = res.bytes_stream();
    use futures::StreamExt;
    // The replay arrives while the session lives.
    assert!(body.next().await.is_some());

    let (_, sessions) = server.call("admin/sessions/list", json!({})).await;
    let id = sessions
        .as_array()
        .unwrap()
        .iter()
        .find(|s| s["username"] == "cs")
        .unwrap()["id"]
        .clone();
    let (status, _) = server
        .call("admin/sessions/end", json!({"session_id": id}))
        .await;
    assert_eq!(status, 200);
    // Drain what was already sent; then the stream must end.
    let ended = tokio::time::timeout(Duration::from_secs(5), async {
        while let Some(chunk) = body.next().await {
            if chunk.is_err() {
                break;
            }
        }
    })
    .await;
    assert!(ended.is_ok(), "the stream closed after its session ended");
}

#[tokio::test]
async fn account_writes_never_make_an_append_fail() {
    use order_control_room::model::{Permission, Role};
    use order_control_room::server::auth::Staff;
    let dir = tempfile::tempdir().unwrap();
    let server = TestServer::spawn(dir.path()).await;
    server.append(placed_and_paid("CR-B1")).await;
    let staff = Staff {
        user_id: "u".into(),
        username: "cs".into(),
        display_name: "CS".into(),
        roles: vec![Role::CustomerService],
        session_id: "s".into(),
        language: None,
    };
    // Audit entries (account-side writes) interleaved with appends.
    let auth = server.state.auth.clone();
    let audits = tokio::spawn(async move {
        for _ in 0..300 {
            auth.record_denial(&staff, Permission::ManageUsers, "127.0.0.1")
                .await;
        }
    });
    let mut appends = Vec::new();
    for i in 0..300 {
        let store = server.state.store.clone();
        appends.push(tokio::spawn(async move {
            store
                .append(vec![support::note("CR-B1", &format!("n{i}"))])
                .await
        }));
    }
    for a in appends {
        assert!(
            a.await.unwrap().is_ok(),
            "an append failed while accounts were written"
        );
    }
    audits.await.unwrap();
    assert_eq!(server.state.store.head(), 302);
}
