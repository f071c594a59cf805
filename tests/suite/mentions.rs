//! Notes with @mentions against the real server: the mentioned colleague's
//! live stream carries the note (and no other), their inbox lists it as
//! unread until they mark it read, nobody can follow someone else's
//! mentions, and the note reaches each reader through their own lens.

use crate::support;

use order_control_room::model::EventKind;
use serde_json::{json, Value};
use std::time::Duration;
use support::{placed_and_paid, TestServer};

async fn note_as(server: &TestServer, client: &reqwest::Client, order: &str, text: &str) -> u64 {
    let (status, event) = server
        .call_as(
            client,
            "orders/note",
            json!({"order_id": order, "text": text}),
        )
        .await;
    assert_eq!(status, 200, "{event}");
    event["seq"].as_u64().expect("the note's seq")
}

async fn inbox(server: &TestServer, client: &reqwest::Client) -> Value {
    let (status, inbox) = server
        .call_as(client, "mentions/inbox", json!({"before": null}))
        .await;
    assert_eq!(status, 200, "{inbox}");
    inbox
}

fn note_texts(inbox: &Value) -> Vec<String> {
    inbox["notes"]
        .as_array()
        .unwrap()
        .iter()
        .map(|n| n["kind"]["text"].as_str().unwrap().to_string())
        .collect()
}

#[tokio::test]
async fn a_mention_reaches_the_colleagues_stream_and_inbox_until_read() {
    let dir = tempfile::tempdir().unwrap();
    let server = TestServer::spawn(dir.path()).await;
    server.append(placed_and_paid("CR-MENTION")).await;
    let cs = server.login("cs").await;
    let logistics = server.login("logistics").await;
    let mut live = server
        .stream_as(&logistics, "?topics=mentions:logistics", None)
        .await;

    note_as(&server, &cs, "CR-MENTION", "客户问礼盒，先记一下").await;
    let seq = note_as(
        &server,
        &cs,
        "CR-MENTION",
        "@logistics 礼盒还没到，请查一下仓库",
    )
    .await;

    // Only the note naming them is on their stream.
    let arrived = live
        .next(Duration::from_secs(10))
        .await
        .expect("the mention arrives");
    assert_eq!(arrived.seq, seq);
    assert!(
        matches!(&arrived.event.kind, EventKind::NoteAdded { text } if text.contains("@logistics"))
    );

    let before = inbox(&server, &logistics).await;
    assert_eq!(note_texts(&before), ["@logistics 礼盒还没到，请查一下仓库"]);
    assert_eq!(before["unread"], 1);
    assert_eq!(before["notes"][0]["order_id"], "CR-MENTION");
    assert_eq!(before["notes"][0]["actor"]["role"], "customer_service");
    // Nobody mentioned customer service.
    assert!(note_texts(&inbox(&server, &cs).await).is_empty());

    let (status, left) = server
        .call_as(&logistics, "mentions/read", json!({"up_to": seq}))
        .await;
    assert_eq!((status, left), (200, json!(0)));
    let after = inbox(&server, &logistics).await;
    assert_eq!(after["unread"], 0);
    assert_eq!(after["read_up_to"], seq);
    // Still listed: read, not gone.
    assert_eq!(note_texts(&after).len(), 1);

    // Marking read never goes back.
    let (status, _) = server
        .call_as(&logistics, "mentions/read", json!({"up_to": 1}))
        .await;
    assert_eq!(status, 200);
    assert_eq!(inbox(&server, &logistics).await["read_up_to"], seq);
    server.stop().await;
}

#[tokio::test]
async fn nobody_follows_someone_elses_mentions() {
    let dir = tempfile::tempdir().unwrap();
    let server = TestServer::spawn(dir.path()).await;
    let cs = server.login("cs").await;
    assert_eq!(
        server
            .stream_status(&cs, "?topics=mentions:logistics")
            .await,
        403
    );
    assert_eq!(server.stream_status(&cs, "?topics=mentions:cs").await, 200);
    server.stop().await;
}

#[tokio::test]
async fn a_mention_reaches_finance_through_its_lens() {
    let dir = tempfile::tempdir().unwrap();
    let server = TestServer::spawn(dir.path()).await;
    server.append(placed_and_paid("CR-MENTION-LENS")).await;
    let cs = server.login("cs").await;
    let finance = server.login("finance").await;
    note_as(
        &server,
        &cs,
        "CR-MENTION-LENS",
        "@finance 客户换了号码 13912345678，退款请核对",
    )
    .await;
    let texts = note_texts(&inbox(&server, &finance).await);
    assert_eq!(texts.len(), 1);
    assert!(texts[0].starts_with("@finance"), "{}", texts[0]);
    assert!(!texts[0].contains("13912345678"), "{}", texts[0]);
    server.stop().await;
}
