//! Property test of the lifecycle's money: random event sequences, huge and
//! hostile amounts and quantities included, folded through the real [`evolve`].
//! Half the money events take a share of what is owed or refundable at that
//! point, so instalments, full payments and full refunds are reached too.
//!
//! After every step: paid ≥ 0, refunded ≥ 0, refunded ≤ paid, paid ≤ total,
//! all in the order's currency, the line totals countable, nothing panicked;
//! every refused event left the order exactly as it was; and every accepted
//! payment or refund respected what was owed or refundable just before it.
//!
//! The same `evolve` folds the log as lenses show it: through the full lens
//! it is the very same order at every step; through a lens that withholds
//! money, every event the log accepted still folds, to the same progress and
//! parcels, with every amount withheld.

use super::{evolve, Refusal};
use crate::model::access::{Lens, Role, Seen, SeenOrder};
use crate::model::order::channel::{Channel, Source};
use crate::model::order::event::{Actor, EventKind, OrderEvent, RecordedEvent, ScanKind};
use crate::model::order::ids::{ComponentId, OrderId, ParcelId};
use crate::model::order::money::{Currency, Money};
use crate::model::order::status::Branch;
use crate::model::order::{Component, ComponentKind, Order};
use chrono::{Duration, TimeZone, Utc};
use proptest::prelude::*;

/// Amounts from the everyday to the extremes of `i64`, zero and negatives.
fn minor() -> impl Strategy<Value = i64> {
    prop_oneof![
        4 => 1..=20_000i64,
        2 => -3..=3i64,
        1 => any::<i64>(),
        1 => Just(i64::MAX),
        1 => Just(i64::MIN),
        1 => (i64::MAX - 3)..=i64::MAX,
    ]
}

/// Mostly the order's currency (CNY), sometimes another one.
fn money() -> impl Strategy<Value = Money> {
    (
        minor(),
        prop_oneof![9 => Just(Currency::CNY), 1 => Just(Currency::USD)],
    )
        .prop_map(|(minor, currency)| Money::new(minor, currency))
}

fn quantity() -> impl Strategy<Value = u32> {
    prop_oneof![8 => 1..=3u32, 1 => any::<u32>(), 1 => Just(u32::MAX)]
}

/// Mostly an everyday price or total, so most orders get placed and the
/// sequence goes on; sometimes anything at all.
fn price() -> impl Strategy<Value = i64> {
    prop_oneof![8 => 1..=20_000i64, 1 => minor()]
}

fn component(n: usize, quantity: u32, unit_price: i64) -> Component {
    Component {
        id: ComponentId::parse(format!("c{n}")).unwrap(),
        sku: format!("SKU-{n}"),
        name: format!("item {n}"),
        kind: if n == 0 {
            ComponentKind::Main
        } else {
            ComponentKind::Gift
        },
        quantity,
        unit_price: Money::new(unit_price, Currency::CNY),
        ships_later: false,
    }
}

fn placed() -> impl Strategy<Value = EventKind> {
    (prop::collection::vec((quantity(), price()), 1..=3), price()).prop_map(|(lines, total)| {
        EventKind::OrderPlaced {
            channel: Channel::Douyin,
            channel_order_id: "4891234567890123456".into(),
            customer: super::tests::customer(),
            components: lines
                .into_iter()
                .enumerate()
                .map(|(n, (q, p))| component(n, q, p))
                .collect(),
            total: Money::new(total, Currency::CNY),
        }
    })
}

/// Every kind of event that touches money or gates it, plus enough of the
/// main line (packing, shipping, delivery, returns) to reach every branch.
fn step() -> impl Strategy<Value = EventKind> {
    let reason = || Just("reason".to_string());
    prop_oneof![
        8 => money().prop_map(|amount| EventKind::PaymentCaptured { amount }),
        6 => (money(), reason()).prop_map(|(amount, reason)| EventKind::RefundRequested { amount, reason }),
        6 => money().prop_map(|amount| EventKind::Refunded { amount }),
        1 => reason().prop_map(|reason| EventKind::RefundDeclined { reason }),
        1 => reason().prop_map(|reason| EventKind::OrderCancelled { reason }),
        1 => reason().prop_map(|reason| EventKind::HoldPlaced { reason }),
        1 => reason().prop_map(|reason| EventKind::HoldReleased { reason }),
        1 => Just(EventKind::OrderConfirmed),
        1 => Just(EventKind::PickingStarted),
        1 => Just(EventKind::ParcelPacked {
            parcel: ParcelId::parse("P1").unwrap(),
            components: vec![ComponentId::parse("c0").unwrap()],
        }),
        1 => Just(EventKind::ParcelShipped {
            parcel: ParcelId::parse("P1").unwrap(),
            carrier: "SF".into(),
            waybill: "SF1".into(),
        }),
        1 => Just(EventKind::CarrierScan {
            waybill: "SF1".into(),
            scan: ScanKind::Delivered,
            location: None,
            detail: "signed".into(),
        }),
        1 => reason().prop_map(|reason| EventKind::ReturnRequested { reason }),
        1 => Just(EventKind::ReturnReceived),
    ]
}

/// How a money event's amount is chosen: as generated, or as a share (in
/// percent) of what the order still owes (payments) or may refund (refunds),
/// so sequences also reach instalments, full payment and full refunds.
fn share() -> impl Strategy<Value = Option<u32>> {
    prop_oneof![1 => Just(None), 1 => (1..=100u32).prop_map(Some), 1 => Just(Some(100))]
}

