//! Demo traffic: realistic omnichannel orders. Each order follows a scripted
//! fate (normal delivery, a later-shipping gift box, split parcels, refund
//! interception, a carrier exception, a paid order that never ships, …).
//! Scripts are a pure function of the seed, so a run from an empty store is
//! reproducible.
//!
//! The runner sends each step through a [`Feed`]: straight into the store, or
//! rendered by [`wire`] as the real, signed delivery of the system the step
//! comes from (a Shopify webhook, a Douyin message, our WMS feed, a Kuaidi100
//! push, the timeline write API) through the control room's own routes.

pub mod feed;
pub mod wire;

pub use feed::Feed;

use crate::model::order::lines_total;
use crate::model::{
    Actor, Address, Channel, Component, ComponentId, ComponentKind, Currency, Customer, EventKind,
    Money, OrderId, ParcelId, ScanKind, Source,
};
use chrono::Utc;
use rand::rngs::StdRng;
use rand::{Rng, SeedableRng};
use std::collections::VecDeque;
use std::time::Duration;
use tokio::time::Instant;

/// How much traffic, from which seed.
#[derive(Debug, Clone, Copy)]
pub struct Settings {
    pub orders_per_second: f64,
    pub seed: u64,
}

/// One scripted event: sent `delay` after the previous step of its order.
#[derive(Debug, Clone, PartialEq)]
pub struct Step {
    pub delay: Duration,
    pub source: Source,
    pub actor: Actor,
    pub kind: EventKind,
    /// Reported as having happened this long before it is sent (a late scan).
    pub backdate: Duration,
}

/// One simulated order: its id and the script of its life.
#[derive(Debug, Clone, PartialEq)]
pub struct Script {
    pub order_id: OrderId,
    pub steps: Vec<Step>,
}

/// What happens to an order.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Fate {
    Delivered,
    RefundIntercepted,
    GiftMissingRefund,
    NeverShips,
    CarrierException,
    CancelledUnpaid,
    Returned,
}

const FATES: [(Fate, u32); 7] = [
    (Fate::Delivered, 60),
    (Fate::RefundIntercepted, 8),
    (Fate::GiftMissingRefund, 5),
    (Fate::NeverShips, 5),
    (Fate::CarrierException, 10),
    (Fate::CancelledUnpaid, 6),
    (Fate::Returned, 6),
];

struct Product {
    sku: &'static str,
    name: &'static str,
    price_fen: i64,
}

const MAIN_ITEMS: [Product; 6] = [
    Product {
        sku: "SER-ROSE-30",
        name: "玫瑰精华液 Rose serum 30 ml",
        price_fen: 26800,
    },
    Product {
        sku: "CRM-CAM-50",
        name: "山茶花面霜 Camellia cream 50 g",
        price_fen: 32900,
    },
    Product {
        sku: "TEA-LJ-250",
        name: "明前龙井 Longjing tea 250 g",
        price_fen: 19800,
    },
    Product {
        sku: "LIP-VEL-12",
        name: "丝绒口红 Velvet lipstick #12",
        price_fen: 15900,
    },
    Product {
        sku: "MSK-HYD-10",
        name: "保湿面膜 Hydrating masks ×10",
        price_fen: 9900,
    },
    Product {
        sku: "OIL-CLN-150",
        name: "卸妆油 Cleansing oil 150 ml",
        price_fen: 16800,
    },
];

const GIFTS: [&str; 3] = [
    "旅行装洁面乳 Travel cleanser (gift)",
    "化妆包 Cosmetic pouch (gift)",
    "丝巾 Silk scarf (gift)",
];

const NAMES_CN: [&str; 10] = [
    "王芳", "李娜", "张伟", "刘洋", "陈静", "杨帆", "赵敏", "黄磊", "周婷", "吴昊",
];
const NAMES_EN: [&str; 5] = [
    "Emma Johnson",
    "Liam Smith",
    "Olivia Brown",
    "Noah Davis",
    "Ava Wilson",
];

const PLACES_CN: [(&str, &str, &str); 5] = [
    ("上海", "上海", "浦东新区 世纪大道 100 号"),
    ("北京", "北京", "朝阳区 建国路 88 号"),
    ("广东", "深圳", "南山区 科技园南路 15 号"),
    ("浙江", "杭州", "西湖区 文三路 259 号"),
    ("四川", "成都", "武侯区 天府大道 1700 号"),
];

