//! The edge of sign-in, sessions and requests against a real server: the
//! throttle under concurrency and from several addresses, disabled accounts,
//! origins, hosts and content types, the server-function gate, the last
//! admin, cookies over TLS, the session cap and the size of the audit trail.

use crate::support;

use futures::StreamExt;
use order_control_room::model::access::account::{AuditKind, AuditPage};
use order_control_room::server::app::Application;
use order_control_room::server::clock::{Clock, ManualClock};
use order_control_room::server::config::ServeArgs;
use serde_json::{json, Value};
use std::net::IpAddr;
use std::time::Duration;
use support::{placed_and_paid, TestServer, PASSWORD};

const LIST: &str = "orders/list";

fn list_query() -> Value {
    json!({"query": {"page": 1, "per_page": 5, "status": null, "channel": null, "search": null}})
}

/// Every audit entry of `kind` (all pages).
async fn audit_of(server: &TestServer, kind: Option<AuditKind>) -> AuditPage {
    let mut page = server.state.auth.audit(1, kind).await.unwrap();
    let mut next = 2;
    while (page.entries.len() as u64) < page.total {
        let more = server.state.auth.audit(next, kind).await.unwrap();
        page.entries.extend(more.entries);
        next += 1;
    }
    page
}

async fn audit_total(server: &TestServer) -> u64 {
    server.state.auth.audit(1, None).await.unwrap().total
}

/// A client whose connections come from `ip` (any 127.0.0.0/8 address
/// reaches the server on loopback), so the server sees another address.
fn client_from(ip: &str) -> reqwest::Client {
    reqwest::Client::builder()
        .local_address(ip.parse::<IpAddr>().unwrap())
        .cookie_store(true)
        .build()
        .unwrap()
}

async fn sign_in(server: &TestServer, client: &reqwest::Client, user: &str, pw: &str) -> u16 {
    server
        .call_as(
            client,
            "auth/login",
            json!({"username": user, "password": pw}),
        )
        .await
        .0
}

#[tokio::test]
async fn two_hundred_concurrent_wrong_passwords_are_checked_at_most_the_limit() {
    let dir = tempfile::tempdir().unwrap();
    let server = TestServer::spawn(dir.path()).await;
    let limit = ServeArgs::local(dir.path().into(), "127.0.0.1:0".parse().unwrap())
        .login_failures_per_account;
    let checks_before = server.state.auth.password_checks();
    let failed_before = audit_of(&server, Some(AuditKind::LoginFailed)).await.total;

    let guesses = (0..200).map(|i| {
        let client = server.anon.clone();
        let base = server.base.clone();
        async move {
            support::call(
                &client,
                &base,
                "auth/login",
                json!({"username": "finance", "password": format!("guess {i}")}),
            )
            .await
            .0
        }
    });
    let statuses = futures::future::join_all(guesses).await;

    let refused = statuses.iter().filter(|s| **s == 401).count();
    let throttled = statuses.iter().filter(|s| **s == 429).count();
    let checks = server.state.auth.password_checks() - checks_before;
    let failed = audit_of(&server, Some(AuditKind::LoginFailed)).await.total - failed_before;
    assert_eq!(refused + throttled, 200, "{statuses:?}");
    assert!(
        (1..=limit).contains(&refused),
        "{refused} guesses were checked; the limit is {limit}"
    );
    assert_eq!(checks as usize, refused, "one argon2 verification each");
    assert_eq!(failed as usize, refused, "one failure entry each");
    server.stop().await;
}

/// Signs in while moving `clock`: an attempt the throttle slows waits on the
/// clock, which is moved on by `delay` once it does. Returns the status and
/// whether the attempt was slowed.
async fn sign_in_on(
    clock: &ManualClock,
    delay: Duration,
    server: &TestServer,
    client: &reqwest::Client,
    user: &str,
    pw: &str,
) -> (u16, bool) {
    let attempt = sign_in(server, client, user, pw);
    tokio::pin!(attempt);
    let mut slowed = false;
    // A guard against a hang (a delay longer than `delay`), not a timing.
    tokio::time::timeout(Duration::from_secs(10), async {
        loop {
            tokio::select! {
                status = &mut attempt => return (status, slowed),
                _ = clock.until_sleeping(1), if !slowed => {
                    slowed = true;
                    clock.advance(delay);
                }
            }
        }
    })
    .await
    .expect("a slowed attempt goes on once the clock has moved by the cap")
}

