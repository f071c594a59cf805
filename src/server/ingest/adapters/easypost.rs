//! EasyPost webhook events.
//!
//! `{"id": "evt_…", "description": "tracker.updated", "result": {"tracking_code":
//! …, "carrier": "FedEx", "status": …, "tracking_details": [{"status":
//! "in_transit", "message": …, "datetime": "2024-07-31T19:27:00Z",
//! "tracking_location": {"city": …, "state": …, "country": …}}]}}`.
//!
//! For `tracker.updated` and `tracker.created`, every `tracking_details[]` entry
//! becomes a [`Fact::CarrierScan`] of dialect `easypost.status`, oldest first
//! (the tracker's own `status` repeats the newest detail and is not reported
//! again). Other events (shipments, batches, refunds) are acknowledged without
//! facts.
//!
//! Dedupe key: the event `id` (EasyPost retries an event under the same id).

use super::{from_json, from_value, non_blank, Delivery, Fact, ParseError};
use crate::model::ingest::mapping::dialect;
use chrono::{DateTime, Utc};
use serde::Deserialize;

#[derive(Deserialize)]
struct Event {
    id: String,
    description: String,
    /// Its shape depends on `description`: read as a tracker only for tracker events.
    #[serde(default)]
    result: Option<serde_json::Value>,
}

#[derive(Deserialize)]
struct Tracker {
    tracking_code: String,
    carrier: String,
    #[serde(default)]
    tracking_details: Option<Vec<Detail>>,
}

#[derive(Deserialize)]
struct Detail {
    status: String,
    #[serde(default)]
    message: Option<String>,
    #[serde(default)]
    description: Option<String>,
    datetime: DateTime<Utc>,
    #[serde(default)]
    tracking_location: Option<Location>,
}

#[derive(Deserialize)]
struct Location {
    #[serde(default)]
    city: Option<String>,
    #[serde(default)]
    state: Option<String>,
    #[serde(default)]
    country: Option<String>,
}

impl Location {
    /// `ORLANDO, FL, US`; `None` when nothing is known.
    fn text(&self) -> Option<String> {
        let parts: Vec<String> = [&self.city, &self.state, &self.country]
            .into_iter()
            .filter_map(|p| non_blank(p.as_deref()))
            .collect();
        (!parts.is_empty()).then(|| parts.join(", "))
    }
}

const TRACKER_EVENTS: [&str; 2] = ["tracker.updated", "tracker.created"];

pub(crate) fn parse(body: &[u8]) -> Result<Delivery, ParseError> {
    let event: Event = from_json(body)?;
    let dedupe_key =
        non_blank(Some(&event.id)).ok_or_else(|| ParseError::invalid("id", "is empty"))?;
    if !TRACKER_EVENTS.contains(&event.description.as_str()) {
        return Ok(Delivery::new(dedupe_key, Vec::new()));
    }
    let tracker: Tracker = match event.result {
        Some(result) if !result.is_null() => from_value(result, "result")?,
        _ => return Err(ParseError::missing("result")),
    };
    let waybill = non_blank(Some(&tracker.tracking_code))
        .ok_or_else(|| ParseError::invalid("result.tracking_code", "is empty"))?;
    let carrier = non_blank(Some(&tracker.carrier))
        .ok_or_else(|| ParseError::invalid("result.carrier", "is empty"))?;
    let mut details = tracker.tracking_details.unwrap_or_default();
    // EasyPost lists details oldest first already; a stable sort keeps ties.
    details.sort_by_key(|d| d.datetime);
    let facts = details
        .into_iter()
        .map(|d| Fact::CarrierScan {
            carrier: carrier.clone(),
            waybill: waybill.clone(),
            dialect: dialect::EASYPOST_STATUS,
            value: d.status.trim().to_string(),
            location: d.tracking_location.as_ref().and_then(Location::text),
            detail: non_blank(d.message.as_deref())
                .or_else(|| non_blank(d.description.as_deref()))
                .unwrap_or_default(),
            at: d.datetime,
        })
        .collect();
    Ok(Delivery::new(dedupe_key, facts))
}

#[cfg(test)]
mod tests {
    use super::super::test_support::{fixture, utc};
    use super::*;

    fn scan(value: &str, location: Option<&str>, detail: &str, at: &str) -> Fact {
        Fact::CarrierScan {
            carrier: "FedEx".into(),
            waybill: "1".into(),
            dialect: "easypost.status",
            value: value.into(),
            location: location.map(str::to_string),
            detail: detail.into(),
            at: utc(at),
        }
    }

    #[test]
    fn tracker_updated_reports_every_detail_oldest_first() {
        let d = parse(&fixture("carriers/easypost/tracker-updated.json")).unwrap();
        assert_eq!(d.dedupe_key, "evt_1");
        assert_eq!(
            d.facts,
            vec![
                scan(
                    "pre_transit",
                    Some("US"),
                    "Shipment information sent to FedEx",
                    "2024-07-31T15:00:00Z"
                ),
                scan(
                    "in_transit",
                    Some("ORLANDO, FL, US"),
                    "Picked up",
                    "2024-07-31T19:27:00Z"
                ),
                scan(
                    "in_transit",
                    Some("ORLANDO, FL, US"),
                    "Arrived at FedEx location",
                    "2024-07-31T22:35:00Z"
                ),
                scan(
                    "in_transit",
                    Some("ORLANDO, FL, US"),
                    "Departed FedEx location",
                    "2024-08-01T14:42:13Z"
                ),
                scan(
                    "in_transit",
                    Some("KENLY, NC, US"),
                    "On the way",
                    "2024-08-02T02:46:19Z"
                ),
                scan(
                    "in_transit",
                    Some("EDISON TWP, NJ, US"),
                    "On the way",
                    "2024-08-02T18:35:20Z"
                ),
                scan(
                    "in_transit",
                    Some("EDISON, NJ, US"),
                    "Arrived at FedEx location",
                    "2024-08-02T18:50:00Z"
                ),
            ]
        );
    }

    #[test]
    fn other_events_carry_no_facts() {
        let d = parse(br#"{"id":"evt_2","description":"batch.updated","result":{"id":"batch_1"}}"#)
            .unwrap();
        assert_eq!(d.dedupe_key, "evt_2");
        assert!(d.facts.is_empty());
    }

    #[test]
    fn malformed_events_name_the_field() {
        let err = |body: &str| parse(body.as_bytes()).unwrap_err().to_string();
        assert!(err("nope").starts_with("body is not valid JSON: "));
        assert_eq!(
            err(r#"{"description":"tracker.updated"}"#),
            "field id is missing"
        );
        assert_eq!(
            err(r#"{"id":"e","description":"tracker.updated"}"#),
            "field result is missing"
        );
        assert_eq!(
            err(r#"{"id":"e","description":"tracker.updated","result":{"carrier":"UPS"}}"#),
            "field result.tracking_code is missing"
        );
        assert_eq!(
            err(r#"{"id":"e","description":"tracker.updated","result":{"tracking_code":"1","carrier":"UPS","tracking_details":[{"status":"delivered","datetime":"soon"}]}}"#),
            "field result.tracking_details[0].datetime is invalid: input contains invalid characters"
        );
        assert_eq!(
            err(r#"{"id":7,"description":"x"}"#),
            "field id is invalid: invalid type: integer `7`, expected a string"
        );
    }
}
