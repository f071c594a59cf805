//! Shopify order webhooks (REST payloads).
//!
//! Only the body is signed (`X-Shopify-Hmac-Sha256`); `X-Shopify-Topic`,
//! `X-Shopify-Webhook-Id` and `X-Shopify-Triggered-At` are not. So what a
//! delivery means comes from the body alone, and the topic only says which kind
//! of object the body is: a body that is not of that kind does not parse.
//!
//! - `orders/create`, `orders/updated`, `orders/paid`, `orders/fulfilled`,
//!   `orders/partially_fulfilled`, `orders/cancelled`: the body is the order
//!   object, and whichever of these topics it came under, it means the same:
//!   a [`Fact::OrderPlaced`] (line items → components with id
//!   `item-<line id>`, prices as exact minor units of the order's `currency`;
//!   customer from the shipping address, else the billing address, else the
//!   customer record; ignored for an order already known; a line item's
//!   `_kind` property, as gift-with-purchase apps set it (`赠品`, `小样`,
//!   `sample`), is the line's kind as spelled, read through the mapping
//!   table's `component.kind` rows), a
//!   [`Fact::ChannelStatus`] for `financial_status` and one for
//!   `fulfillment_status` (`null` is reported as `unfulfilled`), and, only
//!   when the body's `cancelled_at` is set, `shopify.topic` =
//!   `orders/cancelled` at `cancelled_at`. A swapped topic header cannot
//!   cancel an order.
//! - `fulfillments/create`, `fulfillments/update`: the body is a fulfillment;
//!   `shopify.fulfillment_status` = `fulfilled` unless the fulfillment itself
//!   failed or was cancelled. Tracking numbers are left to the carrier feeds.
//! - Other topics are acknowledged without facts.
//!
//! The channel order id is the order's numeric `id` (not its `name`, `#1001`).
//! The financial status carries the order's `total_price` as its amount, except
//! for the partial states (`partially_paid`, `partially_refunded`) whose amount
//! the order object does not say.
//!
//! Dedupe key, from the signed body (the webhook id header is the sender's to
//! change): an order is `order:<id>@<updated_at>:<financial>/<fulfillment>`
//! (`:cancelled` when it is), so a redelivery of the same version of the
//! order under any topic or webhook id is a duplicate; a fulfillment is
//! `fulfillment:<id>@<updated_at>:<status>`; anything else `sha256:` of the
//! body. The delivery is dated by the body's `updated_at` (else `created_at`)
//! and by `X-Shopify-Triggered-At`, so a captured delivery cannot be replayed
//! once it is older than the maximum age.

use super::{decimal_to_minor, from_json, non_blank, sha256_key, Delivery, Fact, ParseError, Text};
use crate::model::ingest::mapping::dialect;
use crate::model::{
    Address, Channel, Component, ComponentId, ComponentKind, Currency, Customer, Money,
};
use axum::http::HeaderMap;
use chrono::{DateTime, SecondsFormat, Utc};
use serde::Deserialize;

pub const TOPIC_HEADER: &str = "x-shopify-topic";
pub const TRIGGERED_AT_HEADER: &str = "x-shopify-triggered-at";

/// Topics whose body is the order object.
const ORDER_TOPICS: [&str; 6] = [
    "orders/create",
    "orders/updated",
    "orders/paid",
    "orders/fulfilled",
    "orders/partially_fulfilled",
    "orders/cancelled",
];
/// Topics whose body is a fulfillment.
const FULFILLMENT_TOPICS: [&str; 2] = ["fulfillments/create", "fulfillments/update"];
/// The `shopify.topic` value a cancelled order body is reported as.
const CANCELLED: &str = "orders/cancelled";

#[derive(Deserialize)]
struct Order {
    id: Text,
    created_at: DateTime<Utc>,
    #[serde(default)]
    updated_at: Option<DateTime<Utc>>,
    #[serde(default)]
    cancelled_at: Option<DateTime<Utc>>,
    currency: String,
    total_price: String,
    #[serde(default)]
    financial_status: Option<String>,
    #[serde(default)]
    fulfillment_status: Option<String>,
    #[serde(default)]
    line_items: Vec<LineItem>,
    #[serde(default)]
    shipping_address: Option<ShopifyAddress>,
    #[serde(default)]
    billing_address: Option<ShopifyAddress>,
    #[serde(default)]
    customer: Option<ShopifyCustomer>,
    #[serde(default)]
    phone: Option<String>,
}

