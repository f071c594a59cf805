//! WeChat Channels shop (视频号小店) events, JSON mode.
//!
//! `{"FromUserName": …, "CreateTime": 1662480000, "MsgType": "event",
//! "Event": "channels_ec_order_pay", "order_info": {"order_id": …, "pay_time": …}}`.
//!
//! - `channels_ec_order_*` events become one [`Fact::ChannelStatus`] of dialect
//!   `wechat.event` with the event name as the value. `order_id` exceeds 2^53 and
//!   arrives as a string or a number; both keep every digit. The time is
//!   `pay_time` / `settle_time` when the event has one, else `CreateTime`.
//! - `channels_ec_aftersale_update` becomes a status of dialect
//!   `wechat.aftersale_status` (the after-sale `status`, e.g. `MERCHANT_PROCESSING`),
//!   or of `wechat.event` when the payload carries no status.
//! - Other events (product, account, …) are acknowledged without facts.
//!
//! Messages in safe mode (`Encrypt`) must be decrypted by the endpoint first;
//! XML mode is not supported (configure the shop for JSON).
//!
//! Dedupe key: the natural id WeChat recommends, `FromUserName:CreateTime:Event`,
//! plus `:order_id` (and `:after_sale_order_id:status` for after-sale updates, of
//! which several may arrive within one second).

use super::{from_json, non_blank, Delivery, Fact, ParseError, Text, UnixTime};
use crate::model::ingest::mapping::dialect;
use crate::model::Channel;
use serde::Deserialize;

#[derive(Deserialize)]
struct Envelope {
    #[serde(rename = "FromUserName", default)]
    from_user: Option<String>,
    #[serde(rename = "CreateTime", default)]
    create_time: Option<UnixTime>,
    #[serde(rename = "Event", default)]
    event: Option<String>,
    #[serde(rename = "Encrypt", default)]
    encrypt: Option<String>,
    #[serde(default)]
    order_info: Option<OrderInfo>,
    #[serde(default)]
    finder_shop_aftersale_status_update: Option<AftersaleUpdate>,
}

#[derive(Deserialize)]
struct OrderInfo {
    order_id: Text,
    #[serde(default)]
    pay_time: Option<UnixTime>,
    #[serde(default)]
    settle_time: Option<UnixTime>,
}

#[derive(Deserialize)]
struct AftersaleUpdate {
    order_id: Text,
    #[serde(default)]
    after_sale_order_id: Option<Text>,
    #[serde(default)]
    status: Option<String>,
}

const ORDER_EVENT_PREFIX: &str = "channels_ec_order_";
const AFTERSALE_EVENT: &str = "channels_ec_aftersale_update";

pub(crate) fn parse(body: &[u8]) -> Result<Delivery, ParseError> {
    if body.trim_ascii_start().starts_with(b"<") {
        return Err(ParseError::Unsupported(
            "WeChat XML messages are not supported: set the message format to JSON".into(),
        ));
    }
    let envelope: Envelope = from_json(body)?;
    if envelope.encrypt.is_some() {
        return Err(ParseError::Unsupported(
            "the WeChat message is encrypted (safe mode): decrypt it before parsing".into(),
        ));
    }
    let from_user = non_blank(envelope.from_user.as_deref())
        .ok_or_else(|| ParseError::missing("FromUserName"))?;
    let created = envelope
        .create_time
        .ok_or_else(|| ParseError::missing("CreateTime"))?
        .0;
    let event = non_blank(envelope.event.as_deref()).ok_or_else(|| ParseError::missing("Event"))?;
    let mut dedupe_key = format!("{from_user}:{}:{event}", created.timestamp());

    let fact = if event.starts_with(ORDER_EVENT_PREFIX) {
        let info = envelope
            .order_info
            .ok_or_else(|| ParseError::missing("order_info"))?;
        let order_id = info.order_id.non_empty("order_info.order_id")?;
        dedupe_key.push_str(&format!(":{order_id}"));
        let at = info.pay_time.or(info.settle_time).map_or(created, |t| t.0);
        Some(Fact::ChannelStatus {
            channel: Channel::Wechat,
            channel_order_id: order_id,
            dialect: dialect::WECHAT_EVENT,
            value: event,
            amount: None,
            at: Some(at),
        })
    } else if event == AFTERSALE_EVENT {
        let update = envelope
            .finder_shop_aftersale_status_update
            .ok_or_else(|| ParseError::missing("finder_shop_aftersale_status_update"))?;
        let order_id = update
            .order_id
            .non_empty("finder_shop_aftersale_status_update.order_id")?;
        let status = non_blank(update.status.as_deref());
        let after_sale_id = update.after_sale_order_id.map(|t| t.0).unwrap_or_default();
        dedupe_key.push_str(&format!(
            ":{order_id}:{after_sale_id}:{}",
            status.as_deref().unwrap_or_default()
        ));
        let (dialect, value) = match status {
            Some(status) => (dialect::WECHAT_AFTERSALE_STATUS, status),
            None => (dialect::WECHAT_EVENT, event),
        };
        Some(Fact::ChannelStatus {
            channel: Channel::Wechat,
            channel_order_id: order_id,
            dialect,
            value,
            amount: None,
            at: Some(created),
        })
    } else {
        None
    };
    Ok(Delivery::new(dedupe_key, fact.into_iter().collect()))
}

