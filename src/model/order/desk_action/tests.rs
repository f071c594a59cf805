//! Each desk action: allowed; refused after its cut-off with the reason; the
//! request → outcome path; and old logs without the new fields still fold.

use super::*;
use crate::model::access::{Lens, Role, SeenOrder};
use crate::model::order::event::ScanKind;
use crate::model::order::ids::{ComponentId, OrderId, ParcelId};
use crate::model::order::money::{Currency, Money};
use crate::model::order::request::{Party, RequestState};
use crate::model::order::{Component, ComponentKind, Customer};
use crate::model::{Channel, Status};
use chrono::{Duration, TimeZone};

fn t(minute: i64) -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 11, 1, 8, 0, 0).unwrap() + Duration::minutes(minute)
}

fn cny(minor: i64) -> Money {
    Money::new(minor, Currency::CNY)
}

fn pid(s: &str) -> ParcelId {
    ParcelId::parse(s).unwrap()
}

fn cid(s: &str) -> ComponentId {
    ComponentId::parse(s).unwrap()
}

fn rid(s: &str) -> RequestId {
    RequestId::parse(s).unwrap()
}

fn agent() -> Actor {
    Actor::Staff {
        user_id: "u-cs".into(),
        name: "小周".into(),
        role: Role::CustomerService,
    }
}

fn customer() -> Customer {
    Customer {
        name: "李娜".into(),
        phone: "13800138000".into(),
        address: Address {
            country: "CN".into(),
            province: "浙江".into(),
            city: "杭州".into(),
            line: "西湖区 文三路 259 号".into(),
        },
    }
}

fn line(id: &str, kind: ComponentKind, later: bool) -> Component {
    Component {
        id: cid(id),
        sku: format!("SKU-{id}"),
        name: id.into(),
        kind,
        quantity: 1,
        unit_price: cny(if kind == ComponentKind::Main {
            26800
        } else {
            0
        }),
        ships_later: later,
    }
}

/// A log of one order, each event folded as the store folds it.
struct Log {
    events: Vec<RecordedEvent>,
    order: Option<Order>,
}

impl Log {
    /// A paid serum-and-gift-box order: the serum ships first, the gift box later.
    fn paid() -> Log {
        let mut log = Log {
            events: Vec::new(),
            order: None,
        };
        log.fact(EventKind::OrderPlaced {
            channel: Channel::Tmall,
            channel_order_id: "3001".into(),
            customer: customer(),
            components: vec![
                line("serum", ComponentKind::Main, false),
                line("box", ComponentKind::GiftBox, true),
            ],
            total: cny(26800),
        })
        .fact(EventKind::PaymentCaptured { amount: cny(26800) });
        log
    }

    fn order(&self) -> &Order {
        self.order.as_ref().unwrap()
    }

    fn minute(&self) -> i64 {
        self.events.len() as i64
    }

    fn try_fact(&mut self, kind: EventKind) -> Result<(), Refusal> {
        let event = OrderEvent {
            order_id: OrderId::parse("CR-DESK").unwrap(),
            occurred_at: t(self.minute()),
            source: Source::ControlRoom,
            actor: Actor::System {
                name: "test".into(),
            },
            kind,
        };
        self.append(vec![event])
    }

    /// Another system reports `kind`.
    fn fact(&mut self, kind: EventKind) -> &mut Self {
        self.try_fact(kind).expect("the fact is accepted");
        self
    }

    /// Appends all or nothing, as the store does.
    fn append(&mut self, events: Vec<OrderEvent>) -> Result<(), Refusal> {
        let mut state = self.order.clone();
        let mut recorded = Vec::new();
        for event in events {
            let rec = RecordedEvent {
                seq: (self.events.len() + recorded.len()) as u64 + 1,
                recorded_at: event.occurred_at,
                event,
            };
            state = Some(evolve(state.as_ref(), &rec)?);
            recorded.push(rec);
        }
        self.events.extend(recorded);
        self.order = state;
        Ok(())
    }

    /// Plans `action` as the agent and appends what it comes to; the kinds
    /// appended, or the refusal (and then nothing was appended).
    fn act(&mut self, action: DeskAction) -> Result<Vec<EventKind>, Refusal> {
        let before = self.events.len();
        let planned = plan(&action, self.order(), &agent(), t(self.minute()));
        let result = planned.and_then(|events| {
            let kinds = events.iter().map(|e| e.kind.clone()).collect();
            self.append(events).map(|()| kinds)
        });
        if result.is_err() {
            assert_eq!(self.events.len(), before, "a refused action writes nothing");
        }
        result
    }

