//! Running the integrations: secrets an admin sets and rotates, mapping an
//! unmapped value, pending deliveries linked when their order arrives, replay
//! from the delivery log, and the timeline write API with API keys.

use crate::support;

use order_control_room::model::{ComponentKind, EventKind, Order, Stage, Status};
use serde_json::{json, Value};
use std::time::Duration;
use support::hooks::{fixture, kuaidi100, server_with_secrets, shipped, timeline, wms};
use support::{eventually, order_id, placed_and_paid, TestServer};

async fn server(dir: &std::path::Path) -> TestServer {
    server_with_secrets(dir, &[]).await
}

/// Sets a secret the platform "issued" for `integration`.
async fn set_secret(server: &TestServer, integration: &str, secret: &str, overlap: u32) -> Value {
    let (status, shown) = server
        .call(
            "admin/integrations/secret",
            json!({"integration": integration, "secret": {"kind": "given", "value": secret}, "overlap_hours": overlap}),
        )
        .await;
    assert_eq!(status, 200, "{shown}");
    shown
}

/// A WMS message about the order `placed_and_paid(order)` creates.
fn picking(order: &str, message_id: &str) -> Value {
    json!({
        "message_id": message_id, "type": "picking", "channel": "douyin",
        "channel_order_id": format!("69{order}"), "warehouse": "Shanghai",
        "at": "2026-11-20T08:00:00+08:00"
    })
}

async fn integration(server: &TestServer, name: &str) -> Value {
    let (_, list) = server.call("admin/integrations/list", json!({})).await;
    list.as_array()
        .unwrap()
        .iter()
        .find(|i| i["integration"] == name)
        .cloned()
        .unwrap()
}

#[tokio::test]
async fn secrets_set_by_an_admin_sign_deliveries_and_rotate_with_an_overlap() {
    let dir = tempfile::tempdir().unwrap();
    let server = server(dir.path()).await;
    server.append(placed_and_paid("CR-SEC1")).await;

    let (status, answer) = wms(&server, "anything", &picking("CR-SEC1", "m-0")).await;
    assert_eq!(status, 401, "no secret yet: {answer}");
    assert!(answer["error"].as_str().unwrap().contains("no secret"));

    let shown = set_secret(&server, "wms", "first-wms-secret", 0).await;
    assert_eq!(shown["secret"], "first-wms-secret");
    let (status, answer) = wms(&server, "first-wms-secret", &picking("CR-SEC1", "m-1")).await;
    assert_eq!((status, answer["status"].as_str()), (200, Some("accepted")));

    // Rotate to a generated secret, keeping the old one for 24 hours.
    let (status, shown) = server
        .call(
            "admin/integrations/secret",
            json!({"integration": "wms", "secret": {"kind": "generate"}, "overlap_hours": 24}),
        )
        .await;
    assert_eq!(status, 200, "{shown}");
    let new = shown["secret"].as_str().unwrap().to_string();
    assert!(new.len() >= 40, "a generated secret is long: {new}");
    let listed = integration(&server, "wms").await;
    assert_eq!(
        listed["current"]["hint"],
        format!("…{}", &new[new.len() - 4..])
    );
    assert!(listed["previous"]["expires_at"].is_string(), "{listed}");
    let all = server.call("admin/integrations/list", json!({})).await.1;
    assert!(
        !all.to_string().contains(&new) && !all.to_string().contains("first-wms-secret"),
        "secrets are never listed"
    );

    for (secret, id) in [("first-wms-secret", "m-2"), (new.as_str(), "m-3")] {
        let (status, answer) = wms(&server, secret, &picking("CR-SEC1", id)).await;
        assert_eq!(
            status, 200,
            "both are accepted during the overlap: {answer}"
        );
    }

    let (status, _) = server
        .call(
            "admin/integrations/end-overlap",
            json!({"integration": "wms"}),
        )
        .await;
    assert_eq!(status, 200);
    let head = server.state.store.head();
    let (status, answer) = wms(&server, "first-wms-secret", &picking("CR-SEC1", "m-4")).await;
    assert_eq!(status, 401, "the old secret is retired: {answer}");
    assert_eq!(server.state.store.head(), head, "nothing stored");
    let (status, _) = wms(&server, &new, &picking("CR-SEC1", "m-5")).await;
    assert_eq!(status, 200);

    let (status, answer) = server
        .call(
            "admin/integrations/secret",
            json!({"integration": "wms", "secret": {"kind": "given", "value": "short"}, "overlap_hours": 0}),
        )
        .await;
    assert_eq!(status, 400, "{answer}");

    let (_, audit) = server
        .call("admin/audit", json!({"page": 1, "kind": "secret_rotated"}))
        .await;
    assert_eq!(audit["total"], 2, "{audit}");
    assert!(
        !audit.to_string().contains(&new),
        "the audit trail does not hold the secret"
    );
}

