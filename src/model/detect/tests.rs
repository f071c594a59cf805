//! Each detector over real logs folded by `evolve`: it raises at its
//! threshold and not before, raises once, clears when the condition ends,
//! leaves a person's resolution be, and finds the same after a restart (a
//! fresh fold of the same log, which is all the server keeps).

use super::*;
use crate::model::order::event::{EventKind, ScanKind};
use crate::model::order::exceptions::ExceptionFacts;
use crate::model::order::ids::{ComponentId, ParcelId};
use crate::model::order::lifecycle::fold;
use crate::model::order::money::{Currency, Money};
use crate::model::order::sample_log::{at, Log};
use crate::model::order::Order;
use chrono::Duration;

fn settings() -> DetectorSettings {
    DetectorSettings::default()
}

/// Appends what `detector` returns at `when`; how many events.
fn run(log: &mut Log, detector: &dyn Detector, ctx: &Context<'_>, when: DateTime<Utc>) -> usize {
    let events = detect(detector, log.order(), ctx, when);
    for e in &events {
        assert_eq!(e.occurred_at, when);
        log.push_at(when, e.kind.clone());
    }
    events.len()
}

fn open(log: &Log, code: ExceptionCode) -> usize {
    log.order()
        .exceptions
        .iter()
        .filter(|e| e.code == code)
        .count()
}

/// The order as a restarted server has it: the same log folded afresh.
fn refolded(log: &Log) -> Order {
    fold(log.events()).unwrap().into_values().next().unwrap()
}

fn pid(s: &str) -> ParcelId {
    ParcelId::parse(s).unwrap()
}

fn resolve(log: &mut Log, when: DateTime<Utc>, code: ExceptionCode, parcel: Option<&str>) {
    log.push_at(
        when,
        EventKind::ExceptionResolved {
            code,
            parcel: parcel.map(pid),
            reason: "handled with the warehouse".into(),
        },
    );
}

/// The contract every time-based detector keeps: nothing a second before
/// its due moment, one exception at it, nothing more when run again, the
/// same due moment after a restart.
fn keeps_the_clock(log: &mut Log, d: &dyn Detector, due: DateTime<Utc>) {
    let s = settings();
    let ctx = Context::bare(&s);
    let before = due - Duration::seconds(1);
    assert_eq!(
        d.next_check(log.order(), &ctx, before),
        Some(due),
        "{}",
        d.name()
    );
    assert_eq!(
        d.next_check(&refolded(log), &ctx, before),
        Some(due),
        "survives a restart"
    );
    assert_eq!(run(log, d, &ctx, before), 0, "not before its time");
    assert_eq!(run(log, d, &ctx, due), 1, "at its time");
    assert_eq!(
        run(log, d, &ctx, due + Duration::minutes(5)),
        0,
        "raised once"
    );
    assert_eq!(open(log, d.code()), 1);
    assert_eq!(
        d.next_check(log.order(), &ctx, due),
        None,
        "nothing more to wait for"
    );
}

#[test]
fn paid_not_shipped_raises_at_24_hours_and_clears_when_a_parcel_ships() {
    let mut log = Log::new();
    log.paid();
    keeps_the_clock(&mut log, &PaidNotShipped, at(0) + Duration::hours(24));
    log.packed("P1", &["serum", "gift"])
        .shipped("P1", "SF Express", "SF1");
    assert_eq!(open(&log, ExceptionCode::PaidNotShipped), 0);
}

#[test]
fn paid_not_shipped_follows_a_channel_threshold() {
    let mut s = settings();
    s.paid_not_shipped
        .channels
        .insert(crate::model::Channel::Tmall, 3600);
    let mut log = Log::new();
    log.paid();
    let ctx = Context::bare(&s);
    assert_eq!(
        PaidNotShipped.next_check(log.order(), &ctx, at(2)),
        Some(at(60))
    );
}

