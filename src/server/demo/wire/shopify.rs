//! Shopify `orders/*` webhooks: the REST order object as it stands after the
//! step, signed with `X-Shopify-Hmac-Sha256` (base64 HMAC-SHA256 of the body).

use super::ids::{digits_of, hex_of};
use super::order_wire::Rendering;
use super::{OrderWire, WireDelivery, WireError};
use crate::model::{Branch, ComponentId, ComponentKind, Integration, Money, Order, OrderId};
use crate::server::ingest::adapters::shopify::KIND_PROPERTY;
use base64::Engine as _;
use chrono::{DateTime, SecondsFormat, Utc};
use serde_json::{json, Value};
use std::collections::HashSet;

const SHOP_DOMAIN: &str = "control-room-demo.myshopify.com";
const API_VERSION: &str = "2025-01";

/// The webhook topic.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Topic {
    Create,
    Updated,
    Cancelled,
}

impl Topic {
    fn as_str(self) -> &'static str {
        match self {
            Topic::Create => "orders/create",
            Topic::Updated => "orders/updated",
            Topic::Cancelled => "orders/cancelled",
        }
    }
}

/// Our order id as a number below 36^8: the last eight characters of the
/// `CR-` suffix read in base 36, else a hash of the id. Ids that differ there
/// give distinct numbers: ours end in the last character of their second and
/// seven random ones, so two share a number only when their random parts
/// repeat (one pair in 34 billion) in seconds a multiple of 32 apart.
fn number_of(key: &OrderId) -> u64 {
    const BOUND: u64 = 36u64.pow(8);
    let suffix = key.as_str().rsplit('-').next().unwrap_or_default();
    let tail = &suffix[suffix.len().saturating_sub(8)..];
    let read = tail
        .chars()
        .try_fold(0u64, |n, c| c.to_digit(36).map(|d| n * 36 + u64::from(d)));
    match read {
        Some(n) if !tail.is_empty() => n,
        _ => u64::from_str_radix(&hex_of(key, "shopify")[..15], 16).unwrap_or_default() % BOUND,
    }
}

/// The Shopify order `id` (13 digits) of our order `key`.
pub(super) fn order_number(key: &OrderId) -> u64 {
    5_000_000_000_000 + number_of(key)
}

/// The line-item id of the `i`th line (14 digits; up to 16 lines per order).
pub(super) fn line_number(key: &OrderId, i: usize) -> u64 {
    14_000_000_000_000 + number_of(key) * 16 + (i as u64 % 16)
}

pub(super) fn render(r: &Rendering, topic: Topic) -> Result<WireDelivery, WireError> {
    let Rendering {
        wire,
        order,
        keys,
        at,
        ..
    } = *r;
    let body = serde_json::to_vec(&order_object(wire, order, at))?;
    let hmac = base64::engine::general_purpose::STANDARD
        .encode(keys.hmac_sha256(Integration::Shopify, &body)?);
    Ok(
        WireDelivery::post("/hooks/shopify".into(), "application/json")
            .header("X-Shopify-Topic", topic.as_str())
            .header("X-Shopify-Hmac-Sha256", hmac)
            .header("X-Shopify-Shop-Domain", SHOP_DOMAIN)
            .header("X-Shopify-API-Version", API_VERSION)
            .header("X-Shopify-Webhook-Id", webhook_id(wire))
            .header(
                "X-Shopify-Triggered-At",
                at.to_rfc3339_opts(SecondsFormat::Millis, true),
            )
            .with_body(body),
    )
}

/// A UUID-shaped id, unique per delivery.
fn webhook_id(wire: &OrderWire) -> String {
    let hex = hex_of(&wire.key, &format!("shopify-webhook:{}", wire.sent()));
    format!(
        "{}-{}-4{}-a{}-{}",
        &hex[0..8],
        &hex[8..12],
        &hex[13..16],
        &hex[17..20],
        &hex[20..32]
    )
}

fn financial_status(order: &Order) -> &'static str {
    let (paid, refunded) = (order.paid, order.refunded);
    match () {
        _ if refunded.is_positive() && refunded >= paid => "refunded",
        _ if refunded.is_positive() => "partially_refunded",
        _ if paid.is_positive() && paid >= order.total => "paid",
        _ if paid.is_positive() => "partially_paid",
        _ => "pending",
    }
}

/// Components in parcels that have left the warehouse.
fn shipped(order: &Order) -> HashSet<&ComponentId> {
    order
        .parcels
        .iter()
        .filter(|p| p.stage.has_shipped())
        .flat_map(|p| p.components.iter())
        .collect()
}

fn country_name(code: &str) -> &str {
    match code {
        "US" => "United States",
        "CN" => "China",
        other => other,
    }
}

