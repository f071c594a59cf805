//! An order's log grouped by what each event concerns: the order as a whole, or
//! one parcel — so "where is my gift box?" reads as one parcel's own story.
//!
//! Packing and shipping name their parcel; a carrier scan belongs to the parcel
//! shipped under its waybill, late scans included. Everything else (placing,
//! paying, holds, refunds, notes) concerns the order. Each parcel group carries
//! the parcel as the log leaves it — its components by name, carrier, waybill
//! and stage — folded with [`evolve`], the lifecycle every other view uses,
//! over the log as the viewer's lens shows it (withheld amounts stay withheld).
//! Events the fold refuses are skipped for the parcel facts only; every event
//! still lands in a group.

use crate::model::order::amount::Amount;
use crate::model::order::event::{EventKind, RecordedEvent};
use crate::model::order::ids::ParcelId;
use crate::model::order::lifecycle::evolve;
use crate::model::order::money::Money;
use crate::model::order::status::Status;
use crate::model::order::{Component, OpenException, Order, Parcel};
use std::fmt;

/// What an event concerns.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum GroupKey {
    /// The order as a whole.
    Order,
    /// One parcel of the order.
    Parcel(ParcelId),
}

impl fmt::Display for GroupKey {
    /// A stable name for ids and test hooks: `order`, `parcel-P2`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            GroupKey::Order => f.write_str("order"),
            GroupKey::Parcel(id) => write!(f, "parcel-{id}"),
        }
    }
}

/// One group of the log: its events and, for a parcel, where the parcel is.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TimelineGroup<A = Money> {
    pub key: GroupKey,
    /// The parcel as the log leaves it; `None` for the order group.
    pub parcel: Option<Parcel>,
    /// The order's components packed in the parcel, in packing order.
    pub contents: Vec<Component<A>>,
    /// The exception open on the parcel as the log leaves it, if any.
    pub exception: Option<OpenException>,
    /// Sequence numbers of the group's events, ascending (log order).
    pub seqs: Vec<u64>,
}

impl<A> TimelineGroup<A> {
    /// The parcel's latest stage as a status (an open delivery exception on
    /// it first); `None` for the order group.
    pub fn status(&self) -> Option<Status> {
        let parcel = self.parcel.as_ref()?;
        Some(match &self.exception {
            Some(e) if e.code.is_delivery() => Status::DeliveryException,
            _ => parcel.stage.status(),
        })
    }
}

/// Groups an order's log (ascending sequence order): the order group first
/// when it has events, then one group per parcel in the order parcels were
/// packed. Every event is in exactly one group.
pub fn timeline_groups<A: Amount>(log: &[RecordedEvent<A>]) -> Vec<TimelineGroup<A>> {
    let order = fold_leniently(log);
    let parcels = order.as_ref().map_or(&[][..], |o| o.parcels.as_slice());
    let mut groups: Vec<TimelineGroup<A>> = Vec::new();
    for recorded in log {
        let key = concerns(&recorded.event.kind, parcels);
        match groups.iter_mut().find(|g| g.key == key) {
            Some(group) => group.seqs.push(recorded.seq),
            None => groups.push(new_group(key, order.as_ref(), recorded.seq)),
        }
    }
    // Stable: parcels keep their first-seen (packing) order behind the order group.
    groups.sort_by_key(|g| g.key != GroupKey::Order);
    groups
}

/// The group holding the event `seq`, if any.
pub fn group_of<A>(groups: &[TimelineGroup<A>], seq: u64) -> Option<&TimelineGroup<A>> {
    groups.iter().find(|g| g.seqs.binary_search(&seq).is_ok())
}

/// What one event concerns, given the order's parcels (for waybills).
fn concerns<A>(kind: &EventKind<A>, parcels: &[Parcel]) -> GroupKey {
    match kind {
        EventKind::ParcelPacked { parcel, .. } | EventKind::ParcelShipped { parcel, .. } => {
            GroupKey::Parcel(parcel.clone())
        }
        EventKind::CarrierScan { waybill, .. } => parcels
            .iter()
            .find(|p| p.waybill.as_deref() == Some(waybill.as_str()))
            .map_or(GroupKey::Order, |p| GroupKey::Parcel(p.id.clone())),
        // A re-label, redirect or carrier intercept of one parcel.
        EventKind::RequestMade { ask, .. } => ask
            .parcel()
            .map_or(GroupKey::Order, |p| GroupKey::Parcel(p.clone())),
        _ => GroupKey::Order,
    }
}

fn new_group<A: Clone>(key: GroupKey, order: Option<&Order<A>>, seq: u64) -> TimelineGroup<A> {
    let parcel = match (&key, order) {
        (GroupKey::Parcel(id), Some(order)) => order.parcels.iter().find(|p| &p.id == id).cloned(),
        _ => None,
    };
    let contents = match (&parcel, order) {
        (Some(parcel), Some(order)) => parcel
            .components
            .iter()
            .filter_map(|id| order.components.iter().find(|c| &c.id == id).cloned())
            .collect(),
        _ => Vec::new(),
    };
    let exception = match (&key, order) {
        (GroupKey::Parcel(id), Some(order)) => order.parcel_exception(id).cloned(),
        _ => None,
    };
    TimelineGroup {
        key,
        parcel,
        contents,
        exception,
        seqs: vec![seq],
    }
}

