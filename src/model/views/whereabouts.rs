//! "Where is my gift box?": for each component of an order, where it is now
//! (not packed yet, packed, on its way, delivered, held up at the carrier) and
//! the event that says so, taken from the order and its log only. The
//! service desk's answer and its suggested reply are worded from these facts
//! (`crate::i18n::words::reply`), so no sentence says what no event said.

use crate::model::order::event::{EventKind, RecordedEvent, ScanKind};
use crate::model::order::ids::{ComponentId, ParcelId};
use crate::model::order::status::{Branch, Stage};
use crate::model::order::{ComponentKind, Order};
use chrono::{DateTime, Utc};

/// The last scan a carrier reported for a parcel.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct LastScan {
    pub kind: ScanKind,
    pub location: Option<String>,
    /// The carrier's own words (`快件已到达杭州转运中心`), as reported.
    pub detail: String,
    pub at: DateTime<Utc>,
    pub seq: u64,
}

/// Where one component is now.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum Place {
    /// Not in a parcel yet. `ships_later`: announced to ship on its own
    /// (a gift box in pre-sale); `seq`: the event that placed the order.
    Waiting { ships_later: bool, seq: u64 },
    /// In a parcel the carrier has not taken yet.
    Packed {
        parcel: ParcelId,
        at: DateTime<Utc>,
        seq: u64,
    },
    /// Handed to the carrier. `last_scan`: the carrier's latest word on it,
    /// when it has said anything.
    OnTheWay {
        parcel: ParcelId,
        carrier: String,
        waybill: String,
        shipped_at: DateTime<Utc>,
        stage: Stage,
        last_scan: Option<LastScan>,
        seq: u64,
    },
    /// The carrier's latest scan is a failure or a hold-up.
    HeldUp {
        parcel: ParcelId,
        carrier: String,
        waybill: String,
        scan: LastScan,
    },
    /// Signed for.
    Delivered {
        parcel: ParcelId,
        carrier: String,
        waybill: String,
        at: DateTime<Utc>,
        seq: u64,
    },
}

impl Place {
    /// The parcel it is in, once packed.
    pub fn parcel(&self) -> Option<&ParcelId> {
        match self {
            Place::Waiting { .. } => None,
            Place::Packed { parcel, .. }
            | Place::OnTheWay { parcel, .. }
            | Place::HeldUp { parcel, .. }
            | Place::Delivered { parcel, .. } => Some(parcel),
        }
    }

    /// The sequence number of the event this place is taken from.
    pub fn evidence(&self) -> u64 {
        match self {
            Place::Waiting { seq, .. }
            | Place::Packed { seq, .. }
            | Place::OnTheWay { seq, .. }
            | Place::Delivered { seq, .. } => *seq,
            Place::HeldUp { scan, .. } => scan.seq,
        }
    }
}

/// One component and where it is.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Item {
    pub component: ComponentId,
    pub name: String,
    pub kind: ComponentKind,
    pub quantity: u32,
    pub place: Place,
}

/// Where the order as a whole stands, when that is what a customer needs to
/// hear first (it is closed, held, or waiting for payment or a refund).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Standing {
    AwaitingPayment,
    /// Moving normally.
    Open,
    OnHold,
    Cancelled,
    RefundRequested,
    Refunded,
    ReturnRequested,
    Returned,
}

/// Several components in one place: they are answered in one sentence.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Group<'a> {
    pub items: Vec<&'a Item>,
    pub place: &'a Place,
}

/// Where every component of an order is.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Whereabouts {
    pub channel_order_id: String,
    pub standing: Standing,
    pub items: Vec<Item>,
}

impl Whereabouts {
    /// Reads the order's state and its log (`events`, in sequence order; any
    /// amount type: what the viewer's lens shows is enough).
    pub fn of<A>(order: &Order<A>, events: &[RecordedEvent<A>]) -> Whereabouts {
        let placed_seq = events
            .iter()
            .find(|e| matches!(e.event.kind, EventKind::OrderPlaced { .. }))
            .map_or(0, |e| e.seq);
        let items = order
            .components
            .iter()
            .map(|c| Item {
                component: c.id.clone(),
                name: c.name.clone(),
                kind: c.kind,
                quantity: c.quantity,
                place: match order.parcel_of(&c.id) {
                    None => Place::Waiting {
                        ships_later: c.ships_later,
                        seq: placed_seq,
                    },
                    Some(parcel) => place_of(parcel, events),
                },
            })
            .collect();
        Whereabouts {
            channel_order_id: order.channel_order_id.clone(),
            standing: standing(order),
            items,
        }
    }