const WAREHOUSES: [&str; 3] = [
    "Shanghai Jiading DC",
    "Guangzhou Baiyun DC",
    "Chengdu Shuangliu DC",
];
const CARRIERS_CN: [(&str, &str); 4] = [
    ("SF Express", "SF"),
    ("YTO Express", "YT"),
    ("ZTO Express", "ZT"),
    ("JD Logistics", "JDV"),
];
const HUBS: [&str; 4] = [
    "杭州转运中心",
    "上海浦东分拨中心",
    "广州白云转运中心",
    "成都双流分拨中心",
];

fn pick<'a, T>(rng: &mut StdRng, items: &'a [T]) -> &'a T {
    &items[rng.random_range(0..items.len())]
}

fn digits(rng: &mut StdRng, n: usize) -> String {
    (0..n)
        .map(|_| char::from(b'0' + rng.random_range(0..10u8)))
        .collect()
}

fn fate(rng: &mut StdRng) -> Fate {
    let total: u32 = FATES.iter().map(|(_, w)| w).sum();
    let mut roll = rng.random_range(0..total);
    for (fate, weight) in FATES {
        if roll < weight {
            return fate;
        }
        roll -= weight;
    }
    Fate::Delivered
}

/// Builds the script of one order.
struct Writer {
    steps: Vec<Step>,
}

impl Writer {
    fn at(&mut self, secs: f64, source: Source, actor: Actor, kind: EventKind) {
        self.steps.push(Step {
            delay: Duration::from_secs_f64(secs),
            source,
            actor,
            kind,
            backdate: Duration::ZERO,
        });
    }
}

fn system(name: &str) -> Actor {
    Actor::System { name: name.into() }
}

fn cid(s: &str) -> ComponentId {
    ComponentId::parse(s).expect("static component id")
}

fn pid(s: &str) -> ParcelId {
    ParcelId::parse(s).expect("static parcel id")
}