#[derive(Deserialize)]
struct LineItem {
    id: Text,
    #[serde(default)]
    name: Option<String>,
    #[serde(default)]
    title: Option<String>,
    #[serde(default)]
    sku: Option<String>,
    quantity: u32,
    price: String,
    #[serde(default)]
    properties: Option<Vec<Property>>,
}

/// A line item property (`{"name": "_kind", "value": "小样"}`).
#[derive(Deserialize)]
struct Property {
    name: String,
    #[serde(default)]
    value: serde_json::Value,
}

/// The line item property that says what a line is.
pub const KIND_PROPERTY: &str = "_kind";

impl LineItem {
    /// The line's kind as spelled in its [`KIND_PROPERTY`], if it has one.
    fn spelled_kind(&self) -> Option<String> {
        let property = self
            .properties
            .iter()
            .flatten()
            .find(|p| p.name == KIND_PROPERTY)?;
        non_blank(property.value.as_str())
    }
}

#[derive(Deserialize, Default)]
struct ShopifyAddress {
    #[serde(default)]
    name: Option<String>,
    #[serde(default)]
    first_name: Option<String>,
    #[serde(default)]
    last_name: Option<String>,
    #[serde(default)]
    phone: Option<String>,
    #[serde(default)]
    address1: Option<String>,
    #[serde(default)]
    address2: Option<String>,
    #[serde(default)]
    zip: Option<String>,
    #[serde(default)]
    city: Option<String>,
    #[serde(default)]
    province: Option<String>,
    #[serde(default)]
    country: Option<String>,
}

#[derive(Deserialize)]
struct ShopifyCustomer {
    #[serde(default)]
    first_name: Option<String>,
    #[serde(default)]
    last_name: Option<String>,
    #[serde(default)]
    phone: Option<String>,
    #[serde(default)]
    default_address: Option<ShopifyAddress>,
}

#[derive(Deserialize)]
struct Fulfillment {
    #[serde(default)]
    id: Option<Text>,
    order_id: Text,
    #[serde(default)]
    status: Option<String>,
    #[serde(default)]
    created_at: Option<DateTime<Utc>>,
    #[serde(default)]
    updated_at: Option<DateTime<Utc>>,
}

fn header<'a>(headers: &'a HeaderMap, name: &str) -> Option<&'a str> {
    headers
        .get(name)
        .and_then(|v| v.to_str().ok())
        .map(str::trim)
        .filter(|v| !v.is_empty())
}

pub(crate) fn parse(headers: &HeaderMap, body: &[u8]) -> Result<Delivery, ParseError> {
    let topic =
        header(headers, TOPIC_HEADER).ok_or(ParseError::MissingHeader("X-Shopify-Topic"))?;
    let mut delivery = if ORDER_TOPICS.contains(&topic) {
        order_delivery(&from_json(body)?)?
    } else if FULFILLMENT_TOPICS.contains(&topic) {
        fulfillment_delivery(&from_json(body)?, body)?
    } else {
        Delivery::new(sha256_key(body), Vec::new())
    };
    // Unsigned: it can only make a delivery look older, never younger than
    // its body says.
    if let Some(at) =
        header(headers, TRIGGERED_AT_HEADER).and_then(|t| DateTime::parse_from_rfc3339(t).ok())
    {
        delivery
            .dated
            .push(("X-Shopify-Triggered-At header", at.with_timezone(&Utc)));
    }
    Ok(delivery)
}

