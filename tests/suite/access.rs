//! Every server function, called as every role and as nobody: allowed calls
//! succeed, refused ones answer 401/403 and change nothing. The table must name
//! every registered server function, so a new one cannot slip in unchecked.

use crate::support;

use order_control_room::model::warehouse::WarehouseDraft;
use order_control_room::model::Role;
use serde_json::{json, Value};
use support::{placed_and_paid, TestServer};

/// Who may call an endpoint, and with what arguments.
struct Case {
    body: Value,
    /// Roles allowed; everyone else is refused with 403.
    roles: &'static [Role],
    /// Whether a caller who is not signed in may call it.
    anonymous: bool,
}

const STAFF: &[Role] = &[
    Role::CustomerService,
    Role::Logistics,
    Role::Finance,
    Role::Admin,
];
const ADMIN: &[Role] = &[Role::Admin];
/// Who may share tracking links with customers.
const SHARE_TRACKING: &[Role] = &[Role::CustomerService, Role::Admin];
/// Who sees the warehouse load board.
const VIEW_WAREHOUSES: &[Role] = &[Role::Logistics, Role::Admin];
/// Who may put an order on hold (the desk action the table calls; every
/// action's roles are proven in `desk_actions`).
const HOLD: &[Role] = &[Role::CustomerService, Role::Logistics, Role::Admin];
/// Who works the logistics team's exception queue.
const LOGISTICS_QUEUE: &[Role] = &[Role::Logistics, Role::Admin];

