//! The order as a demo buyer places it: on which channel, by whom, to where,
//! and what is in it (main items, often a gift or a trial size, sometimes a
//! gift box in pre-sale that ships later).

use super::catalogue::{cid, digits, pick, GIFTS, MAIN_ITEMS, NAMES_CN, NAMES_EN, PLACES_CN};
use crate::model::order::lines_total;
use crate::model::{
    Address, Channel, Component, ComponentKind, Currency, Customer, EventKind, Money,
};
use chrono::{DateTime, Utc};
use rand::rngs::StdRng;
use rand::Rng;

/// What an order's `OrderPlaced` step says.
pub(super) struct Placement {
    pub channel: Channel,
    pub channel_order_id: String,
    pub customer: Customer,
    pub components: Vec<Component>,
    pub total: Money,
    /// It holds a gift box that ships after the rest.
    pub gift_box: bool,
}

impl Placement {
    /// The next order, placed at `placed`, drawn from `rng`.
    pub(super) fn draw(rng: &mut StdRng, placed: DateTime<Utc>) -> Placement {
        let channel = *pick(rng, &Channel::ALL);
        let (currency, channel_order_id, customer) = match channel {
            Channel::Shopify => american_buyer(rng),
            _ => chinese_buyer(rng, channel, placed),
        };
        let (components, gift_box) = basket(rng, currency);
        // The demo's prices are a few hundred yuan, so the sum always fits; were
        // it not to, the order is placed at zero (its payment then refused), no panic.
        let total = lines_total(currency, &components).unwrap_or(Money::zero(currency));
        Placement {
            channel,
            channel_order_id,
            customer,
            components,
            total,
            gift_box,
        }
    }

    /// The event that places the order.
    pub(super) fn event(&self) -> EventKind {
        EventKind::OrderPlaced {
            channel: self.channel,
            channel_order_id: self.channel_order_id.clone(),
            customer: self.customer.clone(),
            components: self.components.clone(),
            total: self.total,
        }
    }
}

/// A Shopify buyer in San Francisco, paying in dollars; the order named
/// `#123456789` (nine digits: a store of a million demo orders draws few
/// names twice, and a name drawn twice is refused as the same order).
fn american_buyer(rng: &mut StdRng) -> (Currency, String, Customer) {
    (
        Currency::USD,
        format!("#{}", rng.random_range(100_000_000..1_000_000_000)),
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
    )
}

/// A buyer in China, paying in yuan; the order named as `channel` names it.
/// These platforms number orders in time order, and so does the demo: a
/// digit for the platform, the second of placing, eight random digits (19
/// digits, which Douyin and WeChat send as JSON numbers). Two orders of one
/// second on one channel share a number about once in an hour and a half at
/// 200 a second; the second is refused as placed twice.
fn chinese_buyer(
    rng: &mut StdRng,
    channel: Channel,
    placed: DateTime<Utc>,
) -> (Currency, String, Customer) {
    let number = format!("{:010}{}", placed.timestamp().max(0), digits(rng, 8));
    let id = match channel {
        Channel::Douyin => format!("6{number}"),
        Channel::Tmall => format!("2{number}"),
        Channel::Wechat => format!("3{number}"),
        Channel::Xiaohongshu => format!("P{number}"),
        _ => format!("POS-SH01-{number}"),
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

/// 1–3 main items, often a gift, sometimes a trial size and a gift box that
/// ships later (the second value: whether it has one).
fn basket(rng: &mut StdRng, currency: Currency) -> (Vec<Component>, bool) {
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
        let name = pick(rng, &GIFTS).to_string();
        components.push(free(
            "gift",
            "GIFT-STD",
            name,
            ComponentKind::Gift,
            currency,
        ));
    }
    if rng.random_bool(0.3) {
        let name = "精华液小样 Serum trial 5 ml".to_string();
        components.push(free(
            "trial",
            "TRIAL-SER-5",
            name,
            ComponentKind::Trial,
            currency,
        ));
    }
    let gift_box = rng.random_bool(0.35);
    if gift_box {
        let name = "新年限定礼盒 New Year gift box (pre-sale)".to_string();
        let mut gift_box = free(
            "gift-box",
            "BOX-NY-LTD",
            name,
            ComponentKind::GiftBox,
            currency,
        );
        gift_box.ships_later = true;
        components.push(gift_box);
    }
    (components, gift_box)
}

/// One free component of quantity 1.
fn free(id: &str, sku: &str, name: String, kind: ComponentKind, currency: Currency) -> Component {
    Component {
        id: cid(id),
        sku: sku.into(),
        name,
        kind,
        quantity: 1,
        unit_price: Money::zero(currency),
        ships_later: false,
    }
}