/// What an order body means, whichever order topic it came under.
fn order_delivery(order: &Order) -> Result<Delivery, ParseError> {
    let id = order.id.clone().non_empty("id")?;
    let mut facts = vec![placed(order)?];
    facts.extend(statuses(order)?);
    if let Some(at) = order.cancelled_at {
        facts.push(Fact::ChannelStatus {
            channel: Channel::Shopify,
            channel_order_id: id.clone(),
            dialect: dialect::SHOPIFY_TOPIC,
            value: CANCELLED.to_string(),
            amount: None,
            at: Some(at),
        });
    }
    let version = order.updated_at.unwrap_or(order.created_at);
    let financial = non_blank(order.financial_status.as_deref()).unwrap_or_default();
    let fulfillment =
        non_blank(order.fulfillment_status.as_deref()).unwrap_or_else(|| "unfulfilled".into());
    let mut dedupe_key = format!(
        "order:{id}@{}:{financial}/{fulfillment}",
        version.to_rfc3339_opts(SecondsFormat::Secs, true)
    );
    if order.cancelled_at.is_some() {
        dedupe_key.push_str(":cancelled");
    }
    Ok(Delivery {
        dedupe_key,
        facts,
        dated: vec![("updated_at", version)],
    })
}

/// What a fulfillment body means.
fn fulfillment_delivery(fulfillment: &Fulfillment, body: &[u8]) -> Result<Delivery, ParseError> {
    let order_id = fulfillment.order_id.clone().non_empty("order_id")?;
    let status = non_blank(fulfillment.status.as_deref());
    let failed = matches!(status.as_deref(), Some("cancelled" | "error" | "failure"));
    let version = fulfillment.updated_at.or(fulfillment.created_at);
    let facts = match failed {
        true => Vec::new(),
        false => vec![Fact::ChannelStatus {
            channel: Channel::Shopify,
            channel_order_id: order_id.clone(),
            dialect: dialect::SHOPIFY_FULFILLMENT_STATUS,
            value: "fulfilled".into(),
            amount: None,
            at: version,
        }],
    };
    let id = fulfillment
        .id
        .clone()
        .and_then(|t| t.non_empty("id").ok())
        .unwrap_or_else(|| format!("order-{order_id}"));
    let Some(version) = version else {
        // Nothing dates it: the body itself is what identifies it.
        return Ok(Delivery::new(sha256_key(body), facts));
    };
    Ok(Delivery {
        dedupe_key: format!(
            "fulfillment:{id}@{}:{}",
            version.to_rfc3339_opts(SecondsFormat::Secs, true),
            status.unwrap_or_default()
        ),
        facts,
        dated: vec![("updated_at", version)],
    })
}

fn currency(order: &Order) -> Result<Currency, ParseError> {
    Currency::parse(order.currency.trim())
        .map_err(|e| ParseError::invalid("currency", e.to_string()))
}

fn total(order: &Order) -> Result<Money, ParseError> {
    decimal_to_minor(&order.total_price, currency(order)?, "total_price")
}

fn statuses(order: &Order) -> Result<Vec<Fact>, ParseError> {
    let id = order.id.clone().non_empty("id")?;
    let at = Some(order.updated_at.unwrap_or(order.created_at));
    let financial = non_blank(order.financial_status.as_deref())
        .ok_or_else(|| ParseError::missing("financial_status"))?;
    let amount = match financial.as_str() {
        "partially_paid" | "partially_refunded" => None,
        _ => Some(total(order)?),
    };
    let fulfillment =
        non_blank(order.fulfillment_status.as_deref()).unwrap_or_else(|| "unfulfilled".into());
    Ok(vec![
        Fact::ChannelStatus {
            channel: Channel::Shopify,
            channel_order_id: id.clone(),
            dialect: dialect::SHOPIFY_FINANCIAL_STATUS,
            value: financial,
            amount,
            at,
        },
        Fact::ChannelStatus {
            channel: Channel::Shopify,
            channel_order_id: id,
            dialect: dialect::SHOPIFY_FULFILLMENT_STATUS,
            value: fulfillment,
            amount: None,
            at,
        },
    ])
}