fn sized(kind: EventKind, share: Option<u32>, order: Option<&Order>) -> EventKind {
    let (Some(percent), Some(order)) = (share, order) else {
        return kind;
    };
    let of = |whole: Money| {
        if percent == 100 {
            return whole;
        }
        whole
            .checked_div(100)
            .and_then(|m| m.checked_mul(percent))
            .unwrap_or(whole)
    };
    match kind {
        EventKind::PaymentCaptured { .. } => EventKind::PaymentCaptured {
            amount: of(order.owed()),
        },
        EventKind::RefundRequested { reason, .. } => EventKind::RefundRequested {
            amount: of(order.refundable()),
            reason,
        },
        EventKind::Refunded { .. } => EventKind::Refunded {
            amount: order.refund_requested.unwrap_or(of(order.refundable())),
        },
        other => other,
    }
}

fn recorded(seq: u64, kind: EventKind) -> RecordedEvent {
    let at = Utc.with_ymd_and_hms(2026, 11, 1, 8, 0, 0).unwrap() + Duration::minutes(seq as i64);
    RecordedEvent {
        seq,
        recorded_at: at,
        event: OrderEvent {
            order_id: OrderId::parse("CR-1").unwrap(),
            occurred_at: at,
            source: Source::ControlRoom,
            actor: Actor::System {
                name: "property".into(),
            },
            kind,
        },
    }
}

/// The money invariants every order the lifecycle produces must hold.
fn assert_money_holds(order: &Order) -> Result<(), TestCaseError> {
    let currency = order.total.currency;
    for m in [order.paid, order.refunded] {
        prop_assert_eq!(m.currency, currency);
    }
    prop_assert!(!order.paid.is_negative(), "paid < 0: {:?}", order.paid);
    prop_assert!(!order.refunded.is_negative(), "refunded < 0");
    prop_assert!(order.refunded <= order.paid, "refunded > paid: {order:?}");
    prop_assert!(order.paid <= order.total, "paid > total: {order:?}");
    prop_assert_eq!(
        order.paid.checked_sub(order.refunded),
        Ok(order.refundable())
    );
    prop_assert_eq!(order.total.checked_sub(order.paid), Ok(order.owed()));
    prop_assert!(order.lines_total().is_ok(), "line totals overflow");
    Ok(())
}

/// What an accepted money event may have done, judged from the order before.
fn assert_within_bounds(before: &Order, kind: &EventKind) -> Result<(), TestCaseError> {
    match kind {
        EventKind::PaymentCaptured { amount } => {
            prop_assert!(amount.is_positive());
            prop_assert!(*amount <= before.owed() || *amount == before.paid);
        }
        EventKind::RefundRequested { amount, .. } | EventKind::Refunded { amount } => {
            prop_assert!(amount.is_positive());
            prop_assert!(*amount <= before.refundable());
        }
        _ => {}
    }
    Ok(())
}

/// An order folded through a lens that withholds money, against the log's.
fn assert_seen_like(seen: &SeenOrder, order: &Order) -> Result<(), TestCaseError> {
    prop_assert_eq!(seen.stage, order.stage);
    prop_assert_eq!(&seen.parcels, &order.parcels);
    // A refund it cannot measure lets the order carry on (see `evolve`).
    let expected = match order.branch {
        Some(Branch::Refunded) => seen.branch.filter(|b| *b == Branch::Refunded),
        other => other,
    };
    prop_assert_eq!(seen.branch, expected);
    for amount in [seen.total, seen.paid, seen.refunded] {
        prop_assert_eq!(amount, Seen::Withheld);
    }
    prop_assert!(seen.components.iter().all(|c| c.unit_price.is_withheld()));
    Ok(())
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 256, ..ProptestConfig::default() })]

    #[test]
    fn money_stays_sound_through_any_sequence_of_events(
        first in placed(),
        steps in prop::collection::vec((step(), share()), 0..40),
    ) {
        let mut order: Option<Order> = None;
        let (full, logistics) = (Lens::FULL, Role::Logistics.lens());
        let mut seen_full: Option<SeenOrder> = None;
        let mut seen_withheld: Option<SeenOrder> = None;
        let steps = std::iter::once((first, None)).chain(steps);
        for (n, (kind, share)) in steps.enumerate() {
            let kind = sized(kind, share, order.as_ref());
            let before = order.clone();
            let event = recorded(n as u64 + 1, kind);
            let through_full = evolve(seen_full.as_ref(), &full.event(&event));
            match evolve(order.as_ref(), &event) {
                Ok(next) => {
                    assert_money_holds(&next)?;
                    if let Some(before) = &before {
                        assert_within_bounds(before, &event.event.kind)?;
                    }
                    prop_assert_eq!(through_full, Ok(next.map_amounts(&Seen::Shown)));
                    seen_full = Some(next.map_amounts(&Seen::Shown));
                    let withheld = evolve(seen_withheld.as_ref(), &logistics.event(&event));
                    prop_assert!(withheld.is_ok(), "refused what the log accepted: {withheld:?}");
                    let withheld = withheld.unwrap();
                    assert_seen_like(&withheld, &next)?;
                    seen_withheld = Some(withheld);
                    order = Some(next);
                }
                Err(refusal) => {
                    prop_assert_eq!(through_full, Err(refusal.clone()));
                    // A refusal has a reason in words and changed nothing;
                    // asked again, the lifecycle refuses the same way.
                    prop_assert!(!refusal.to_string().is_empty());
                    prop_assert_eq!(&order, &before);
                    prop_assert_eq!(evolve(order.as_ref(), &event), Err::<Order, Refusal>(refusal));
                }
            }
        }
    }
}
