//! Each exception raised and cleared through events folded by the real
//! [`evolve`], and the detector contract over the same orders.

use super::*;
use crate::model::order::channel::{Channel, Source};
use crate::model::order::event::{Actor, EventKind, OrderEvent, RecordedEvent, ScanKind};
use crate::model::order::ids::{ComponentId, OrderId};
use crate::model::order::lifecycle::{evolve, Refusal};
use crate::model::order::money::{Currency, Money};
use crate::model::order::status::Status;
use crate::model::order::{Address, Component, ComponentKind, Customer, Order};
use chrono::{Duration, TimeZone};

fn t(minutes: i64) -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 11, 1, 8, 0, 0).unwrap() + Duration::minutes(minutes)
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

fn component(id: &str, kind: ComponentKind, minor: i64) -> Component {
    Component {
        id: cid(id),
        sku: format!("SKU-{id}"),
        name: id.into(),
        kind,
        quantity: 1,
        unit_price: cny(minor),
        ships_later: kind == ComponentKind::GiftBox,
    }
}

/// An order's log as it grows, folded event by event through [`evolve`].
struct Log {
    seq: u64,
    order: Option<Order>,
}

impl Log {
    /// Placed at minute 0, paid at minute 1: a serum and a gift box.
    fn paid() -> Log {
        let mut log = Log {
            seq: 0,
            order: None,
        };
        log.at(
            0,
            EventKind::OrderPlaced {
                channel: Channel::Douyin,
                channel_order_id: "4891234567890123456".into(),
                customer: Customer {
                    name: "王小明".into(),
                    phone: "13800138000".into(),
                    address: Address {
                        country: "CN".into(),
                        province: "上海".into(),
                        city: "上海".into(),
                        line: "浦东新区 1 号".into(),
                    },
                },
                components: vec![
                    component("serum", ComponentKind::Main, 10000),
                    component("box", ComponentKind::GiftBox, 0),
                ],
                total: cny(10000),
            },
        )
        .at(1, EventKind::PaymentCaptured { amount: cny(10000) });
        log
    }

    /// [`Log::paid`], with the serum packed as P1 and shipped as SF1 at minute 3.
    fn shipped() -> Log {
        let mut log = Log::paid();
        log.at(
            2,
            EventKind::ParcelPacked {
                parcel: pid("P1"),
                components: vec![cid("serum")],
            },
        )
        .at(
            3,
            EventKind::ParcelShipped {
                parcel: pid("P1"),
                carrier: "SF Express".into(),
                waybill: "SF1".into(),
            },
        );
        log
    }

    fn try_at(&mut self, minute: i64, kind: EventKind) -> Result<(), Refusal> {
        let test = Actor::System {
            name: "test".into(),
        };
        self.try_at_as(minute, kind, test)
    }

    fn try_at_as(&mut self, minute: i64, kind: EventKind, actor: Actor) -> Result<(), Refusal> {
        let rec = RecordedEvent {
            seq: self.seq + 1,
            recorded_at: t(100 + self.seq as i64),
            event: OrderEvent {
                order_id: OrderId::parse("CR-1").unwrap(),
                occurred_at: t(minute),
                source: Source::ControlRoom,
                actor,
                kind,
            },
        };
        self.order = Some(evolve(self.order.as_ref(), &rec)?);
        self.seq += 1;
        Ok(())
    }

    fn at(&mut self, minute: i64, kind: EventKind) -> &mut Self {
        self.try_at(minute, kind).expect("legal");
        self
    }

    fn order(&self) -> &Order {
        self.order.as_ref().unwrap()
    }

    fn open(&self) -> &[OpenException] {
        &self.order().exceptions
    }
}

fn scan(kind: ScanKind, detail: &str) -> EventKind {
    EventKind::CarrierScan {
        waybill: "SF1".into(),
        scan: kind,
        location: Some("杭州 hub".into()),
        detail: detail.into(),
    }
}

fn raised(code: ExceptionCode, detail: &str) -> EventKind {
    EventKind::ExceptionRaised {
        code,
        parcel: None,
        detail: detail.into(),
        facts: None,
    }
}