/// A Kuaidi100 push for `waybill` whose latest state is `state`; `n` makes it unique.
fn push(waybill: &str, state: &str, n: u32) -> String {
    String::from_utf8(fixture("carriers/kuaidi100/subscribe-push.param.json"))
        .unwrap()
        .replace("YT2506789012345", waybill)
        .replace("\"state\": \"0\"", &format!("\"state\": \"{state}\""))
        .replace("18:02:11", &format!("18:{:02}:11", 2 + n))
}

async fn unmapped(server: &TestServer) -> Vec<Value> {
    let (status, list) = server.call("admin/mappings/unmapped", json!({})).await;
    assert_eq!(status, 200, "{list}");
    list.as_array().unwrap().clone()
}

#[tokio::test]
async fn a_carrier_push_repeating_the_history_appends_each_scan_once() {
    let dir = tempfile::tempdir().unwrap();
    let server = server(dir.path()).await;
    server.append(placed_and_paid("CR-DUP1")).await;
    server.append(shipped("CR-DUP1", "YT-DUP-1")).await;
    let (status, first) = kuaidi100(&server, &push("YT-DUP-1", "0", 0)).await;
    assert_eq!(status, 200, "{first}");
    assert_eq!(first["events"].as_array().unwrap().len(), 2, "{first}");
    // The next push carries the same two scans and a newer one.
    let newer = push("YT-DUP-1", "0", 0).replacen(
        "\"data\": [",
        "\"data\": [{\"time\": \"2026-11-21 07:30:00\", \"ftime\": \"2026-11-21 07:30:00\", \"context\": \"派送中\", \"status\": \"派件\"},",
        1,
    ).replace("\"state\": \"0\"", "\"state\": \"5\"");
    let (status, second) = kuaidi100(&server, &newer).await;
    assert_eq!(status, 200, "{second}");
    assert_eq!(second["events"].as_array().unwrap().len(), 1, "{second}");
    let order = server.order("CR-DUP1").await;
    assert_eq!(order.parcels[0].stage, Stage::OutForDelivery);
}

#[tokio::test]
async fn an_unmapped_value_is_counted_and_once_mapped_moves_the_next_delivery() {
    let dir = tempfile::tempdir().unwrap();
    let server = server(dir.path()).await;
    server.append(placed_and_paid("CR-MAP1")).await;
    server.append(shipped("CR-MAP1", "YT-MAP-1")).await;

    for n in 0..2 {
        let (status, answer) = kuaidi100(&server, &push("YT-MAP-1", "501", n)).await;
        assert_eq!(status, 200, "{answer}");
    }
    let order = server.order("CR-MAP1").await;
    assert_ne!(order.status(), Status::Delivered);
    let listed = unmapped(&server).await;
    let row = listed
        .iter()
        .find(|v| v["dialect"] == "kuaidi100.state" && v["value"] == "501")
        .unwrap_or_else(|| panic!("501 is listed: {listed:?}"));
    assert_eq!(row["count"], 2);
    assert_eq!(row["example_order"], "CR-MAP1");

    let (status, row) = server
        .call(
            "admin/mappings/set",
            json!({"dialect": "kuaidi100.state", "value": "501", "target": {"scan": "delivered"}}),
        )
        .await;
    assert_eq!(status, 200, "{row}");
    assert_eq!(row["changed_by"], "admin");
    assert!(
        !unmapped(&server).await.iter().any(|v| v["value"] == "501"),
        "a mapped value leaves the list"
    );
    let (_, table) = server
        .call("admin/mappings/list", json!({"dialect": "kuaidi100.state"}))
        .await;
    assert!(table
        .as_array()
        .unwrap()
        .iter()
        .all(|r| r["dialect"] == "kuaidi100.state"));
    assert!(table
        .as_array()
        .unwrap()
        .iter()
        .any(|r| r["value"] == "501"));

    let (status, _) = kuaidi100(&server, &push("YT-MAP-1", "501", 2)).await;
    assert_eq!(status, 200);
    let order = server.order("CR-MAP1").await;
    assert_eq!(order.parcels[0].stage, Stage::Delivered);
    assert_eq!(order.status(), Status::Delivered);

    let (status, answer) = server
        .call(
            "admin/mappings/set",
            json!({"dialect": "kuaidi100.state", "value": " ", "target": "paid"}),
        )
        .await;
    assert_eq!(status, 400, "{answer}");
}

