//! The desk's actions through `orders/act`: each allowed for its roles and
//! refused (403, nothing written) for the others; each refused after its
//! cut-off with the lifecycle's typed reason and nothing written; the actor,
//! role and reason on every event; requests settled by a warehouse or carrier
//! through the timeline write API, and by staff.

use crate::support::{self, hooks, placed_and_paid, TestServer};
use order_control_room::model::order::request::RequestState;
use order_control_room::model::{
    Actor, ComponentId, EventKind, OrderEvent, ParcelId, Role, ScanKind, Source,
};
use serde_json::{json, Value};

fn fact(order: &str, source: Source, kind: EventKind) -> OrderEvent {
    OrderEvent {
        order_id: support::order_id(order),
        occurred_at: chrono::Utc::now(),
        source,
        actor: Actor::System {
            name: "test".into(),
        },
        kind,
    }
}

fn warehouse() -> Source {
    Source::Warehouse("Shanghai".into())
}

/// The order's one line packed into P1.
async fn packed(server: &TestServer, order: &str) {
    let kind = EventKind::ParcelPacked {
        parcel: ParcelId::parse("P1").unwrap(),
        components: vec![ComponentId::parse("item-1").unwrap()],
    };
    server.append(vec![fact(order, warehouse(), kind)]).await;
}

/// P1 handed to the carrier as `waybill`.
async fn shipped(server: &TestServer, order: &str, waybill: &str) {
    let kind = EventKind::ParcelShipped {
        parcel: ParcelId::parse("P1").unwrap(),
        carrier: "SF Express".into(),
        waybill: waybill.into(),
    };
    server.append(vec![fact(order, warehouse(), kind)]).await;
}

async fn refund_asked(server: &TestServer, order: &str) {
    let kind = EventKind::RefundRequested {
        amount: order_control_room::model::Money::new(
            26800,
            order_control_room::model::Currency::CNY,
        ),
        reason: "拍错了".into(),
    };
    let channel = Source::Channel(order_control_room::model::Channel::Douyin);
    server.append(vec![fact(order, channel, kind)]).await;
}

fn act(order: &str, action: Value) -> Value {
    json!({"order_id": order, "action": action})
}

fn new_phone(reason: &str) -> Value {
    json!({"type": "change_contact", "contact": {"phone": "139 0013 9000"}, "reason": reason})
}

/// Acts as `client`; asserts the answer's status; returns its body.
async fn act_as(
    server: &TestServer,
    client: &reqwest::Client,
    order: &str,
    action: Value,
    expected: u16,
) -> Value {
    let (status, body) = server
        .call_as(client, "orders/act", act(order, action))
        .await;
    assert_eq!(status, expected, "{body}");
    body
}

/// A refused action: the answer names the refusal, and nothing was written.
async fn refused(
    server: &TestServer,
    client: &reqwest::Client,
    order: &str,
    action: Value,
) -> Value {
    let head = server.state.store.head();
    let events = server.order(order).await.event_count;
    let body = act_as(server, client, order, action, 409).await;
    assert_eq!(server.state.store.head(), head, "nothing written");
    assert_eq!(server.order(order).await.event_count, events);
    body["Refused"].clone()
}

async fn api_key(server: &TestServer, name: &str) -> String {
    let (status, created) = server
        .call("admin/api-keys/create", json!({"name": name}))
        .await;
    assert_eq!(status, 200, "{created}");
    created["key"].as_str().unwrap().to_string()
}

/// A request's outcome as the timeline write API takes it.
fn settled(request: &str, outcome: &str, detail: &str) -> Value {
    json!({"type": "request_settled", "request": request, "outcome": outcome, "detail": detail})
}

/// A warehouse or carrier reports `event` (a request's outcome) through the
/// timeline write API as `source`.
async fn through_api(
    server: &TestServer,
    key: &str,
    order: &str,
    event_id: &str,
    source: Value,
    event: Value,
) -> (u16, Value) {
    let body = serde_json::to_vec(&json!({
        "event_id": event_id,
        "occurred_at": "2026-11-20T08:00:00+08:00",
        "source": source,
        "event": event
    }))
    .unwrap();
    hooks::timeline(server, Some(key), order, body).await
}

fn request_state(order: &order_control_room::model::Order, id: &str) -> RequestState {
    order
        .requests
        .iter()
        .find(|r| r.id.as_str() == id)
        .unwrap_or_else(|| panic!("request {id} exists"))
        .state
        .clone()
}