fn placed(order: &Order) -> Result<Fact, ParseError> {
    let currency = currency(order)?;
    let mut components = Vec::with_capacity(order.line_items.len());
    let mut spelled_kinds = Vec::new();
    for (i, item) in order.line_items.iter().enumerate() {
        let field = |name: &str| format!("line_items[{i}].{name}");
        let line_id = item.id.clone().non_empty(&field("id"))?;
        let id = ComponentId::parse(format!("item-{line_id}"))
            .map_err(|e| ParseError::invalid(field("id"), e.to_string()))?;
        if let Some(spelling) = item.spelled_kind() {
            spelled_kinds.push((id.clone(), spelling));
        }
        components.push(Component {
            id,
            sku: non_blank(item.sku.as_deref()).unwrap_or_default(),
            name: non_blank(item.name.as_deref())
                .or_else(|| non_blank(item.title.as_deref()))
                .unwrap_or_else(|| format!("Line {line_id}")),
            kind: ComponentKind::Main,
            quantity: item.quantity,
            unit_price: decimal_to_minor(&item.price, currency, &field("price"))?,
            ships_later: false,
        });
    }
    Ok(Fact::OrderPlaced {
        channel: Channel::Shopify,
        channel_order_id: order.id.clone().non_empty("id")?,
        customer: customer(order),
        components,
        spelled_kinds,
        total: total(order)?,
        at: order.created_at,
    })
}

fn customer(order: &Order) -> Customer {
    let fallback = ShopifyAddress::default();
    let record = order.customer.as_ref();
    let address = order
        .shipping_address
        .as_ref()
        .or(order.billing_address.as_ref())
        .or(record.and_then(|c| c.default_address.as_ref()))
        .unwrap_or(&fallback);
    let full_name = |first: &Option<String>, last: &Option<String>| {
        let parts: Vec<String> = [first, last]
            .into_iter()
            .filter_map(|p| non_blank(p.as_deref()))
            .collect();
        (!parts.is_empty()).then(|| parts.join(" "))
    };
    let name = non_blank(address.name.as_deref())
        .or_else(|| full_name(&address.first_name, &address.last_name))
        .or_else(|| record.and_then(|c| full_name(&c.first_name, &c.last_name)))
        .unwrap_or_default();
    let phone = non_blank(address.phone.as_deref())
        .or_else(|| non_blank(order.phone.as_deref()))
        .or_else(|| record.and_then(|c| non_blank(c.phone.as_deref())))
        .unwrap_or_default();
    let line = [&address.address1, &address.address2, &address.zip]
        .into_iter()
        .filter_map(|p| non_blank(p.as_deref()))
        .collect::<Vec<_>>()
        .join(", ");
    Customer {
        name,
        phone,
        address: Address {
            country: non_blank(address.country.as_deref()).unwrap_or_default(),
            province: non_blank(address.province.as_deref()).unwrap_or_default(),
            city: non_blank(address.city.as_deref()).unwrap_or_default(),
            line,
        },
    }
}

#[cfg(test)]
mod tests {
    use super::super::test_support::{fixture, utc};
    use super::*;
    use axum::http::HeaderValue;

    fn headers(topic: &str, id: Option<&str>) -> HeaderMap {
        let mut h = HeaderMap::new();
        h.insert("X-Shopify-Topic", HeaderValue::from_str(topic).unwrap());
        if let Some(id) = id {
            h.insert("X-Shopify-Webhook-Id", HeaderValue::from_str(id).unwrap());
        }
        h
    }

    fn usd(minor: i64) -> Money {
        Money::new(minor, Currency::USD)
    }

    fn item(line: &str, sku: &str, colour: &str) -> Component {
        Component {
            id: ComponentId::parse(format!("item-{line}")).unwrap(),
            sku: sku.into(),
            name: format!("IPod Nano - 8gb - {colour}"),
            kind: ComponentKind::Main,
            quantity: 1,
            unit_price: usd(19900),
            ships_later: false,
        }
    }

    fn status(dialect: &'static str, value: &str, amount: Option<Money>) -> Fact {
        Fact::ChannelStatus {
            channel: Channel::Shopify,
            channel_order_id: "450789469".into(),
            dialect,
            value: value.into(),
            amount,
            at: Some(utc("2008-01-10T16:00:00Z")),
        }
    }