async fn deliveries(server: &TestServer, integration: &str, outcome: Option<&str>) -> Vec<Value> {
    let (status, page) = server
        .call(
            "admin/deliveries/list",
            json!({"query": {"page": 1, "integration": integration, "outcome": outcome}}),
        )
        .await;
    assert_eq!(status, 200, "{page}");
    page["deliveries"].as_array().unwrap().clone()
}

#[tokio::test]
async fn deliveries_for_unknown_orders_and_waybills_are_linked_when_those_arrive() {
    let dir = tempfile::tempdir().unwrap();
    let server = server(dir.path()).await;
    set_secret(&server, "wms", "link-wms-secret", 0).await;

    let (status, answer) = wms(&server, "link-wms-secret", &picking("CR-LINK1", "l-1")).await;
    assert_eq!(status, 202, "{answer}");
    let (status, answer) = kuaidi100(&server, &push("YT-LINK-1", "0", 0)).await;
    assert_eq!(status, 202, "{answer}");
    assert_eq!(server.state.store.head(), 0);
    assert_eq!(deliveries(&server, "wms", Some("pending")).await.len(), 1);

    server.append(placed_and_paid("CR-LINK1")).await;
    eventually(
        "the WMS message is linked",
        Duration::from_secs(10),
        || async {
            let order = server.order("CR-LINK1").await;
            order.status() == Status::Picking
        },
    )
    .await;
    let linked = deliveries(&server, "wms", None).await;
    assert_eq!(linked[0]["outcome"], "accepted", "{linked:?}");
    assert_eq!(linked[0]["events"], 1);

    server.append(shipped("CR-LINK1", "YT-LINK-1")).await;
    eventually(
        "the Kuaidi100 push is linked",
        Duration::from_secs(10),
        || async {
            let order = server.order("CR-LINK1").await;
            order.parcels[0].stage == Stage::InTransit
        },
    )
    .await;
    assert!(deliveries(&server, "kuaidi100", Some("pending"))
        .await
        .is_empty());
}

#[tokio::test]
async fn replay_appends_only_what_the_log_does_not_have() {
    let dir = tempfile::tempdir().unwrap();
    let server = server(dir.path()).await;
    server.append(placed_and_paid("CR-RP1")).await;
    server.append(shipped("CR-RP1", "YT-RP-1")).await;
    let (status, _) = kuaidi100(&server, &push("YT-RP-1", "304", 0)).await;
    assert_eq!(status, 200);
    let id = deliveries(&server, "kuaidi100", Some("accepted")).await[0]["id"].clone();

    let (status, detail) = server.call("admin/deliveries/get", json!({"id": id})).await;
    assert_eq!(status, 200, "{detail}");
    assert!(detail["body"].as_str().unwrap().contains("param="));
    assert!(detail["headers"]
        .as_array()
        .unwrap()
        .iter()
        .any(|h| h[0] == "content-type"));

    server
        .call(
            "admin/mappings/set",
            json!({"dialect": "kuaidi100.state", "value": "304", "target": {"scan": "delivered"}}),
        )
        .await;
    let before = server.state.store.head();
    let (status, replayed) = server
        .call("admin/deliveries/replay", json!({"id": id}))
        .await;
    assert_eq!(status, 200, "{replayed}");
    assert_eq!(replayed["outcome"], "replayed");
    assert_eq!(
        replayed["events"], 1,
        "only the newly mapped scan: {replayed}"
    );
    assert_eq!(server.state.store.head(), before + 1);
    let order = server.order("CR-RP1").await;
    assert_eq!(order.status(), Status::Delivered);

    let (status, again) = server
        .call("admin/deliveries/replay", json!({"id": id}))
        .await;
    assert_eq!(status, 200, "{again}");
    assert_eq!(again["events"], 0, "the log has it all now");
    assert_eq!(server.state.store.head(), before + 1);

    let (status, _) = kuaidi100(&server, "not a push").await;
    assert_eq!(status, 400, "an unreadable push is rejected");
    let rejected = deliveries(&server, "kuaidi100", Some("rejected")).await;
    let (status, answer) = server
        .call("admin/deliveries/replay", json!({"id": rejected[0]["id"]}))
        .await;
    assert_eq!(
        status, 400,
        "a rejected delivery has nothing to replay: {answer}"
    );
    let (status, _) = server
        .call("admin/deliveries/replay", json!({"id": 999_999}))
        .await;
    assert_eq!(status, 404);
}