#[test]
fn no_waybill_raises_15_minutes_after_the_notice_and_clears_with_the_waybill() {
    let mut log = Log::new();
    log.paid().packed("P1", &["serum", "gift"]);
    let notified = at(10);
    log.push_at(
        notified,
        EventKind::ShipmentNotified {
            parcel: pid("P1"),
            carrier: "SF Express".into(),
        },
    );
    keeps_the_clock(&mut log, &NoWaybill, notified + Duration::minutes(15));
    assert_eq!(log.order().exceptions[0].parcel, Some(pid("P1")));
    log.shipped("P1", "SF Express", "SF1");
    assert_eq!(open(&log, ExceptionCode::NoWaybill), 0, "the waybill came");
}

#[test]
fn refund_before_shipping_raises_at_once_and_clears_with_the_intercept() {
    let s = settings();
    let ctx = Context::bare(&s);
    let mut log = Log::new();
    log.paid();
    assert_eq!(run(&mut log, &RefundBeforeShipping, &ctx, at(3)), 0);
    log.push(EventKind::RefundRequested {
        amount: Money::new(29900, Currency::CNY),
        reason: "changed my mind".into(),
    });
    assert_eq!(run(&mut log, &RefundBeforeShipping, &ctx, at(4)), 1);
    assert_eq!(run(&mut log, &RefundBeforeShipping, &ctx, at(5)), 0, "once");
    log.push(EventKind::RequestMade {
        request: crate::model::order::ids::RequestId::parse("RQ-1").unwrap(),
        ask: crate::model::order::request::Ask::WarehouseIntercept,
        reason: "refund asked before shipping".into(),
    });
    assert_eq!(
        open(&log, ExceptionCode::RefundBeforeShipping),
        0,
        "the intercept settles it"
    );
    assert_eq!(run(&mut log, &RefundBeforeShipping, &ctx, at(20)), 0);
}

#[test]
fn gift_missing_flags_the_main_parcel_packed_without_the_gift_until_it_is_packed() {
    let s = settings();
    let ctx = Context::bare(&s);
    let mut log = Log::new();
    log.paid();
    assert_eq!(
        run(&mut log, &GiftMissing, &ctx, at(2)),
        0,
        "nothing packed"
    );
    log.packed("P1", &["serum"]);
    assert_eq!(run(&mut log, &GiftMissing, &ctx, at(3)), 1);
    let e = &log.order().exceptions[0];
    assert_eq!(e.parcel, Some(pid("P1")));
    assert_eq!(
        e.cause,
        crate::model::order::exceptions::Cause::Found {
            facts: ExceptionFacts::GiftMissing {
                missing: vec![ComponentId::parse("gift").unwrap()]
            }
        }
    );
    assert_eq!(run(&mut log, &GiftMissing, &ctx, at(4)), 0, "once");
    log.packed("P2", &["gift"]);
    assert_eq!(run(&mut log, &GiftMissing, &ctx, at(6)), 1, "cleared");
    assert_eq!(open(&log, ExceptionCode::GiftMissing), 0);
}

#[test]
fn a_complete_parcel_and_a_gift_box_announced_for_later_are_no_missing_gift() {
    let s = settings();
    let ctx = Context::bare(&s);
    let mut log = Log::new();
    log.paid().packed("P1", &["serum", "gift"]);
    assert!(GiftMissing.findings(log.order(), &ctx, at(5)).is_empty());
}

#[test]
fn a_resolved_condition_is_not_raised_again_until_it_begins_anew() {
    let s = settings();
    let ctx = Context::bare(&s);
    let mut log = Log::new();
    log.paid().packed("P1", &["serum"]);
    run(&mut log, &GiftMissing, &ctx, at(3));
    resolve(&mut log, at(4), ExceptionCode::GiftMissing, Some("P1"));
    assert_eq!(open(&log, ExceptionCode::GiftMissing), 0);
    assert_eq!(run(&mut log, &GiftMissing, &ctx, at(5)), 0, "left resolved");
    assert_eq!(
        run(&mut log, &GiftMissing, &ctx, at(9)),
        0,
        "after a restart too"
    );
}

/// A second order of the same customer, items and address, `hours` after the sample.
fn repeat(hours: i64) -> Order {
    let mut again = Log::new();
    let mut order = again.paid().order().clone();
    order.id = crate::model::OrderId::parse("CR-2").unwrap();
    order.placed_at += Duration::hours(hours);
    order
}

