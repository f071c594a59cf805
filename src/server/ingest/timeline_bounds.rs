//! What a real order can hold, for events that come in through the timeline
//! write API: lines per order and per parcel, quantity per line, and amounts.
//! Beyond these an event is a mistake or an attack (an overflowing total, a
//! billion-line order), refused with the field named and nothing appended.

use crate::model::{EventKind, Money};

/// Most lines of one order (and components of one parcel).
pub const MAX_LINES: usize = 500;
/// Largest quantity of one line.
pub const MAX_QUANTITY: u32 = 9_999;
/// Largest amount, in minor units: ¥10,000,000.00 (and as many minor units of
/// any currency).
pub const MAX_AMOUNT_MINOR: i64 = 1_000_000_000;

/// Which field is out of bounds, and what it may be.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("field {field} {rule}, got {got}")]
pub struct OutOfBounds {
    pub field: String,
    pub rule: String,
    pub got: String,
}

fn amount(field: &str, money: &Money) -> Result<(), OutOfBounds> {
    if (0..=MAX_AMOUNT_MINOR).contains(&money.minor) {
        return Ok(());
    }
    Err(OutOfBounds {
        field: format!("{field}.minor"),
        rule: format!("must be 0 to {MAX_AMOUNT_MINOR} minor units"),
        got: money.minor.to_string(),
    })
}

fn lines(field: &str, n: usize) -> Result<(), OutOfBounds> {
    if n <= MAX_LINES {
        return Ok(());
    }
    Err(OutOfBounds {
        field: field.to_string(),
        rule: format!("may hold at most {MAX_LINES} entries"),
        got: n.to_string(),
    })
}

/// Checks `event`, whose fields are named under `prefix` (`event`).
pub fn check(prefix: &str, event: &EventKind) -> Result<(), OutOfBounds> {
    match event {
        EventKind::OrderPlaced {
            components, total, ..
        } => {
            lines(&format!("{prefix}.components"), components.len())?;
            for (i, c) in components.iter().enumerate() {
                let field = format!("{prefix}.components[{i}]");
                if !(1..=MAX_QUANTITY).contains(&c.quantity) {
                    return Err(OutOfBounds {
                        field: format!("{field}.quantity"),
                        rule: format!("must be 1 to {MAX_QUANTITY}"),
                        got: c.quantity.to_string(),
                    });
                }
                amount(&format!("{field}.unit_price"), &c.unit_price)?;
            }
            amount(&format!("{prefix}.total"), total)
        }
        EventKind::ParcelPacked { components, .. } => {
            lines(&format!("{prefix}.components"), components.len())
        }
        EventKind::CustomsDeclared { fields } => lines(&format!("{prefix}.fields"), fields.len()),
        EventKind::PaymentCaptured { amount: a }
        | EventKind::RefundRequested { amount: a, .. }
        | EventKind::Refunded { amount: a } => amount(&format!("{prefix}.amount"), a),
        _ => Ok(()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{
        Address, Channel, Component, ComponentId, ComponentKind, Currency, Customer,
    };

    fn line(quantity: u32, price: i64) -> Component {
        Component {
            id: ComponentId::parse("item-1").unwrap(),
            sku: "SKU".into(),
            name: "Thing".into(),
            kind: ComponentKind::Main,
            quantity,
            unit_price: Money::new(price, Currency::CNY),
            ships_later: false,
        }
    }

    fn placed(components: Vec<Component>, total: i64) -> EventKind {
        EventKind::OrderPlaced {
            channel: Channel::Tmall,
            channel_order_id: "1".into(),
            customer: Customer {
                name: "A".into(),
                phone: "1".into(),
                address: Address {
                    country: "CN".into(),
                    province: "SH".into(),
                    city: "Shanghai".into(),
                    line: "1 Road".into(),
                },
            },
            components,
            total: Money::new(total, Currency::CNY),
        }
    }

    #[test]
    fn a_real_order_passes() {
        assert_eq!(check("event", &placed(vec![line(2, 9900)], 19800)), Ok(()));
        let limit = placed(
            vec![line(MAX_QUANTITY, MAX_AMOUNT_MINOR); MAX_LINES],
            MAX_AMOUNT_MINOR,
        );
        assert_eq!(check("event", &limit), Ok(()));
    }

    #[test]
    fn each_bound_names_its_field() {
        let err = |e: EventKind| check("event", &e).unwrap_err().field;
        assert_eq!(
            err(placed(vec![line(0, 1)], 1)),
            "event.components[0].quantity"
        );
        assert_eq!(
            err(placed(vec![line(1, 1), line(10_000, 1)], 1)),
            "event.components[1].quantity"
        );
        assert_eq!(
            err(placed(vec![line(1, MAX_AMOUNT_MINOR + 1)], 1)),
            "event.components[0].unit_price.minor"
        );
        assert_eq!(
            err(placed(vec![line(1, -1)], 1)),
            "event.components[0].unit_price.minor"
        );
        assert_eq!(err(placed(vec![line(1, 1)], i64::MAX)), "event.total.minor");
        assert_eq!(
            err(placed(vec![line(1, 1); MAX_LINES + 1], 1)),
            "event.components"
        );
        let cny = |minor| Money::new(minor, Currency::CNY);
        assert_eq!(
            err(EventKind::PaymentCaptured { amount: cny(-5) }),
            "event.amount.minor"
        );
        assert_eq!(
            err(EventKind::Refunded {
                amount: cny(MAX_AMOUNT_MINOR + 1)
            }),
            "event.amount.minor"
        );
        let message = check("event", &placed(vec![line(0, 1)], 1))
            .unwrap_err()
            .to_string();
        assert_eq!(
            message,
            "field event.components[0].quantity must be 1 to 9999, got 0"
        );
    }
}