#[tokio::test]
async fn a_guesser_slows_and_holds_only_themselves_not_the_owner() {
    let dir = tempfile::tempdir().unwrap();
    let clock = ManualClock::starting_now();
    let max_delay = Duration::from_millis(300);
    let server = TestServer::spawn_with(dir.path(), |a| {
        a.clock = Clock::Manual(clock.clone());
        a.login_failures_per_account = 3;
        a.login_failures_per_address = 20;
        a.login_slow_after = 2;
        a.login_max_delay_ms = max_delay.as_millis() as u64;
    })
    .await;
    let attacker = client_from("127.0.0.1");
    let mut attempts = Vec::new();
    for i in 0..8 {
        let guess = format!("guess {i}");
        attempts.push(sign_in_on(&clock, max_delay, &server, &attacker, "cs", &guess).await);
    }
    assert_eq!(
        attempts,
        [
            (401, false),
            (401, false),
            // Past the soft limit of 2 failures: slowed before it is checked.
            (401, true),
            // Past the pair's hard limit of 3: held at once, not slowed.
            (429, false),
            (429, false),
            (429, false),
            (429, false),
            (429, false),
        ]
    );
    // Held from the guesser's address, even with the right password.
    assert_eq!(
        sign_in_on(&clock, max_delay, &server, &attacker, "cs", PASSWORD).await,
        (429, false)
    );

    // The owner, from another address, gets in: slowed (the account has
    // failures past the soft limit) by at most the cap.
    let owner = client_from("127.0.0.2");
    assert_eq!(
        sign_in_on(&clock, max_delay, &server, &owner, "cs", PASSWORD).await,
        (200, true)
    );
    let (status, me) = server.call_as(&owner, "auth/status", json!({})).await;
    assert_eq!((status, me["me"]["username"].clone()), (200, json!("cs")));
    server.stop().await;
}

#[tokio::test]
async fn an_address_spraying_many_accounts_is_still_held() {
    let dir = tempfile::tempdir().unwrap();
    let server = TestServer::spawn_with(dir.path(), |a| {
        a.login_failures_per_account = 3;
        a.login_failures_per_address = 4;
    })
    .await;
    let sprayer = client_from("127.0.0.3");
    for user in ["cs", "logistics", "finance", "nobody"] {
        assert_eq!(
            sign_in(&server, &sprayer, user, "wrong password").await,
            401
        );
    }
    assert_eq!(sign_in(&server, &sprayer, "admin", PASSWORD).await, 429);
    assert_eq!(
        sign_in(&server, &client_from("127.0.0.4"), "admin", PASSWORD).await,
        200
    );
    server.stop().await;
}

#[tokio::test]
async fn origins_must_match_in_scheme_host_and_port() {
    let dir = tempfile::tempdir().unwrap();
    let server = TestServer::spawn(dir.path()).await;
    server.append(placed_and_paid("CR-O1")).await;
    let head = server.state.store.head();
    let port = server.base.rsplit(':').next().unwrap().to_string();
    let note = |origin: String| {
        server
            .http
            .post(format!("{}/api/orders/note", server.base))
            .header("origin", origin)
            .json(&json!({"order_id": "CR-O1", "text": "from a page"}))
            .send()
    };
    for forged in [
        format!("evil://127.0.0.1:{port}"),
        format!("https://127.0.0.1:{port}"),
        "http://127.0.0.1:1".to_string(),
        "null".to_string(),
    ] {
        let res = note(forged.clone()).await.unwrap();
        assert_eq!(res.status().as_u16(), 403, "{forged}");
    }
    assert_eq!(server.state.store.head(), head, "nothing was written");
    for own in [
        format!("http://127.0.0.1:{port}"),
        format!("http://localhost:{port}"),
    ] {
        let res = note(own.clone()).await.unwrap();
        assert_eq!(res.status().as_u16(), 200, "{own}");
    }
    server.stop().await;
}

#[tokio::test]
async fn requests_for_another_host_are_refused() {
    let dir = tempfile::tempdir().unwrap();
    let server = TestServer::spawn(dir.path()).await;
    let port = server.base.rsplit(':').next().unwrap().to_string();
    let get = |path: &str, host: String| {
        server
            .anon
            .get(format!("{}{path}", server.base))
            .header("host", host)
            .send()
    };
    // DNS rebinding: a page on another name that resolves here.
    let res = get("/orders", format!("rebound.example:{port}"))
        .await
        .unwrap();
    assert_eq!(res.status().as_u16(), 421);
    assert_eq!(
        res.headers()["x-frame-options"],
        "DENY",
        "headers still set"
    );
    let res = server
        .http
        .post(format!("{}/api/auth/status", server.base))
        .header("host", format!("rebound.example:{port}"))
        .json(&json!({}))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status().as_u16(), 421);
    for host in [format!("127.0.0.1:{port}"), format!("localhost:{port}")] {
        assert_eq!(
            get("/orders", host.clone()).await.unwrap().status(),
            200,
            "{host}"
        );
    }
    // Probes may name the server any way.
    let res = get("/healthz", "10.9.8.7".into()).await.unwrap();
    assert_eq!(res.status().as_u16(), 200);
    server.stop().await;
}

