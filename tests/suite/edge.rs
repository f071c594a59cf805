//! The connection layer under abuse, against the real server on port 0:
//! one-byte and half-open connections are released, idle keep-alive
//! connections close, connection caps hold (live streams counted apart), and
//! what the layer refuses by itself carries the security headers.

use crate::support;

use order_control_room::server::config::ServeArgs;
use std::time::Duration;
use support::{eventually, TestServer};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpStream;

/// Waits until the server's open (connections, streams) are as `wanted`.
async fn until_open(server: &TestServer, what: &str, wanted: impl Fn((usize, usize)) -> bool) {
    let limits = server.state.connections.clone();
    eventually(what, Duration::from_secs(30), || {
        let reached = wanted(limits.open());
        async move { reached }
    })
    .await;
}

/// Sockets of `port` left half-closed (CLOSE_WAIT): the peer has gone and
/// the server has not closed its side. Read from the kernel's table.
fn close_wait_on(port: u16) -> usize {
    const CLOSE_WAIT: &str = "08";
    ["/proc/net/tcp", "/proc/net/tcp6"]
        .iter()
        .filter_map(|table| std::fs::read_to_string(table).ok())
        .map(|text| {
            text.lines()
                .skip(1)
                .filter(|line| {
                    let fields: Vec<&str> = line.split_whitespace().collect();
                    let local_port = fields
                        .get(1)
                        .and_then(|a| a.rsplit(':').next())
                        .and_then(|p| u16::from_str_radix(p, 16).ok());
                    local_port == Some(port) && fields.get(3) == Some(&CLOSE_WAIT)
                })
                .count()
        })
        .sum()
}

async fn server(adjust: impl FnOnce(&mut ServeArgs)) -> (TestServer, tempfile::TempDir) {
    let dir = tempfile::tempdir().unwrap();
    let server = TestServer::spawn_with(dir.path(), adjust).await;
    (server, dir)
}

/// Connections the test server holds before a test starts: the signed-in
/// admin client keeps one alive.
fn already_open(server: &TestServer) -> (usize, usize) {
    server.state.connections.open()
}

/// The server still answers an ordinary request.
async fn still_answers(server: &TestServer) {
    let health = server
        .anon
        .get(format!("{}/healthz", server.base))
        .send()
        .await
        .unwrap();
    assert_eq!(health.status(), 200);
}

fn address(server: &TestServer) -> String {
    server.base.trim_start_matches("http://").to_string()
}

/// Everything the server says until it closes the connection.
async fn answer(stream: &mut TcpStream) -> String {
    let mut out = Vec::new();
    let _ = tokio::time::timeout(Duration::from_secs(20), stream.read_to_end(&mut out)).await;
    String::from_utf8_lossy(&out).into_owned()
}