#[tokio::test]
async fn each_action_is_refused_to_the_roles_it_is_not_for() {
    let dir = tempfile::tempdir().unwrap();
    let server = TestServer::spawn(dir.path()).await;
    let clients = [
        (Role::CustomerService, server.login("cs").await),
        (Role::Logistics, server.login("logistics").await),
        (Role::Finance, server.login("finance").await),
        (Role::Admin, server.http.clone()),
    ];
    let cs_admin: &[Role] = &[Role::CustomerService, Role::Admin];
    let cases: [(Value, &[Role]); 6] = [
        (new_phone("moved"), cs_admin),
        (json!({"type": "cancel", "reason": "x"}), cs_admin),
        (
            json!({"type": "intercept_for_refund", "reason": "x"}),
            cs_admin,
        ),
        (
            json!({"type": "hold", "reason": "x"}),
            &[Role::CustomerService, Role::Logistics, Role::Admin],
        ),
        (
            json!({"type": "release", "reason": "x"}),
            &[Role::CustomerService, Role::Logistics, Role::Admin],
        ),
        (
            json!({"type": "record_outcome", "request": "RQ-1", "outcome": "confirmed", "detail": null}),
            &[Role::Logistics, Role::Admin],
        ),
    ];
    server.append(placed_and_paid("CR-ROLES")).await;
    for (action, allowed) in cases {
        for (role, client) in &clients {
            let head = server.state.store.head();
            let (status, body) = server
                .call_as(client, "orders/act", act("CR-ROLES", action.clone()))
                .await;
            if allowed.contains(role) {
                assert_ne!(status, 403, "{role:?} may {action}: {body}");
            } else {
                assert_eq!(status, 403, "{role:?} may not {action}: {body}");
                assert_eq!(server.state.store.head(), head, "nothing written");
            }
        }
    }
}

#[tokio::test]
async fn a_change_before_packing_is_applied_and_signed_with_actor_role_and_reason() {
    let dir = tempfile::tempdir().unwrap();
    let server = TestServer::spawn(dir.path()).await;
    server.append(placed_and_paid("CR-DESK1")).await;
    let cs = server.login("cs").await;
    let answer = act_as(&server, &cs, "CR-DESK1", new_phone("客户来电改电话"), 200).await;
    let events = answer.as_array().unwrap();
    assert_eq!(events.len(), 1, "{answer}");
    assert_eq!(events[0]["kind"]["type"], "contact_changed");
    assert_eq!(events[0]["kind"]["reason"], "客户来电改电话");
    assert_eq!(events[0]["kind"]["contact"]["phone"], "13900139000");
    assert_eq!(events[0]["source"]["kind"], "staff");
    assert_eq!(events[0]["actor"]["type"], "staff");
    assert_eq!(events[0]["actor"]["role"], "customer_service");
    assert!(events[0]["actor"]["user_id"].is_string());
    let order = server.order("CR-DESK1").await;
    assert_eq!(order.customer.phone, "13900139000");

    // Finance reads the new phone masked, in the order and in its log.
    let finance = server.login("finance").await;
    let (status, detail) = server
        .call_as(&finance, "orders/get", json!({"id": "CR-DESK1"}))
        .await;
    assert_eq!(status, 200, "{detail}");
    assert_eq!(detail["order"]["customer"]["phone"], "139****9000");
    assert!(!detail.to_string().contains("13900139000"), "{detail}");
}

#[tokio::test]
async fn after_packing_a_re_label_request_is_made_and_the_warehouse_settles_it_through_the_api() {
    let dir = tempfile::tempdir().unwrap();
    let server = TestServer::spawn(dir.path()).await;
    server.append(placed_and_paid("CR-DESK2")).await;
    packed(&server, "CR-DESK2").await;
    let cs = server.login("cs").await;
    let answer = act_as(&server, &cs, "CR-DESK2", new_phone("收件人换号"), 200).await;
    assert_eq!(answer[0]["kind"]["type"], "request_made", "{answer}");
    assert_eq!(answer[0]["kind"]["request"], "RQ-1");
    assert_eq!(answer[0]["kind"]["ask"]["type"], "relabel");
    assert_eq!(answer[0]["kind"]["ask"]["parcel"], "P1");
    assert_eq!(answer.as_array().unwrap().len(), 1, "nothing unpacked");
    let order = server.order("CR-DESK2").await;
    assert_eq!(request_state(&order, "RQ-1"), RequestState::Pending);
    assert_eq!(order.customer.phone, "13800138000", "not before it is done");

    // A second change waits for the first: refused, typed, nothing written.
    let why = refused(&server, &cs, "CR-DESK2", new_phone("again")).await;
    assert_eq!(why, json!({"RequestPending": "RQ-1"}));

    let key = api_key(&server, "WMS bridge").await;
    let wms = json!({"kind": "warehouse", "name": "Shanghai"});
    let (status, body) = through_api(
        &server,
        &key,
        "CR-DESK2",
        "wms-rq1",
        wms.clone(),
        settled("RQ-1", "confirmed", "new label printed"),
    )
    .await;
    assert_eq!(status, 200, "{body}");
    let order = server.order("CR-DESK2").await;
    assert_eq!(
        request_state(&order, "RQ-1"),
        RequestState::Confirmed {
            detail: "new label printed".into()
        }
    );
    assert_eq!(
        order.customer.phone, "13900139000",
        "applied when confirmed"
    );
    // Settled once; a second outcome is refused and changes nothing.
    let head = server.state.store.head();
    let (status, body) = through_api(
        &server,
        &key,
        "CR-DESK2",
        "wms-rq1-again",
        wms,
        settled("RQ-1", "failed", "oops"),
    )
    .await;
    assert_eq!(status, 409, "{body}");
    assert_eq!(server.state.store.head(), head);
}

