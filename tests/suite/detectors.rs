//! The detectors at work in the real server: the task raising an exception
//! on its own when a deadline passes, the schedule and cursor surviving a
//! restart, new settings taking effect on orders already waiting, and the
//! exception queues (each team its own) with claim, snooze and resolve as
//! events on the order.

use crate::support::{eventually, placed_and_paid, TestServer};
use chrono::{Duration, Utc};
use order_control_room::model::detect::settings::PerChannel;
use order_control_room::model::ExceptionCode;
use serde_json::{json, Value};

#[tokio::test]
async fn the_task_raises_an_exception_when_its_deadline_passes() {
    let dir = tempfile::tempdir().unwrap();
    let server = TestServer::spawn_with(dir.path(), |a| {
        a.no_detectors = false;
        a.ship_within_secs = Some(1);
    })
    .await;
    server.append(placed_and_paid("CR-TASK1")).await;
    eventually(
        "paid-not-shipped raised by the task",
        std::time::Duration::from_secs(10),
        || async {
            server
                .order("CR-TASK1")
                .await
                .is_open(ExceptionCode::PaidNotShipped, None)
        },
    )
    .await;
    let open = &server.order("CR-TASK1").await.exceptions[0];
    assert!(
        open.since >= open_deadline(&server, "CR-TASK1").await,
        "not before its time"
    );
}

/// When the order placed as `id` was due (placed + 1 s).
async fn open_deadline(server: &TestServer, id: &str) -> chrono::DateTime<Utc> {
    server.order(id).await.placed_at + Duration::seconds(1)
}

#[tokio::test]
async fn the_schedule_and_the_cursor_survive_a_restart() {
    let dir = tempfile::tempdir().unwrap();
    let server = TestServer::spawn(dir.path()).await;
    server.append(placed_and_paid("CR-RST1")).await;
    let placed = server.order("CR-RST1").await.placed_at;
    let pass = server.state.detectors.pass(Utc::now()).await.unwrap();
    assert!(pass.looked >= 1);
    assert_eq!(
        server.state.detectors.waiting().await.unwrap(),
        1,
        "waits for 24 h"
    );
    server.stop().await;

    let server = TestServer::spawn(dir.path()).await;
    assert_eq!(
        server.state.detectors.waiting().await.unwrap(),
        1,
        "still waiting"
    );
    let early = server
        .state
        .detectors
        .pass(placed + Duration::hours(23))
        .await
        .unwrap();
    assert_eq!(
        early,
        Default::default(),
        "nothing new in the log, nothing due"
    );
    let due = server
        .state
        .detectors
        .pass(placed + Duration::hours(24))
        .await
        .unwrap();
    assert_eq!(due.appended, 1);
    assert!(server
        .order("CR-RST1")
        .await
        .is_open(ExceptionCode::PaidNotShipped, None));
}

#[tokio::test]
async fn new_settings_apply_to_orders_already_waiting() {
    let dir = tempfile::tempdir().unwrap();
    let server = TestServer::spawn(dir.path()).await;
    server.append(placed_and_paid("CR-SET1")).await;
    let placed = server.order("CR-SET1").await.placed_at;
    let watch = &server.state.detectors;
    watch.pass(Utc::now()).await.unwrap();
    let mut settings = watch.settings().settings.clone();
    settings.paid_not_shipped = PerChannel::flat(3600);
    let version = watch.save(settings, "admin").await.unwrap();
    assert_eq!(version, 1);
    assert_eq!(watch.settings().version, 1);
    let pass = watch.pass(placed + Duration::hours(1)).await.unwrap();
    assert_eq!(pass.appended, 1, "1 h now suffices: {pass:?}");
}

/// The rows of `team`'s queue as `client` reads it.
async fn queue(server: &TestServer, client: &reqwest::Client, team: &str, snoozed: bool) -> Value {
    let (status, page) = server
        .call_as(
            client,
            "exceptions/queue",
            json!({"team": team, "after": null, "snoozed": snoozed}),
        )
        .await;
    assert_eq!(status, 200, "{page}");
    page
}