fn has_security_headers(answer: &str) {
    let lower = answer.to_ascii_lowercase();
    for header in [
        "x-content-type-options: nosniff",
        "x-frame-options: deny",
        "referrer-policy: no-referrer",
        "content-security-policy:",
    ] {
        assert!(lower.contains(header), "{header} missing from {answer:?}");
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn one_byte_connections_that_leave_are_released_at_once() {
    // A long head deadline: only the peers' leaving may free these.
    let (server, _dir) = server(|a| a.header_read_timeout_secs = 600.0).await;
    let addr = address(&server);
    let before = already_open(&server);
    for _wave in 0..5 {
        let mut wave = Vec::new();
        for _ in 0..400 {
            let mut stream = TcpStream::connect(&addr).await.unwrap();
            stream.write_all(b"G").await.unwrap();
            wave.push(stream);
        }
        drop(wave);
    }
    until_open(&server, "2,000 one-byte connections released", |open| {
        open == before
    })
    .await;
    let port: u16 = addr.rsplit(':').next().unwrap().parse().unwrap();
    eventually(
        "no socket left half-closed",
        Duration::from_secs(30),
        || async move { close_wait_on(port) == 0 },
    )
    .await;
    still_answers(&server).await;
    server.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn half_open_heads_are_answered_408_at_their_deadline_and_closed() {
    let (server, _dir) = server(|a| a.header_read_timeout_secs = 0.3).await;
    let addr = address(&server);
    let before = already_open(&server);
    let mut held = Vec::new();
    for i in 0..200 {
        let mut stream = TcpStream::connect(&addr).await.unwrap();
        let start: &[u8] = if i % 2 == 0 { b"GET /api/str" } else { b"G" };
        stream.write_all(start).await.unwrap();
        held.push(stream);
    }
    for stream in held.iter_mut() {
        let answer = answer(stream).await;
        assert!(answer.starts_with("HTTP/1.1 408 "), "{answer:?}");
        has_security_headers(&answer);
    }
    until_open(&server, "no connection left open", |open| open == before).await;
    server.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_kept_alive_connection_is_closed_after_the_idle_timeout() {
    let (server, _dir) = server(|a| a.idle_timeout_secs = 0.3).await;
    // The admin client's own kept-alive connection closes at the idle timeout too.
    until_open(&server, "the admin client's connection closed", |open| {
        open == (0, 0)
    })
    .await;
    let mut stream = TcpStream::connect(address(&server)).await.unwrap();
    stream
        .write_all(b"GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n")
        .await
        .unwrap();
    let answer = answer(&mut stream).await;
    assert!(answer.starts_with("HTTP/1.1 200 "), "{answer:?}");
    assert!(
        !answer.to_ascii_lowercase().contains("connection: close"),
        "kept alive until idle: {answer:?}"
    );
    // `answer` read until the server closed: the idle timeout did it.
    until_open(&server, "the connection's place given back", |open| {
        open == (0, 0)
    })
    .await;
    server.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn connections_per_address_are_capped_and_live_streams_counted_apart() {
    let (server, _dir) = server(|a| {
        a.max_connections_per_address = 3;
        a.max_streams_per_address = 4;
    })
    .await;
    let addr = address(&server);
    let (before, _) = already_open(&server);
    // Four streams from one address, more than its three ordinary places.
    let viewer = server.login_fresh_connections("cs").await;
    let mut streams = Vec::new();
    for _ in 0..4 {
        streams.push(server.stream_as(&viewer, "?topics=orders", None).await);
    }
    until_open(&server, "four streams held", |open| open.1 == 4).await;
    let fifth = viewer
        .get(format!("{}/api/stream?topics=orders", server.base))
        .send()
        .await
        .unwrap();
    assert_eq!(fifth.status(), 503, "a fifth stream from one address");
    drop(fifth);
    until_open(&server, "the refused stream's connection closed", |open| {
        open.0 == before
    })
    .await;
    // Ordinary places are still free: fill them with idle sockets.
    let mut idle = Vec::new();
    for _ in before..3 {
        idle.push(TcpStream::connect(&addr).await.unwrap());
    }
    until_open(&server, "three idle connections held", |open| open.0 == 3).await;
    let mut fourth = TcpStream::connect(&addr).await.unwrap();
    let refused = answer(&mut fourth).await;
    assert!(refused.starts_with("HTTP/1.1 503 "), "{refused:?}");
    assert!(refused.to_ascii_lowercase().contains("retry-after: "));
    has_security_headers(&refused);
    drop(idle);
    until_open(&server, "places given back", |open| open.0 == before).await;
    still_answers(&server).await;
    drop(streams);
    server.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn what_the_connection_layer_refuses_carries_the_security_headers() {
    let (server, _dir) = server(|_| {}).await;
    let addr = address(&server);
    let long_line = format!("GET /{} HTTP/1.1\r\n\r\n", "a".repeat(9000));
    let mut huge_head = String::from("GET / HTTP/1.1\r\n");
    while huge_head.len() < 70_000 {
        huge_head.push_str("X-Filler: aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa\r\n");
    }
    for (request, status) in [
        ("GET / HTTP/9.9\r\n\r\n".to_string(), "400"),
        ("\u{16}\u{3}\u{1}hello".to_string(), "400"),
        (long_line, "414"),
        (huge_head, "431"),
        // A live-stream request with a malformed header.
        (
            "GET /api/stream HTTP/1.1\r\nBad Header\r\n\r\n".to_string(),
            "400",
        ),
    ] {
        let mut stream = TcpStream::connect(&addr).await.unwrap();
        let _ = stream.write_all(request.as_bytes()).await;
        let answer = answer(&mut stream).await;
        assert!(
            answer.starts_with(&format!("HTTP/1.1 {status} ")),
            "{status} for {:?}: {answer:?}",
            &request[..request.len().min(40)]
        );
        has_security_headers(&answer);
    }
    // The router's answers on the stream lane carry them too.
    let mut stream = TcpStream::connect(&addr).await.unwrap();
    stream
        .write_all(format!("GET /api/stream HTTP/1.1\r\nHost: {addr}\r\n\r\n").as_bytes())
        .await
        .unwrap();
    let anonymous = answer(&mut stream).await;
    assert!(anonymous.starts_with("HTTP/1.1 401 "), "{anonymous:?}");
    has_security_headers(&anonymous);
    server.stop().await;
}
