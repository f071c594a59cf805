//! Douyin shop (抖店) messages: order and after-sale status pushes.
//!
//! A POST carries one message or a JSON array of them:
//! `{"tag": 110, "msgId": "…", "data": {…}}`. `tag` may be a number or a string,
//! the id may be spelled `msgId` or `msg_id`, and `data` may be an object or a
//! JSON string holding the object; all are accepted.
//!
//! Every message whose `data` names an order (`p_id`, the parent order id, kept
//! digit for digit whether a number or a string) becomes one
//! [`Fact::ChannelStatus`] of dialect `douyin.tag` with the tag as the value.
//! Amounts are fen (CNY): `pay_amount`, else `refund_amount`. The time is the
//! one the message kind carries (`pay_time`, `apply_time`, …, seconds); a
//! message without any (tag 0) has none.
//!
//! Messages without a `p_id` are acknowledged without facts when they are not
//! order messages (tag 0 push checks, product messages 4xx, …); an order or
//! after-sale message (tags 100–299) without one is an error.
//!
//! Dedupe key: the `msgId` when the delivery holds one message (alone or in an
//! array); for a batch of several, `sha256:` of their msgIds joined by newlines;
//! the body's hash when a message has no id.

use super::{
    from_json, from_json_text, from_value, sha256_key, Delivery, Fact, ParseError, Text, UnixTime,
};
use crate::model::ingest::mapping::dialect;
use crate::model::{Channel, Currency, Money};
use chrono::{DateTime, Utc};
use serde::Deserialize;
use serde_json::Value;

#[derive(Deserialize)]
struct Message {
    tag: Text,
    #[serde(rename = "msgId", alias = "msg_id", default)]
    msg_id: Option<String>,
    #[serde(default)]
    data: Option<Value>,
}

/// The part of `data` every order and after-sale message shares.
#[derive(Deserialize)]
struct Data {
    #[serde(default)]
    p_id: Option<Text>,
    #[serde(default)]
    pay_amount: Option<i64>,
    #[serde(default)]
    refund_amount: Option<i64>,
    #[serde(default)]
    pay_time: Option<UnixTime>,
    #[serde(default)]
    create_time: Option<UnixTime>,
    #[serde(default)]
    update_time: Option<UnixTime>,
    #[serde(default)]
    complete_time: Option<UnixTime>,
    #[serde(default)]
    cancel_time: Option<UnixTime>,
    #[serde(default)]
    modify_time: Option<UnixTime>,
    #[serde(default)]
    apply_time: Option<UnixTime>,
    #[serde(default)]
    refuse_time: Option<UnixTime>,
    #[serde(default)]
    success_time: Option<UnixTime>,
    #[serde(default)]
    close_time: Option<UnixTime>,
}

impl Data {
    /// The time the message kind is about, else any time it carries. Zero means
    /// "not set" on Douyin.
    fn at(&self, tag: &str) -> Option<DateTime<Utc>> {
        let preferred = match tag {
            "0" | "100" => self.create_time,
            "101" | "110" => self.pay_time,
            "102" | "104" | "105" | "108" | "113" => self.update_time,
            "103" => self.complete_time,
            "106" => self.cancel_time,
            "109" | "208" => self.modify_time,
            "111" | "200" => self.apply_time,
            "204" | "205" => self.refuse_time,
            "206" => self.success_time,
            "201" | "207" => self.close_time,
            _ => None,
        };
        let set = |t: Option<UnixTime>| t.map(|t| t.0).filter(|t| t.timestamp() > 0);
        set(preferred).or_else(|| {
            [
                self.success_time,
                self.refuse_time,
                self.close_time,
                self.apply_time,
                self.modify_time,
                self.cancel_time,
                self.complete_time,
                self.pay_time,
                self.update_time,
                self.create_time,
            ]
            .into_iter()
            .find_map(set)
        })
    }
}

/// Tags of order (1xx) and after-sale (2xx) messages, which must name an order.
fn is_order_tag(tag: &str) -> bool {
    tag.parse::<u32>().is_ok_and(|n| (100..300).contains(&n))
}