#[tokio::test]
async fn after_shipping_a_carrier_redirect_is_made_and_a_delivery_first_ends_it() {
    let dir = tempfile::tempdir().unwrap();
    let server = TestServer::spawn(dir.path()).await;
    server.append(placed_and_paid("CR-DESK3")).await;
    packed(&server, "CR-DESK3").await;
    shipped(&server, "CR-DESK3", "SF-DESK-3").await;
    let admin = server.http.clone();
    let answer = act_as(&server, &admin, "CR-DESK3", new_phone("改派"), 200).await;
    assert_eq!(answer[0]["kind"]["ask"]["type"], "redirect", "{answer}");
    assert_eq!(answer[0]["actor"]["role"], "admin");
    let scan = EventKind::CarrierScan {
        waybill: "SF-DESK-3".into(),
        scan: ScanKind::Delivered,
        location: None,
        detail: "signed".into(),
    };
    server
        .append(vec![fact("CR-DESK3", Source::Carrier("SF".into()), scan)])
        .await;
    let order = server.order("CR-DESK3").await;
    assert_eq!(request_state(&order, "RQ-1"), RequestState::DeliveredFirst);
    // Now nothing is on its way: too late, said so, nothing written.
    let why = refused(&server, &admin, "CR-DESK3", new_phone("again")).await;
    assert_eq!(why, json!("AllDelivered"));
}

#[tokio::test]
async fn each_action_is_refused_after_its_cut_off_with_the_reason_and_nothing_written() {
    let dir = tempfile::tempdir().unwrap();
    let server = TestServer::spawn(dir.path()).await;
    server.append(placed_and_paid("CR-LATE")).await;
    packed(&server, "CR-LATE").await;
    shipped(&server, "CR-LATE", "SF-LATE").await;
    let cs = server.login("cs").await;
    let logistics = server.login("logistics").await;
    let cancel = json!({"type": "cancel", "reason": "客户不要了"});
    assert_eq!(
        refused(&server, &cs, "CR-LATE", cancel).await,
        json!("AlreadyShipped")
    );
    let hold = json!({"type": "hold", "reason": "check"});
    assert_eq!(
        refused(&server, &logistics, "CR-LATE", hold).await,
        json!("AlreadyShipped")
    );
    let release = json!({"type": "release", "reason": "ok"});
    assert_eq!(
        refused(&server, &logistics, "CR-LATE", release).await,
        json!("NotOnHold")
    );
    let intercept = json!({"type": "intercept_for_refund", "reason": "refund"});
    assert_eq!(
        refused(&server, &cs, "CR-LATE", intercept).await,
        json!("NoRefundRequested")
    );
    let outcome = json!({"type": "record_outcome", "request": "RQ-7", "outcome": "confirmed", "detail": null});
    assert_eq!(
        refused(&server, &logistics, "CR-LATE", outcome).await,
        json!({"UnknownRequest": "RQ-7"})
    );

    // Malformed actions do not decode: 400, nothing written.
    let head = server.state.store.head();
    for bad in [
        json!({"type": "cancel", "reason": "   "}),
        json!({"type": "change_contact", "contact": {"phone": "call me"}, "reason": "x"}),
        json!({"type": "change_contact", "contact": {}, "reason": "x"}),
    ] {
        act_as(&server, &cs, "CR-LATE", bad, 400).await;
    }
    act_as(
        &server,
        &cs,
        "CR-NOPE",
        json!({"type": "cancel", "reason": "x"}),
        404,
    )
    .await;
    assert_eq!(server.state.store.head(), head);

    // Before shipping, the same cancel is taken.
    server.append(placed_and_paid("CR-EARLY")).await;
    let answer = act_as(
        &server,
        &cs,
        "CR-EARLY",
        json!({"type": "cancel", "reason": "客户不要了"}),
        200,
    )
    .await;
    assert_eq!(answer[0]["kind"]["type"], "order_cancelled");
    assert_eq!(answer[0]["kind"]["reason"], "客户不要了");
    assert_eq!(
        server.order("CR-EARLY").await.status(),
        order_control_room::model::Status::Cancelled
    );
}