/// `client` takes `action` on CR-Q1's exception for not shipping.
async fn act(server: &TestServer, client: &reqwest::Client, action: Value) -> (u16, Value) {
    let body =
        json!({"order_id": "CR-Q1", "which": {"code": "paid_not_shipped"}, "action": action});
    server.call_as(client, "exceptions/act", body).await
}

#[tokio::test]
async fn a_team_claims_snoozes_and_resolves_its_exceptions_as_events() {
    let dir = tempfile::tempdir().unwrap();
    let server = TestServer::spawn(dir.path()).await;
    server.append(placed_and_paid("CR-Q1")).await;
    let placed = server.order("CR-Q1").await.placed_at;
    let raised_at = placed + Duration::hours(24);
    server.state.detectors.pass(raised_at).await.unwrap();
    let logistics = server.login("logistics").await;
    let cs = server.login("cs").await;
    let finance = server.login("finance").await;

    let page = queue(&server, &logistics, "logistics", false).await;
    assert_eq!(page["total"], 1);
    let row = &page["rows"][0];
    assert_eq!(row["order_id"], "CR-Q1");
    assert_eq!(row["exception"]["code"], "paid_not_shipped");
    // Due two hours after raising (the default for shipping late).
    let due: chrono::DateTime<Utc> = serde_json::from_value(row["due_at"].clone()).unwrap();
    assert_eq!(due, raised_at + Duration::hours(2));
    assert_eq!(
        queue(&server, &cs, "customer_service", false).await["total"],
        0
    );
    let (status, _) = server
        .call_as(
            &cs,
            "exceptions/queue",
            json!({"team": "logistics", "after": null, "snoozed": false}),
        )
        .await;
    assert_eq!(status, 403, "another team's queue");
    let (status, _) = act(&server, &finance, json!({"type": "claim"})).await;
    assert_eq!(status, 403, "finance does not work shipping");

    let (status, events) = act(&server, &logistics, json!({"type": "claim"})).await;
    assert_eq!(status, 200, "{events}");
    assert_eq!(events[0]["kind"]["type"], "exception_claimed");
    assert_eq!(events[0]["actor"]["role"], "logistics", "{events}");
    let claimed = server.order("CR-Q1").await;
    assert!(claimed.exceptions[0].claim.is_some());

    let (status, body) = act(
        &server,
        &logistics,
        json!({"type": "snooze", "minutes": 60, "reason": " "}),
    )
    .await;
    assert_eq!(status, 400, "a blank reason: {body}");
    let (status, _) = act(
        &server,
        &logistics,
        json!({"type": "snooze", "minutes": 60, "reason": "仓库中午发"}),
    )
    .await;
    assert_eq!(status, 200);
    let page = queue(&server, &logistics, "logistics", false).await;
    assert_eq!(
        (
            page["total"].clone(),
            page["snoozed"].clone(),
            page["rows"].as_array().unwrap().len()
        ),
        (json!(1), json!(1), 0)
    );
    assert_eq!(
        queue(&server, &logistics, "logistics", true).await["rows"]
            .as_array()
            .unwrap()
            .len(),
        1
    );

    let (status, _) = act(
        &server,
        &logistics,
        json!({"type": "resolve", "reason": "已手工发货，运单稍后补录"}),
    )
    .await;
    assert_eq!(status, 200);
    assert_eq!(
        queue(&server, &logistics, "logistics", true).await["total"],
        0
    );
    // Resolved by a person: the detector leaves it be.
    let again = server
        .state
        .detectors
        .pass(raised_at + Duration::hours(5))
        .await
        .unwrap();
    assert_eq!(again.appended, 0);
    let (status, body) = act(&server, &logistics, json!({"type": "claim"})).await;
    assert_eq!(status, 409, "nothing open to claim: {body}");
}