#[tokio::test]
async fn server_functions_take_only_json() {
    let dir = tempfile::tempdir().unwrap();
    let server = TestServer::spawn(dir.path()).await;
    server.append(placed_and_paid("CR-J1")).await;
    let head = server.state.store.head();
    let body = r#"{"order_id":"CR-J1","text":"simple request"}"#;
    for content_type in [
        Some("text/plain"),
        Some("application/x-www-form-urlencoded"),
        Some("multipart/form-data; boundary=x"),
        None,
    ] {
        let mut req = server
            .http
            .post(format!("{}/api/orders/note", server.base))
            .body(body);
        if let Some(ct) = content_type {
            req = req.header("content-type", ct);
        }
        let res = req.send().await.unwrap();
        assert_eq!(res.status().as_u16(), 415, "{content_type:?}");
    }
    assert_eq!(server.state.store.head(), head, "nothing was written");
    let res = server
        .http
        .post(format!("{}/api/orders/note", server.base))
        .header("content-type", "application/json; charset=utf-8")
        .body(body)
        .send()
        .await
        .unwrap();
    assert_eq!(res.status().as_u16(), 200);
    server.stop().await;
}

#[tokio::test]
async fn anonymous_calls_to_staff_functions_learn_nothing_of_their_arguments() {
    let dir = tempfile::tempdir().unwrap();
    let server = TestServer::spawn(dir.path()).await;
    let anon = |path: &str, body: &'static str| {
        server
            .anon
            .post(format!("{}/api/{path}", server.base))
            .header("content-type", "application/json")
            .body(body)
            .send()
    };
    for path in [
        "admin/users/create",
        "orders/list",
        "admin/mappings/set",
        "no/such/fn",
    ] {
        for body in ["garbage", "{}", r#"{"user": {"roles": ["wizard"]}}"#] {
            let res = anon(path, body).await.unwrap();
            assert_eq!(res.status().as_u16(), 401, "{path} {body}");
            let text = res.text().await.unwrap();
            assert_eq!(text, r#""Unauthenticated""#, "{path}: {text}");
        }
    }
    // Signed in, the same garbage is decoded and explained.
    let res = server
        .http
        .post(format!("{}/api/admin/users/create", server.base))
        .header("content-type", "application/json")
        .body("{}")
        .send()
        .await
        .unwrap();
    assert_eq!(res.status().as_u16(), 400);
    // The public functions still decode for anyone.
    let res = anon("auth/login", "garbage").await.unwrap();
    assert_eq!(res.status().as_u16(), 400);
    server.stop().await;
}

#[tokio::test]
async fn the_last_enabled_admin_cannot_be_disabled() {
    let dir = tempfile::tempdir().unwrap();
    let server = TestServer::spawn(dir.path()).await;
    let (_, me) = server.call("auth/status", json!({})).await;
    let admin_id = me["me"]["user_id"].clone();
    let (status, body) = server
        .call(
            "admin/users/disabled",
            json!({"user_id": admin_id, "disabled": true}),
        )
        .await;
    assert_eq!(status, 409, "{body}");
    assert_eq!(body, json!({"AccountRefused": {"LastAdmin": "admin"}}));
    let (status, _) = server.call(LIST, list_query()).await;
    assert_eq!(status, 200, "still signed in, still enabled");
    assert!(audit_of(&server, Some(AuditKind::UserDisabled))
        .await
        .entries
        .is_empty());

    // With a second admin it is allowed.
    let (status, _) = server
        .call(
            "admin/users/create",
            json!({"user": {"username": "second", "display_name": "Second", "roles": ["admin"], "password": PASSWORD}}),
        )
        .await;
    assert_eq!(status, 200);
    let (status, _) = server
        .call(
            "admin/users/disabled",
            json!({"user_id": admin_id, "disabled": true}),
        )
        .await;
    assert_eq!(status, 200);
    // And now the second is the last one.
    let second = server.login("second").await;
    let (_, users) = server.call_as(&second, "admin/users/list", json!({})).await;
    let second_id = users
        .as_array()
        .unwrap()
        .iter()
        .find(|u| u["username"] == "second")
        .unwrap()["id"]
        .clone();
    let (status, _) = server
        .call_as(
            &second,
            "admin/users/disabled",
            json!({"user_id": second_id, "disabled": true}),
        )
        .await;
    assert_eq!(status, 409);
    server.stop().await;
}