/// The expected permissions, endpoint by endpoint. `None`: no entry (the test fails).
async fn case(server: &TestServer, endpoint: &str, caller: &str) -> Option<Case> {
    let c = |body, roles, anonymous| {
        Some(Case {
            body,
            roles,
            anonymous,
        })
    };
    match endpoint {
        "/api/auth/status" => c(json!({}), STAFF, true),
        "/api/auth/login" => c(json!({"username": "nobody", "password": "x"}), STAFF, true),
        "/api/auth/logout" => c(json!({}), STAFF, true),
        "/api/auth/language" => c(json!({"language": "en"}), STAFF, false),
        "/api/orders/list" => c(
            json!({"query": {"page": 1, "per_page": 10, "status": null, "channel": null, "search": null}}),
            STAFF,
            false,
        ),
        "/api/orders/get" => c(json!({"id": "CR-ACCESS"}), STAFF, false),
        "/api/orders/note" => c(
            json!({"order_id": "CR-ACCESS", "text": format!("note by {caller}")}),
            STAFF,
            false,
        ),
        "/api/orders/customer" => c(json!({"id": "CR-ACCESS"}), STAFF, false),
        "/api/mentions/inbox" => c(json!({"before": null}), STAFF, false),
        "/api/mentions/read" => c(json!({"up_to": 1}), STAFF, false),
        "/api/admin/detectors/get" => c(json!({}), ADMIN, false),
        "/api/admin/detectors/save" => {
            let (_, current) = server.call("admin/detectors/get", json!({})).await;
            c(json!({"form": current["form"]}), ADMIN, false)
        }
        "/api/exceptions/queue" => c(
            json!({"team": "logistics", "after": null, "snoozed": false}),
            LOGISTICS_QUEUE,
            false,
        ),
        "/api/exceptions/act" => c(
            json!({"order_id": "CR-ACCESS", "which": {"code": "paid_not_shipped"}, "action": {"type": "claim"}}),
            LOGISTICS_QUEUE,
            false,
        ),
        "/api/orders/act" => c(
            json!({"order_id": "CR-ACCESS", "action": {"type": "hold", "reason": format!("held by {caller}")}}),
            HOLD,
            false,
        ),
        "/api/admin/users/list" => c(json!({}), ADMIN, false),
        "/api/admin/users/create" => c(
            json!({"user": {"username": format!("new-{caller}"), "display_name": "New", "roles": ["finance"], "password": "long password 1"}}),
            ADMIN,
            false,
        ),
        "/api/admin/users/password" => c(
            json!({"user_id": target_user(server).await, "password": "another password"}),
            ADMIN,
            false,
        ),
        "/api/admin/users/disabled" => c(
            json!({"user_id": target_user(server).await, "disabled": false}),
            ADMIN,
            false,
        ),
        "/api/admin/users/roles" => c(
            json!({"user_id": target_user(server).await, "roles": ["logistics", "finance"]}),
            ADMIN,
            false,
        ),
        "/api/admin/sessions/list" => c(json!({}), ADMIN, false),
        "/api/admin/sessions/end" => c(
            json!({"session_id": target_session(server).await}),
            ADMIN,
            false,
        ),
        "/api/admin/audit" => c(json!({"page": 1, "kind": null}), ADMIN, false),
        "/api/admin/integrations/list" => c(json!({}), ADMIN, false),
        "/api/admin/integrations/secret" => c(
            json!({"integration": "easypost", "secret": {"kind": "generate"}, "overlap_hours": 1}),
            ADMIN,
            false,
        ),
        "/api/admin/integrations/end-overlap" => {
            with_previous_secret(server).await;
            c(json!({"integration": "easypost"}), ADMIN, false)
        }
        "/api/admin/mappings/list" => c(json!({"dialect": null}), ADMIN, false),
        "/api/admin/mappings/set" => c(
            json!({"dialect": "kuaidi100.state", "value": format!("by-{caller}"), "target": "no_change"}),
            ADMIN,
            false,
        ),
        "/api/admin/mappings/unmapped" => c(json!({}), ADMIN, false),
        "/api/admin/deliveries/list" => c(
            json!({"query": {"page": 1, "integration": null, "outcome": null}}),
            ADMIN,
            false,
        ),
        "/api/admin/deliveries/refusals" => c(json!({}), ADMIN, false),
        "/api/admin/deliveries/get" => {
            c(json!({"id": pending_delivery(server).await}), ADMIN, false)
        }
        "/api/admin/deliveries/replay" => {
            c(json!({"id": pending_delivery(server).await}), ADMIN, false)
        }
        "/api/admin/api-keys/list" => c(json!({}), ADMIN, false),
        "/api/admin/api-keys/create" => {
            c(json!({"name": format!("key by {caller}")}), ADMIN, false)
        }
        "/api/admin/api-keys/revoke" => c(json!({"id": target_key(server).await}), ADMIN, false),
        "/api/orders/tracking-links/create" => c(
            json!({"order_id": "CR-ACCESS", "expires_in_days": 7}),
            SHARE_TRACKING,
            false,
        ),
        "/api/orders/tracking-links/list" => {
            c(json!({"order_id": "CR-ACCESS"}), SHARE_TRACKING, false)
        }
        "/api/orders/tracking-links/revoke" => c(
            json!({"id": target_tracking_link(server).await}),
            SHARE_TRACKING,
            false,
        ),
        "/api/warehouses/board" => c(json!({}), VIEW_WAREHOUSES, false),
        "/api/warehouses/stock" => c(
            json!({"warehouse": target_warehouse(server).await}),
            VIEW_WAREHOUSES,
            false,
        ),
        "/api/warehouses/save" => c(
            json!({"draft": {"name": format!("DC by {caller}"), "province": "上海", "daily_capacity": 10, "carriers": ["SF Express"]}}),
            ADMIN,
            false,
        ),
        "/api/warehouses/remove" => c(
            json!({"name": target_warehouse(server).await}),
            ADMIN,
            false,
        ),
        "/api/warehouses/stock/import" => c(
            json!({"csv": format!("warehouse,sku,quantity\n{},SKU-{caller},3\n", target_warehouse(server).await)}),
            ADMIN,
            false,
        ),
        _ => None,
    }
}

/// A warehouse for admins to change or remove (made again when removed).
async fn target_warehouse(server: &TestServer) -> String {
    let warehouse = WarehouseDraft {
        name: "Access DC".into(),
        province: "四川".into(),
        daily_capacity: 50,
        carriers: vec![],
    }
    .parse()
    .unwrap();
    let kept = server.state.warehouses.warehouses().await.unwrap();
    if !kept.contains(&warehouse) {
        server
            .state
            .warehouses
            .save_warehouse(&warehouse, chrono::Utc::now())
            .await
            .unwrap();
    }
    warehouse.name
}