    fn packs_serum(&mut self) -> &mut Self {
        self.fact(EventKind::ParcelPacked {
            parcel: pid("P1"),
            components: vec![cid("serum")],
        })
    }

    fn ships_serum(&mut self) -> &mut Self {
        self.packs_serum().fact(EventKind::ParcelShipped {
            parcel: pid("P1"),
            carrier: "SF Express".into(),
            waybill: "SF1".into(),
        })
    }

    fn delivers(&mut self, waybill: &str) -> &mut Self {
        self.fact(EventKind::CarrierScan {
            waybill: waybill.into(),
            scan: ScanKind::Delivered,
            location: None,
            detail: "signed".into(),
        })
    }

    fn ships_box(&mut self) -> &mut Self {
        self.fact(EventKind::ParcelPacked {
            parcel: pid("P2"),
            components: vec![cid("box")],
        })
        .fact(EventKind::ParcelShipped {
            parcel: pid("P2"),
            carrier: "SF Express".into(),
            waybill: "SF2".into(),
        })
    }

    fn refund_asked(&mut self) -> &mut Self {
        self.fact(EventKind::RefundRequested {
            amount: cny(26800),
            reason: "拍错了".into(),
        })
    }

    fn settle(&mut self, request: &str, outcome: Outcome, detail: &str) -> Result<(), Refusal> {
        self.try_fact(EventKind::RequestSettled {
            request: rid(request),
            outcome,
            detail: detail.into(),
        })
    }

    fn request(&self, id: &str) -> &crate::model::order::request::Request {
        self.order().request(&rid(id)).expect("the request exists")
    }
}

fn reason(text: &str) -> Reason {
    Reason::parse(text).unwrap()
}

fn new_phone() -> NewContact {
    NewContact::parse(GivenContact {
        phone: Some(Phone::parse("139 0013 9000").unwrap()),
        ..Default::default()
    })
    .unwrap()
}

fn change_phone() -> DeskAction {
    DeskAction::ChangeContact {
        contact: new_phone(),
        reason: reason("客户来电要求改电话"),
    }
}

fn names(kinds: &[EventKind]) -> Vec<&'static str> {
    kinds.iter().map(|k| k.name()).collect()
}

// --- change of delivery details -------------------------------------------

#[test]
fn a_change_before_packing_is_applied_with_the_agent_and_the_reason() {
    let mut log = Log::paid();
    let kinds = log.act(change_phone()).unwrap();
    assert_eq!(names(&kinds), ["contact_changed"]);
    assert_eq!(log.order().customer.phone, "13900139000");
    assert_eq!(log.order().customer.name, "李娜", "what is not given stays");
    let last = &log.events.last().unwrap().event;
    assert_eq!(last.actor, agent());
    assert_eq!(last.source, Source::Staff);
    assert!(matches!(
        &last.kind,
        EventKind::ContactChanged { reason, .. } if reason == "客户来电要求改电话"
    ));
}

#[test]
fn a_packed_parcel_becomes_a_re_label_request_applied_when_confirmed() {
    let mut log = Log::paid();
    log.packs_serum();
    let kinds = log.act(change_phone()).unwrap();
    // The serum is packed: the warehouse is asked; the gift box, not packed
    // yet, takes the new phone at once.
    assert_eq!(names(&kinds), ["request_made", "contact_changed"]);
    let request = log.request("RQ-1");
    assert!(matches!(&request.ask, Ask::Relabel { parcel, .. } if *parcel == pid("P1")));
    assert_eq!(request.ask.party(), Party::Warehouse);
    assert_eq!(request.state, RequestState::Pending);
    assert_eq!(request.reason, "客户来电要求改电话");

    log.settle("RQ-1", Outcome::Confirmed, "new label printed")
        .unwrap();
    assert_eq!(
        log.request("RQ-1").state,
        RequestState::Confirmed {
            detail: "new label printed".into()
        }
    );
    assert_eq!(log.order().customer.phone, "13900139000");
    // Settled once.
    assert_eq!(
        log.settle("RQ-1", Outcome::Failed, "again"),
        Err(Refusal::RequestSettled("RQ-1".into()))
    );
}

