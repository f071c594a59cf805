//! How far an order's shipping has come, said honestly: which components are
//! still waiting, by kind ("Partially shipped · gift box pending"), and
//! "Nothing packed yet" rather than "0 / 0". Facts travel; the words are made
//! where they are shown (`crate::i18n::words::progress`).

use crate::model::order::status::Branch;
use crate::model::order::{ComponentKind, Order};
use serde::{Deserialize, Serialize};

/// The shipping progress of an order.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum Progress {
    /// No parcel packed; `closed`: the order is closed (cancelled, refunded,
    /// returned), so nothing will be.
    NothingPacked { closed: bool },
    /// Parcels packed, none shipped; `unpacked` the kinds of the components
    /// not in a parcel yet (one entry per component).
    Packed {
        parcels: u32,
        unpacked: Vec<ComponentKind>,
    },
    /// Some components shipped; `pending` the kinds of those that have not
    /// (one entry per component). `closed`: the order is closed, so they will
    /// not ship.
    PartiallyShipped {
        pending: Vec<ComponentKind>,
        closed: bool,
    },
    /// Every component has shipped, in `parcels` parcels.
    AllShipped { parcels: u32 },
}

impl Progress {
    /// The progress of `order` as its log leaves it.
    pub fn of<A>(order: &Order<A>) -> Progress {
        let parcels = order.parcels.len() as u32;
        let closed = order.branch.is_some_and(Branch::is_terminal);
        if parcels == 0 {
            return Progress::NothingPacked { closed };
        }
        let not_yet = |shipped: bool| -> Vec<ComponentKind> {
            order
                .components
                .iter()
                .filter(|c| match order.parcel_of(&c.id) {
                    None => true,
                    Some(p) => shipped && !p.stage.has_shipped(),
                })
                .map(|c| c.kind)
                .collect()
        };
        if !order.any_shipped() {
            return Progress::Packed {
                parcels,
                unpacked: not_yet(false),
            };
        }
        let pending = not_yet(true);
        if pending.is_empty() {
            Progress::AllShipped { parcels }
        } else {
            Progress::PartiallyShipped { pending, closed }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::order::status::Stage;
    use crate::model::{
        evolve, Actor, Address, Channel, Component, ComponentId, Currency, Customer, EventKind,
        Money, OrderEvent, OrderId, Parcel, ParcelId, RecordedEvent, Source,
    };
    use chrono::{TimeZone, Utc};

    fn component(id: &str, kind: ComponentKind) -> Component {
        Component {
            id: ComponentId::parse(id).unwrap(),
            sku: id.to_uppercase(),
            name: id.into(),
            kind,
            quantity: 1,
            unit_price: Money::new(100, Currency::CNY),
            ships_later: kind == ComponentKind::GiftBox,
        }
    }

    fn parcel(id: &str, components: &[&str], stage: Stage) -> Parcel {
        Parcel {
            id: ParcelId::parse(id).unwrap(),
            components: components
                .iter()
                .map(|c| ComponentId::parse(*c).unwrap())
                .collect(),
            stage,
            carrier: None,
            waybill: None,
            last_scan_at: None,
            notified_at: None,
            shipped_at: None,
        }
    }

    /// A paid order of a serum, a gift and a gift box, packed as `parcels` say.
    fn order(parcels: Vec<Parcel>) -> Order {
        let at = Utc.with_ymd_and_hms(2026, 11, 1, 8, 0, 0).unwrap();
        let placed = RecordedEvent {
            seq: 1,
            recorded_at: at,
            event: OrderEvent {
                order_id: OrderId::parse("CR-1").unwrap(),
                occurred_at: at,
                source: Source::ControlRoom,
                actor: Actor::Anonymous,
                kind: EventKind::OrderPlaced {
                    channel: Channel::Tmall,
                    channel_order_id: "1".into(),
                    customer: Customer {
                        name: "李娜".into(),
                        phone: "13800138000".into(),
                        address: Address {
                            country: "CN".into(),
                            province: "浙江".into(),
                            city: "杭州".into(),
                            line: "1 号".into(),
                        },
                    },
                    components: vec![
                        component("serum", ComponentKind::Main),
                        component("gift", ComponentKind::Gift),
                        component("box", ComponentKind::GiftBox),
                    ],
                    total: Money::new(300, Currency::CNY),
                },
            },
        };
        let mut order = evolve(None, &placed).unwrap();
        order.parcels = parcels;
        order
    }

    #[test]
    fn nothing_packed_reads_as_such_not_zero_of_zero() {
        let progress = Progress::of(&order(vec![]));
        assert_eq!(progress, Progress::NothingPacked { closed: false });
    }

    #[test]
    fn a_closed_order_with_nothing_packed_reads_nothing_shipped() {
        let mut cancelled = order(vec![]);
        cancelled.branch = Some(Branch::Cancelled);
        let progress = Progress::of(&cancelled);
        assert_eq!(progress, Progress::NothingPacked { closed: true });
    }

    #[test]
    fn two_parcels_shipped_and_the_gift_box_waiting_is_partially_shipped() {
        let o = order(vec![
            parcel("P1", &["serum"], Stage::InTransit),
            parcel("P2", &["gift"], Stage::Shipped),
        ]);
        assert_eq!(o.shipped_count(), (2, 2), "every parcel shipped…");
        assert_eq!(
            Progress::of(&o),
            Progress::PartiallyShipped {
                pending: vec![ComponentKind::GiftBox],
                closed: false
            },
            "…but not every component"
        );
    }

    #[test]
    fn a_packed_parcel_waiting_names_what_has_not_shipped() {
        let o = order(vec![
            parcel("P1", &["serum"], Stage::Shipped),
            parcel("P2", &["gift", "box"], Stage::Packed),
        ]);
        assert_eq!(
            Progress::of(&o),
            Progress::PartiallyShipped {
                pending: vec![ComponentKind::Gift, ComponentKind::GiftBox],
                closed: false
            }
        );
        let o = order(vec![parcel("P1", &["serum", "gift"], Stage::Packed)]);
        assert_eq!(
            Progress::of(&o),
            Progress::Packed {
                parcels: 1,
                unpacked: vec![ComponentKind::GiftBox]
            }
        );
    }

    #[test]
    fn everything_shipped_says_so_and_a_closed_order_is_not_pending() {
        let o = order(vec![
            parcel("P1", &["serum", "gift"], Stage::Delivered),
            parcel("P2", &["box"], Stage::Shipped),
        ]);
        assert_eq!(Progress::of(&o), Progress::AllShipped { parcels: 2 });
        let mut o = order(vec![parcel("P1", &["serum"], Stage::Shipped)]);
        o.branch = Some(Branch::Refunded);
        assert_eq!(
            Progress::of(&o),
            Progress::PartiallyShipped {
                pending: vec![ComponentKind::Gift, ComponentKind::GiftBox],
                closed: true
            }
        );
    }
}
