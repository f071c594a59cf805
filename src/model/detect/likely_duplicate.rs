//! Detector 5: a likely duplicate order. The same customer fingerprint —
//! phone, delivery address and items (each SKU with its quantity) — as an
//! earlier order placed within the window (72 h by default). A cancelled
//! order is no original (it will not ship). The customer panel flags
//! duplicates with the same rule.

use super::settings::secs;
use super::{Context, Detector, Finding};
use crate::model::order::exceptions::{ExceptionCode, ExceptionFacts};
use crate::model::order::status::Branch;
use crate::model::order::{Address, Order};
use chrono::{DateTime, Duration, Utc};
use std::collections::BTreeMap;

pub struct LikelyDuplicate;

/// What an order is made of: each SKU with its quantity.
fn items<A>(order: &Order<A>) -> BTreeMap<&str, u32> {
    let mut items = BTreeMap::new();
    for c in &order.components {
        *items.entry(c.sku.as_str()).or_insert(0) += c.quantity;
    }
    items
}

/// An address as compared: every part without spaces or case.
fn place(a: &Address) -> String {
    [&a.country, &a.province, &a.city, &a.line]
        .iter()
        .flat_map(|s| s.chars())
        .filter(|c| !c.is_whitespace() && *c != ',' && *c != '，')
        .flat_map(char::to_lowercase)
        .collect()
}

/// Digits of a phone, without a leading China code.
fn phone(p: &str) -> String {
    let digits: String = p.chars().filter(char::is_ascii_digit).collect();
    match digits.strip_prefix("86") {
        Some(rest) if rest.len() == 11 => rest.to_string(),
        _ => digits,
    }
}

/// The earlier order among `others` that `order` likely repeats: the same
/// phone, address and items, placed within `window` before it, not cancelled;
/// the latest such.
pub fn original_of<'a, A, B>(
    order: &Order<A>,
    others: &'a [Order<B>],
    window: Duration,
) -> Option<&'a Order<B>> {
    others
        .iter()
        .filter(|o| o.id != order.id)
        .filter(|o| o.branch != Some(Branch::Cancelled))
        .filter(|o| {
            (o.placed_at, &o.id) < (order.placed_at, &order.id)
                && order.placed_at - o.placed_at <= window
        })
        .filter(|o| phone(&o.customer.phone) == phone(&order.customer.phone))
        .filter(|o| place(&o.customer.address) == place(&order.customer.address))
        .filter(|o| items(*o) == items(order))
        .max_by_key(|o| (o.placed_at, o.id.clone()))
}

impl Detector for LikelyDuplicate {
    fn name(&self) -> &'static str {
        "duplicate-order detector"
    }

    fn code(&self) -> ExceptionCode {
        ExceptionCode::LikelyDuplicate
    }

    fn findings(&self, order: &Order, ctx: &Context<'_>, _: DateTime<Utc>) -> Vec<Finding> {
        if order.branch.is_some_and(Branch::is_terminal) {
            return Vec::new();
        }
        let window = ctx.settings.duplicate_window_secs;
        original_of(order, ctx.same_customer, secs(window))
            .map(|original| Finding {
                parcel: None,
                facts: ExceptionFacts::LikelyDuplicate {
                    original: original.id.clone(),
                    placed_at: original.placed_at,
                    within_secs: window,
                },
                since: order.placed_at,
            })
            .into_iter()
            .collect()
    }
}
