//! What the benchmarks append: a placed one-item order, from the benchmark.

use order_control_room::model::{
    Actor, Address, Channel, Component, ComponentId, ComponentKind, Currency, Customer, EventKind,
    Money, OrderEvent, OrderId, Source,
};

/// An event of `order`, now, by the benchmark.
pub fn event(order: &OrderId, source: Source, kind: EventKind) -> OrderEvent {
    OrderEvent {
        order_id: order.clone(),
        occurred_at: chrono::Utc::now(),
        source,
        actor: Actor::System {
            name: "bench".into(),
        },
        kind,
    }
}

/// Places `order` on `channel` under `channel_order_id`: one item, ¥99.00.
pub fn placed(order: &OrderId, channel: Channel, channel_order_id: String) -> OrderEvent {
    let total = Money::new(9900, Currency::CNY);
    event(
        order,
        Source::Channel(channel),
        EventKind::OrderPlaced {
            channel,
            channel_order_id,
            customer: Customer {
                name: "张伟".into(),
                phone: "13900139000".into(),
                address: Address {
                    country: "CN".into(),
                    province: "浙江".into(),
                    city: "杭州".into(),
                    line: "西湖区".into(),
                },
            },
            components: vec![Component {
                id: ComponentId::parse("item-1").expect("valid id"),
                sku: "MSK-HYD-10".into(),
                name: "Hydrating masks".into(),
                kind: ComponentKind::Main,
                quantity: 1,
                unit_price: total,
                ships_later: false,
            }],
            total,
        },
    )
}