/// Generates the next order's script. A pure function of the generator's state.
pub fn next_script(rng: &mut StdRng) -> Script {
    let order_id = super::order_ids::generate(rng);
    let channel = *pick(rng, &Channel::ALL);
    let (currency, channel_order_id, customer) = match channel {
        Channel::Shopify => (
            Currency::USD,
            format!("#{}", 1000 + rng.random_range(0..90_000)),
            Customer {
                name: pick(rng, &NAMES_EN).to_string(),
                phone: format!("+1 415 555 {}", digits(rng, 4)),
                address: Address {
                    country: "US".into(),
                    province: "CA".into(),
                    city: "San Francisco".into(),
                    line: format!("{} Market St", rng.random_range(1..2000)),
                },
            },
        ),
        _ => {
            let id = match channel {
                Channel::Douyin => format!("69{}", digits(rng, 17)),
                Channel::Tmall => format!("3{}", digits(rng, 17)),
                Channel::Wechat => format!("37{}", digits(rng, 17)),
                Channel::Xiaohongshu => format!("P{}", digits(rng, 18)),
                _ => format!("POS-SH01-{}", digits(rng, 6)),
            };
            let (province, city, line) = *pick(rng, &PLACES_CN);
            (
                Currency::CNY,
                id,
                Customer {
                    name: pick(rng, &NAMES_CN).to_string(),
                    phone: format!("1{}{}", rng.random_range(3..10), digits(rng, 9)),
                    address: Address {
                        country: "CN".into(),
                        province: province.into(),
                        city: city.into(),
                        line: line.into(),
                    },
                },
            )
        }
    };

    // Components: 1–3 main items, often a gift, sometimes a gift box that ships later.
    let mut components = Vec::new();
    let mains = rng.random_range(1..=3);
    for i in 0..mains {
        let p = pick(rng, &MAIN_ITEMS);
        let price = if currency == Currency::USD {
            p.price_fen / 7
        } else {
            p.price_fen
        };
        components.push(Component {
            id: cid(&format!("item-{}", i + 1)),
            sku: p.sku.into(),
            name: p.name.into(),
            kind: ComponentKind::Main,
            quantity: rng.random_range(1..=2),
            unit_price: Money::new(price, currency),
            ships_later: false,
        });
    }
    if rng.random_bool(0.6) {
        components.push(Component {
            id: cid("gift"),
            sku: "GIFT-STD".into(),
            name: pick(rng, &GIFTS).to_string(),
            kind: ComponentKind::Gift,
            quantity: 1,
            unit_price: Money::zero(currency),
            ships_later: false,
        });
    }
    if rng.random_bool(0.3) {
        components.push(Component {
            id: cid("trial"),
            sku: "TRIAL-SER-5".into(),
            name: "精华液小样 Serum trial 5 ml".into(),
            kind: ComponentKind::Trial,
            quantity: 1,
            unit_price: Money::zero(currency),
            ships_later: false,
        });
    }
    let gift_box = rng.random_bool(0.35);
    if gift_box {
        components.push(Component {
            id: cid("gift-box"),
            sku: "BOX-NY-LTD".into(),
            name: "新年限定礼盒 New Year gift box (pre-sale)".into(),
            kind: ComponentKind::GiftBox,
            quantity: 1,
            unit_price: Money::zero(currency),
            ships_later: true,
        });
    }
    // The demo's prices are a few hundred yuan, so the sum always fits; were
    // it not to, the order is placed at zero (its payment then refused), no panic.
    let total = lines_total(currency, &components).unwrap_or(Money::zero(currency));

    let fate = fate(rng);
    let ch = Source::Channel(channel);
    let warehouse = pick(rng, &WAREHOUSES).to_string();
    let wms = Source::Warehouse(warehouse.clone());
    let (carrier, prefix) = if channel == Channel::Shopify {
        ("UPS", "1Z")
    } else {
        *pick(rng, &CARRIERS_CN)
    };
    let carrier_src = Source::Carrier(carrier.into());
    let mut w = Writer { steps: Vec::new() };
    w.at(
        0.0,
        ch.clone(),
        Actor::Customer,
        EventKind::OrderPlaced {
            channel,
            channel_order_id,
            customer,
            components: components.clone(),
            total,
        },
    );
    if fate == Fate::CancelledUnpaid {
        w.at(
            20.0,
            ch,
            system("channel"),
            EventKind::OrderCancelled {
                reason: "not paid within 15 minutes".into(),
            },
        );
        return Script {
            order_id,
            steps: w.steps,
        };
    }
    w.at(
        3.0,
        Source::Finance,
        Actor::Customer,
        EventKind::PaymentCaptured { amount: total },
    );
    w.at(
        3.0,
        ch.clone(),
        system("order router"),
        EventKind::OrderConfirmed,
    );
    w.at(
        3.0,
        wms.clone(),
        system("WMS"),
        EventKind::WarehouseAllocated { warehouse },
    );
    if fate == Fate::NeverShips {
        return Script {
            order_id,
            steps: w.steps,
        };
    }
    if fate == Fate::RefundIntercepted {
        w.at(
            4.0,
            ch.clone(),
            Actor::Customer,
            EventKind::RefundRequested {
                amount: total,
                reason: "ordered by mistake (拍错了)".into(),
            },
        );
        w.at(
            6.0,
            Source::Finance,
            system("refund desk"),
            EventKind::Refunded { amount: total },
        );
        return Script {
            order_id,
            steps: w.steps,
        };
    }
    w.at(4.0, wms.clone(), system("WMS"), EventKind::PickingStarted);

    // Everything that ships now; split into two parcels sometimes.
    let now: Vec<ComponentId> = components
        .iter()
        .filter(|c| !c.ships_later)
        .map(|c| c.id.clone())
        .collect();
    let split = now.len() >= 3 && rng.random_bool(0.4);
    let parcels: Vec<Vec<ComponentId>> = if split {
        let (a, b) = now.split_at(now.len() / 2);
        vec![a.to_vec(), b.to_vec()]
    } else {
        vec![now]
    };
    let mut waybills = Vec::new();
    for (i, contents) in parcels.iter().enumerate() {
        let parcel = pid(&format!("P{}", i + 1));
        let waybill = format!("{prefix}{}", digits(rng, 12));
        w.at(
            5.0,
            wms.clone(),
            system("packing station"),
            EventKind::ParcelPacked {
                parcel: parcel.clone(),
                components: contents.clone(),
            },
        );
        w.at(
            3.0,
            wms.clone(),
            system("WMS"),
            EventKind::ParcelShipped {
                parcel,
                carrier: carrier.into(),
                waybill: waybill.clone(),
            },
        );
        waybills.push(waybill);
    }
    let scan =
        |waybill: &str, scan: ScanKind, location: &str, detail: &str| EventKind::CarrierScan {
            waybill: waybill.into(),
            scan,
            location: Some(location.into()),
            detail: detail.into(),
        };
    for waybill in &waybills {
        let hub = *pick(rng, &HUBS);
        w.at(
            5.0,
            carrier_src.clone(),
            system(carrier),
            scan(
                waybill,
                ScanKind::PickedUp,
                "warehouse dock",
                "已揽收 picked up",
            ),
        );
        w.at(
            6.0,
            carrier_src.clone(),
            system(carrier),
            scan(waybill, ScanKind::InTransit, hub, "运输中 arrived at hub"),
        );
        if fate == Fate::CarrierException {
            w.at(
                6.0,
                carrier_src.clone(),
                system(carrier),
                scan(
                    waybill,
                    ScanKind::Exception,
                    hub,
                    "疑难件 recipient unreachable",
                ),
            );
        }
        w.at(
            6.0,
            carrier_src.clone(),
            system(carrier),
            scan(
                waybill,
                ScanKind::OutForDelivery,
                "delivery station",
                "派件中 out for delivery",
            ),
        );
        w.at(
            6.0,
            carrier_src.clone(),
            system(carrier),
            scan(
                waybill,
                ScanKind::Delivered,
                "front door",
                "已签收 signed for",
            ),
        );
        // Now and then the carrier's feed delivers an older scan late.
        if rng.random_bool(0.15) {
            w.at(
                2.0,
                carrier_src.clone(),
                system(carrier),
                scan(waybill, ScanKind::InTransit, hub, "运输中 (late report)"),
            );
            if let Some(last) = w.steps.last_mut() {
                last.backdate = Duration::from_secs(20);
            }
        }
    }
    if gift_box {
        let waybill = format!("{prefix}{}", digits(rng, 12));
        w.at(
            8.0,
            wms.clone(),
            system("packing station"),
            EventKind::ParcelPacked {
                parcel: pid("BOX"),
                components: vec![cid("gift-box")],
            },
        );
        w.at(
            3.0,
            wms.clone(),
            system("WMS"),
            EventKind::ParcelShipped {
                parcel: pid("BOX"),
                carrier: carrier.into(),
                waybill: waybill.clone(),
            },
        );
        w.at(
            6.0,
            carrier_src.clone(),
            system(carrier),
            scan(&waybill, ScanKind::InTransit, "分拨中心", "运输中"),
        );
        w.at(
            6.0,
            carrier_src.clone(),
            system(carrier),
            scan(
                &waybill,
                ScanKind::Delivered,
                "front door",
                "已签收 signed for",
            ),
        );
    }
    match fate {
        Fate::GiftMissingRefund => {
            // A tenth of the total, at least one minor unit.
            let tenth = total.checked_div(10).unwrap_or(Money::zero(currency));
            let amount = if tenth.is_positive() {
                tenth
            } else {
                Money::new(1, currency)
            };
            w.at(
                8.0,
                ch.clone(),
                Actor::Customer,
                EventKind::RefundRequested {
                    amount,
                    reason: "gift missing from parcel".into(),
                },
            );
            w.at(
                5.0,
                Source::Finance,
                system("refund desk"),
                EventKind::Refunded { amount },
            );
        }
        Fate::Returned => {
            w.at(
                8.0,
                ch.clone(),
                Actor::Customer,
                EventKind::ReturnRequested {
                    reason: "shade does not suit (色号不合适)".into(),
                },
            );
            w.at(10.0, wms, system("returns desk"), EventKind::ReturnReceived);
            w.at(
                4.0,
                Source::Finance,
                system("refund desk"),
                EventKind::RefundRequested {
                    amount: total,
                    reason: "return received".into(),
                },
            );
            w.at(
                3.0,
                Source::Finance,
                system("refund desk"),
                EventKind::Refunded { amount: total },
            );
        }
        _ => {}
    }
    Script {
        order_id,
        steps: w.steps,
    }
}