fn cleared(code: ExceptionCode) -> EventKind {
    EventKind::ExceptionCleared { code, parcel: None }
}

fn not_shipped() -> EventKind {
    EventKind::ExceptionRaised {
        code: ExceptionCode::PaidNotShipped,
        parcel: None,
        detail: String::new(),
        facts: Some(ExceptionFacts::NotShipped {
            placed_at: t(0),
            within_secs: 24 * 3600,
        }),
    }
}

#[test]
fn a_carrier_exception_scan_raises_one_on_its_parcel_with_the_scans_reason() {
    let mut log = Log::shipped();
    log.at(4, scan(ScanKind::InTransit, "arrived"))
        .at(5, scan(ScanKind::Exception, "recipient unreachable"));
    let open = log.open();
    assert_eq!(open.len(), 1);
    assert_eq!(open[0].code, ExceptionCode::DeliveryFailed);
    assert_eq!(open[0].parcel, Some(pid("P1")));
    assert_eq!(open[0].since, t(5));
    assert_eq!(
        open[0].cause,
        Cause::CarrierScan {
            waybill: "SF1".into(),
            location: Some("杭州 hub".into()),
            reason: "recipient unreachable".into(),
        }
    );
    assert_eq!(
        log.order().parcel_exception(&pid("P1")).map(|e| e.code),
        Some(ExceptionCode::DeliveryFailed)
    );
    // The status reads the same list.
    assert_eq!(log.order().status(), Status::DeliveryException);
}

#[test]
fn a_later_progress_scan_of_the_parcel_clears_it() {
    let mut log = Log::shipped();
    log.at(4, scan(ScanKind::InTransit, "arrived"))
        .at(5, scan(ScanKind::Exception, "recipient unreachable"))
        // The same stage again, but later: the carrier moved on.
        .at(6, scan(ScanKind::InTransit, "next hub"));
    assert!(log.open().is_empty());
    assert_ne!(log.order().status(), Status::DeliveryException);
}

#[test]
fn a_late_progress_scan_older_than_the_exception_does_not_clear_it() {
    let mut log = Log::shipped();
    log.at(5, scan(ScanKind::InTransit, "arrived"))
        .at(7, scan(ScanKind::Exception, "address unknown"))
        // Reported late: it happened before the exception, at a stage reached.
        .at(4, scan(ScanKind::PickedUp, "picked up"));
    assert_eq!(log.open().len(), 1);
    assert_eq!(log.order().status(), Status::DeliveryException);
}

#[test]
fn an_older_late_exception_scan_does_not_raise_again() {
    let mut log = Log::shipped();
    log.at(5, scan(ScanKind::Exception, "recipient unreachable"))
        .at(6, scan(ScanKind::OutForDelivery, "out"));
    assert!(log.open().is_empty());
    let events = log.seq;
    log.at(
        5,
        scan(ScanKind::Exception, "recipient unreachable, repeated"),
    );
    assert_eq!(log.seq, events + 1, "kept in the log");
    assert!(log.open().is_empty(), "but raises nothing");
}

#[test]
fn raising_twice_keeps_one_open_since_the_first_with_the_latest_cause() {
    let mut log = Log::shipped();
    log.at(5, scan(ScanKind::Exception, "recipient unreachable"))
        .at(6, scan(ScanKind::Exception, "returned to depot"));
    assert_eq!(log.open().len(), 1);
    assert_eq!(log.open()[0].since, t(5));
    assert!(
        matches!(&log.open()[0].cause, Cause::CarrierScan { reason, .. } if reason == "returned to depot")
    );

    let mut log = Log::paid();
    log.at(2, not_shipped()).at(3, not_shipped());
    assert_eq!(log.open().len(), 1);
    assert_eq!(log.open()[0].since, t(2));
}

#[test]
fn clearing_an_exception_that_is_not_open_is_kept_and_changes_nothing() {
    let mut log = Log::paid();
    let before = log.order().clone();
    log.at(2, cleared(ExceptionCode::PaidNotShipped));
    assert_eq!(log.order().exceptions, before.exceptions);
    assert_eq!(log.order().status(), before.status());
    assert_eq!(log.order().event_count, before.event_count + 1);
}