/// The order as the log leaves it, skipping events the lifecycle refuses here
/// (a log with a gap, say). Only the parcels are used.
fn fold_leniently<A: Amount>(log: &[RecordedEvent<A>]) -> Option<Order<A>> {
    log.iter()
        .fold(None, |order, e| evolve(order.as_ref(), e).ok().or(order))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::i18n::{words, Locale};
    use crate::model::{
        Actor, Address, Channel, ComponentId, ComponentKind, Currency, Customer, Money, OrderEvent,
        OrderId, ScanKind, Source, Stage,
    };
    use chrono::{DateTime, Duration, TimeZone, Utc};

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

    fn component(id: &str, name: &str, kind: ComponentKind, ships_later: bool) -> Component {
        Component {
            id: cid(id),
            sku: format!("SKU-{id}"),
            name: name.into(),
            kind,
            quantity: 1,
            unit_price: cny(if kind == ComponentKind::Main {
                10000
            } else {
                0
            }),
            ships_later,
        }
    }

    fn placed() -> EventKind {
        EventKind::OrderPlaced {
            channel: Channel::Tmall,
            channel_order_id: "3123456789".into(),
            customer: Customer {
                name: "李娜".into(),
                phone: "13800138000".into(),
                address: Address {
                    country: "CN".into(),
                    province: "浙江".into(),
                    city: "杭州".into(),
                    line: "西湖区 文三路 259 号".into(),
                },
            },
            components: vec![
                component("serum", "Rose serum", ComponentKind::Main, false),
                component("gift", "Cosmetic pouch", ComponentKind::Gift, false),
                component("box", "Gift box", ComponentKind::GiftBox, true),
            ],
            total: cny(10000),
        }
    }

    fn packed(parcel: &str, components: &[&str]) -> EventKind {
        EventKind::ParcelPacked {
            parcel: pid(parcel),
            components: components.iter().map(|c| cid(c)).collect(),
        }
    }

    fn shipped(parcel: &str, waybill: &str) -> EventKind {
        EventKind::ParcelShipped {
            parcel: pid(parcel),
            carrier: "SF Express".into(),
            waybill: waybill.into(),
        }
    }

    fn scan(waybill: &str, scan: ScanKind) -> EventKind {
        EventKind::CarrierScan {
            waybill: waybill.into(),
            scan,
            location: None,
            detail: "scan".into(),
        }
    }

    fn note(text: &str) -> EventKind {
        EventKind::NoteAdded { text: text.into() }
    }

    /// A log of `(minute it happened, event)`, numbered from seq 1.
    fn log(events: Vec<(i64, EventKind)>) -> Vec<RecordedEvent> {
        events
            .into_iter()
            .enumerate()
            .map(|(i, (minute, kind))| RecordedEvent {
                seq: i as u64 + 1,
                recorded_at: t(i as i64),
                event: OrderEvent {
                    order_id: OrderId::parse("CR-1").unwrap(),
                    occurred_at: t(minute),
                    source: Source::ControlRoom,
                    actor: Actor::System {
                        name: "test".into(),
                    },
                    kind,
                },
            })
            .collect()
    }

    /// Serum and pouch ship in P1; the gift box follows later in P2; then a
    /// late in-transit scan for P1 arrives after its delivery.
    fn gift_box_later() -> Vec<RecordedEvent> {
        log(vec![
            (0, placed()),                                          // 1
            (1, EventKind::PaymentCaptured { amount: cny(10000) }), // 2
            (2, EventKind::PickingStarted),                         // 3
            (3, packed("P1", &["serum", "gift"])),                  // 4
            (4, shipped("P1", "SF1")),                              // 5
            (5, scan("SF1", ScanKind::PickedUp)),                   // 6
            (9, scan("SF1", ScanKind::Delivered)),                  // 7
            (10, note("asked about the box")),                      // 8
            (20, packed("P2", &["box"])),                           // 9
            (21, shipped("P2", "SF2")),                             // 10
            (22, scan("SF2", ScanKind::InTransit)),                 // 11
            (7, scan("SF1", ScanKind::InTransit)),                  // 12: late
        ])
    }

    fn keys<A>(groups: &[TimelineGroup<A>]) -> Vec<String> {
        groups.iter().map(|g| g.key.to_string()).collect()
    }

    #[test]
    fn a_later_gift_box_gets_a_group_of_its_own_named_by_its_component() {
        let groups = timeline_groups(&gift_box_later());
        assert_eq!(keys(&groups), ["order", "parcel-P1", "parcel-P2"]);

        let [order, first, gift_box] = &groups[..] else {
            panic!("three groups")
        };
        assert_eq!(order.seqs, [1, 2, 3, 8]);
        assert_eq!(words::group_title(Locale::en, order), "Order");
        assert_eq!(order.status(), None);
        assert_eq!(words::group_shipping(Locale::en, order), None);

        assert_eq!(
            words::group_title(Locale::en, first),
            "Parcel P1 · Rose serum, Cosmetic pouch"
        );
        assert_eq!(first.seqs, [4, 5, 6, 7, 12]);

        assert_eq!(
            words::group_title(Locale::en, gift_box),
            "Parcel P2 · Gift box"
        );
        assert_eq!(gift_box.contents[0].kind, ComponentKind::GiftBox);
        assert_eq!(gift_box.seqs, [9, 10, 11]);
        assert_eq!(
            words::group_shipping(Locale::en, gift_box).as_deref(),
            Some("SF Express · waybill SF2")
        );
        assert_eq!(gift_box.status(), Some(Status::InTransit));
    }

    #[test]
    fn a_late_carrier_scan_joins_its_waybills_parcel_without_moving_it_back() {
        let groups = timeline_groups(&gift_box_later());
        let first = group_of(&groups, 12).expect("the late scan is grouped");
        assert_eq!(first.key, GroupKey::Parcel(pid("P1")));
        assert_eq!(first.status(), Some(Status::Delivered));
        assert_eq!(
            first.parcel.as_ref().map(|p| p.stage),
            Some(Stage::Delivered)
        );
    }

    #[test]
    fn every_event_is_in_exactly_one_group() {
        let events = gift_box_later();
        let groups = timeline_groups(&events);
        for e in &events {
            let holding = groups.iter().filter(|g| g.seqs.contains(&e.seq)).count();
            assert_eq!(holding, 1, "event {} is in {holding} groups", e.seq);
        }
    }

    #[test]
    fn a_packed_parcel_has_no_shipping_yet_and_an_exception_shows_first() {
        let groups = timeline_groups(&log(vec![
            (0, placed()),
            (1, EventKind::PaymentCaptured { amount: cny(10000) }),
            (2, packed("P1", &["serum", "gift", "box"])),
        ]));
        assert_eq!(words::group_shipping(Locale::en, &groups[1]), None);
        assert_eq!(groups[1].status(), Some(Status::Packed));

        let groups = timeline_groups(&log(vec![
            (0, placed()),
            (1, EventKind::PaymentCaptured { amount: cny(10000) }),
            (2, packed("P1", &["serum", "gift", "box"])),
            (3, shipped("P1", "SF1")),
            (4, scan("SF1", ScanKind::Exception)),
        ]));
        assert_eq!(groups[1].status(), Some(Status::DeliveryException));
        assert_eq!(groups[1].seqs, [3, 4, 5]);
    }

    #[test]
    fn an_order_without_parcels_is_one_group() {
        let groups = timeline_groups(&log(vec![
            (0, placed()),
            (1, EventKind::PaymentCaptured { amount: cny(10000) }),
        ]));
        assert_eq!(keys(&groups), ["order"]);
        assert!(timeline_groups::<Money>(&[]).is_empty());
    }

    #[test]
    fn withheld_amounts_do_not_lose_the_parcels() {
        // A viewer without money sees no amounts: the payment still marks the
        // order paid, a partial refund lets it carry on, and parcels are still
        // found and named.
        let full = log(vec![
            (0, placed()),
            (1, EventKind::PaymentCaptured { amount: cny(10000) }),
            (2, packed("P1", &["serum", "gift"])),
            (
                3,
                EventKind::RefundRequested {
                    amount: cny(500),
                    reason: "gift missing".into(),
                },
            ),
            (4, EventKind::Refunded { amount: cny(500) }),
            (5, shipped("P1", "SF1")),
            (6, scan("SF1", ScanKind::PickedUp)),
        ]);
        let lens = crate::model::Role::Logistics.lens();
        let seen: Vec<_> = full.iter().map(|e| lens.event(e)).collect();
        let groups = timeline_groups(&seen);
        assert_eq!(groups, {
            let full = timeline_groups(&full);
            full.iter()
                .map(|g| TimelineGroup {
                    key: g.key.clone(),
                    parcel: g.parcel.clone(),
                    contents: g
                        .contents
                        .iter()
                        .map(|c| c.map_amounts(&|m| lens.amount(m)))
                        .collect(),
                    exception: g.exception.clone(),
                    seqs: g.seqs.clone(),
                })
                .collect::<Vec<_>>()
        });
        assert_eq!(keys(&groups), ["order", "parcel-P1"]);
        assert_eq!(groups[0].seqs, [1, 2, 4, 5]);
        assert_eq!(groups[1].seqs, [3, 6, 7]);
        assert_eq!(groups[1].status(), Some(Status::PickedUp));
    }
}