#[test]
fn likely_duplicate_needs_the_same_phone_address_and_items_within_the_window() {
    let s = settings();
    let first = Log::new().order().clone();
    let others = [first.clone()];
    let ctx = Context {
        same_customer: &others,
        ..Context::bare(&s)
    };
    let second = repeat(5);
    let found = LikelyDuplicate.findings(&second, &ctx, at(400));
    assert_eq!(found.len(), 1);
    assert!(matches!(
        &found[0].facts,
        ExceptionFacts::LikelyDuplicate { original, .. } if original == &first.id
    ));
    assert!(
        LikelyDuplicate
            .findings(&repeat(73), &ctx, at(5000))
            .is_empty(),
        "outside 72 h"
    );
    let mut moved = repeat(5);
    moved.customer.address.line = "滨江区 江南大道 1 号".into();
    assert!(
        LikelyDuplicate.findings(&moved, &ctx, at(400)).is_empty(),
        "another address"
    );
    // The earlier order does not duplicate the later one.
    let later = [second];
    let ctx = Context {
        same_customer: &later,
        ..Context::bare(&s)
    };
    assert!(LikelyDuplicate.findings(&first, &ctx, at(400)).is_empty());
}

#[test]
fn likely_duplicate_clears_when_the_original_is_cancelled() {
    let s = settings();
    let mut log = Log::new();
    let mut original = Log::new().order().clone();
    original.id = crate::model::OrderId::parse("CR-0").unwrap();
    original.placed_at -= Duration::hours(1);
    let others = [original.clone()];
    let ctx = Context {
        same_customer: &others,
        ..Context::bare(&s)
    };
    assert_eq!(run(&mut log, &LikelyDuplicate, &ctx, at(2)), 1);
    original.branch = Some(crate::model::Branch::Cancelled);
    let others = [original];
    let ctx = Context {
        same_customer: &others,
        ..Context::bare(&s)
    };
    assert_eq!(run(&mut log, &LikelyDuplicate, &ctx, at(3)), 1, "cleared");
    assert_eq!(open(&log, ExceptionCode::LikelyDuplicate), 0);
}

/// The sample order, delivered abroad.
fn abroad() -> Log {
    let mut placed = crate::model::order::sample_log::placed();
    if let EventKind::OrderPlaced { customer, .. } = &mut placed {
        customer.address.country = "US".into();
        customer.address.province = "CA".into();
    }
    Log::with(placed)
}

#[test]
fn customs_incomplete_lists_what_the_destination_requires_and_clears_once_declared() {
    let s = settings();
    let ctx = Context::bare(&s);
    let mut log = abroad();
    assert_eq!(run(&mut log, &CustomsIncomplete, &ctx, at(1)), 1);
    assert!(matches!(
        &log.order().exceptions[0].cause,
        crate::model::order::exceptions::Cause::Found {
            facts: ExceptionFacts::CustomsIncomplete { destination, missing }
        } if destination == "US" && missing.len() == 3
    ));
    log.push(EventKind::CustomsDeclared {
        fields: [
            ("hs_code", "3304.99"),
            ("declared_value", "USD 42"),
            ("contents", "serum"),
        ]
        .into_iter()
        .map(|(k, v)| (k.to_string(), v.to_string()))
        .collect(),
    });
    assert_eq!(run(&mut log, &CustomsIncomplete, &ctx, at(9)), 1, "cleared");
    assert_eq!(open(&log, ExceptionCode::CustomsIncomplete), 0);
    assert!(
        CustomsIncomplete
            .findings(Log::new().order(), &ctx, at(9))
            .is_empty(),
        "domestic"
    );
}

#[test]
fn carrier_silent_raises_48_hours_after_the_last_scan_and_a_scan_clears_it() {
    let mut log = Log::new();
    log.paid()
        .packed("P1", &["serum", "gift"])
        .shipped("P1", "SF Express", "SF1");
    log.scan("SF1", ScanKind::InTransit, Some("杭州转运中心"));
    let heard = log.order().parcels[0].last_scan_at.unwrap();
    keeps_the_clock(&mut log, &CarrierSilent, heard + Duration::hours(48));
    log.push_at(
        heard + Duration::hours(49),
        EventKind::CarrierScan {
            waybill: "SF1".into(),
            scan: ScanKind::OutForDelivery,
            location: None,
            detail: "派件中".into(),
        },
    );
    assert_eq!(open(&log, ExceptionCode::CarrierSilent), 0, "heard again");
}