#[test]
fn a_clear_names_its_parcel_or_clears_the_code_everywhere() {
    let mut log = Log::shipped();
    log.at(5, scan(ScanKind::Exception, "recipient unreachable"))
        .at(
            6,
            raised(ExceptionCode::DeliveryFailed, "customer says damaged"),
        );
    assert_eq!(log.open().len(), 2, "one on the parcel, one on the order");
    log.at(
        7,
        EventKind::ExceptionCleared {
            code: ExceptionCode::DeliveryFailed,
            parcel: Some(pid("P1")),
        },
    );
    assert_eq!(log.open().len(), 1);
    assert_eq!(log.open()[0].parcel, None);
    assert_eq!(log.order().status(), Status::DeliveryException);
    log.at(8, cleared(ExceptionCode::DeliveryFailed));
    assert!(log.open().is_empty());
    assert_ne!(log.order().status(), Status::DeliveryException);
}

#[test]
fn paid_not_shipped_is_cleared_when_a_parcel_ships() {
    let mut log = Log::paid();
    log.at(2, not_shipped());
    assert_eq!(log.open().len(), 1);
    log.at(
        3,
        EventKind::ParcelPacked {
            parcel: pid("P1"),
            components: vec![cid("serum")],
        },
    );
    assert_eq!(log.open().len(), 1, "packing is not shipping");
    log.at(
        4,
        EventKind::ParcelShipped {
            parcel: pid("P1"),
            carrier: "SF Express".into(),
            waybill: "SF1".into(),
        },
    );
    assert!(log.open().is_empty());
}

#[test]
fn paid_not_shipped_is_cleared_when_the_order_is_cancelled() {
    let mut log = Log::paid();
    log.at(2, not_shipped()).at(
        3,
        EventKind::OrderCancelled {
            reason: "out of stock".into(),
        },
    );
    assert!(log.open().is_empty());
}

#[test]
fn paid_not_shipped_is_cleared_by_a_full_refund_and_not_by_a_partial_one() {
    let mut log = Log::paid();
    log.at(2, not_shipped())
        .at(
            3,
            EventKind::RefundRequested {
                amount: cny(4000),
                reason: "discount".into(),
            },
        )
        .at(4, EventKind::Refunded { amount: cny(4000) });
    assert_eq!(log.open().len(), 1, "a partial refund settles nothing");
    log.at(
        5,
        EventKind::RefundRequested {
            amount: cny(6000),
            reason: "intercept".into(),
        },
    )
    .at(6, EventKind::Refunded { amount: cny(6000) });
    assert_eq!(log.order().status(), Status::Refunded);
    assert!(log.open().is_empty());
}

#[test]
fn paid_not_shipped_raised_after_shipping_is_kept_and_opens_nothing() {
    let mut log = Log::shipped();
    let events = log.seq;
    log.at(4, not_shipped());
    assert_eq!(log.seq, events + 1);
    assert!(log.open().is_empty());
}

#[test]
fn a_raise_without_words_or_facts_or_on_an_unknown_parcel_is_refused() {
    let mut log = Log::shipped();
    assert!(matches!(
        log.try_at(4, raised(ExceptionCode::DeliveryFailed, " ")),
        Err(Refusal::Invalid(_))
    ));
    assert_eq!(
        log.try_at(
            4,
            EventKind::ExceptionRaised {
                code: ExceptionCode::DeliveryFailed,
                parcel: Some(pid("P9")),
                detail: "lost".into(),
                facts: None,
            }
        ),
        Err(Refusal::UnknownParcel("P9".into()))
    );
    assert!(log.open().is_empty());
}