fn note(event_id: &str, text: &str) -> Vec<u8> {
    serde_json::to_vec(&json!({
        "event_id": event_id,
        "occurred_at": "2026-11-20T08:00:00+08:00",
        "source": {"kind": "channel", "name": "tmall"},
        "event": {"type": "note_added", "text": text}
    }))
    .unwrap()
}

#[tokio::test]
async fn the_timeline_api_appends_documented_events_with_an_api_key() {
    let dir = tempfile::tempdir().unwrap();
    let server = server(dir.path()).await;
    server.append(placed_and_paid("CR-API1")).await;
    let (status, created) = server
        .call("admin/api-keys/create", json!({"name": "ERP"}))
        .await;
    assert_eq!(status, 200, "{created}");
    let key = created["key"].as_str().unwrap().to_string();
    assert!(key.starts_with(&created["summary"]["prefix"].as_str().unwrap().to_string()));
    let (_, keys) = server.call("admin/api-keys/list", json!({})).await;
    assert!(
        !keys.to_string().contains(&key),
        "the key is shown once only"
    );

    let head = server.state.store.head();
    assert_eq!(
        timeline(&server, None, "CR-API1", note("n-1", "hi"))
            .await
            .0,
        401
    );
    assert_eq!(
        timeline(&server, Some("ocr_wrong"), "CR-API1", note("n-1", "hi"))
            .await
            .0,
        401
    );
    assert_eq!(server.state.store.head(), head);

    let (status, answer) = timeline(&server, Some(&key), "CR-API1", note("n-1", "gift wrap")).await;
    assert_eq!(status, 200, "{answer}");
    assert_eq!(answer["status"], "accepted");
    assert_eq!(answer["seq"], head + 1);
    let events = server
        .state
        .store
        .order_events(&order_id("CR-API1"))
        .await
        .unwrap();
    let last = events.last().unwrap();
    assert_eq!(
        last.event.kind,
        EventKind::NoteAdded {
            text: "gift wrap".into()
        }
    );
    assert_eq!(last.event.actor.to_string(), "ERP (API) (automatic)");
    assert_eq!(
        last.event.occurred_at.to_rfc3339(),
        "2026-11-20T00:00:00+00:00"
    );

    for _ in 0..3 {
        let (status, answer) =
            timeline(&server, Some(&key), "CR-API1", note("n-1", "gift wrap")).await;
        assert_eq!(
            (status, answer["status"].as_str()),
            (200, Some("duplicate"))
        );
    }
    assert_eq!(server.state.store.head(), head + 1);

    let broken = br#"{"event_id": "n-2", "occurred_at": "2026-11-20T08:00:00+08:00", "source": {"kind": "finance"}, "event": {"type": "refunded"}}"#;
    let (status, answer) = timeline(&server, Some(&key), "CR-API1", broken.to_vec()).await;
    assert_eq!(status, 400, "{answer}");
    assert!(
        answer["error"].as_str().unwrap().contains("event"),
        "{answer}"
    );
    let (status, _) = timeline(&server, Some(&key), "CR-API1", b"{".to_vec()).await;
    assert_eq!(status, 400);
    let (status, answer) = timeline(&server, Some(&key), "CR-NOPE1", note("n-3", "x")).await;
    assert_eq!(status, 404, "{answer}");

    // An illegal change is refused and changes nothing.
    server.append(shipped("CR-API1", "YT-API-1")).await;
    let head = server.state.store.head();
    let cancel = serde_json::to_vec(&json!({
        "event_id": "c-1", "occurred_at": "2026-11-20T09:00:00Z",
        "source": {"kind": "channel", "name": "douyin"},
        "event": {"type": "order_cancelled", "reason": "buyer changed mind"}
    }))
    .unwrap();
    let (status, answer) = timeline(&server, Some(&key), "CR-API1", cancel).await;
    assert_eq!(status, 409, "{answer}");
    assert_eq!(server.state.store.head(), head);
    let (status, _) = timeline(&server, Some(&key), "CR-API1", vec![b' '; 100 * 1024]).await;
    assert_eq!(status, 413);

    let listed = deliveries(&server, "api", None).await;
    let outcomes: Vec<_> = listed
        .iter()
        .map(|d| d["outcome"].as_str().unwrap())
        .collect();
    assert!(outcomes.contains(&"accepted") && outcomes.contains(&"duplicate"));
    assert!(outcomes.contains(&"rejected"), "{outcomes:?}");

    let (status, _) = server
        .call(
            "admin/api-keys/revoke",
            json!({"id": created["summary"]["id"]}),
        )
        .await;
    assert_eq!(status, 200);
    let (status, _) = timeline(&server, Some(&key), "CR-API1", note("n-4", "after")).await;
    assert_eq!(status, 401, "a revoked key is refused at once");
}