#[test]
fn delivery_at_risk_raises_when_the_transit_time_no_longer_fits_the_promise() {
    let mut log = Log::new();
    log.paid()
        .packed("P1", &["serum", "gift"])
        .shipped("P1", "SF Express", "SF1");
    let shipped = log.order().parcels[0].shipped_at.unwrap();
    // Promised in 4 days; transit 72 h: it fits until a day before the promise.
    let promised = shipped + Duration::days(4);
    log.push(EventKind::DeliveryPromised { by: promised });
    let due = promised - Duration::days(1) + Duration::seconds(1);
    keeps_the_clock(&mut log, &DeliveryAtRisk, due);
    log.scan("SF1", ScanKind::Delivered, None);
    assert_eq!(
        open(&log, ExceptionCode::DeliveryAtRisk),
        1,
        "left to its detector"
    );
    let s = settings();
    assert_eq!(
        run(
            &mut log,
            &DeliveryAtRisk,
            &Context::bare(&s),
            due + Duration::hours(1)
        ),
        1
    );
    assert_eq!(
        open(&log, ExceptionCode::DeliveryAtRisk),
        0,
        "delivered: cleared"
    );
}

#[test]
fn a_promise_the_carrier_cannot_meet_is_at_risk_from_the_start() {
    let s = settings();
    let ctx = Context::bare(&s);
    let mut log = Log::new();
    log.paid()
        .push(EventKind::DeliveryPromised { by: at(60 * 24) });
    let found = DeliveryAtRisk.findings(log.order(), &ctx, at(5));
    assert_eq!(found.len(), 1, "72 h of transit after a 1-day promise");
}

#[test]
fn over_capacity_follows_the_warehouse_backlog() {
    let s = settings();
    let mut log = Log::new();
    log.paid().push(EventKind::WarehouseAllocated {
        warehouse: "Shanghai Jiading DC".into(),
    });
    let mut load = crate::model::views::warehouse_load::WarehouseLoad {
        backlog: 500,
        daily_capacity: 500,
    };
    let ctx = Context {
        warehouse: Some(&load),
        ..Context::bare(&s)
    };
    assert_eq!(
        run(&mut log, &OverCapacity, &ctx, at(5)),
        0,
        "at capacity is not over"
    );
    load.backlog = 501;
    let ctx = Context {
        warehouse: Some(&load),
        ..Context::bare(&s)
    };
    assert_eq!(run(&mut log, &OverCapacity, &ctx, at(6)), 1);
    assert_eq!(run(&mut log, &OverCapacity, &ctx, at(7)), 0, "once");
    load.backlog = 480;
    let ctx = Context {
        warehouse: Some(&load),
        ..Context::bare(&s)
    };
    assert_eq!(run(&mut log, &OverCapacity, &ctx, at(8)), 1, "cleared");
    assert_eq!(open(&log, ExceptionCode::WarehouseOverCapacity), 0);
}

#[test]
fn detect_all_gathers_every_detector_and_the_earliest_next_check() {
    let s = settings();
    let ctx = Context::bare(&s);
    let mut log = Log::new();
    log.paid().packed("P1", &["serum"]);
    let (events, next) = detect_all(log.order(), &ctx, at(3));
    assert_eq!(events.len(), 1, "the missing gift");
    assert_eq!(next, Some(at(0) + Duration::hours(24)), "paid, not shipped");
}

#[test]
fn a_person_raising_in_words_is_never_cleared_by_a_detector() {
    let s = settings();
    let ctx = Context::bare(&s);
    let mut log = Log::new();
    log.paid();
    log.push(EventKind::ExceptionRaised {
        code: ExceptionCode::GiftMissing,
        parcel: None,
        detail: "customer says the pouch was missing".into(),
        facts: None,
    });
    assert_eq!(run(&mut log, &GiftMissing, &ctx, at(9)), 0);
    assert_eq!(open(&log, ExceptionCode::GiftMissing), 1);
}