#[tokio::test]
async fn a_team_exports_its_queue_as_csv_and_no_other_team_may() {
    let dir = tempfile::tempdir().unwrap();
    let server = TestServer::spawn(dir.path()).await;
    server.append(placed_and_paid("CR-CSV1")).await;
    let placed = server.order("CR-CSV1").await.placed_at;
    server
        .state
        .detectors
        .pass(placed + Duration::hours(25))
        .await
        .unwrap();
    let logistics = server.login("logistics").await;
    let url = |q: &str| format!("{}/api/export/exceptions.csv?{q}", server.base);
    let res = logistics
        .get(url("team=logistics&lang=en"))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 200);
    let body = res.bytes().await.unwrap();
    let text = std::str::from_utf8(&body[3..]).unwrap();
    let mut lines = text.lines();
    assert!(lines.next().unwrap().starts_with("Order,"), "{text}");
    let row = lines.next().unwrap();
    assert!(row.starts_with("CR-CSV1,"), "{row}");
    assert!(row.contains("Paid but not shipped"), "{row}");
    assert_eq!(lines.next(), None);
    let cs = server.login("cs").await;
    let refused = cs.get(url("team=logistics")).send().await.unwrap();
    assert_eq!(refused.status(), 403);
    let bad = logistics.get(url("team=nobody")).send().await.unwrap();
    assert_eq!(bad.status(), 400);
    let anonymous = server.anon.get(url("team=logistics")).send().await.unwrap();
    assert_eq!(anonymous.status(), 401);
}

#[tokio::test]
async fn an_admin_saves_settings_as_versions_and_a_bad_field_saves_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let server = TestServer::spawn(dir.path()).await;
    let (status, current) = server.call("admin/detectors/get", json!({})).await;
    assert_eq!(status, 200, "{current}");
    assert_eq!(current["version"], 0, "the defaults, never saved");
    assert_eq!(current["form"]["paid_not_shipped_hours"], "24");

    let mut form = current["form"].clone();
    form["no_waybill_minutes"] = json!("soon");
    let (status, body) = server
        .call("admin/detectors/save", json!({"form": form}))
        .await;
    assert_eq!(status, 400, "{body}");
    assert_eq!(
        server.state.detectors.settings().version,
        0,
        "nothing saved"
    );

    let mut form = current["form"].clone();
    form["paid_not_shipped_channel_hours"]["douyin"] = json!("48");
    form["confidence_pct"] = json!("80");
    let (status, saved) = server
        .call("admin/detectors/save", json!({"form": form}))
        .await;
    assert_eq!(status, 200, "{saved}");
    assert_eq!(saved["version"], 1);
    assert_eq!(saved["saved_by"], "admin");
    let settings = server.state.detectors.settings();
    assert_eq!(
        settings
            .settings
            .paid_not_shipped
            .secs(order_control_room::model::Channel::Douyin),
        48 * 3600
    );
    assert_eq!(settings.settings.routing.confidence_threshold_pct, 80);
    assert_eq!(
        settings.settings.routing.version, 2,
        "a new version of the rules"
    );
}

#[tokio::test]
async fn a_check_worked_out_from_less_of_the_log_never_replaces_a_newer_one() {
    use order_control_room::model::OrderId;
    use order_control_room::server::store::detector_state::{Check, DetectorState};
    use order_control_room::server::store::{Durability, SqliteDetectorState, SqliteStore};
    let dir = tempfile::tempdir().unwrap();
    let store = SqliteStore::open(dir.path(), Durability::Normal).unwrap();
    let state = SqliteDetectorState::open(store.path(), store.side_writes()).unwrap();
    let order = OrderId::parse("CR-SEEN1").unwrap();
    let now = Utc::now();
    let check = |next: Option<chrono::DateTime<Utc>>, seen: u64| Check {
        order: order.clone(),
        next,
        seen,
    };
    async fn due_at(state: &SqliteDetectorState, now: chrono::DateTime<Utc>) -> Vec<i64> {
        state
            .due(now + Duration::days(30), 10)
            .await
            .unwrap()
            .into_iter()
            .map(|(_, at)| at.timestamp_micros())
            .collect()
    }
    let (soon, later) = (now + Duration::minutes(15), now + Duration::hours(24));

    state
        .record(vec![check(Some(soon), 7)], Some(7))
        .await
        .unwrap();
    // A look that saw the log only up to 5 (the clock's, say) comes in late.
    state
        .record(vec![check(Some(later), 5)], None)
        .await
        .unwrap();
    assert_eq!(due_at(&state, now).await, vec![soon.timestamp_micros()]);
    state.record(vec![check(None, 6)], None).await.unwrap();
    assert_eq!(
        due_at(&state, now).await,
        vec![soon.timestamp_micros()],
        "kept"
    );
    // One that saw as much or more replaces it.
    state
        .record(vec![check(Some(later), 7)], None)
        .await
        .unwrap();
    assert_eq!(due_at(&state, now).await, vec![later.timestamp_micros()]);
    state.record(vec![check(None, 9)], Some(9)).await.unwrap();
    assert!(
        due_at(&state, now).await.is_empty(),
        "nothing left to wait for"
    );
    assert_eq!(state.cursor().await.unwrap(), 9);
}

