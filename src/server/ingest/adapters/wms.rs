//! Our own warehouse (WMS) feed: one JSON message per POST.
//!
//! ```json
//! {"message_id": "wms-7f3a-0001", "type": "packed", "channel": "douyin",
//!  "channel_order_id": "4705288465508532862", "warehouse": "Shanghai",
//!  "parcel": "P1", "components": ["item-1", "gift"], "at": "2026-11-20T08:00:00+08:00"}
//! ```
//!
//! Fields (full description in `docs/wms-feed.md`):
//!
//! | field | types | meaning |
//! |---|---|---|
//! | `message_id` | all | unique per message, reused on retries (the dedupe key) |
//! | `type` | all | `outbound_created`, `picking`, `packed`, `shipped` |
//! | `channel` | all | `douyin`, `tmall`, `wechat`, `xiaohongshu`, `shopify`, `pos` |
//! | `channel_order_id` | all | the channel's order id, as a string |
//! | `warehouse` | all | the warehouse name |
//! | `at` | all | RFC 3339 time with offset |
//! | `parcel` | `packed`, `shipped` | parcel id: letters, digits, `-`, `_`, ≤ 32 |
//! | `components` | `packed` | component ids in the parcel (at least one) |
//! | `carrier`, `waybill` | `shipped` | who carries the parcel, under which number |
//!
//! Unknown fields are ignored. Each message becomes one [`Fact::Warehouse`];
//! these facts are canonical already and need no mapping table.

use super::{from_json, from_value, non_blank, Delivery, Fact, ParseError, WmsFact};
use crate::model::{Channel, ComponentId, ParcelId};
use chrono::{DateTime, Utc};
use serde::Deserialize;
use serde_json::Value;

/// The message type; the other fields are read according to it.
#[derive(Deserialize)]
#[serde(rename_all = "snake_case")]
enum Kind {
    OutboundCreated,
    Picking,
    Packed,
    Shipped,
}

#[derive(Deserialize)]
struct Head {
    #[serde(rename = "type")]
    kind: Kind,
}

/// Fields every message has.
#[derive(Deserialize)]
struct Common {
    message_id: String,
    channel: Channel,
    channel_order_id: String,
    warehouse: String,
    at: DateTime<Utc>,
}

#[derive(Deserialize)]
struct PackedFields {
    parcel: ParcelId,
    components: Vec<ComponentId>,
}

#[derive(Deserialize)]
struct ShippedFields {
    parcel: ParcelId,
    carrier: String,
    waybill: String,
}

fn required(value: String, field: &str) -> Result<String, ParseError> {
    non_blank(Some(&value)).ok_or_else(|| ParseError::invalid(field, "is empty"))
}

pub(crate) fn parse(body: &[u8]) -> Result<Delivery, ParseError> {
    let value: Value = from_json(body)?;
    let head: Head = from_value(value.clone(), "")?;
    let common: Common = from_value(value.clone(), "")?;
    let channel = common.channel;
    let channel_order_id = required(common.channel_order_id, "channel_order_id")?;
    let warehouse = required(common.warehouse, "warehouse")?;
    let at = common.at;
    let fact = match head.kind {
        Kind::OutboundCreated => WmsFact::OutboundCreated {
            channel,
            channel_order_id,
            warehouse,
            at,
        },
        Kind::Picking => WmsFact::Picking {
            channel,
            channel_order_id,
            warehouse,
            at,
        },
        Kind::Packed => {
            let fields: PackedFields = from_value(value, "")?;
            if fields.components.is_empty() {
                return Err(ParseError::invalid("components", "is empty"));
            }
            WmsFact::Packed {
                channel,
                channel_order_id,
                warehouse,
                parcel: fields.parcel,
                components: fields.components,
                at,
            }
        }
        Kind::Shipped => {
            let fields: ShippedFields = from_value(value, "")?;
            WmsFact::Shipped {
                channel,
                channel_order_id,
                warehouse,
                parcel: fields.parcel,
                carrier: required(fields.carrier, "carrier")?,
                waybill: required(fields.waybill, "waybill")?,
                at,
            }
        }
    };
    Ok(Delivery::new(
        required(common.message_id, "message_id")?,
        vec![Fact::Warehouse(fact)],
    ))
}

#[cfg(test)]
mod tests {
    use super::super::test_support::utc;
    use super::*;

    fn parcel(id: &str) -> ParcelId {
        ParcelId::parse(id).unwrap()
    }