#[test]
fn the_status_and_the_open_list_always_agree() {
    let mut log = Log::shipped();
    let agree = |o: &Order| {
        (o.status() == Status::DeliveryException)
            == o.exceptions.iter().any(|e| e.code.is_delivery())
    };
    let steps = [
        scan(ScanKind::Exception, "recipient unreachable"),
        raised(ExceptionCode::PaidNotShipped, "looked stuck"),
        scan(ScanKind::OutForDelivery, "out"),
        raised(
            ExceptionCode::DeliveryFailed,
            "customer called: not received",
        ),
        cleared(ExceptionCode::DeliveryFailed),
    ];
    for (n, step) in steps.into_iter().enumerate() {
        log.at(4 + n as i64, step);
        assert!(agree(log.order()), "after step {n}: {:?}", log.open());
    }
}

#[test]
fn a_projection_row_from_before_causes_were_facts_still_reads() {
    let row = r#"{"code":"paid_not_shipped","detail":"placed 61 min ago","since":"2026-11-01T08:00:00Z"}"#;
    let open: OpenException = serde_json::from_str(row).unwrap();
    assert_eq!(open.parcel, None);
    assert_eq!(
        open.cause,
        Cause::Said {
            detail: "placed 61 min ago".into()
        }
    );
    let again: OpenException =
        serde_json::from_str(&serde_json::to_string(&open).unwrap()).unwrap();
    assert_eq!(again, open);
}

// What people do with an open exception.

fn staff(log: &mut Log, minute: i64, kind: EventKind) -> Result<(), Refusal> {
    log.try_at_as(
        minute,
        kind,
        Actor::Staff {
            user_id: "u-7".into(),
            name: "物流小周".into(),
            role: crate::model::access::Role::Logistics,
        },
    )
}

#[test]
fn a_person_claims_snoozes_and_resolves_an_open_exception() {
    let mut log = Log::paid();
    log.at(2, not_shipped());
    let claim = EventKind::ExceptionClaimed {
        code: ExceptionCode::PaidNotShipped,
        parcel: None,
    };
    staff(&mut log, 3, claim).unwrap();
    let open = &log.open()[0];
    assert_eq!(
        open.claim.as_ref().map(|c| c.name.as_str()),
        Some("物流小周")
    );
    let snooze = |until, reason: &str| EventKind::ExceptionSnoozed {
        code: ExceptionCode::PaidNotShipped,
        parcel: None,
        until,
        reason: reason.into(),
    };
    assert_eq!(
        staff(&mut log, 4, snooze(t(4), "later")),
        Err(Refusal::SnoozeInPast)
    );
    assert!(
        staff(&mut log, 4, snooze(t(60), " ")).is_err(),
        "a reason is needed"
    );
    staff(&mut log, 4, snooze(t(60), "warehouse ships at noon")).unwrap();
    assert_eq!(log.open()[0].snooze.as_ref().map(|s| s.until), Some(t(60)));
    let resolve = EventKind::ExceptionResolved {
        code: ExceptionCode::PaidNotShipped,
        parcel: None,
        reason: "shipped by hand, waybill to follow".into(),
    };
    staff(&mut log, 5, resolve.clone()).unwrap();
    assert!(log.open().is_empty());
    assert_eq!(log.order().resolutions.len(), 1);
    assert_eq!(
        staff(&mut log, 6, resolve),
        Err(Refusal::ExceptionNotOpen),
        "nothing left to resolve"
    );
}

#[test]
fn resolving_one_exception_leaves_the_same_code_on_another_parcel_open() {
    let mut log = Log::shipped();
    log.at(5, scan(ScanKind::Exception, "recipient unreachable"))
        .at(
            6,
            raised(ExceptionCode::DeliveryFailed, "customer says damaged"),
        );
    staff(
        &mut log,
        7,
        EventKind::ExceptionResolved {
            code: ExceptionCode::DeliveryFailed,
            parcel: None,
            reason: "replacement sent".into(),
        },
    )
    .unwrap();
    assert_eq!(log.open().len(), 1);
    assert_eq!(log.open()[0].parcel, Some(pid("P1")));
}

#[test]
fn claiming_what_is_not_open_is_refused() {
    let mut log = Log::paid();
    let claim = EventKind::ExceptionClaimed {
        code: ExceptionCode::GiftMissing,
        parcel: None,
    };
    assert_eq!(staff(&mut log, 3, claim), Err(Refusal::ExceptionNotOpen));
}