#[tokio::test]
async fn the_timeline_api_can_place_an_order() {
    let dir = tempfile::tempdir().unwrap();
    let server = server(dir.path()).await;
    let key = &api_key(&server, "POS").await;
    let placed = placed_and_paid("CR-POS1");
    let body = |id: &str, event: &EventKind| {
        serde_json::to_vec(&json!({
            "event_id": id, "occurred_at": "2026-11-20T08:00:00+08:00",
            "source": {"kind": "channel", "name": "pos"}, "event": event
        }))
        .unwrap()
    };
    for (i, e) in placed.iter().enumerate() {
        let (status, answer) = timeline(
            &server,
            Some(key),
            "CR-POS1",
            body(&format!("pos-{i}"), &e.kind),
        )
        .await;
        assert_eq!(status, 200, "{answer}");
    }
    let order = server.order("CR-POS1").await;
    assert_eq!(order.status(), Status::Paid);
    let (status, answer) = timeline(
        &server,
        Some(key),
        "CR-POS1",
        body("pos-again", &placed[0].kind),
    )
    .await;
    assert_eq!(status, 409, "placing it twice is refused: {answer}");
}

#[tokio::test]
async fn a_douyin_secret_without_app_key_and_app_secret_is_refused_with_the_reason() {
    let dir = tempfile::tempdir().unwrap();
    let server = server(dir.path()).await;
    for secret in [
        json!({"kind": "given", "value": "no-colon-secret"}),
        json!({"kind": "given", "value": ":only-the-secret"}),
        json!({"kind": "generate"}),
    ] {
        let (status, answer) = server
            .call(
                "admin/integrations/secret",
                json!({"integration": "douyin", "secret": secret, "overlap_hours": 0}),
            )
            .await;
        assert_eq!(status, 400, "{secret}: {answer}");
        assert!(
            answer.to_string().contains("app_key:app_secret"),
            "{answer}"
        );
    }
    assert!(integration(&server, "douyin").await["current"].is_null());
    set_secret(&server, "douyin", "7001234567890:app-secret-1", 0).await;
    assert!(integration(&server, "douyin").await["current"].is_object());
}

#[tokio::test]
async fn unsigned_floods_are_counted_not_written_and_signed_deliveries_still_pass() {
    let dir = tempfile::tempdir().unwrap();
    let server = server(dir.path()).await;
    set_secret(&server, "wms", "flood-wms-secret", 0).await;
    server.append(placed_and_paid("CR-FLOOD1")).await;
    let rows = |server: &TestServer| {
        let settings = server.state.clone();
        async move {
            let page = settings
                .integrations
                .deliveries(&Default::default())
                .await
                .unwrap();
            page.total
        }
    };
    let before = rows(&server).await;

    // 500 unsigned WMS messages at once.
    let body = serde_json::to_vec(&picking("CR-FLOOD1", "forged")).unwrap();
    let url = format!("{}/hooks/wms", server.base);
    let posts = (0..500).map(|_| {
        server
            .anon
            .post(&url)
            .header("content-type", "application/json")
            .body(body.clone())
            .send()
    });
    let answers = futures::future::join_all(posts).await;
    for answer in answers {
        assert_eq!(answer.unwrap().status(), 401);
    }
    let written = rows(&server).await - before;
    assert!(written < 100, "{written} rows for 500 refusals");
    assert!(written >= 1, "a sample is listed");

    // A signed delivery is still accepted.
    let (status, answer) = wms(&server, "flood-wms-secret", &picking("CR-FLOOD1", "real-1")).await;
    assert_eq!(
        (status, answer["status"].as_str()),
        (200, Some("accepted")),
        "{answer}"
    );

    // The counts are there for admins.
    let (status, counts) = server.call("admin/deliveries/refusals", json!({})).await;
    assert_eq!(status, 200, "{counts}");
    let wms_refused = counts
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["integration"] == "wms" && c["reason"] == "unauthenticated")
        .cloned()
        .unwrap_or_else(|| panic!("{counts}"));
    assert_eq!(wms_refused["last_hour"], 500, "{wms_refused}");
    assert_eq!(wms_refused["since_start"], 500);
    assert_eq!(wms_refused["listed_last_hour"], written, "{wms_refused}");
    let cs = server.login("cs").await;
    let (status, _) =
        support::call(&cs, &server.base, "admin/deliveries/refusals", json!({})).await;
    assert_eq!(status, 403, "only those who manage integrations");
}