pub(crate) fn parse(body: &[u8]) -> Result<Delivery, ParseError> {
    let value: Value = from_json(body)?;
    let messages = match value {
        Value::Array(items) => {
            let mut messages = Vec::with_capacity(items.len());
            for (i, item) in items.into_iter().enumerate() {
                let prefix = format!("[{i}]");
                messages.push((from_value::<Message>(item, &prefix)?, prefix));
            }
            messages
        }
        other => vec![(from_value::<Message>(other, "")?, String::new())],
    };

    let mut facts = Vec::new();
    for (message, prefix) in &messages {
        if let Some(fact) = fact(message, prefix)? {
            facts.push(fact);
        }
    }

    let ids: Option<Vec<&str>> = messages
        .iter()
        .map(|(m, _)| {
            m.msg_id
                .as_deref()
                .map(str::trim)
                .filter(|id| !id.is_empty())
        })
        .collect();
    let dedupe_key = match ids.as_deref() {
        Some([id]) => id.to_string(),
        Some(ids) if !ids.is_empty() => sha256_key(ids.join("\n").as_bytes()),
        _ => sha256_key(body),
    };
    Ok(Delivery::new(dedupe_key, facts))
}

fn field(prefix: &str, name: &str) -> String {
    super::join_path(prefix, name)
}

fn fact(message: &Message, prefix: &str) -> Result<Option<Fact>, ParseError> {
    let tag = message.tag.0.trim().to_string();
    if tag.is_empty() {
        return Err(ParseError::invalid(field(prefix, "tag"), "is empty"));
    }
    let data_field = field(prefix, "data");
    let data: Data = match &message.data {
        None | Some(Value::Null) if is_order_tag(&tag) => {
            return Err(ParseError::missing(data_field));
        }
        None | Some(Value::Null) => return Ok(None),
        Some(Value::String(text)) => from_json_text(text, &data_field)?,
        Some(object) => from_value(object.clone(), &data_field)?,
    };
    let p_id_field = field(&data_field, "p_id");
    let channel_order_id = match data.p_id.clone() {
        Some(id) => id.non_empty(&p_id_field)?,
        None if is_order_tag(&tag) => return Err(ParseError::missing(p_id_field)),
        None => return Ok(None),
    };
    let amount = data
        .pay_amount
        .or(data.refund_amount)
        .map(|fen| Money::new(fen, Currency::CNY));
    Ok(Some(Fact::ChannelStatus {
        channel: Channel::Douyin,
        channel_order_id,
        dialect: dialect::DOUYIN_TAG,
        at: data.at(&tag),
        value: tag,
        amount,
    }))
}

#[cfg(test)]
mod tests {
    use super::super::test_support::{fixture, utc};
    use super::*;

    fn status(id: &str, tag: &str, amount: Option<i64>, at: Option<&str>) -> Fact {
        Fact::ChannelStatus {
            channel: Channel::Douyin,
            channel_order_id: id.into(),
            dialect: "douyin.tag",
            value: tag.into(),
            amount: amount.map(|fen| Money::new(fen, Currency::CNY)),
            at: at.map(utc),
        }
    }

    const MSG_ID: &str = "04288XXXXXXX9348874::100:1618990587:68373744XXXXXXX9128";

    #[test]
    fn paid_message_reports_tag_amount_and_pay_time() {
        let d = parse(&fixture("channels/douyin/trade-paid.json")).unwrap();
        assert_eq!(d.dedupe_key, MSG_ID);
        assert_eq!(
            d.facts,
            vec![status(
                "xxxxxxx",
                "110",
                Some(2990),
                Some("2021-04-21T07:36:27Z")
            )]
        );
    }

    #[test]
    fn pending_message_has_no_time_of_its_own() {
        let d = parse(&fixture("channels/douyin/trade-pending.json")).unwrap();
        assert_eq!(d.dedupe_key, MSG_ID);
        assert_eq!(d.facts, vec![status("xxxxxxx", "0", None, None)]);
    }

    #[test]
    fn refund_created_keeps_a_numeric_p_id_digit_for_digit() {
        let d = parse(&fixture("channels/douyin/refund-created.json")).unwrap();
        assert_eq!(
            d.facts,
            vec![status(
                "4705288465508532862",
                "200",
                Some(0),
                Some("2021-04-21T07:36:27Z")
            )]
        );
    }