/// An order in flight: its remaining steps, when the next is due, and what the
/// wire remembers of it.
struct Flight {
    order_id: OrderId,
    steps: VecDeque<Step>,
    due: Instant,
    wire: Option<wire::OrderWire>,
}

/// Runs the simulator until the task is aborted, sending every step to `feed`.
pub async fn run(feed: Feed, settings: Settings) {
    let mut rng = StdRng::seed_from_u64(settings.seed);
    let rate = settings.orders_per_second.clamp(0.01, 1000.0);
    let mut flights: Vec<Flight> = Vec::new();
    let mut next_order = Instant::now();
    let mut tick = tokio::time::interval(Duration::from_millis(100));
    tick.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Skip);
    loop {
        tick.tick().await;
        let now = Instant::now();
        while next_order <= now {
            let script = next_script(&mut rng);
            flights.push(Flight {
                wire: feed.wire_for(&script),
                order_id: script.order_id,
                steps: script.steps.into(),
                due: now,
            });
            // Exponential gaps: a Poisson stream of orders at `rate`.
            let gap = -(1.0 - rng.random::<f64>()).ln() / rate;
            next_order += Duration::from_secs_f64(gap.min(60.0));
        }
        for flight in flights.iter_mut().filter(|f| f.due <= now) {
            if let Some(step) = flight.steps.pop_front() {
                if let Some(next) = flight.steps.front() {
                    flight.due = now + next.delay;
                }
                let at = Utc::now() - step.backdate;
                feed.send(&flight.order_id, flight.wire.as_mut(), step, at)
                    .await;
            }
        }
        flights.retain(|f| !f.steps.is_empty());
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::order::lifecycle::evolve;
    use crate::model::{OrderEvent, RecordedEvent};

    fn scripts(seed: u64, n: usize) -> Vec<Script> {
        let mut rng = StdRng::seed_from_u64(seed);
        (0..n).map(|_| next_script(&mut rng)).collect()
    }

    #[test]
    fn the_same_seed_gives_the_same_traffic() {
        assert_eq!(scripts(7, 50), scripts(7, 50));
        assert_ne!(scripts(7, 50), scripts(8, 50));
    }

    #[test]
    fn every_scripted_step_is_legal_in_the_lifecycle() {
        for script in scripts(42, 400) {
            let mut order = None;
            for (i, step) in script.steps.iter().enumerate() {
                let rec = RecordedEvent {
                    seq: i as u64 + 1,
                    recorded_at: Utc::now(),
                    event: OrderEvent {
                        order_id: script.order_id.clone(),
                        occurred_at: Utc::now() - step.backdate,
                        source: step.source.clone(),
                        actor: step.actor.clone(),
                        kind: step.kind.clone(),
                    },
                };
                order = Some(evolve(order.as_ref(), &rec).unwrap_or_else(|r| {
                    panic!(
                        "{} step {i} ({}) refused: {r}",
                        script.order_id,
                        step.kind.name()
                    )
                }));
            }
        }
    }

    #[test]
    fn traffic_covers_the_scenarios_the_demo_promises() {
        let all = scripts(1, 400);
        let has = |f: &dyn Fn(&EventKind) -> bool| {
            all.iter().any(|s| s.steps.iter().any(|st| f(&st.kind)))
        };
        assert!(has(
            &|k| matches!(k, EventKind::OrderPlaced { components, .. } if components.iter().any(|c| c.ships_later))
        ));
        assert!(has(
            &|k| matches!(k, EventKind::ParcelPacked { parcel, .. } if parcel.as_str() == "P2")
        ));
        assert!(has(&|k| matches!(
            k,
            EventKind::CarrierScan {
                scan: ScanKind::Exception,
                ..
            }
        )));
        assert!(has(&|k| matches!(k, EventKind::Refunded { .. })));
        assert!(all
            .iter()
            .any(|s| s.steps.iter().any(|st| !st.backdate.is_zero())));
        let channels: std::collections::HashSet<_> = all
            .iter()
            .filter_map(|s| match &s.steps[0].kind {
                EventKind::OrderPlaced { channel, .. } => Some(*channel),
                _ => None,
            })
            .collect();
        assert_eq!(channels.len(), Channel::ALL.len());
        // Some orders are paid and then never ship (the detector's case).
        assert!(all.iter().any(|s| matches!(
            s.steps.last().map(|st| &st.kind),
            Some(EventKind::WarehouseAllocated { .. })
        )));
    }
}
