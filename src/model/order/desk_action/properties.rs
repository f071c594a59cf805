//! Property test of the desk's actions among everything else that happens to
//! an order: random sequences of warehouse and carrier facts, refunds,
//! outcomes reported for requests, and desk actions planned by [`plan`].
//!
//! After every step: whatever [`plan`] answered is what the lifecycle then
//! accepts (a plan is never refused when appended at once); at most one
//! re-label or redirect is pending per parcel and one intercept stands per
//! scope; no carrier request is pending for a delivered parcel. At the end
//! the log as finance's lens shows it folds, with the same `evolve`, to
//! exactly the server's order through that lens (new delivery details masked
//! like the customer's own), and as logistics' lens shows it, to the same
//! customer, parcels and requests.

use super::*;
use crate::model::access::{Lens, Role, SeenOrder};
use crate::model::order::event::ScanKind;
use crate::model::order::ids::{ComponentId, OrderId, ParcelId};
use crate::model::order::money::{Currency, Money};
use crate::model::order::request::Party;
use crate::model::order::{Component, ComponentKind, Customer};
use crate::model::Channel;
use chrono::{Duration, TimeZone};
use proptest::prelude::*;
use std::collections::HashSet;

fn cny(minor: i64) -> Money {
    Money::new(minor, Currency::CNY)
}

fn placed() -> EventKind {
    let line = |id: &str, kind| Component {
        id: ComponentId::parse(id).unwrap(),
        sku: id.into(),
        name: id.into(),
        kind,
        quantity: 1,
        unit_price: cny(if kind == ComponentKind::Main {
            10000
        } else {
            0
        }),
        ships_later: kind == ComponentKind::GiftBox,
    };
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
            line("main", ComponentKind::Main),
            line("box", ComponentKind::GiftBox),
        ],
        total: cny(10000),
    }
}

/// One thing that happens: a fact another system reports, or a desk action.
#[derive(Debug, Clone)]
enum Step {
    Fact(EventKind),
    Act(DeskAction),
}

fn parcel(n: u8) -> ParcelId {
    ParcelId::parse(format!("P{n}")).unwrap()
}

fn fact() -> impl Strategy<Value = Step> {
    let pack = (1..=2u8).prop_map(|n| EventKind::ParcelPacked {
        parcel: parcel(n),
        components: vec![ComponentId::parse(if n == 1 { "main" } else { "box" }).unwrap()],
    });
    let ship = (1..=2u8).prop_map(|n| EventKind::ParcelShipped {
        parcel: parcel(n),
        carrier: "SF".into(),
        waybill: format!("SF{n}"),
    });
    let deliver = (1..=2u8).prop_map(|n| EventKind::CarrierScan {
        waybill: format!("SF{n}"),
        scan: ScanKind::Delivered,
        location: None,
        detail: "签收人 13800138000".into(),
    });
    let settle = (1..=4usize, any::<bool>()).prop_map(|(n, ok)| EventKind::RequestSettled {
        request: request_id(n),
        outcome: if ok {
            Outcome::Confirmed
        } else {
            Outcome::Failed
        },
        detail: "回电 13912345678".into(),
    });
    prop_oneof![
        3 => pack,
        3 => ship,
        2 => deliver,
        3 => settle,
        1 => Just(EventKind::RefundRequested { amount: cny(10000), reason: "拍错了".into() }),
        1 => Just(EventKind::RefundDeclined { reason: "declined".into() }),
        1 => Just(EventKind::Refunded { amount: cny(10000) }),
    ]
    .prop_map(Step::Fact)
}

fn reason() -> Reason {
    Reason::parse("客户来电").unwrap()
}

fn act() -> impl Strategy<Value = Step> {
    let contact = (any::<bool>(), 0..100u32).prop_map(|(with_address, n)| {
        NewContact::parse(GivenContact {
            phone: Some(Phone::parse(&format!("139001{n:05}")).unwrap()),
            address: with_address.then(|| NewAddress {
                country: Filled::parse("CN").unwrap(),
                province: Filled::parse("浙江").unwrap(),
                city: Filled::parse("杭州").unwrap(),
                line: Filled::parse(format!("文三路 {n} 号")).unwrap(),
            }),
            name: None,
        })
        .unwrap()
    });
    prop_oneof![
        4 => contact.prop_map(|contact| DeskAction::ChangeContact { contact, reason: reason() }),
        1 => Just(DeskAction::Cancel { reason: reason() }),
        3 => Just(DeskAction::InterceptForRefund { reason: reason() }),
        1 => Just(DeskAction::Hold { reason: reason() }),
        1 => Just(DeskAction::Release { reason: reason() }),
    ]
    .prop_map(Step::Act)
}