    #[test]
    fn orders_create_places_the_order_with_exact_prices_then_reports_statuses() {
        let body = fixture("channels/shopify/orders-create.json");
        let d = parse(
            &headers(
                "orders/create",
                Some("b54557e4-bdd9-4b37-8a5f-bf7d70bcd043"),
            ),
            &body,
        )
        .unwrap();
        assert_eq!(
            d.dedupe_key,
            "order:450789469@2008-01-10T16:00:00Z:authorized/unfulfilled"
        );
        assert_eq!(d.dated, [("updated_at", utc("2008-01-10T16:00:00Z"))]);
        assert_eq!(
            d.facts,
            vec![
                Fact::OrderPlaced {
                    channel: Channel::Shopify,
                    channel_order_id: "450789469".into(),
                    customer: Customer {
                        name: "Bob Norman".into(),
                        phone: "555-625-1199".into(),
                        address: Address {
                            country: "United States".into(),
                            province: "Kentucky".into(),
                            city: "Louisville".into(),
                            line: "Chestnut Street 92, 40202".into(),
                        },
                    },
                    components: vec![
                        item("466157049", "IPOD2008GREEN", "green"),
                        item("518995019", "IPOD2008RED", "red"),
                        item("703073504", "IPOD2008BLACK", "black"),
                    ],
                    // "Custom Engraving" is not a kind.
                    spelled_kinds: vec![],
                    total: usd(40994),
                    at: utc("2008-01-10T16:00:00Z"),
                },
                status("shopify.financial_status", "authorized", Some(usd(40994))),
                status("shopify.fulfillment_status", "unfulfilled", None),
            ]
        );
    }

    #[test]
    fn the_topic_and_webhook_id_headers_do_not_change_what_an_order_body_means() {
        let body = fixture("channels/shopify/orders-create.json");
        let reference = parse(&headers("orders/create", Some("w1")), &body).unwrap();
        for topic in ORDER_TOPICS {
            for id in [None, Some("w1"), Some("another-id")] {
                let d = parse(&headers(topic, id), &body).unwrap();
                assert_eq!(d, reference, "{topic} {id:?}");
            }
        }
        // Not cancelled, whatever the topic says.
        assert!(!reference.facts.iter().any(
            |f| matches!(f, Fact::ChannelStatus { dialect, .. } if *dialect == "shopify.topic")
        ));
        // An order body under a fulfillment topic is not a fulfillment.
        let err = parse(&headers("fulfillments/create", None), &body).unwrap_err();
        assert_eq!(err.to_string(), "field order_id is missing");
    }

    #[test]
    fn the_triggered_at_header_dates_the_delivery_too() {
        let body = fixture("channels/shopify/orders-create.json");
        let mut h = headers("orders/updated", None);
        h.insert(
            "X-Shopify-Triggered-At",
            HeaderValue::from_static("2001-09-09T01:46:40.000Z"),
        );
        let d = parse(&h, &body).unwrap();
        assert_eq!(
            d.dated,
            [
                ("updated_at", utc("2008-01-10T16:00:00Z")),
                ("X-Shopify-Triggered-At header", utc("2001-09-09T01:46:40Z")),
            ]
        );
        h.insert(
            "X-Shopify-Triggered-At",
            HeaderValue::from_static("yesterday"),
        );
        assert_eq!(parse(&h, &body).unwrap().dated.len(), 1);
    }

    #[test]
    fn a_line_items_kind_property_is_its_kind_as_spelled() {
        let mut order: serde_json::Value =
            serde_json::from_slice(&fixture("channels/shopify/orders-create.json")).unwrap();
        order["line_items"][1]["properties"] =
            serde_json::json!([{"name": "_kind", "value": "小样"}]);
        order["line_items"][2]["properties"] = serde_json::Value::Null;
        let d = parse(
            &headers("orders/create", None),
            &serde_json::to_vec(&order).unwrap(),
        )
        .unwrap();
        let Fact::OrderPlaced { spelled_kinds, .. } = &d.facts[0] else {
            panic!("{:?}", d.facts[0]);
        };
        assert_eq!(
            spelled_kinds,
            &vec![(
                ComponentId::parse("item-518995019").unwrap(),
                "小样".to_string()
            )]
        );
    }