/// An account for admin actions to act on (made once, then reused).
async fn target_user(server: &TestServer) -> String {
    let (_, users) = server.call("admin/users/list", json!({})).await;
    if let Some(id) = users
        .as_array()
        .unwrap()
        .iter()
        .find(|u| u["username"] == "target")
        .map(|u| u["id"].as_str().unwrap().to_string())
    {
        return id;
    }
    let (status, user) = server
        .call(
            "admin/users/create",
            json!({"user": {"username": "target", "display_name": "Target", "roles": ["logistics"], "password": "target password"}}),
        )
        .await;
    assert_eq!(status, 200, "{user}");
    user["id"].as_str().unwrap().to_string()
}

/// A fresh session for admins to end.
async fn target_session(server: &TestServer) -> String {
    let _victim = server.login("logistics").await;
    let (_, sessions) = server.call("admin/sessions/list", json!({})).await;
    sessions
        .as_array()
        .unwrap()
        .iter()
        .find(|s| s["username"] == "logistics")
        .map(|s| s["id"].as_str().unwrap().to_string())
        .unwrap()
}

/// Makes sure EasyPost has a previous secret, for ending its overlap.
async fn with_previous_secret(server: &TestServer) {
    for _ in 0..2 {
        let (status, body) = server
            .call(
                "admin/integrations/secret",
                json!({"integration": "easypost", "secret": {"kind": "generate"}, "overlap_hours": 1}),
            )
            .await;
        assert_eq!(status, 200, "{body}");
    }
}

const WMS_SECRET: &str = "access-test-wms-secret";

/// A stored delivery still waiting for its order (made once, then reused).
async fn pending_delivery(server: &TestServer) -> i64 {
    let list = json!({"query": {"page": 1, "integration": "wms", "outcome": "pending"}});
    let (_, page) = server.call("admin/deliveries/list", list.clone()).await;
    if let Some(id) = page["deliveries"][0]["id"].as_i64() {
        return id;
    }
    let (status, body) = server
        .call(
            "admin/integrations/secret",
            json!({"integration": "wms", "secret": {"kind": "given", "value": WMS_SECRET}, "overlap_hours": 0}),
        )
        .await;
    assert_eq!(status, 200, "{body}");
    let message = json!({
        "message_id": "access-1", "type": "picking", "channel": "douyin",
        "channel_order_id": "4705288465508532862", "warehouse": "Shanghai",
        "at": "2026-11-20T08:00:00+08:00"
    });
    let (status, _) = support::hooks::wms(server, WMS_SECRET, &message).await;
    assert_eq!(status, 202, "a delivery for an unknown order is kept");
    let (_, page) = server.call("admin/deliveries/list", list).await;
    page["deliveries"][0]["id"].as_i64().unwrap()
}

/// An API key for admins to revoke.
async fn target_key(server: &TestServer) -> String {
    let (status, created) = server
        .call("admin/api-keys/create", json!({"name": "to revoke"}))
        .await;
    assert_eq!(status, 200, "{created}");
    created["summary"]["id"].as_str().unwrap().to_string()
}

/// A tracking link for staff to revoke.
async fn target_tracking_link(server: &TestServer) -> String {
    let (status, created) = server
        .call(
            "orders/tracking-links/create",
            json!({"order_id": "CR-ACCESS", "expires_in_days": null}),
        )
        .await;
    assert_eq!(status, 200, "{created}");
    created["summary"]["id"].as_str().unwrap().to_string()
}