#[tokio::test]
async fn what_is_logged_of_a_refused_delivery_is_capped() {
    let dir = tempfile::tempdir().unwrap();
    let server = server(dir.path()).await;
    let name = "x".repeat(2000);
    let (status, answer) = support::hooks::post(&server, &name, &[], b"{}".to_vec()).await;
    assert_eq!(status, 404, "{answer}");
    let listed = deliveries(&server, "unknown", None).await;
    assert_eq!(listed.len(), 1, "{listed:?}");
    let reason = listed[0]["reason"].as_str().unwrap();
    assert!(
        reason.chars().count() <= 100,
        "{} chars",
        reason.chars().count()
    );
    assert!(reason.starts_with("unknown integration"), "{reason}");
    let (_, counts) = server.call("admin/deliveries/refusals", json!({})).await;
    assert_eq!(counts[0]["integration"], "unknown", "{counts}");
    assert_eq!(counts[0]["reason"], "unknown_integration");
}

#[tokio::test]
async fn the_delivery_log_is_pruned_but_keeps_what_dedupes_and_what_waits() {
    let dir = tempfile::tempdir().unwrap();
    let server = server(dir.path()).await;
    set_secret(&server, "wms", "prune-wms-secret", 0).await;
    server.append(placed_and_paid("CR-PRUNE1")).await;
    let accepted = picking("CR-PRUNE1", "p-1");
    assert_eq!(wms(&server, "prune-wms-secret", &accepted).await.0, 200);
    assert_eq!(
        wms(&server, "prune-wms-secret", &accepted).await.1["status"],
        "duplicate"
    );
    assert_eq!(wms(&server, "wrong-secret", &accepted).await.0, 401);
    assert_eq!(
        wms(&server, "prune-wms-secret", &picking("CR-PRUNE2", "p-2"))
            .await
            .0,
        202
    );
    let outcomes = |rows: Vec<Value>| -> Vec<String> {
        rows.iter()
            .map(|d| d["outcome"].as_str().unwrap().to_string())
            .collect()
    };
    let before = outcomes(deliveries(&server, "wms", None).await);
    assert_eq!(before, ["pending", "rejected", "duplicate", "accepted"]);

    // Everything received so far is past its retention.
    let cutoff = chrono::Utc::now() + chrono::TimeDelta::seconds(1);
    let pruned = server
        .state
        .integrations
        .prune_delivery_log(cutoff)
        .await
        .unwrap();
    assert_eq!((pruned.deleted, pruned.slimmed), (2, 1), "{pruned:?}");
    let after = deliveries(&server, "wms", None).await;
    assert_eq!(outcomes(after.clone()), ["pending", "accepted"]);
    assert_eq!(after[1]["replayable"], false, "the body is gone");
    assert_eq!(
        after[0]["replayable"], true,
        "a pending delivery keeps its body"
    );
    // The accepted delivery's key still dedupes a replay of it.
    let head = server.state.store.head();
    assert_eq!(
        wms(&server, "prune-wms-secret", &accepted).await.1["status"],
        "duplicate"
    );
    assert_eq!(server.state.store.head(), head);
    // The second time, only the duplicate row that replay just listed goes.
    let again = server
        .state
        .integrations
        .prune_delivery_log(cutoff)
        .await
        .unwrap();
    assert_eq!((again.deleted, again.slimmed), (1, 0));
    let last = outcomes(deliveries(&server, "wms", None).await);
    assert_eq!(last, ["pending", "accepted"]);
}