    #[test]
    fn cancelled_and_fulfillment_topics() {
        let mut order: serde_json::Value =
            serde_json::from_slice(&fixture("channels/shopify/orders-create.json")).unwrap();
        order["financial_status"] = "voided".into();
        order["cancelled_at"] = "2008-01-11T09:30:00-05:00".into();
        // Cancelled because the body says so: under any order topic.
        let d = parse(
            &headers("orders/updated", Some("w2")),
            &serde_json::to_vec(&order).unwrap(),
        )
        .unwrap();
        assert_eq!(
            d.dedupe_key,
            "order:450789469@2008-01-10T16:00:00Z:voided/unfulfilled:cancelled"
        );
        assert!(matches!(d.facts[0], Fact::OrderPlaced { .. }));
        assert_eq!(
            d.facts[1..],
            vec![
                status("shopify.financial_status", "voided", Some(usd(40994))),
                status("shopify.fulfillment_status", "unfulfilled", None),
                Fact::ChannelStatus {
                    channel: Channel::Shopify,
                    channel_order_id: "450789469".into(),
                    dialect: "shopify.topic",
                    value: "orders/cancelled".into(),
                    amount: None,
                    at: Some(utc("2008-01-11T14:30:00Z")),
                },
            ]
        );

        // The fixture's own fulfillment failed: nothing to report.
        let failed = order["fulfillments"][0].clone();
        let d = parse(
            &headers("fulfillments/create", Some("w3")),
            &serde_json::to_vec(&failed).unwrap(),
        )
        .unwrap();
        assert!(d.facts.is_empty());
        assert_eq!(
            d.dedupe_key,
            "fulfillment:255858046@2014-01-22T20:58:27Z:failure"
        );
        let mut success = failed;
        success["status"] = "success".into();
        let d = parse(
            &headers("fulfillments/create", Some("w4")),
            &serde_json::to_vec(&success).unwrap(),
        )
        .unwrap();
        assert_eq!(
            d.facts,
            vec![Fact::ChannelStatus {
                channel: Channel::Shopify,
                channel_order_id: "450789469".into(),
                dialect: "shopify.fulfillment_status",
                value: "fulfilled".into(),
                amount: None,
                at: Some(utc("2014-01-22T20:58:27Z")),
            }]
        );

        let d = parse(&headers("products/create", Some("w5")), b"{}").unwrap();
        assert!(d.facts.is_empty());
        assert_eq!(d.dedupe_key, sha256_key(b"{}"));
    }

    #[test]
    fn malformed_orders_name_the_field() {
        let body = fixture("channels/shopify/orders-create.json");
        let order: serde_json::Value = serde_json::from_slice(&body).unwrap();
        let err = |topic: &str, edit: &dyn Fn(&mut serde_json::Value)| {
            let mut o = order.clone();
            edit(&mut o);
            parse(&headers(topic, Some("w")), &serde_json::to_vec(&o).unwrap())
                .unwrap_err()
                .to_string()
        };
        assert_eq!(
            parse(&HeaderMap::new(), &body).unwrap_err().to_string(),
            "header X-Shopify-Topic is missing"
        );
        assert!(parse(&headers("orders/create", None), b"<html>")
            .unwrap_err()
            .to_string()
            .starts_with("body is not valid JSON: "));
        assert_eq!(
            err("orders/create", &|o| {
                o.as_object_mut().unwrap().remove("total_price");
            }),
            "field total_price is missing"
        );
        assert_eq!(
            err("orders/create", &|o| o["line_items"][1]["price"] =
                "19.999".into()),
            "field line_items[1].price is invalid: USD has only 2 decimal place(s): \"19.999\""
        );
        assert_eq!(
            err("orders/create", &|o| o["line_items"][2]["quantity"] =
                "one".into()),
            "field line_items[2].quantity is invalid: invalid type: string \"one\", expected u32"
        );
        assert_eq!(
            err("orders/create", &|o| o["currency"] = "dollars".into()),
            "field currency is invalid: currency code must be three upper-case letters, got \"dollars\""
        );
        assert_eq!(
            err("orders/updated", &|o| o["created_at"] =
                "last tuesday".into()),
            "field created_at is invalid: input contains invalid characters"
        );
        assert_eq!(
            err("orders/updated", &|o| o["financial_status"] =
                serde_json::Value::Null),
            "field financial_status is missing"
        );
        assert_eq!(
            err("orders/create", &|o| o["line_items"][0]["id"] =
                "1234567890123456789012345678".into()),
            "field line_items[0].id is invalid: component id is longer than 32 characters"
        );
    }
}