fn recorded(seq: u64, kind: EventKind) -> RecordedEvent {
    let at = Utc.with_ymd_and_hms(2026, 11, 1, 8, 0, 0).unwrap() + Duration::minutes(seq as i64);
    RecordedEvent {
        seq,
        recorded_at: at,
        event: OrderEvent {
            order_id: OrderId::parse("CR-P").unwrap(),
            occurred_at: at,
            source: Source::ControlRoom,
            actor: Actor::System {
                name: "property".into(),
            },
            kind,
        },
    }
}

/// What must hold of an order's requests whatever happened.
fn assert_requests_sound(order: &Order) -> Result<(), TestCaseError> {
    let mut pending_contact = HashSet::new();
    let mut standing_intercepts = HashSet::new();
    for r in &order.requests {
        if r.state.is_pending() && r.ask.contact().is_some() {
            prop_assert!(
                pending_contact.insert(r.ask.parcel().cloned()),
                "two pending contact requests for one parcel: {:?}",
                order.requests
            );
        }
        if r.ask.is_intercept() && r.stands() {
            prop_assert!(
                standing_intercepts.insert(r.ask.parcel().cloned()),
                "two standing intercepts for one scope: {:?}",
                order.requests
            );
        }
        if r.state.is_pending() && r.ask.party() == Party::Carrier {
            let delivered = order
                .parcels
                .iter()
                .any(|p| Some(&p.id) == r.ask.parcel() && p.stage >= Stage::Delivered);
            prop_assert!(!delivered, "pending for a delivered parcel: {r:?}");
        }
    }
    Ok(())
}

/// Appends `kinds` after `log` all or nothing, as the store does: the new
/// order, or the refusal.
fn append(
    log: &mut Vec<RecordedEvent>,
    order: &Order,
    kinds: Vec<EventKind>,
) -> Result<Order, Refusal> {
    let mut next = order.clone();
    let mut appended = Vec::new();
    for kind in kinds {
        let rec = recorded((log.len() + appended.len()) as u64 + 1, kind);
        next = evolve(Some(&next), &rec)?;
        appended.push(rec);
    }
    log.extend(appended);
    Ok(next)
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 256, ..ProptestConfig::default() })]

    #[test]
    fn desk_actions_keep_requests_sound_and_every_lens_folds_to_the_servers_view(
        steps in prop::collection::vec(prop_oneof![fact(), act()], 0..40),
    ) {
        let agent = Actor::Staff {
            user_id: "u1".into(),
            name: "小周".into(),
            role: Role::CustomerService,
        };
        let mut log = vec![recorded(1, placed())];
        let mut order = evolve(None, &log[0]).unwrap();
        order = append(&mut log, &order, vec![EventKind::PaymentCaptured { amount: cny(10000) }])
            .unwrap();
        for step in steps {
            let (kinds, planned) = match step {
                Step::Fact(kind) => (vec![kind], false),
                Step::Act(action) => {
                    let at = recorded(log.len() as u64 + 1, EventKind::OrderConfirmed).recorded_at;
                    match plan(&action, &order, &agent, at) {
                        Ok(events) => {
                            prop_assert!(!events.is_empty());
                            (events.into_iter().map(|e| e.kind).collect(), true)
                        }
                        Err(refusal) => {
                            prop_assert!(!refusal.to_string().is_empty());
                            continue;
                        }
                    }
                }
            };
            match append(&mut log, &order, kinds) {
                Ok(next) => order = next,
                Err(r) => {
                    prop_assert!(!planned, "a plan was refused when appended at once: {r:?}");
                    continue;
                }
            }
            assert_requests_sound(&order)?;
        }
        let recipient = order.customer.clone();
        let fold = |lens: Lens| {
            log.iter().try_fold(None, |o: Option<SeenOrder>, e| {
                evolve(o.as_ref(), &lens.event_about(e, Some(&recipient))).map(Some)
            })
        };
        for lens in [Role::Finance.lens(), Lens::FULL] {
            let seen = fold(lens);
            prop_assert!(seen.is_ok(), "refused what the log accepted: {seen:?}");
            prop_assert_eq!(seen.unwrap().unwrap(), lens.order(&order));
        }
        // Without money a full refund cannot be told from a part one (see
        // `evolve`); the rest is the server's view.
        let lens = Role::Logistics.lens();
        let seen = fold(lens);
        prop_assert!(seen.is_ok(), "refused what the log accepted: {seen:?}");
        let (seen, server) = (seen.unwrap().unwrap(), lens.order(&order));
        prop_assert_eq!(&seen.customer, &server.customer);
        prop_assert_eq!(&seen.requests, &server.requests);
        prop_assert_eq!(&seen.parcels, &server.parcels);
    }
}
