//! Live streams end with their session, against the real server on a manual
//! clock: when the session idles out, when it reaches its absolute expiry
//! (then exactly), and when its row is deleted without any revocation notice
//! (at the stream's next re-read). The clock is moved, never waited on.

use crate::support;

use eventsource_stream::Eventsource;
use futures::StreamExt;
use order_control_room::server::clock::{Clock, ManualClock};
use order_control_room::server::config::ServeArgs;
use std::time::Duration;
use support::{note, placed_and_paid, TestServer};

type Frames = support::SseStream;

const ORDER: &str = "CR-S1";

/// A server on `clock` with one order, whose streams re-read their session
/// every `check`.
async fn server_on(
    dir: &std::path::Path,
    clock: &ManualClock,
    check: Duration,
    adjust: impl FnOnce(&mut ServeArgs),
) -> TestServer {
    let server = TestServer::spawn_with(dir, |a| {
        a.clock = Clock::Manual(clock.clone());
        a.stream_session_check_ms = Some(check.as_millis() as u64);
        adjust(a);
    })
    .await;
    server.append(placed_and_paid(ORDER)).await;
    server
}

/// Opens the live stream and waits until its session watcher is asleep on
/// the clock (it has read the session once).
async fn open(server: &TestServer, clock: &ManualClock, client: &reqwest::Client) -> Frames {
    let res = client
        .get(format!("{}/api/stream?topics=orders", server.base))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status().as_u16(), 200, "the stream opens");
    clock.until_sleeping(1).await;
    Box::pin(res.bytes_stream().eventsource())
}

/// A guard against a hang, not a timing: what is awaited follows at once.
const GUARD: Duration = Duration::from_secs(10);

/// A note appended now reaches the stream: it is still open.
async fn still_open(server: &TestServer, frames: &mut Frames, text: &str) {
    server.append(vec![note(ORDER, text)]).await;
    tokio::time::timeout(GUARD, async {
        loop {
            match frames.next().await {
                Some(Ok(f)) if f.event == "order_event" && f.data.contains(text) => return,
                Some(Ok(_)) => {}
                other => panic!("the stream ended early: {other:?}"),
            }
        }
    })
    .await
    .expect("the note arrives")
}

/// The stream ends (frames before its end are skipped).
async fn ends(frames: &mut Frames) {
    tokio::time::timeout(GUARD, async {
        while let Some(Ok(_)) = frames.next().await {}
    })
    .await
    .expect("the stream ends")
}

#[tokio::test]
async fn a_stream_ends_when_its_session_idles_out() {
    let dir = tempfile::tempdir().unwrap();
    let clock = ManualClock::starting_now();
    // The periodic re-read is not what ends it: the idle expiry is known.
    let server = server_on(dir.path(), &clock, Duration::from_secs(24 * 3600), |a| {
        a.session_idle_secs = 600;
    })
    .await;
    let cs = server.login("cs").await;
    let mut frames = open(&server, &clock, &cs).await;
    clock.advance(Duration::from_secs(599));
    still_open(&server, &mut frames, "a second before the idle expiry").await;
    clock.advance(Duration::from_secs(1));
    ends(&mut frames).await;
    // And the session is over for new requests too.
    let status = server.stream_status(&cs, "?topics=orders").await;
    assert_eq!(status, 401);
    server.stop().await;
}

#[tokio::test]
async fn a_stream_ends_exactly_at_its_sessions_absolute_expiry() {
    let dir = tempfile::tempdir().unwrap();
    let clock = ManualClock::starting_now();
    let server = server_on(dir.path(), &clock, Duration::from_secs(24 * 3600), |a| {
        a.session_idle_secs = 7200;
        a.session_max_secs = 3600;
    })
    .await;
    // Fresh connections: the stream takes the stream lane.
    let cs = server.login_fresh_connections("cs").await;
    let mut frames = open(&server, &clock, &cs).await;
    clock.advance(Duration::from_secs(3600) - Duration::from_millis(1));
    still_open(&server, &mut frames, "a millisecond before the expiry").await;
    clock.advance(Duration::from_millis(1));
    ends(&mut frames).await;
    server.stop().await;
}

#[tokio::test]
async fn a_stream_whose_session_row_is_deleted_without_notice_ends_at_the_next_re_read() {
    let dir = tempfile::tempdir().unwrap();
    let clock = ManualClock::starting_now();
    let check = Duration::from_secs(60);
    let server = server_on(dir.path(), &clock, check, |_| {}).await;
    let cs = server.login("cs").await;
    let mut frames = open(&server, &clock, &cs).await;

    // A re-read of a live session goes back to sleep until the next one.
    let begun = clock.sleeps_begun();
    clock.advance(check);
    tokio::time::timeout(GUARD, clock.until_begun(begun + 1))
        .await
        .expect("the watcher read the session and sleeps again");
    still_open(&server, &mut frames, "re-read and kept").await;

    // Deleted in the store itself: no revocation is announced.
    let db = rusqlite::Connection::open(dir.path().join("orders.sqlite3")).unwrap();
    let deleted = db
        .execute(
            "DELETE FROM sessions WHERE user_id = (SELECT id FROM users WHERE username = 'cs')",
            [],
        )
        .unwrap();
    assert_eq!(deleted, 1);
    clock.advance(check - Duration::from_secs(1));
    still_open(&server, &mut frames, "not re-read yet").await;
    clock.advance(Duration::from_secs(1));
    ends(&mut frames).await;
    server.stop().await;
}