/// A timeline API body placing an order with `lines` lines of `quantity` at
/// `price` minor units each, and `total`.
fn placement(
    order: &str,
    event_id: &str,
    lines: usize,
    quantity: u32,
    price: i64,
    total: i64,
) -> Vec<u8> {
    let placed = &placed_and_paid(order)[0];
    let mut event = serde_json::to_value(&placed.kind).unwrap();
    let line = event["components"][0].clone();
    event["components"] = (0..lines)
        .map(|i| {
            let mut l = line.clone();
            l["id"] = format!("item-{i}").into();
            // Short, so 501 lines still fit the 64 KiB body limit.
            l["sku"] = "S".into();
            l["name"] = "N".into();
            l["quantity"] = quantity.into();
            l["unit_price"]["minor"] = price.into();
            l
        })
        .collect();
    event["total"]["minor"] = total.into();
    serde_json::to_vec(&json!({
        "event_id": event_id, "occurred_at": "2026-11-20T08:00:00+08:00",
        "source": {"kind": "channel", "name": "pos"}, "event": event
    }))
    .unwrap()
}

#[tokio::test]
async fn the_timeline_api_refuses_money_and_quantities_no_real_order_holds() {
    let dir = tempfile::tempdir().unwrap();
    let server = server(dir.path()).await;
    let key = &api_key(&server, "POS").await;
    let cases = [
        (
            placement("CR-BOUND1", "b-1", 1, 0, 100, 100),
            "event.components[0].quantity",
        ),
        (
            placement("CR-BOUND1", "b-2", 2, 10_000, 100, 100),
            "event.components[0].quantity",
        ),
        (
            placement("CR-BOUND1", "b-3", 1, 1, 1_000_000_001, 100),
            "event.components[0].unit_price.minor",
        ),
        (
            placement("CR-BOUND1", "b-4", 1, 1, -1, 100),
            "event.components[0].unit_price.minor",
        ),
        (
            placement("CR-BOUND1", "b-5", 1, 1, 100, i64::MAX),
            "event.total.minor",
        ),
        (
            placement("CR-BOUND1", "b-6", 501, 1, 100, 100),
            "event.components",
        ),
    ];
    for (body, field) in cases {
        let (status, answer) = timeline(&server, Some(key), "CR-BOUND1", body).await;
        assert_eq!(status, 400, "{field}: {answer}");
        let error = answer["error"].as_str().unwrap();
        assert!(error.starts_with(&format!("field {field} ")), "{error}");
    }
    assert_eq!(server.state.store.head(), 0, "nothing appended");

    // At the bounds: 500 lines; 9,999 of one line at ¥10,000,000.
    let most_lines = placement("CR-BOUND1", "b-7", 500, 1, 100, 50_000);
    let (status, answer) = timeline(&server, Some(key), "CR-BOUND1", most_lines).await;
    assert_eq!(status, 200, "{answer}");
    let dearest = placement("CR-BOUND2", "b-9", 1, 9_999, 1_000_000_000, 1_000_000_000);
    let (status, answer) = timeline(&server, Some(key), "CR-BOUND2", dearest).await;
    assert_eq!(status, 200, "{answer}");
    let paid = serde_json::to_vec(&json!({
        "event_id": "b-8", "occurred_at": "2026-11-20T08:00:00+08:00",
        "source": {"kind": "finance"},
        "event": {"type": "payment_captured", "amount": {"minor": 1_000_000_001_i64, "currency": "CNY"}}
    }))
    .unwrap();
    let head = server.state.store.head();
    let (status, answer) = timeline(&server, Some(key), "CR-BOUND1", paid).await;
    assert_eq!(status, 400, "{answer}");
    assert!(
        answer["error"]
            .as_str()
            .unwrap()
            .contains("event.amount.minor"),
        "{answer}"
    );
    assert_eq!(server.state.store.head(), head);
}

/// A timeline API placement of `order` whose lines have these kinds, as spelled.
fn placement_with_kinds(order: &str, event_id: &str, kinds: &[&str]) -> Vec<u8> {
    let mut body: Value = serde_json::from_slice(&placement(
        order,
        event_id,
        kinds.len(),
        1,
        100,
        100 * kinds.len() as i64,
    ))
    .unwrap();
    for (i, kind) in kinds.iter().enumerate() {
        body["event"]["components"][i]["kind"] = (*kind).into();
    }
    serde_json::to_vec(&body).unwrap()
}