    /// The components grouped by where they are (one group per parcel, one
    /// for those waiting alike), the group holding `asked` first, then in
    /// the order's component order.
    pub fn groups(&self, asked: Option<&ComponentId>) -> Vec<Group<'_>> {
        let mut groups: Vec<Group<'_>> = Vec::new();
        for item in &self.items {
            let same = |g: &&mut Group<'_>| match (g.place.parcel(), item.place.parcel()) {
                (Some(a), Some(b)) => a == b,
                (None, None) => g.place == &item.place,
                _ => false,
            };
            match groups.iter_mut().find(|g| same(g)) {
                Some(group) => group.items.push(item),
                None => groups.push(Group {
                    items: vec![item],
                    place: &item.place,
                }),
            }
        }
        if let Some(asked) = asked {
            if let Some(at) = groups
                .iter()
                .position(|g| g.items.iter().any(|i| &i.component == asked))
            {
                let first = groups.remove(at);
                groups.insert(0, first);
            }
        }
        groups
    }
}

fn standing<A>(order: &Order<A>) -> Standing {
    match order.branch {
        Some(Branch::OnHold) => Standing::OnHold,
        Some(Branch::Cancelled) => Standing::Cancelled,
        Some(Branch::RefundRequested) => Standing::RefundRequested,
        Some(Branch::Refunded) => Standing::Refunded,
        Some(Branch::ReturnRequested) => Standing::ReturnRequested,
        Some(Branch::Returned) => Standing::Returned,
        None if order.stage == Stage::Placed => Standing::AwaitingPayment,
        None => Standing::Open,
    }
}

/// Where a packed parcel is, from the events that moved it.
fn place_of<A>(parcel: &crate::model::order::Parcel, events: &[RecordedEvent<A>]) -> Place {
    let packed = events.iter().find_map(|e| match &e.event.kind {
        EventKind::ParcelPacked { parcel: p, .. } if p == &parcel.id => {
            Some((e.event.occurred_at, e.seq))
        }
        _ => None,
    });
    let shipped = events.iter().find_map(|e| match &e.event.kind {
        EventKind::ParcelShipped { parcel: p, .. } if p == &parcel.id => {
            Some((e.event.occurred_at, e.seq))
        }
        _ => None,
    });
    let (Some(carrier), Some(waybill), Some((shipped_at, shipped_seq))) =
        (parcel.carrier.clone(), parcel.waybill.clone(), shipped)
    else {
        let (at, seq) = packed.unwrap_or((parcel_time(parcel), 0));
        return Place::Packed {
            parcel: parcel.id.clone(),
            at,
            seq,
        };
    };
    let last_scan = latest_scan(&waybill, events);
    if parcel.stage == Stage::Delivered {
        let delivered = events
            .iter()
            .filter(|e| {
                matches!(&e.event.kind, EventKind::CarrierScan { waybill: w, scan: ScanKind::Delivered, .. } if w == &waybill)
            })
            .map(|e| (e.event.occurred_at, e.seq))
            .next();
        let (at, seq) = delivered.unwrap_or((shipped_at, shipped_seq));
        return Place::Delivered {
            parcel: parcel.id.clone(),
            carrier,
            waybill,
            at,
            seq,
        };
    }
    match last_scan {
        Some(scan) if scan.kind == ScanKind::Exception => Place::HeldUp {
            parcel: parcel.id.clone(),
            carrier,
            waybill,
            scan,
        },
        last_scan => Place::OnTheWay {
            parcel: parcel.id.clone(),
            carrier,
            waybill,
            shipped_at,
            stage: parcel.stage,
            last_scan,
            seq: shipped_seq,
        },
    }
}

