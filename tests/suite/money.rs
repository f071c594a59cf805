//! Money you can trust, end to end: payment notices the lifecycle refuses come
//! back from the timeline API as 409 with the reason in words and write nothing;
//! a notice repeating the payment is logged and moves nothing.

use crate::support;
use serde_json::json;
use support::hooks::{server_with_secrets, timeline};
use support::placed_and_paid;

fn payment(event_id: &str, minor: i64, currency: &str) -> Vec<u8> {
    serde_json::to_vec(&json!({
        "event_id": event_id,
        "occurred_at": "2026-11-20T08:00:00+08:00",
        "source": {"kind": "finance"},
        "event": {"type": "payment_captured", "amount": {"minor": minor, "currency": currency}}
    }))
    .unwrap()
}

#[tokio::test]
async fn payment_notices_not_positive_foreign_or_above_what_is_owed_are_refused_with_a_reason() {
    let dir = tempfile::tempdir().unwrap();
    let server = server_with_secrets(dir.path(), &[]).await;
    // Placed, not paid: the order's total (¥268.00) is still owed.
    let placed = placed_and_paid("CR-PAY1").remove(0);
    server.append(vec![placed]).await;
    let (status, created) = server
        .call("admin/api-keys/create", json!({"name": "Finance"}))
        .await;
    assert_eq!(status, 200, "{created}");
    let key = created["key"].as_str().unwrap().to_string();
    let head = server.state.store.head();

    for (id, minor, currency, reason) in [
        (
            "p-0",
            0,
            "CNY",
            "a payment must be a positive amount, got ¥0.00",
        ),
        (
            "p-1",
            26801,
            "CNY",
            "a payment of ¥268.01 is more than what is still owed (¥268.00)",
        ),
        ("p-2", 26800, "USD", "amount is in USD, the order is in CNY"),
    ] {
        let (status, answer) =
            timeline(&server, Some(&key), "CR-PAY1", payment(id, minor, currency)).await;
        assert_eq!(status, 409, "{id}: {answer}");
        let error = answer["error"].as_str().unwrap_or_default();
        assert!(error.contains(reason), "{id}: {answer}");
        assert_eq!(server.state.store.head(), head, "{id} wrote nothing");
    }
    assert!(server.order("CR-PAY1").await.paid.is_zero());

    let (status, answer) =
        timeline(&server, Some(&key), "CR-PAY1", payment("p-3", 26800, "CNY")).await;
    assert_eq!(status, 200, "{answer}");
    // The same payment notified again (another notice id): logged, not counted twice.
    let (status, answer) =
        timeline(&server, Some(&key), "CR-PAY1", payment("p-4", 26800, "CNY")).await;
    assert_eq!(
        (status, answer["status"].as_str()),
        (200, Some("accepted")),
        "{answer}"
    );
    let order = server.order("CR-PAY1").await;
    assert_eq!(order.paid, order.total);
    assert_eq!(server.state.store.head(), head + 2);
}