/// What a refused call must leave untouched: the log, the accounts, the
/// sessions, the integration settings, the delivery log and the tracking links.
async fn written(server: &TestServer) -> (u64, Value, usize, Vec<Value>) {
    let head = server.state.store.head();
    let (_, users) = server.call("admin/users/list", json!({})).await;
    let (_, sessions) = server.call("admin/sessions/list", json!({})).await;
    let mut settings = Vec::new();
    for (endpoint, body) in [
        ("admin/integrations/list", json!({})),
        ("admin/mappings/list", json!({"dialect": null})),
        ("admin/api-keys/list", json!({})),
        (
            "orders/tracking-links/list",
            json!({"order_id": "CR-ACCESS"}),
        ),
        (
            "admin/deliveries/list",
            json!({"query": {"page": 1, "integration": null, "outcome": null}}),
        ),
    ] {
        settings.push(server.call(endpoint, body).await.1);
    }
    // Warehouses and their stock, as kept.
    let warehouses = server.state.warehouses.warehouses().await.unwrap();
    let mut stock = Vec::new();
    for w in &warehouses {
        stock.extend(server.state.warehouses.stock(&w.name).await.unwrap());
    }
    settings.push(json!({"warehouses": warehouses, "stock": stock}));
    (
        head,
        users,
        sessions.as_array().map_or(0, |s| s.len()),
        settings,
    )
}

fn username(role: Role) -> &'static str {
    match role {
        Role::CustomerService => "cs",
        Role::Logistics => "logistics",
        Role::Finance => "finance",
        Role::Admin => "admin",
    }
}

#[tokio::test]
async fn every_server_function_checks_the_callers_role() {
    let dir = tempfile::tempdir().unwrap();
    let server = TestServer::spawn(dir.path()).await;
    server.append(placed_and_paid("CR-ACCESS")).await;
    // An open exception for the queue's actions (a claim may be taken over).
    server
        .state
        .detectors
        .pass(chrono::Utc::now() + chrono::Duration::days(2))
        .await
        .unwrap();

    let mut endpoints: Vec<&str> = leptos::server_fn::axum::server_fn_paths()
        .map(|(path, _)| path)
        .collect();
    endpoints.sort();
    assert!(
        endpoints.len() >= 13,
        "server functions are registered: {endpoints:?}"
    );

    // One session per role, reused: signing in anew for every call would
    // pass the cap on sessions per account and end the admin's own.
    let mut sessions = std::collections::HashMap::new();
    for role in [
        Role::CustomerService,
        Role::Logistics,
        Role::Finance,
        Role::Admin,
    ] {
        sessions.insert(role, server.login(username(role)).await);
    }
    let mut checked = 0;
    for endpoint in &endpoints {
        let path = endpoint.trim_start_matches("/api/");
        for caller in [
            None,
            Some(Role::CustomerService),
            Some(Role::Logistics),
            Some(Role::Finance),
            Some(Role::Admin),
        ] {
            let name = caller.map_or("anonymous", username);
            let case = case(&server, endpoint, name)
                .await
                .unwrap_or_else(|| panic!("no access entry for {endpoint}: add it to the table"));
            let client = match caller {
                // Signing out ends the session: give it one of its own.
                Some(role) if path == "auth/logout" => server.login(username(role)).await,
                Some(role) => sessions[&role].clone(),
                None => reqwest::Client::new(),
            };
            let allowed = match caller {
                Some(role) => case.roles.contains(&role),
                None => case.anonymous,
            };
            let before = written(&server).await;
            let (status, body) = server.call_as(&client, path, case.body.clone()).await;
            if allowed {
                assert!(
                    status != 401 && status != 403 || path == "auth/login",
                    "{name} may call {endpoint}, got {status}: {body}"
                );
            } else {
                let expected = if caller.is_some() { 403 } else { 401 };
                assert_eq!(status, expected, "{name} is refused {endpoint}: {body}");
                assert_eq!(
                    written(&server).await,
                    before,
                    "a refused {endpoint} by {name} wrote nothing"
                );
            }
            checked += 1;
        }
    }
    assert_eq!(checked, endpoints.len() * 5);
}

#[tokio::test]
async fn the_live_stream_needs_a_signed_in_caller() {
    let dir = tempfile::tempdir().unwrap();
    let server = TestServer::spawn(dir.path()).await;
    let res = server
        .anon
        .get(format!("{}/api/stream", server.base))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status().as_u16(), 401);
}
