//! Live streams end with their session, against the real server with short
//! session settings: when the session idles out, when it reaches its absolute
//! expiry (then exactly), and when its row is deleted without any revocation
//! notice (within the stream's re-read period).

use crate::support;

use eventsource_stream::Eventsource;
use futures::StreamExt;
use std::time::Duration;
use support::TestServer;
use tokio::time::Instant;

type Frames = support::SseStream;

async fn open(server: &TestServer, client: &reqwest::Client) -> Frames {
    let res = client
        .get(format!("{}/api/stream?topics=orders", server.base))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status().as_u16(), 200, "the stream opens");
    Box::pin(res.bytes_stream().eventsource())
}

/// Waits up to `wait` for the stream to end; returns when it ended, or `None`
/// if it is still open. Frames (heartbeats, events) are skipped.
async fn ended_within(frames: &mut Frames, wait: Duration) -> Option<Instant> {
    let deadline = Instant::now() + wait;
    loop {
        match tokio::time::timeout_at(deadline, frames.next()).await {
            Err(_) => return None,
            Ok(None) | Ok(Some(Err(_))) => return Some(Instant::now()),
            Ok(Some(Ok(_))) => {}
        }
    }
}

#[tokio::test]
async fn a_stream_ends_when_its_session_idles_out() {
    let dir = tempfile::tempdir().unwrap();
    let server = TestServer::spawn_with(dir.path(), |a| {
        a.session_idle_ms = Some(600);
        // The periodic re-read is not what ends it: the idle expiry is known.
        a.stream_session_check_ms = Some(60_000);
    })
    .await;
    let cs = server.login("cs").await;
    let mut frames = open(&server, &cs).await;
    let opened = Instant::now();
    assert_eq!(
        ended_within(&mut frames, Duration::from_millis(300)).await,
        None,
        "open while the session is in use"
    );
    let ended = ended_within(&mut frames, Duration::from_secs(3))
        .await
        .expect("the stream ends when the session idles out");
    assert!(
        ended - opened <= Duration::from_millis(600 + 400),
        "ended {:?} after opening",
        ended - opened
    );
    // And the session is over for new requests too.
    let status = server.stream_status(&cs, "?topics=orders").await;
    assert_eq!(status, 401);
    server.stop().await;
}

#[tokio::test]
async fn a_stream_ends_exactly_at_its_sessions_absolute_expiry() {
    let dir = tempfile::tempdir().unwrap();
    let server = TestServer::spawn_with(dir.path(), |a| {
        // Whole seconds, so the cookie's Max-Age is not zero.
        a.session_max_ms = Some(1_500);
        a.stream_session_check_ms = Some(60_000);
    })
    .await;
    let before_login = Instant::now();
    // Fresh connections: the stream takes the stream lane.
    let cs = server.login_fresh_connections("cs").await;
    let after_login = Instant::now();
    let mut frames = open(&server, &cs).await;
    let ended = ended_within(&mut frames, Duration::from_secs(5))
        .await
        .expect("the stream ends at the absolute expiry");
    let expiry = Duration::from_millis(1_500);
    assert!(
        ended >= before_login + expiry - Duration::from_millis(20),
        "not before the expiry: ended {:?} after signing in",
        ended - before_login
    );
    assert!(
        ended <= after_login + expiry + Duration::from_millis(250),
        "at the expiry: ended {:?} after signing in",
        ended - after_login
    );
    server.stop().await;
}

#[tokio::test]
async fn a_stream_whose_session_row_is_deleted_without_notice_ends_within_the_recheck_period() {
    let dir = tempfile::tempdir().unwrap();
    let check = Duration::from_millis(200);
    let server = TestServer::spawn_with(dir.path(), |a| {
        a.stream_session_check_ms = Some(check.as_millis() as u64);
    })
    .await;
    let cs = server.login("cs").await;
    let mut frames = open(&server, &cs).await;
    assert_eq!(
        ended_within(&mut frames, check * 3).await,
        None,
        "re-reading a live session does not end the stream"
    );

    // Deleted in the store itself: no revocation is announced.
    let db = rusqlite::Connection::open(dir.path().join("orders.sqlite3")).unwrap();
    let deleted = db
        .execute(
            "DELETE FROM sessions WHERE user_id = (SELECT id FROM users WHERE username = 'cs')",
            [],
        )
        .unwrap();
    assert_eq!(deleted, 1);
    let deleted_at = Instant::now();
    let ended = ended_within(&mut frames, Duration::from_secs(3))
        .await
        .expect("the stream ends after its session row is gone");
    assert!(
        ended - deleted_at <= check + Duration::from_millis(300),
        "ended {:?} after the deletion",
        ended - deleted_at
    );
    server.stop().await;
}
