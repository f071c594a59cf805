//! An admin changes a user's roles: the user's open session has the new
//! permissions from its next request on (each request reads the roles
//! again), the user's open live stream ends (it fixed its lens when it
//! opened), others may not do it, and the last enabled admin keeps the Admin
//! role.

use crate::support;

use eventsource_stream::Eventsource;
use futures::StreamExt;
use serde_json::{json, Value};
use std::time::Duration;
use support::TestServer;

const USERS: &str = "admin/users/list";
const SET_ROLES: &str = "admin/users/roles";

async fn user_id(server: &TestServer, username: &str) -> String {
    let (status, users) = server.call(USERS, json!({})).await;
    assert_eq!(status, 200, "{users}");
    users
        .as_array()
        .unwrap()
        .iter()
        .find(|u| u["username"] == username)
        .unwrap_or_else(|| panic!("{username} is listed"))["id"]
        .as_str()
        .unwrap()
        .to_string()
}

async fn roles_of(server: &TestServer, username: &str) -> Value {
    let (_, users) = server.call(USERS, json!({})).await;
    users
        .as_array()
        .unwrap()
        .iter()
        .find(|u| u["username"] == username)
        .unwrap()["roles"]
        .clone()
}

async fn audit_details(server: &TestServer, kind: &str) -> Vec<(String, String)> {
    let (status, page) = server
        .call("admin/audit", json!({"page": 1, "kind": kind}))
        .await;
    assert_eq!(status, 200, "{page}");
    page["entries"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| {
            (
                e["username"].as_str().unwrap_or_default().to_string(),
                e["detail"].as_str().unwrap().to_string(),
            )
        })
        .collect()
}

#[tokio::test]
async fn an_admin_changes_roles_and_the_users_next_request_has_the_new_permissions() {
    let dir = tempfile::tempdir().unwrap();
    let server = TestServer::spawn(dir.path()).await;
    let cs = server.login("cs").await;
    let cs_id = user_id(&server, "cs").await;
    assert_eq!(server.call_as(&cs, USERS, json!({})).await.0, 403);
    let stream = cs
        .get(format!("{}/api/stream?topics=orders", server.base))
        .send()
        .await
        .unwrap();
    assert_eq!(stream.status().as_u16(), 200);
    let mut frames = stream.bytes_stream().eventsource();

    let (status, changed) = server
        .call(
            SET_ROLES,
            json!({"user_id": cs_id, "roles": ["admin", "customer_service", "admin"]}),
        )
        .await;
    assert_eq!(status, 200, "{changed}");
    assert_eq!(changed["roles"], json!(["customer_service", "admin"]));

    // The same session, its next request: the new permissions apply.
    let (status, me) = server.call_as(&cs, "auth/status", json!({})).await;
    assert_eq!(status, 200);
    assert_eq!(me["me"]["roles"], json!(["customer_service", "admin"]));
    assert!(me["me"]["permissions"]
        .as_array()
        .unwrap()
        .contains(&json!("manage_users")));
    assert_eq!(server.call_as(&cs, USERS, json!({})).await.0, 200);

    // The stream opened under the old roles has ended (it reopens under the
    // new ones); a guard against a hang, not a timing.
    tokio::time::timeout(Duration::from_secs(10), async {
        while let Some(Ok(_)) = frames.next().await {}
    })
    .await
    .expect("the open stream ends");

    // Taken away again: refused from the next request on, still signed in.
    let (status, _) = server
        .call(
            SET_ROLES,
            json!({"user_id": cs_id, "roles": ["customer_service"]}),
        )
        .await;
    assert_eq!(status, 200);
    assert_eq!(server.call_as(&cs, USERS, json!({})).await.0, 403);
    let (_, me) = server.call_as(&cs, "auth/status", json!({})).await;
    assert_eq!(me["me"]["username"], "cs");

    let entries = audit_details(&server, "roles_changed").await;
    assert_eq!(
        entries,
        [
            (
                "admin".to_string(),
                "changed the roles of cs from Customer service, Admin to Customer service"
                    .to_string()
            ),
            (
                "admin".to_string(),
                "changed the roles of cs from Customer service to Customer service, Admin"
                    .to_string()
            ),
        ],
        "newest first, with the admin who acted"
    );
    server.stop().await;
}

#[tokio::test]
async fn only_admins_may_change_roles() {
    let dir = tempfile::tempdir().unwrap();
    let server = TestServer::spawn(dir.path()).await;
    let logistics_id = user_id(&server, "logistics").await;
    for who in ["logistics", "finance", "cs"] {
        let client = server.login(who).await;
        let (status, body) = server
            .call_as(
                &client,
                SET_ROLES,
                json!({"user_id": logistics_id, "roles": ["admin"]}),
            )
            .await;
        assert_eq!(status, 403, "{who}: {body}");
    }
    let (status, _) = server
        .anon
        .post(format!("{}/api/{SET_ROLES}", server.base))
        .json(&json!({"user_id": logistics_id, "roles": ["admin"]}))
        .send()
        .await
        .map(|r| (r.status().as_u16(), ()))
        .unwrap();
    assert_eq!(status, 401, "signed out");
    assert_eq!(roles_of(&server, "logistics").await, json!(["logistics"]));
    assert!(audit_details(&server, "roles_changed").await.is_empty());
    server.stop().await;
}

#[tokio::test]
async fn the_last_admin_keeps_the_admin_role_and_an_account_keeps_a_role() {
    let dir = tempfile::tempdir().unwrap();
    let server = TestServer::spawn(dir.path()).await;
    let admin_id = user_id(&server, "admin").await;
    let (status, body) = server
        .call(
            SET_ROLES,
            json!({"user_id": admin_id, "roles": ["finance"]}),
        )
        .await;
    assert_eq!(status, 409, "{body}");
    assert_eq!(
        body,
        json!({"AccountRefused": {"LastAdminRole": "admin"}}),
        "{body}"
    );
    assert_eq!(roles_of(&server, "admin").await, json!(["admin"]));

    let (status, body) = server
        .call(SET_ROLES, json!({"user_id": admin_id, "roles": []}))
        .await;
    assert_eq!(status, 400, "{body}");
    let (status, _) = server
        .call(
            SET_ROLES,
            json!({"user_id": "u_nobody", "roles": ["finance"]}),
        )
        .await;
    assert_eq!(status, 404);

    // With a second admin, the first may step down.
    let finance_id = user_id(&server, "finance").await;
    let (status, _) = server
        .call(
            SET_ROLES,
            json!({"user_id": finance_id, "roles": ["finance", "admin"]}),
        )
        .await;
    assert_eq!(status, 200);
    let (status, body) = server
        .call(
            SET_ROLES,
            json!({"user_id": admin_id, "roles": ["finance"]}),
        )
        .await;
    assert_eq!(status, 200, "{body}");
    assert_eq!(roles_of_as_finance(&server).await, json!(["finance"]));
    server.stop().await;
}

/// The former admin's roles, listed by the remaining admin (finance).
async fn roles_of_as_finance(server: &TestServer) -> Value {
    let finance = server.login("finance").await;
    let (status, users) = server.call_as(&finance, USERS, json!({})).await;
    assert_eq!(status, 200, "{users}");
    users
        .as_array()
        .unwrap()
        .iter()
        .find(|u| u["username"] == "admin")
        .unwrap()["roles"]
        .clone()
}