#[test]
fn with_everything_packed_the_customer_changes_only_when_the_warehouse_confirms() {
    let mut log = Log::paid();
    log.fact(EventKind::ParcelPacked {
        parcel: pid("P1"),
        components: vec![cid("serum"), cid("box")],
    });
    let kinds = log.act(change_phone()).unwrap();
    assert_eq!(names(&kinds), ["request_made"]);
    assert_eq!(log.order().customer.phone, "13800138000", "not yet");
    log.settle("RQ-1", Outcome::Failed, "already on the dock")
        .unwrap();
    assert_eq!(log.order().customer.phone, "13800138000", "it failed");
    assert!(matches!(
        log.request("RQ-1").state,
        RequestState::Failed { .. }
    ));
    // With the first settled, a second change may be asked.
    let kinds = log.act(change_phone()).unwrap();
    assert_eq!(names(&kinds), ["request_made"]);
    log.settle("RQ-2", Outcome::Confirmed, "").unwrap();
    assert_eq!(log.order().customer.phone, "13900139000");
}

#[test]
fn a_shipped_parcel_becomes_a_carrier_redirect_request() {
    let mut log = Log::paid();
    log.ships_serum();
    let kinds = log.act(change_phone()).unwrap();
    assert_eq!(names(&kinds), ["request_made", "contact_changed"]);
    let request = log.request("RQ-1");
    assert!(matches!(&request.ask, Ask::Redirect { parcel, .. } if *parcel == pid("P1")));
    assert_eq!(request.ask.party(), Party::Carrier);
    // A second change waits for the first.
    assert_eq!(
        log.act(change_phone()),
        Err(Refusal::RequestPending("RQ-1".into()))
    );
    // Delivered before the carrier acted: the redirect ends, derived.
    log.delivers("SF1");
    assert_eq!(log.request("RQ-1").state, RequestState::DeliveredFirst);
    assert_eq!(
        log.settle("RQ-1", Outcome::Confirmed, "redirected"),
        Err(Refusal::RequestSettled("RQ-1".into()))
    );
}

#[test]
fn a_change_after_everything_is_delivered_is_refused() {
    let mut log = Log::paid();
    log.ships_serum()
        .ships_box()
        .delivers("SF1")
        .delivers("SF2");
    assert_eq!(log.order().status(), Status::Delivered);
    assert_eq!(log.act(change_phone()), Err(Refusal::AllDelivered));
}

#[test]
fn a_change_planned_before_packing_is_refused_if_the_warehouse_packed_meanwhile() {
    let mut log = Log::paid();
    let planned = plan(&change_phone(), log.order(), &agent(), t(9)).unwrap();
    log.packs_serum();
    assert_eq!(
        log.append(planned),
        Err(Refusal::ParcelPacked("P1".into())),
        "the store's own fold refuses the stale plan"
    );
    assert_eq!(log.order().customer.phone, "13800138000");
}