#[tokio::test]
async fn a_side_write_that_fails_writes_nothing_and_says_why() {
    use order_control_room::server::store::{Durability, SqliteStore};
    let dir = tempfile::tempdir().unwrap();
    let store = SqliteStore::open(dir.path(), Durability::Normal).unwrap();
    let writes = store.side_writes();
    let failed = writes
        .write(|c| {
            c.execute("INSERT INTO detector_cursor (id, seq) VALUES (1, 42)", [])?;
            c.execute("INSERT INTO no_such_table VALUES (1)", [])
        })
        .await;
    assert!(failed.is_err(), "the error comes back");
    let cursor = writes
        .write(|c| {
            c.query_row("SELECT count(*) FROM detector_cursor", [], |r| {
                r.get::<_, i64>(0)
            })
        })
        .await
        .unwrap();
    assert_eq!(cursor, 0, "its first statement was undone with it");
}

#[tokio::test]
async fn a_looks_findings_commit_with_its_checks_and_a_refusal_stays_with_its_order() {
    use crate::support::{note, order_id};
    use order_control_room::server::store::detector_state::{Check, DetectorState};
    use order_control_room::server::store::{
        Durability, OrderStore, SqliteDetectorState, SqliteStore, StoreError,
    };
    let dir = tempfile::tempdir().unwrap();
    let store = SqliteStore::open(dir.path(), Durability::Normal).unwrap();
    let state = SqliteDetectorState::open(store.path(), store.side_writes()).unwrap();
    let placed = store.append(placed_and_paid("CR-LOOK1")).await.unwrap();
    let seen = placed.last().unwrap().seq;
    let soon = Utc::now() + Duration::minutes(15);

    let outcomes = state
        .record_look(
            vec![
                vec![note("CR-LOOK1", "found")],
                // No such order: the lifecycle refuses this one alone.
                vec![note("CR-NOSUCH", "found")],
            ],
            vec![Check {
                order: order_id("CR-LOOK1"),
                next: Some(soon),
                seen,
            }],
            Some(seen),
        )
        .await
        .unwrap();

    assert_eq!(outcomes.len(), 2);
    let appended = outcomes[0].as_ref().expect("the first finding went in");
    assert_eq!(appended.len(), 1);
    assert_eq!(appended[0].seq, seen + 1);
    assert!(
        matches!(outcomes[1], Err(StoreError::Refused(_))),
        "{:?}",
        outcomes[1]
    );
    assert_eq!(store.head(), seen + 1, "the refused finding wrote nothing");
    assert_eq!(
        state.cursor().await.unwrap(),
        seen,
        "the cursor was recorded"
    );
    let due = state.due(soon, 10).await.unwrap();
    assert_eq!(due, vec![(order_id("CR-LOOK1"), as_kept(soon))]);
}

/// `at` as the store keeps it (to the microsecond).
fn as_kept(at: chrono::DateTime<Utc>) -> chrono::DateTime<Utc> {
    chrono::DateTime::from_timestamp_micros(at.timestamp_micros()).unwrap()
}