    #[test]
    fn each_message_type_becomes_its_fact() {
        let d = parse(br#"{"message_id":"m1","type":"outbound_created","channel":"douyin","channel_order_id":"4705288465508532862","warehouse":"Shanghai","at":"2026-11-20T08:00:00+08:00"}"#).unwrap();
        assert_eq!(d.dedupe_key, "m1");
        assert_eq!(
            d.facts,
            vec![Fact::Warehouse(WmsFact::OutboundCreated {
                channel: Channel::Douyin,
                channel_order_id: "4705288465508532862".into(),
                warehouse: "Shanghai".into(),
                at: utc("2026-11-20T00:00:00Z"),
            })]
        );
        let d = parse(br#"{"message_id":"m2","type":"picking","channel":"wechat","channel_order_id":"3705115058471208928","warehouse":"Shanghai","at":"2026-11-20T01:00:00Z"}"#).unwrap();
        assert_eq!(
            d.facts,
            vec![Fact::Warehouse(WmsFact::Picking {
                channel: Channel::Wechat,
                channel_order_id: "3705115058471208928".into(),
                warehouse: "Shanghai".into(),
                at: utc("2026-11-20T01:00:00Z"),
            })]
        );
        let d = parse(br#"{"message_id":"m3","type":"packed","channel":"shopify","channel_order_id":"450789469","warehouse":"Shanghai","parcel":"P1","components":["item-466157049","gift"],"at":"2026-11-20T02:00:00Z","operator":"ignored"}"#).unwrap();
        assert_eq!(
            d.facts,
            vec![Fact::Warehouse(WmsFact::Packed {
                channel: Channel::Shopify,
                channel_order_id: "450789469".into(),
                warehouse: "Shanghai".into(),
                parcel: parcel("P1"),
                components: vec![
                    ComponentId::parse("item-466157049").unwrap(),
                    ComponentId::parse("gift").unwrap()
                ],
                at: utc("2026-11-20T02:00:00Z"),
            })]
        );
        let d = parse(br#"{"message_id":"m4","type":"shipped","channel":"douyin","channel_order_id":"1","warehouse":"Shanghai","parcel":"P1","carrier":"SF Express","waybill":"SF123","at":"2026-11-20T03:00:00Z"}"#).unwrap();
        assert_eq!(
            d.facts,
            vec![Fact::Warehouse(WmsFact::Shipped {
                channel: Channel::Douyin,
                channel_order_id: "1".into(),
                warehouse: "Shanghai".into(),
                parcel: parcel("P1"),
                carrier: "SF Express".into(),
                waybill: "SF123".into(),
                at: utc("2026-11-20T03:00:00Z"),
            })]
        );
    }

    #[test]
    fn malformed_messages_name_the_field() {
        let err = |body: &str| parse(body.as_bytes()).unwrap_err().to_string();
        assert!(err("").starts_with("body is not valid JSON: "));
        assert_eq!(
            err(r#"{"message_id":"m","channel":"douyin"}"#),
            "field type is missing"
        );
        assert_eq!(
            err(r#"{"message_id":"m","type":"lost","channel":"douyin"}"#),
            "field type is invalid: unknown variant `lost`, expected one of `outbound_created`, `picking`, `packed`, `shipped`"
        );
        assert_eq!(
            err(
                r#"{"message_id":"m","type":"shipped","channel":"douyin","channel_order_id":"1","warehouse":"W","parcel":"P1","carrier":"SF","at":"2026-11-20T03:00:00Z"}"#
            ),
            "field waybill is missing"
        );
        assert_eq!(
            err(r#"{"message_id":"m","type":"picking","channel":"ebay","channel_order_id":"1","warehouse":"W","at":"2026-11-20T03:00:00Z"}"#),
            "field channel is invalid: unknown variant `ebay`, expected one of `douyin`, `tmall`, `wechat`, `xiaohongshu`, `shopify`, `pos`"
        );
        assert_eq!(
            err(
                r#"{"message_id":"m","type":"packed","channel":"pos","channel_order_id":"1","warehouse":"W","parcel":"P 1","components":["a"],"at":"2026-11-20T03:00:00Z"}"#
            ),
            "field parcel is invalid: parcel id may only contain letters, digits, '-' and '_'"
        );
        assert_eq!(
            err(
                r#"{"message_id":"m","type":"packed","channel":"pos","channel_order_id":"1","warehouse":"W","parcel":"P1","components":[],"at":"2026-11-20T03:00:00Z"}"#
            ),
            "field components is invalid: is empty"
        );
        assert_eq!(
            err(
                r#"{"message_id":" ","type":"picking","channel":"pos","channel_order_id":"1","warehouse":"W","at":"2026-11-20T03:00:00Z"}"#
            ),
            "field message_id is invalid: is empty"
        );
    }
}