fn province_name(code: &str) -> &str {
    match code {
        "CA" => "California",
        other => other,
    }
}

/// RFC 3339 to the second, in UTC (`2026-11-20T01:15:40+00:00`).
fn rfc3339_secs(at: DateTime<Utc>) -> String {
    at.to_rfc3339_opts(SecondsFormat::Secs, false)
}

/// The order object every webhook carries: `order` as it stands after the step.
fn order_object(wire: &OrderWire, order: &Order, at: DateTime<Utc>) -> Value {
    let currency = order.total.currency.code().to_string();
    let created = rfc3339_secs(order.placed_at);
    let shipped = shipped(order);
    let fulfillment = match shipped.len() {
        0 => Value::Null,
        n if n >= order.components.len() => json!("fulfilled"),
        _ => json!("partial"),
    };
    let lines = line_items(wire, order, &shipped);
    let (shipping_address, customer) = buyer(wire, order);
    let email = customer["email"].clone();
    let cancelled = order.branch == Some(Branch::Cancelled);
    let name = &order.channel_order_id;
    let (total, zero) = (
        order.total.decimal(),
        Money::zero(order.total.currency).decimal(),
    );
    json!({
        "id": order_number(&wire.key),
        "name": name,
        "order_number": name.trim_start_matches('#').parse::<u64>().ok(),
        "email": email,
        "created_at": created,
        "processed_at": created,
        "updated_at": rfc3339_secs(at),
        "cancelled_at": if cancelled { json!(rfc3339_secs(at)) } else { Value::Null },
        "cancel_reason": if cancelled { json!("other") } else { Value::Null },
        "closed_at": null,
        "test": false,
        "currency": currency,
        "presentment_currency": currency,
        "total_line_items_price": total,
        "subtotal_price": total,
        "total_discounts": zero,
        "total_tax": zero,
        "total_price": total,
        "financial_status": financial_status(order),
        "fulfillment_status": fulfillment,
        "gateway": "shopify_payments",
        "source_name": "web",
        "tags": "control-room-demo",
        "line_items": lines,
        "shipping_address": shipping_address,
        "customer": customer,
    })
}

/// The order's lines, each fulfilled once its parcel has shipped.
fn line_items(wire: &OrderWire, order: &Order, shipped: &HashSet<&ComponentId>) -> Vec<Value> {
    order
        .components
        .iter()
        .enumerate()
        .map(|(i, c)| {
            json!({
                "id": wire.line_id(i),
                "variant_id": wire.line_id(i) + 1_000_000_000_000,
                "title": c.name,
                "name": c.name,
                "sku": c.sku,
                "vendor": "Control Room Demo",
                "quantity": c.quantity,
                "price": c.unit_price.decimal(),
                "requires_shipping": true,
                "taxable": true,
                "gift_card": false,
                "fulfillment_service": "manual",
                "fulfillment_status": if shipped.contains(&c.id) { json!("fulfilled") } else { Value::Null },
                "properties": kind_property(c.kind, wire.line_id(i)),
            })
        })
        .collect()
}

/// A free line's `_kind` property, spelled as the seeds' shops spell it (a
/// trial size as 小样, 试用装 or 体验装, by line); a main item has none.
fn kind_property(kind: ComponentKind, line: u64) -> Value {
    let spelling = match kind {
        ComponentKind::Main => return json!([]),
        ComponentKind::Gift => "赠品",
        ComponentKind::Trial => ["小样", "试用装", "体验装"][(line % 3) as usize],
        ComponentKind::GiftBox => "礼盒",
    };
    json!([{ "name": KIND_PROPERTY, "value": spelling }])
}

/// The `shipping_address` and `customer` objects.
fn buyer(wire: &OrderWire, order: &Order) -> (Value, Value) {
    let customer = &order.customer;
    let (first, last) = customer
        .name
        .split_once(' ')
        .unwrap_or((customer.name.as_str(), ""));
    let address = &customer.address;
    let email = format!(
        "{}@example.com",
        customer.name.to_lowercase().replace(' ', ".")
    );
    let shipping_address = json!({
            "name": customer.name,
            "first_name": first,
            "last_name": last,
            "phone": customer.phone,
            "address1": address.line,
            "address2": "",
            "city": address.city,
            "province": province_name(&address.province),
            "province_code": address.province,
            "country": country_name(&address.country),
            "country_code": address.country,
            "zip": format!("941{}", &digits_of(&wire.key, "zip", 2)),
    });
    let customer = json!({
            "id": order_number(&wire.key) + 2_000_000_000_000,
            "email": email,
            "first_name": first,
            "last_name": last,
            "phone": customer.phone,
            "currency": order.total.currency.code(),
    });
    (shipping_address, customer)
}