/// A parcel packed by an event the viewer has not been shown: its last scan
/// time or, failing that, the epoch (never shown: the seq is 0 then).
fn parcel_time(parcel: &crate::model::order::Parcel) -> DateTime<Utc> {
    parcel.last_scan_at.unwrap_or_default()
}

/// The newest scan of `waybill` (by when it happened; a late, older scan does
/// not replace it), the later one in the log on a tie.
fn latest_scan<A>(waybill: &str, events: &[RecordedEvent<A>]) -> Option<LastScan> {
    events
        .iter()
        .filter_map(|e| match &e.event.kind {
            EventKind::CarrierScan {
                waybill: w,
                scan,
                location,
                detail,
            } if w == waybill => Some(LastScan {
                kind: *scan,
                location: location.clone(),
                detail: detail.clone(),
                at: e.event.occurred_at,
                seq: e.seq,
            }),
            _ => None,
        })
        .max_by_key(|s| (s.at, s.seq))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::order::sample_log::Log;

    #[test]
    fn a_gift_box_still_waiting_stands_apart_from_the_shipped_serum() {
        let mut log = Log::new();
        log.paid().packed("P1", &["serum", "gift"]);
        log.shipped("P1", "SF", "SF1234567890");
        log.scan("SF1234567890", ScanKind::InTransit, Some("杭州转运中心"));
        let w = Whereabouts::of(log.order(), log.events());
        let gift_box = &w.items[2];
        assert_eq!(gift_box.kind, ComponentKind::GiftBox);
        assert!(matches!(
            gift_box.place,
            Place::Waiting {
                ships_later: true,
                seq: 1
            }
        ));
        match &w.items[0].place {
            Place::OnTheWay {
                waybill, last_scan, ..
            } => {
                assert_eq!(waybill, "SF1234567890");
                let scan = last_scan.as_ref().expect("a scan");
                assert_eq!(scan.location.as_deref(), Some("杭州转运中心"));
                assert_eq!(scan.seq, log.last_seq());
            }
            other => panic!("{other:?}"),
        }
        // Serum and pouch share parcel P1: one group; asked for the box, it comes first.
        let groups = w.groups(Some(&gift_box.component));
        assert_eq!(groups.len(), 2);
        assert_eq!(groups[0].items[0].kind, ComponentKind::GiftBox);
        assert_eq!(groups[1].items.len(), 2);
        assert_eq!(w.groups(None)[0].items.len(), 2);
    }

    #[test]
    fn the_newest_scan_wins_over_a_late_older_one_and_a_failure_holds_the_parcel_up() {
        let mut log = Log::new();
        log.paid().packed("P1", &["serum"]);
        log.shipped("P1", "SF", "SF1");
        log.scan("SF1", ScanKind::Exception, Some("杭州"));
        log.scan_late("SF1", ScanKind::PickedUp, Some("上海"), 60);
        let w = Whereabouts::of(log.order(), log.events());
        assert!(
            matches!(&w.items[0].place, Place::HeldUp { scan, .. } if scan.location.as_deref() == Some("杭州"))
        );
    }

    #[test]
    fn a_delivered_parcel_says_when_and_an_unpaid_order_says_so() {
        let mut log = Log::new();
        assert_eq!(
            Whereabouts::of(log.order(), log.events()).standing,
            Standing::AwaitingPayment
        );
        log.paid().packed("P1", &["serum"]);
        log.shipped("P1", "SF", "SF1");
        log.scan("SF1", ScanKind::Delivered, Some("杭州西湖区"));
        let w = Whereabouts::of(log.order(), log.events());
        assert_eq!(w.standing, Standing::Open);
        assert!(
            matches!(&w.items[0].place, Place::Delivered { seq, .. } if *seq == log.last_seq())
        );
        assert!(matches!(
            &w.items[1].place,
            Place::Waiting {
                ships_later: false,
                ..
            }
        ));
    }

    #[test]
    fn a_packed_parcel_waits_for_the_carrier() {
        let mut log = Log::new();
        log.paid().packed("P1", &["serum", "gift"]);
        let w = Whereabouts::of(log.order(), log.events());
        assert!(matches!(&w.items[1].place, Place::Packed { seq: 3, .. }));
    }
}