/// Signs in with a plain POST; returns the status and the Set-Cookie header.
async fn raw_login(client: &reqwest::Client, url: &str, host: Option<&str>) -> (u16, String) {
    let mut req = client
        .post(url)
        .json(&json!({"username": "cs", "password": PASSWORD}));
    if let Some(host) = host {
        req = req.header("host", host);
    }
    let res = req.send().await.unwrap();
    let cookie = res
        .headers()
        .get("set-cookie")
        .map(|v| v.to_str().unwrap().to_string())
        .unwrap_or_default();
    (res.status().as_u16(), cookie)
}

/// `name=value` of a Set-Cookie header.
fn cookie_pair(set_cookie: &str) -> &str {
    set_cookie.split(';').next().unwrap()
}

#[tokio::test]
async fn over_tls_the_cookie_is_host_prefixed_and_secure() {
    let dir = tempfile::tempdir().unwrap();
    let server = TestServer::spawn_with(dir.path(), |a| a.secure_cookies = true).await;
    let (status, cookie) = raw_login(
        &server.anon,
        &format!("{}/api/auth/login", server.base),
        None,
    )
    .await;
    assert_eq!(status, 200);
    assert!(cookie.starts_with("__Host-ocr_session="), "{cookie}");
    assert!(
        cookie.contains("Secure") && cookie.contains("Path=/") && !cookie.contains("Domain"),
        "{cookie}"
    );
    let res = server
        .anon
        .post(format!("{}/api/auth/status", server.base))
        .header("cookie", cookie_pair(&cookie))
        .json(&json!({}))
        .send()
        .await
        .unwrap();
    let status: Value = res.json().await.unwrap();
    assert_eq!(status["me"]["username"], "cs");
    // The plain name means nothing on a TLS server.
    let plain = cookie_pair(&cookie).replace("__Host-ocr_session", "ocr_session");
    let res = server
        .anon
        .post(format!("{}/api/auth/status", server.base))
        .header("cookie", plain)
        .json(&json!({}))
        .send()
        .await
        .unwrap();
    assert_eq!(res.json::<Value>().await.unwrap()["me"], Value::Null);
    server.stop().await;
}

#[tokio::test]
async fn an_https_public_origin_makes_cookies_secure_and_is_the_only_host() {
    let dir = tempfile::tempdir().unwrap();
    let dist = support::dist_dir();
    let mut args = ServeArgs::local(dir.path().into(), "127.0.0.1:0".parse().unwrap());
    args.dist = dist.path().into();
    args.public_origins = vec!["https://orders.example.com".parse().unwrap()];
    let app = Application::build(args).await.unwrap();
    let base = format!("http://{}", app.local_addr());
    app.state().auth.ensure_demo_users(PASSWORD).await.unwrap();
    let (stop, stopped) = tokio::sync::oneshot::channel::<()>();
    let task = tokio::spawn(app.run_until(async {
        let _ = stopped.await;
    }));
    let client = reqwest::Client::new();
    let login = format!("{base}/api/auth/login");

    // Behind the TLS proxy, the request names the public host.
    let (status, cookie) = raw_login(&client, &login, Some("orders.example.com")).await;
    assert_eq!(status, 200);
    assert!(
        cookie.starts_with("__Host-ocr_session=") && cookie.contains("Secure"),
        "{cookie}"
    );
    let res = client
        .post(&login)
        .header("host", "orders.example.com")
        .header("origin", "http://orders.example.com")
        .json(&json!({"username": "cs", "password": PASSWORD}))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status().as_u16(), 403, "http is another origin");
    // The bound address is not a public origin when one is configured.
    let (status, _) = raw_login(&client, &login, None).await;
    assert_eq!(status, 421);

    let _ = stop.send(());
    task.await.unwrap();
}