#[cfg(test)]
mod tests {
    use super::super::test_support::{fixture, utc};
    use super::*;

    const ORDER: &str = "3705115058471208928";

    fn status(dialect: &'static str, value: &str, at: &str) -> Fact {
        Fact::ChannelStatus {
            channel: Channel::Wechat,
            channel_order_id: ORDER.into(),
            dialect,
            value: value.into(),
            amount: None,
            at: Some(utc(at)),
        }
    }

    #[test]
    fn order_pay_with_a_string_order_id_uses_the_pay_time() {
        let d = parse(&fixture("channels/wechat-channels/order-pay.json")).unwrap();
        assert_eq!(
            d.facts,
            vec![status(
                "wechat.event",
                "channels_ec_order_pay",
                "2022-07-22T17:00:00Z"
            )]
        );
        assert_eq!(
            d.dedupe_key,
            format!("OPENID:1662480000:channels_ec_order_pay:{ORDER}")
        );
    }

    #[test]
    fn order_deliver_with_a_numeric_order_id_keeps_every_digit() {
        let d = parse(&fixture("channels/wechat-channels/order-deliver.json")).unwrap();
        assert_eq!(
            d.facts,
            vec![status(
                "wechat.event",
                "channels_ec_order_deliver",
                "2022-09-06T16:00:00Z"
            )]
        );
        assert_eq!(
            d.dedupe_key,
            format!("OPENID:1662480000:channels_ec_order_deliver:{ORDER}")
        );
    }

    #[test]
    fn cancel_and_aftersale_updates() {
        let cancel = format!(
            r#"{{"FromUserName":"OPENID","CreateTime":1662480000,"MsgType":"event","Event":"channels_ec_order_cancel","order_info":{{"order_id":{ORDER},"cancel_type":"1"}}}}"#
        );
        assert_eq!(
            parse(cancel.as_bytes()).unwrap().facts,
            vec![status(
                "wechat.event",
                "channels_ec_order_cancel",
                "2022-09-06T16:00:00Z"
            )]
        );
        let aftersale = format!(
            r#"{{"FromUserName":"OpenID","CreateTime":1662480000,"MsgType":"event","Event":"channels_ec_aftersale_update","finder_shop_aftersale_status_update":{{"status":"USER_WAIT_RETURN","after_sale_order_id":"1234567","order_id":"{ORDER}"}}}}"#
        );
        let d = parse(aftersale.as_bytes()).unwrap();
        assert_eq!(
            d.facts,
            vec![status(
                "wechat.aftersale_status",
                "USER_WAIT_RETURN",
                "2022-09-06T16:00:00Z"
            )]
        );
        assert_eq!(
            d.dedupe_key,
            format!(
                "OpenID:1662480000:channels_ec_aftersale_update:{ORDER}:1234567:USER_WAIT_RETURN"
            )
        );
        let no_status = format!(
            r#"{{"FromUserName":"o","CreateTime":1662480000,"Event":"channels_ec_aftersale_update","finder_shop_aftersale_status_update":{{"order_id":{ORDER}}}}}"#
        );
        assert_eq!(
            parse(no_status.as_bytes()).unwrap().facts,
            vec![status(
                "wechat.event",
                "channels_ec_aftersale_update",
                "2022-09-06T16:00:00Z"
            )]
        );
    }

    #[test]
    fn other_events_carry_no_facts() {
        let d = parse(
            br#"{"FromUserName":"o","CreateTime":1662480000,"MsgType":"event","Event":"product_spu_audit"}"#,
        )
        .unwrap();
        assert!(d.facts.is_empty());
        assert_eq!(d.dedupe_key, "o:1662480000:product_spu_audit");
    }

    #[test]
    fn malformed_events_name_the_field() {
        let err = |body: &str| parse(body.as_bytes()).unwrap_err().to_string();
        assert!(err("{").starts_with("body is not valid JSON: "));
        assert_eq!(
            err(
                r#"{"FromUserName":"o","CreateTime":1,"Event":"channels_ec_order_pay","order_info":{"pay_time":"1"}}"#
            ),
            "field order_info.order_id is missing"
        );
        assert_eq!(
            err(r#"{"FromUserName":"o","CreateTime":1,"Event":"channels_ec_order_pay"}"#),
            "field order_info is missing"
        );
        assert_eq!(
            err(r#"{"FromUserName":"o","CreateTime":"yesterday","Event":"x"}"#),
            "field CreateTime is invalid: expected seconds since 1970, got \"yesterday\""
        );
        assert_eq!(
            err(r#"{"CreateTime":1,"Event":"x"}"#),
            "field FromUserName is missing"
        );
        assert_eq!(
            err(r#"{"FromUserName":"o","CreateTime":1,"Event":"channels_ec_order_pay","order_info":{"order_id":[1]}}"#),
            "field order_info.order_id is invalid: invalid type: sequence, expected a string or an integer"
        );
        assert!(err("<xml><Event>x</Event></xml>").contains("XML"));
        assert!(err(r#"{"ToUserName":"gh","Encrypt":"abc"}"#).contains("encrypted"));
    }
}