#[test]
fn a_change_must_name_something_and_each_part_must_be_filled() {
    assert_eq!(
        NewContact::parse(GivenContact::default()),
        Err(ActionError::NothingChanged)
    );
    assert_eq!(
        Phone::parse("139-0013-9000").unwrap().as_str(),
        "13900139000"
    );
    assert_eq!(
        Phone::parse("+86 139 0013 9000").unwrap().as_str(),
        "+8613900139000"
    );
    for bad in ["", "abc", "1234", "139001390001234567", "139 0013 900x"] {
        assert_eq!(Phone::parse(bad), Err(ActionError::BadPhone), "{bad:?}");
    }
    assert_eq!(Reason::parse("   "), Err(ActionError::Blank("reason")));
    assert!(Reason::parse("x".repeat(MAX_TEXT + 1)).is_err());
    // Parsed at the edge: a blank reason or a letter in a phone never decodes.
    let bad: Result<DeskAction, _> = serde_json::from_str(r#"{"type":"cancel","reason":"  "}"#);
    assert!(bad.is_err());
    let bad: Result<DeskAction, _> = serde_json::from_str(
        r#"{"type":"change_contact","contact":{"phone":"call me"},"reason":"x"}"#,
    );
    assert!(bad.is_err());
    let bad: Result<DeskAction, _> =
        serde_json::from_str(r#"{"type":"change_contact","contact":{},"reason":"x"}"#);
    assert!(bad.is_err());
    let good: DeskAction = serde_json::from_str(
        r#"{"type":"change_contact","contact":{"phone":"139 0013 9000","address":null},"reason":" moved "}"#,
    )
    .unwrap();
    assert_eq!(good.permission(), Permission::ChangeContact);
    let DeskAction::ChangeContact { contact, reason } = good else {
        unreachable!()
    };
    assert_eq!(contact.change().phone.as_deref(), Some("13900139000"));
    assert_eq!(reason.as_str(), "moved");
}

// --- cancel ----------------------------------------------------------------

#[test]
fn an_order_is_cancelled_before_it_ships_and_not_after() {
    let cancel = || DeskAction::Cancel {
        reason: reason("客户不要了"),
    };
    let mut log = Log::paid();
    log.packs_serum();
    assert_eq!(names(&log.act(cancel()).unwrap()), ["order_cancelled"]);
    assert_eq!(log.order().status(), Status::Cancelled);
    assert_eq!(log.act(cancel()), Err(Refusal::Closed(Status::Cancelled)));

    let mut log = Log::paid();
    log.ships_serum();
    assert_eq!(log.act(cancel()), Err(Refusal::AlreadyShipped));
    assert_eq!(log.order().status(), Status::Picking);
}

// --- refund interception -----------------------------------------------------

fn intercept() -> DeskAction {
    DeskAction::InterceptForRefund {
        reason: reason("客户申请退款，拦截"),
    }
}

#[test]
fn interception_needs_a_refund_the_customer_asked_for() {
    let mut log = Log::paid();
    assert_eq!(log.act(intercept()), Err(Refusal::NoRefundRequested));
}

#[test]
fn before_shipping_the_warehouse_is_asked_and_the_shipment_held_while_the_refund_is_open() {
    let mut log = Log::paid();
    log.packs_serum().refund_asked();
    let kinds = log.act(intercept()).unwrap();
    assert_eq!(names(&kinds), ["request_made"]);
    assert_eq!(log.request("RQ-1").ask, Ask::WarehouseIntercept);
    // Held: the warehouse may not ship while the request stands.
    let ship = EventKind::ParcelShipped {
        parcel: pid("P1"),
        carrier: "SF Express".into(),
        waybill: "SF1".into(),
    };
    assert_eq!(log.try_fact(ship.clone()), Err(Refusal::Intercepted));
    // Asked again: already pending.
    assert_eq!(
        log.act(intercept()),
        Err(Refusal::RequestPending("RQ-1".into()))
    );
    log.settle("RQ-1", Outcome::Confirmed, "pulled from the line")
        .unwrap();
    assert_eq!(log.try_fact(ship.clone()), Err(Refusal::Intercepted));
    assert_eq!(
        log.act(intercept()),
        Err(Refusal::AlreadyIntercepted("RQ-1".into()))
    );
    // The refund is declined: the hold ends with it, the parcel may ship.
    log.fact(EventKind::RefundDeclined {
        reason: "customer changed their mind".into(),
    });
    assert_eq!(log.try_fact(ship), Ok(()));
}

#[test]
fn a_failed_warehouse_intercept_lets_the_shipment_go_and_the_carrier_is_asked_next() {
    let mut log = Log::paid();
    log.packs_serum().refund_asked();
    log.act(intercept()).unwrap();
    log.settle("RQ-1", Outcome::Failed, "already handed to SF")
        .unwrap();
    log.fact(EventKind::ParcelShipped {
        parcel: pid("P1"),
        carrier: "SF Express".into(),
        waybill: "SF1".into(),
    });
    // Now: the shipped serum to the carrier, the gift box (not packed) to
    // the warehouse.
    let kinds = log.act(intercept()).unwrap();
    assert_eq!(names(&kinds), ["request_made", "request_made"]);
    assert_eq!(log.request("RQ-2").ask, Ask::WarehouseIntercept);
    assert_eq!(
        log.request("RQ-3").ask,
        Ask::CarrierIntercept { parcel: pid("P1") }
    );
    log.settle("RQ-3", Outcome::Confirmed, "拦截成功，退回仓库")
        .unwrap();
    assert!(matches!(
        log.request("RQ-3").state,
        RequestState::Confirmed { .. }
    ));
}

#[test]
fn a_carrier_intercept_still_pending_at_delivery_ends_as_delivered_first() {
    let mut log = Log::paid();
    log.ships_serum().ships_box().refund_asked();
    let kinds = log.act(intercept()).unwrap();
    assert_eq!(names(&kinds), ["request_made", "request_made"]);
    log.delivers("SF1");
    assert_eq!(log.request("RQ-1").state, RequestState::DeliveredFirst);
    assert_eq!(log.request("RQ-2").state, RequestState::Pending);
    assert!(log.request("RQ-1").settled_at.is_some());
    log.delivers("SF2");
    assert_eq!(log.request("RQ-2").state, RequestState::DeliveredFirst);
    // Nothing left on its way.
    assert_eq!(log.act(intercept()), Err(Refusal::AllDelivered));
}

#[test]
fn the_lifecycle_refuses_a_request_that_does_not_fit_the_parcel() {
    let mut log = Log::paid();
    log.packs_serum();
    let made = |ask| EventKind::RequestMade {
        request: rid("RQ-9"),
        ask,
        reason: "x".into(),
    };
    let contact = ContactChange {
        phone: Some("13900139000".into()),
        ..Default::default()
    };
    assert_eq!(
        log.try_fact(made(Ask::Redirect {
            parcel: pid("P1"),
            contact: contact.clone()
        })),
        Err(Refusal::ParcelPacked("P1".into()))
    );
    assert_eq!(
        log.try_fact(made(Ask::CarrierIntercept { parcel: pid("P1") })),
        Err(Refusal::NoRefundRequested)
    );
    log.refund_asked();
    assert_eq!(
        log.try_fact(made(Ask::CarrierIntercept { parcel: pid("P1") })),
        Err(Refusal::ParcelNotShipped("P1".into()))
    );
    assert_eq!(
        log.try_fact(made(Ask::Relabel {
            parcel: pid("P7"),
            contact: ContactChange::default()
        })),
        Err(Refusal::Invalid(
            "the change names no new delivery detail".into()
        ))
    );
    assert_eq!(
        log.settle("RQ-5", Outcome::Confirmed, ""),
        Err(Refusal::UnknownRequest("RQ-5".into()))
    );
    log.try_fact(made(Ask::Relabel {
        parcel: pid("P1"),
        contact,
    }))
    .unwrap();
    assert_eq!(
        log.try_fact(made(Ask::WarehouseIntercept)),
        Err(Refusal::DuplicateRequest("RQ-9".into()))
    );
    assert!(
        log.settle("RQ-9", Outcome::Failed, " ").is_err(),
        "a failure says why"
    );
}

#[test]
fn an_outcome_is_recorded_by_staff_and_a_failure_needs_their_words() {
    let mut log = Log::paid();
    log.packs_serum();
    log.act(change_phone()).unwrap();
    let failed = DeskAction::RecordOutcome {
        request: rid("RQ-1"),
        outcome: Outcome::Failed,
        detail: None,
    };
    assert!(matches!(log.act(failed), Err(Refusal::Invalid(_))));
    let confirmed = DeskAction::RecordOutcome {
        request: rid("RQ-1"),
        outcome: Outcome::Confirmed,
        detail: Some(reason("仓库电话确认")),
    };
    assert_eq!(confirmed.permission(), Permission::RecordOutcome);
    assert_eq!(names(&log.act(confirmed).unwrap()), ["request_settled"]);
    assert_eq!(log.order().customer.phone, "13900139000");
}

#[test]
fn outcomes_still_arrive_on_a_closed_order() {
    let mut log = Log::paid();
    log.ships_serum().refund_asked();
    log.act(intercept()).unwrap();
    log.fact(EventKind::Refunded { amount: cny(26800) });
    assert_eq!(log.order().status(), Status::Refunded);
    log.settle("RQ-2", Outcome::Confirmed, "intercepted")
        .unwrap();
    // But nothing new is asked of a closed order.
    assert_eq!(log.act(intercept()), Err(Refusal::Closed(Status::Refunded)));
}

// --- hold and release ------------------------------------------------------

#[test]
fn hold_and_release_each_carry_a_reason() {
    let mut log = Log::paid();
    let hold = || DeskAction::Hold {
        reason: reason("地址待核实"),
    };
    let release = || DeskAction::Release {
        reason: reason("地址已核实"),
    };
    assert_eq!(log.act(release()), Err(Refusal::NotOnHold));
    log.act(hold()).unwrap();
    assert_eq!(log.order().status(), Status::OnHold);
    assert!(matches!(
        log.try_fact(EventKind::PickingStarted),
        Err(Refusal::OnHold)
    ));
    assert_eq!(names(&log.act(release()).unwrap()), ["hold_released"]);
    assert!(matches!(
        &log.events.last().unwrap().event.kind,
        EventKind::HoldReleased { reason } if reason == "地址已核实"
    ));
    assert_eq!(log.order().status(), Status::Paid);

    log.refund_asked();
    assert_eq!(
        log.act(hold()),
        Err(Refusal::CannotHold(Status::RefundRequested))
    );
    let mut log = Log::paid();
    log.ships_serum();
    assert_eq!(log.act(hold()), Err(Refusal::AlreadyShipped));
}

// --- old logs and lenses ------------------------------------------------------

#[test]
fn old_logs_without_the_new_fields_still_fold() {
    let mut log = Log::paid();
    log.fact(EventKind::HoldPlaced {
        reason: "check".into(),
    });
    // A release written before releases carried a reason.
    let old: RecordedEvent = serde_json::from_str(
        r#"{"seq":4,"recorded_at":"2026-11-01T08:04:00Z","order_id":"CR-DESK",
            "occurred_at":"2026-11-01T08:04:00Z","source":{"kind":"staff"},
            "actor":{"type":"system","name":"old"},"kind":{"type":"hold_released"}}"#,
    )
    .expect("an old release reads");
    assert_eq!(
        old.event.kind,
        EventKind::HoldReleased {
            reason: String::new()
        }
    );
    let order = evolve(log.order.as_ref(), &old).expect("and folds");
    assert_eq!(order.status(), Status::Paid);
    // And writes as it was written.
    assert!(serde_json::to_string(&old)
        .unwrap()
        .contains(r#""kind":{"type":"hold_released"}"#));

    // An order state stored before orders kept requests.
    let mut stored = serde_json::to_value(log.order()).unwrap();
    stored.as_object_mut().unwrap().remove("requests");
    let back: Order = serde_json::from_value(stored).unwrap();
    assert!(back.requests.is_empty());
}

/// The log as `lens` shows it, folded with the same `evolve` the server uses.
fn seen_fold(log: &Log, lens: Lens) -> SeenOrder {
    let recipient = log.order().customer.clone();
    log.events
        .iter()
        .try_fold(None, |order: Option<SeenOrder>, e| {
            evolve(order.as_ref(), &lens.event_about(e, Some(&recipient))).map(Some)
        })
        .expect("the lensed log folds")
        .expect("an order")
}

#[test]
fn finance_sees_new_details_masked_like_the_customers_own_and_the_fold_agrees() {
    let mut log = Log::paid();
    log.packs_serum();
    let action = DeskAction::ChangeContact {
        contact: NewContact::parse(GivenContact {
            phone: Some(Phone::parse("13900139000").unwrap()),
            address: Some(NewAddress {
                country: Filled::parse("CN").unwrap(),
                province: Filled::parse("上海").unwrap(),
                city: Filled::parse("上海").unwrap(),
                line: Filled::parse("浦东新区 世纪大道 100 号").unwrap(),
            }),
            ..Default::default()
        })
        .unwrap(),
        reason: reason("搬家了"),
    };
    log.act(action).unwrap();
    let finance = Role::Finance.lens();
    for e in &log.events[log.events.len() - 2..] {
        let json = serde_json::to_string(&finance.event(e)).unwrap();
        assert!(!json.contains("13900139000"), "{json}");
        assert!(!json.contains("世纪大道"), "{json}");
        assert!(json.contains("139****9000"), "{json}");
    }
    let seen = finance.order(log.order());
    assert_eq!(seen.customer.phone, "139****9000");
    let asked = seen.requests[0].ask.contact().unwrap();
    assert_eq!(asked.phone.as_deref(), Some("139****9000"));
    assert!(!format!("{asked:?}").contains("世纪大道"));
    // The browser's fold of what finance is sent is the server's view.
    log.settle("RQ-1", Outcome::Confirmed, "relabelled")
        .unwrap();
    for lens in [finance, Role::Logistics.lens(), Lens::FULL] {
        assert_eq!(seen_fold(&log, lens), lens.order(log.order()));
    }
}