#[tokio::test]
async fn signing_in_beyond_the_cap_ends_the_oldest_session_and_its_stream() {
    let dir = tempfile::tempdir().unwrap();
    let server = TestServer::spawn_with(dir.path(), |a| a.max_sessions_per_user = 2).await;
    server.append(placed_and_paid("CR-C1")).await;
    let oldest = server.login("cs").await;
    let res = oldest
        .get(format!("{}/api/stream?after=0", server.base))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status().as_u16(), 200);
    let mut stream = res.bytes_stream();
    assert!(stream.next().await.is_some(), "the stream is open");
    let middle = server.login("cs").await;
    let newest = server.login("cs").await;

    let ended = tokio::time::timeout(Duration::from_secs(5), async {
        while let Some(chunk) = stream.next().await {
            if chunk.is_err() {
                break;
            }
        }
    })
    .await;
    assert!(ended.is_ok(), "the oldest session's stream closed");
    assert_eq!(server.call_as(&oldest, LIST, list_query()).await.0, 401);
    assert_eq!(server.call_as(&middle, LIST, list_query()).await.0, 200);
    assert_eq!(server.call_as(&newest, LIST, list_query()).await.0, 200);
    let (_, sessions) = server.call("admin/sessions/list", json!({})).await;
    let of_cs = sessions
        .as_array()
        .unwrap()
        .iter()
        .filter(|s| s["username"] == "cs")
        .count();
    assert_eq!(of_cs, 2);
    let logins = audit_of(&server, Some(AuditKind::LoginSucceeded)).await;
    assert!(
        logins.entries[0].detail.contains("ended the oldest"),
        "{:?}",
        logins.entries[0]
    );
    server.stop().await;
}

#[tokio::test]
async fn a_thousand_throttled_sign_ins_add_a_handful_of_audit_entries() {
    let dir = tempfile::tempdir().unwrap();
    let server = TestServer::spawn_with(dir.path(), |a| {
        a.login_failures_per_account = 2;
        a.login_failures_per_address = 3;
    })
    .await;
    let before = audit_total(&server).await;
    let checks_before = server.state.auth.password_checks();

    // A username far too long is refused before anything else.
    let (status, body) = server
        .call_as(
            &server.anon,
            "auth/login",
            json!({"username": "x".repeat(20 * 1024), "password": "whatever"}),
        )
        .await;
    assert_eq!(status, 400, "{body}");
    assert_eq!(audit_total(&server).await, before, "nothing was written");
    assert_eq!(server.state.auth.password_checks(), checks_before);

    // Guesses at one account and sprayed at many, from one address.
    let statuses: Vec<u16> = futures::stream::iter(0..1000)
        .map(|i| {
            let server = &server;
            let user = if i % 2 == 0 {
                "cs".to_string()
            } else {
                format!("guess-{i}-{}", "y".repeat(50))
            };
            async move {
                server
                    .call_as(
                        &server.anon,
                        "auth/login",
                        json!({"username": user, "password": "wrong password"}),
                    )
                    .await
                    .0
            }
        })
        .buffer_unordered(32)
        .collect()
        .await;
    let throttled = statuses.iter().filter(|s| **s == 429).count() as u64;
    assert!(throttled >= 990, "{throttled} of 1000 throttled");
    server.state.auth.write_refusals().await;

    let added = audit_total(&server).await - before;
    assert!(added < 20, "{added} audit entries for 1,000 refusals");
    // The summary entries account for every refusal.
    let entries = audit_of(&server, Some(AuditKind::LoginThrottled))
        .await
        .entries;
    let summed: u64 = entries
        .iter()
        .map(|e| {
            e.detail
                .strip_suffix(" more refused in the last minute")
                .map_or(1, |n| n.parse::<u64>().unwrap())
        })
        .sum();
    assert_eq!(summed, throttled, "{entries:#?}");
    assert!(entries
        .iter()
        .all(|e| e.username.as_ref().is_none_or(|u| u.chars().count() <= 65)));
    server.stop().await;
}

#[tokio::test]
async fn the_audit_trail_keeps_entries_for_the_retention_period() {
    let dir = tempfile::tempdir().unwrap();
    let server = TestServer::spawn_with(dir.path(), |a| a.audit_retention_days = 30).await;
    let total = audit_total(&server).await;
    assert!(total > 0, "sign-ins were recorded");
    let now = chrono::Utc::now();
    assert_eq!(server.state.auth.prune_audit(now).await.unwrap(), 0);
    let removed = server
        .state
        .auth
        .prune_audit(now + chrono::Duration::days(31))
        .await
        .unwrap();
    assert_eq!(removed, total);
    assert_eq!(audit_total(&server).await, 0);
    server.stop().await;
}