#[tokio::test]
async fn hold_and_release_carry_their_reasons() {
    let dir = tempfile::tempdir().unwrap();
    let server = TestServer::spawn(dir.path()).await;
    server.append(placed_and_paid("CR-HOLD")).await;
    let logistics = server.login("logistics").await;
    let answer = act_as(
        &server,
        &logistics,
        "CR-HOLD",
        json!({"type": "hold", "reason": "地址待核实"}),
        200,
    )
    .await;
    assert_eq!(
        answer[0]["kind"],
        json!({"type": "hold_placed", "reason": "地址待核实"})
    );
    assert_eq!(answer[0]["actor"]["role"], "logistics");
    let answer = act_as(
        &server,
        &logistics,
        "CR-HOLD",
        json!({"type": "release", "reason": "地址已核实"}),
        200,
    )
    .await;
    assert_eq!(
        answer[0]["kind"],
        json!({"type": "hold_released", "reason": "地址已核实"})
    );
    assert_eq!(
        server.order("CR-HOLD").await.status(),
        order_control_room::model::Status::Paid
    );
}

#[tokio::test]
async fn a_refund_interception_holds_the_warehouse_and_then_asks_the_carrier() {
    let dir = tempfile::tempdir().unwrap();
    let server = TestServer::spawn(dir.path()).await;
    server.append(placed_and_paid("CR-STOP")).await;
    packed(&server, "CR-STOP").await;
    refund_asked(&server, "CR-STOP").await;
    let cs = server.login("cs").await;
    let intercept = || json!({"type": "intercept_for_refund", "reason": "客户退款，拦截"});
    let answer = act_as(&server, &cs, "CR-STOP", intercept(), 200).await;
    assert_eq!(
        answer[0]["kind"]["ask"],
        json!({"type": "warehouse_intercept"})
    );
    // The shipment is held: the warehouse's shipping report is refused.
    let ship = EventKind::ParcelShipped {
        parcel: ParcelId::parse("P1").unwrap(),
        carrier: "SF Express".into(),
        waybill: "SF-STOP".into(),
    };
    let refused_ship = server
        .state
        .store
        .append(vec![fact("CR-STOP", warehouse(), ship.clone())])
        .await;
    assert!(
        matches!(
            refused_ship,
            Err(order_control_room::server::store::StoreError::Refused(
                order_control_room::model::Refusal::Intercepted
            ))
        ),
        "{refused_ship:?}"
    );
    // Logistics hears from the warehouse by phone: too late, it left.
    let logistics = server.login("logistics").await;
    let outcome = json!({"type": "record_outcome", "request": "RQ-1", "outcome": "failed", "detail": "已交快递"});
    let answer = act_as(&server, &logistics, "CR-STOP", outcome, 200).await;
    assert_eq!(answer[0]["kind"]["type"], "request_settled");
    assert_eq!(answer[0]["actor"]["role"], "logistics");
    server
        .append(vec![fact("CR-STOP", warehouse(), ship)])
        .await;

    // Shipped: the carrier is asked to intercept (拦截) and confirms through
    // the timeline API.
    let answer = act_as(&server, &cs, "CR-STOP", intercept(), 200).await;
    assert_eq!(
        answer[0]["kind"]["ask"],
        json!({"type": "carrier_intercept", "parcel": "P1"})
    );
    assert_eq!(answer[0]["kind"]["request"], "RQ-2");
    let key = api_key(&server, "SF bridge").await;
    let (status, body) = through_api(
        &server,
        &key,
        "CR-STOP",
        "sf-rq2",
        json!({"kind": "carrier", "name": "SF Express"}),
        settled("RQ-2", "confirmed", "拦截成功，退回寄件人"),
    )
    .await;
    assert_eq!(status, 200, "{body}");
    let order = server.order("CR-STOP").await;
    assert_eq!(
        request_state(&order, "RQ-2"),
        RequestState::Confirmed {
            detail: "拦截成功，退回寄件人".into()
        }
    );
    let why = refused(&server, &cs, "CR-STOP", intercept()).await;
    assert_eq!(why, json!({"AlreadyIntercepted": "RQ-2"}));
}
