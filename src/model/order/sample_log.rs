//! A sample order's log for tests: a Tmall serum with a pouch as a gift and a
//! gift box shipping later, built event by event (each folded with `evolve`,
//! so a test log is always one the store would accept).

use crate::model::order::channel::{Channel, Source};
use crate::model::order::event::{Actor, EventKind, OrderEvent, RecordedEvent, ScanKind};
use crate::model::order::ids::{ComponentId, OrderId, ParcelId};
use crate::model::order::lifecycle::evolve;
use crate::model::order::money::{Currency, Money};
use crate::model::order::{Address, Component, ComponentKind, Customer, Order};
use chrono::{DateTime, Duration, TimeZone, Utc};

/// 2026-11-28 02:00 UTC (10:00 in China), plus `minutes`.
pub fn at(minutes: i64) -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 11, 28, 2, 0, 0).unwrap() + Duration::minutes(minutes)
}

fn component(id: &str, name: &str, kind: ComponentKind, price: i64, later: bool) -> Component {
    Component {
        id: ComponentId::parse(id).unwrap(),
        sku: id.to_uppercase(),
        name: name.into(),
        kind,
        quantity: 1,
        unit_price: Money::new(price, Currency::CNY),
        ships_later: later,
    }
}

/// The sample order as placed: serum (main), pouch (gift), gift box (later).
pub fn placed() -> EventKind {
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
            component("serum", "玫瑰精华", ComponentKind::Main, 29900, false),
            component("gift", "化妆包", ComponentKind::Gift, 0, false),
            component("box", "礼盒", ComponentKind::GiftBox, 0, true),
        ],
        total: Money::new(29900, Currency::CNY),
    }
}

/// An order's log as it grows, one minute per event unless told otherwise.
pub struct Log {
    events: Vec<RecordedEvent>,
    order: Option<Order>,
}

impl Default for Log {
    fn default() -> Log {
        Log::new()
    }
}

impl Log {
    /// A log holding only the placing of the sample order.
    pub fn new() -> Log {
        Log::with(placed())
    }

    /// A log holding only `placed` (the sample order, changed).
    pub fn with(placed: EventKind) -> Log {
        let mut log = Log {
            events: Vec::new(),
            order: None,
        };
        log.push(placed);
        log
    }

    /// Appends `kind`, happening one minute after the last event.
    pub fn push(&mut self, kind: EventKind) -> &mut Log {
        let minute = self.events.len() as i64;
        self.push_at(at(minute), kind)
    }

    /// Appends `kind`, happening at `when`.
    pub fn push_at(&mut self, when: DateTime<Utc>, kind: EventKind) -> &mut Log {
        let recorded = RecordedEvent {
            seq: self.events.len() as u64 + 1,
            recorded_at: at(self.events.len() as i64),
            event: OrderEvent {
                order_id: OrderId::parse("CR-1").unwrap(),
                occurred_at: when,
                source: Source::ControlRoom,
                actor: Actor::System {
                    name: "test".into(),
                },
                kind,
            },
        };
        self.order = Some(evolve(self.order.as_ref(), &recorded).expect("a legal event"));
        self.events.push(recorded);
        self
    }

    /// Paid in full.
    pub fn paid(&mut self) -> &mut Log {
        self.push(EventKind::PaymentCaptured {
            amount: Money::new(29900, Currency::CNY),
        })
    }

    /// `components` packed into `parcel`.
    pub fn packed(&mut self, parcel: &str, components: &[&str]) -> &mut Log {
        self.push(EventKind::ParcelPacked {
            parcel: ParcelId::parse(parcel).unwrap(),
            components: components
                .iter()
                .map(|c| ComponentId::parse(*c).unwrap())
                .collect(),
        })
    }

    /// `parcel` handed to `carrier` under `waybill`.
    pub fn shipped(&mut self, parcel: &str, carrier: &str, waybill: &str) -> &mut Log {
        self.push(EventKind::ParcelShipped {
            parcel: ParcelId::parse(parcel).unwrap(),
            carrier: carrier.into(),
            waybill: waybill.into(),
        })
    }

    /// A carrier scan of `waybill`, happening `minutes_late` before the last event.
    pub fn scan_late(
        &mut self,
        waybill: &str,
        scan: ScanKind,
        location: Option<&str>,
        minutes_late: i64,
    ) -> &mut Log {
        let when = at(self.events.len() as i64) - Duration::minutes(minutes_late);
        self.push_at(
            when,
            EventKind::CarrierScan {
                waybill: waybill.into(),
                scan,
                location: location.map(Into::into),
                detail: format!("{scan:?}"),
            },
        )
    }

    /// A carrier scan of `waybill`.
    pub fn scan(&mut self, waybill: &str, scan: ScanKind, location: Option<&str>) -> &mut Log {
        self.scan_late(waybill, scan, location, 0)
    }

    pub fn events(&self) -> &[RecordedEvent] {
        &self.events
    }

    pub fn order(&self) -> &Order {
        self.order.as_ref().expect("placed")
    }

    /// The sequence number of the last event.
    pub fn last_seq(&self) -> u64 {
        self.events.len() as u64
    }
}