#[tokio::test]
async fn component_kinds_are_read_through_the_mapping_table() {
    let dir = tempfile::tempdir().unwrap();
    let server = server(dir.path()).await;
    let key = &api_key(&server, "ERP").await;
    let kinds = |order: Order| order.components.iter().map(|c| c.kind).collect::<Vec<_>>();

    // The seeds' three spellings of a trial size are one kind.
    let body = placement_with_kinds(
        "CR-KIND1",
        "k-1",
        &["正品", "小样", "试用装", "体验装", "赠品"],
    );
    let (status, answer) = timeline(&server, Some(key), "CR-KIND1", body).await;
    assert_eq!(status, 200, "{answer}");
    use ComponentKind::*;
    assert_eq!(
        kinds(server.order("CR-KIND1").await),
        [Main, Trial, Trial, Trial, Gift]
    );

    // A spelling the table does not know is refused by its field; nothing is stored.
    let head = server.state.store.head();
    let (status, answer) = timeline(
        &server,
        Some(key),
        "CR-KIND2",
        placement_with_kinds("CR-KIND2", "k-2", &["main", "试吃装"]),
    )
    .await;
    assert_eq!(status, 400, "{answer}");
    let error = answer["error"].as_str().unwrap();
    assert!(
        error.starts_with("field event.components[1].kind "),
        "{error}"
    );
    assert!(error.contains("试吃装"), "{error}");
    assert_eq!(server.state.store.head(), head);

    // A kind row means a kind: a status is refused for it, and a status row
    // cannot mean a kind.
    for (dialect, target) in [
        ("component.kind", json!("paid")),
        ("douyin.tag", json!({"kind": "trial"})),
    ] {
        let (status, answer) = server
            .call(
                "admin/mappings/set",
                json!({"dialect": dialect, "value": "试吃装", "target": target}),
            )
            .await;
        assert_eq!(status, 400, "{dialect}: {answer}");
    }
    // Once an admin maps it, the same placement is accepted, as a trial size.
    let (status, row) = server
        .call(
            "admin/mappings/set",
            json!({"dialect": "component.kind", "value": "试吃装", "target": {"kind": "trial"}}),
        )
        .await;
    assert_eq!(status, 200, "{row}");
    let (status, answer) = timeline(
        &server,
        Some(key),
        "CR-KIND2",
        placement_with_kinds("CR-KIND2", "k-3", &["main", "试吃装"]),
    )
    .await;
    assert_eq!(status, 200, "{answer}");
    assert_eq!(kinds(server.order("CR-KIND2").await), [Main, Trial]);
}

/// A new API key named `name`, created by the admin.
async fn api_key(server: &TestServer, name: &str) -> String {
    let (status, created) = server
        .call("admin/api-keys/create", json!({"name": name}))
        .await;
    assert_eq!(status, 200, "{created}");
    created["key"].as_str().unwrap().to_string()
}

#[tokio::test]
async fn each_feed_shows_its_last_signed_delivery_and_its_refusals_after_a_restart_too() {
    let dir = tempfile::tempdir().unwrap();
    let server = server(dir.path()).await;
    server.append(placed_and_paid("CR-HLT1")).await;
    let quiet = integration(&server, "wms").await;
    assert_eq!(quiet["health"]["last_verified_at"], Value::Null);
    assert_eq!(quiet["health"]["refused_last_hour"], 0);

    set_secret(&server, "wms", "health-wms-secret", 0).await;
    let before = chrono::Utc::now();
    let (status, _) = wms(&server, "health-wms-secret", &picking("CR-HLT1", "h-1")).await;
    assert_eq!(status, 200);
    for i in 0..3 {
        let (status, _) = wms(&server, "forged", &picking("CR-HLT1", &format!("x-{i}"))).await;
        assert_eq!(status, 401);
    }
    // A duplicate is no refusal of the feed.
    let (status, _) = wms(&server, "health-wms-secret", &picking("CR-HLT1", "h-1")).await;
    assert_eq!(status, 200);
    let busy = integration(&server, "wms").await;
    let last: chrono::DateTime<chrono::Utc> =
        serde_json::from_value(busy["health"]["last_verified_at"].clone()).unwrap();
    assert!(last >= before);
    assert_eq!(busy["health"]["refused_last_hour"], 3);
    assert_eq!(
        integration(&server, "shopify").await["health"]["refused_last_hour"],
        0
    );
    server.stop().await;

    // The last signed delivery is read from the delivery log at start.
    let server = server_with_secrets(dir.path(), &[]).await;
    let restarted = integration(&server, "wms").await;
    let kept: chrono::DateTime<chrono::Utc> =
        serde_json::from_value(restarted["health"]["last_verified_at"].clone()).unwrap();
    assert!((kept - last).num_seconds().abs() <= 1, "{kept} vs {last}");
    server.stop().await;
}