    #[test]
    fn big_p_id_survives_as_number_and_as_string() {
        for p_id in ["3705115058471208928", "\"3705115058471208928\""] {
            let body = format!(
                r#"{{"tag":"106","msg_id":"m1","data":{{"p_id":{p_id},"cancel_time":1700000000}}}}"#
            );
            let d = parse(body.as_bytes()).unwrap();
            assert_eq!(
                d.facts,
                vec![status(
                    "3705115058471208928",
                    "106",
                    None,
                    Some("2023-11-14T22:13:20Z")
                )]
            );
            assert_eq!(d.dedupe_key, "m1");
        }
    }

    #[test]
    fn data_may_be_a_json_string_and_messages_may_be_batched() {
        let paid = String::from_utf8(fixture("channels/douyin/trade-paid.json")).unwrap();
        let mut as_string: Value = serde_json::from_str(&paid).unwrap();
        let data = as_string["data"].to_string();
        as_string["data"] = Value::String(data);
        as_string["msgId"] = Value::String("second".into());
        let body = format!("[{paid}, {as_string}]");
        let d = parse(body.as_bytes()).unwrap();
        let one = status("xxxxxxx", "110", Some(2990), Some("2021-04-21T07:36:27Z"));
        assert_eq!(d.facts, vec![one.clone(), one]);
        assert_eq!(
            d.dedupe_key,
            sha256_key(format!("{MSG_ID}\nsecond").as_bytes())
        );
        // The same batch again gives the same key.
        assert_eq!(parse(body.as_bytes()).unwrap().dedupe_key, d.dedupe_key);
    }

    #[test]
    fn non_order_messages_are_acknowledged_without_facts() {
        let check = parse(br#"[{"tag":"0","msg_id":"","data":"{}"}]"#).unwrap();
        assert!(check.facts.is_empty());
        assert!(check.dedupe_key.starts_with("sha256:"));
        let one = parse(br#"[{"tag":"0","msg_id":"only","data":"{}"}]"#).unwrap();
        assert_eq!(one.dedupe_key, "only");
        let product = parse(br#"{"tag":400,"msgId":"p1","data":{"product_id":1}}"#).unwrap();
        assert!(product.facts.is_empty());
        assert_eq!(product.dedupe_key, "p1");
        let empty = parse(b"[]").unwrap();
        assert!(empty.facts.is_empty());
        assert!(empty.dedupe_key.starts_with("sha256:"));
    }

    #[test]
    fn malformed_messages_name_the_field() {
        let err = |body: &str| parse(body.as_bytes()).unwrap_err().to_string();
        assert!(err("not json").starts_with("body is not valid JSON: "));
        assert_eq!(
            err(r#"{"tag":110,"msgId":"m","data":{"pay_amount":1}}"#),
            "field data.p_id is missing"
        );
        assert_eq!(
            err(
                r#"[{"tag":110,"msgId":"a","data":{"p_id":"1"}},{"tag":200,"msgId":"b","data":"{\"s_id\":1}"}]"#
            ),
            "field [1].data.p_id is missing"
        );
        assert_eq!(err(r#"{"msgId":"m","data":{}}"#), "field tag is missing");
        assert_eq!(err(r#"{"tag":101,"msgId":"m"}"#), "field data is missing");
        assert_eq!(
            err(r#"{"tag":101,"msgId":"m","data":{"p_id":"1","pay_amount":"lots"}}"#),
            "field data.pay_amount is invalid: invalid type: string \"lots\", expected i64"
        );
        assert_eq!(
            err(r#"{"tag":101,"msgId":"m","data":{"p_id":1.5}}"#),
            "field data.p_id is invalid: invalid type: floating point `1.5`, expected a string or an integer"
        );
        assert_eq!(
            err(r#"{"tag":101,"msgId":"m","data":"{not json"}"#),
            "field data is invalid: not valid JSON: key must be a string"
        );
        assert_eq!(
            err(r#"{"tag":101,"msgId":"m","data":{"p_id":"  "}}"#),
            "field data.p_id is invalid: is empty"
        );
        assert!(err("42").starts_with("body has the wrong shape: "));
    }
}
