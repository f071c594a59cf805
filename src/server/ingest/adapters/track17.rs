//! 17TRACK v2 (v2.4 field set) webhook pushes.
//!
//! `{"event": "TRACKING_UPDATED", "data": {"number": …, "carrier": 2151,
//! "track_info": {…}}}`. The `data` of an update has the shape of an `accepted[]`
//! item of the `gettrackinfo` API, so a `gettrackinfo` response
//! (`{"code": 0, "data": {"accepted": […]}}`) is read the same way, one waybill
//! per accepted item.
//!
//! From `track_info`:
//! - every event of every provider (`tracking.providers[].events[]`) becomes a
//!   [`Fact::CarrierScan`], oldest first: dialect `17track.sub_status` with the
//!   event's `sub_status`, else `17track.stage` with its `stage` (older events
//!   often carry only one of them), else `17track.sub_status` with an empty value;
//! - then the summary, `latest_status.status` (dialect `17track.status`) at the
//!   time of `latest_event` (else of the newest event), with `sub_status_descr` as
//!   the detail. It repeats the newest event in canonical words; a summary
//!   without any time is left out.
//!
//! Times: `time_utc`, else `time_iso`, else `time_raw` (date, time, timezone);
//! when 17TRACK knows no time zone the local time is taken as UTC.
//!
//! `TRACKING_STOPPED` and other events are acknowledged without facts.
//!
//! Dedupe key: `sha256:` of the body (pushes carry no id).

use super::{from_json, from_value, non_blank, sha256_key, Delivery, Fact, ParseError, Text};
use crate::model::ingest::mapping::dialect;
use chrono::{DateTime, FixedOffset, NaiveDate, NaiveTime, TimeZone, Utc};
use serde::Deserialize;
use serde_json::Value;
use std::cmp::Reverse;

#[derive(Deserialize)]
struct Envelope {
    #[serde(default)]
    event: Option<String>,
    #[serde(default)]
    data: Option<Value>,
}

#[derive(Deserialize)]
struct Accepted {
    accepted: Vec<TrackData>,
}

#[derive(Deserialize)]
struct TrackData {
    number: Text,
    #[serde(default)]
    carrier: Option<Text>,
    #[serde(default)]
    track_info: Option<TrackInfo>,
}

#[derive(Deserialize)]
struct TrackInfo {
    #[serde(default)]
    latest_status: Option<LatestStatus>,
    #[serde(default)]
    latest_event: Option<TrackEvent>,
    #[serde(default)]
    tracking: Option<Tracking>,
    #[serde(default)]
    misc_info: Option<MiscInfo>,
}

#[derive(Deserialize)]
struct LatestStatus {
    #[serde(default)]
    status: Option<String>,
    #[serde(default)]
    sub_status: Option<String>,
    #[serde(default)]
    sub_status_descr: Option<String>,
}

#[derive(Deserialize)]
struct MiscInfo {
    #[serde(default)]
    local_provider: Option<String>,
}

#[derive(Deserialize)]
struct Tracking {
    #[serde(default)]
    providers: Option<Vec<ProviderTrack>>,
}

#[derive(Deserialize)]
struct ProviderTrack {
    #[serde(default)]
    provider: Option<Provider>,
    #[serde(default)]
    events: Option<Vec<TrackEvent>>,
}

#[derive(Deserialize)]
struct Provider {
    #[serde(default)]
    name: Option<String>,
}

#[derive(Deserialize)]
struct TrackEvent {
    #[serde(default)]
    time_iso: Option<String>,
    #[serde(default)]
    time_utc: Option<String>,
    #[serde(default)]
    time_raw: Option<TimeRaw>,
    #[serde(default)]
    description: Option<String>,
    #[serde(default)]
    description_translation: Option<Translation>,
    #[serde(default)]
    location: Option<String>,
    #[serde(default)]
    stage: Option<String>,
    #[serde(default)]
    sub_status: Option<String>,
}

#[derive(Deserialize)]
struct TimeRaw {
    #[serde(default)]
    date: Option<String>,
    #[serde(default)]
    time: Option<String>,
    #[serde(default)]
    timezone: Option<String>,
}

#[derive(Deserialize)]
struct Translation {
    #[serde(default)]
    description: Option<String>,
}

impl TrackEvent {
    /// When the event happened; `Ok(None)` when it carries no time at all.
    fn at(&self, field: &str) -> Result<Option<DateTime<Utc>>, ParseError> {
        for (name, text) in [("time_utc", &self.time_utc), ("time_iso", &self.time_iso)] {
            if let Some(text) = non_blank(text.as_deref()) {
                let parsed = DateTime::parse_from_rfc3339(&text).map_err(|_| {
                    ParseError::invalid(
                        format!("{field}.{name}"),
                        format!("expected an RFC 3339 time, got {text:?}"),
                    )
                })?;
                return Ok(Some(parsed.with_timezone(&Utc)));
            }
        }
        let Some(raw) = &self.time_raw else {
            return Ok(None);
        };
        let (Some(date), Some(time)) = (
            non_blank(raw.date.as_deref()),
            non_blank(raw.time.as_deref()),
        ) else {
            return Ok(None);
        };
        let bad = || {
            ParseError::invalid(
                format!("{field}.time_raw"),
                format!(
                    "expected a date, a time and an offset, got {date:?} {time:?} {:?}",
                    raw.timezone
                ),
            )
        };
        let date = NaiveDate::parse_from_str(&date, "%Y-%m-%d").map_err(|_| bad())?;
        let time = NaiveTime::parse_from_str(&time, "%H:%M:%S")
            .or_else(|_| NaiveTime::parse_from_str(&time, "%H:%M"))
            .map_err(|_| bad())?;
        let offset = match non_blank(raw.timezone.as_deref()) {
            Some(zone) => zone.parse::<FixedOffset>().map_err(|_| bad())?,
            None => FixedOffset::east_opt(0).ok_or_else(bad)?,
        };
        offset
            .from_local_datetime(&date.and_time(time))
            .single()
            .map(|t| Some(t.with_timezone(&Utc)))
            .ok_or_else(bad)
    }

    fn detail(&self) -> String {
        let original = non_blank(self.description.as_deref());
        let translated = self
            .description_translation
            .as_ref()
            .and_then(|t| non_blank(t.description.as_deref()));
        match (original, translated) {
            (Some(o), Some(t)) if o != t => format!("{o} ({t})"),
            (Some(o), _) => o,
            (None, Some(t)) => t,
            (None, None) => String::new(),
        }
    }
}

pub(crate) fn parse(body: &[u8]) -> Result<Delivery, ParseError> {
    let envelope: Envelope = from_json(body)?;
    let dedupe_key = sha256_key(body);
    let tracks: Vec<(TrackData, String)> = match envelope.event.as_deref() {
        Some("TRACKING_UPDATED") => {
            let data = envelope.data.ok_or_else(|| ParseError::missing("data"))?;
            vec![(from_value(data, "data")?, "data".to_string())]
        }
        Some(_) => Vec::new(),
        None => match envelope.data {
            Some(data) if data.get("accepted").is_some() => {
                let accepted: Accepted = from_value(data, "data")?;
                accepted
                    .accepted
                    .into_iter()
                    .enumerate()
                    .map(|(i, t)| (t, format!("data.accepted[{i}]")))
                    .collect()
            }
            _ => return Err(ParseError::missing("event")),
        },
    };
    let mut facts = Vec::new();
    for (track, prefix) in tracks {
        facts.extend(scans(track, &prefix)?);
    }
    Ok(Delivery::new(dedupe_key, facts))
}

fn scans(track: TrackData, prefix: &str) -> Result<Vec<Fact>, ParseError> {
    let waybill = track.number.non_empty(&format!("{prefix}.number"))?;
    let Some(info) = track.track_info else {
        return Ok(Vec::new());
    };
    let fallback_carrier = info
        .misc_info
        .as_ref()
        .and_then(|m| non_blank(m.local_provider.as_deref()))
        .or_else(|| track.carrier.and_then(|c| non_blank(Some(&c.0))))
        .unwrap_or_else(|| "17TRACK".to_string());

    let mut events: Vec<(DateTime<Utc>, Reverse<usize>, Fact)> = Vec::new();
    let mut order = 0;
    let providers = info.tracking.and_then(|t| t.providers).unwrap_or_default();
    let mut first_provider_name = None;
    for (p, provider) in providers.into_iter().enumerate() {
        let carrier = provider
            .provider
            .and_then(|p| non_blank(p.name.as_deref()))
            .unwrap_or_else(|| fallback_carrier.clone());
        first_provider_name.get_or_insert_with(|| carrier.clone());
        for (e, event) in provider.events.unwrap_or_default().into_iter().enumerate() {
            let field = format!("{prefix}.track_info.tracking.providers[{p}].events[{e}]");
            let Some(at) = event.at(&field)? else {
                return Err(ParseError::missing(format!("{field}.time_utc")));
            };
            let (dialect, value) = match (
                non_blank(event.sub_status.as_deref()),
                non_blank(event.stage.as_deref()),
            ) {
                (Some(sub), _) => (dialect::TRACK17_SUB_STATUS, sub),
                (None, Some(stage)) => (dialect::TRACK17_STAGE, stage),
                (None, None) => (dialect::TRACK17_SUB_STATUS, String::new()),
            };
            // Providers list events newest first: among equal times, a later
            // position is older.
            events.push((
                at,
                Reverse(order),
                Fact::CarrierScan {
                    carrier: carrier.clone(),
                    waybill: waybill.clone(),
                    dialect,
                    value,
                    location: non_blank(event.location.as_deref()),
                    detail: event.detail(),
                    at,
                },
            ));
            order += 1;
        }
    }
    events.sort_by_key(|(at, order, _)| (*at, *order));
    let newest = events.last().map(|(at, _, _)| *at);
    let mut facts: Vec<Fact> = events.into_iter().map(|(_, _, fact)| fact).collect();

    if let Some(latest) = info.latest_status {
        if let Some(status) = non_blank(latest.status.as_deref()) {
            let latest_event = info.latest_event.as_ref();
            let event_at = match latest_event {
                Some(e) => e.at(&format!("{prefix}.track_info.latest_event"))?,
                None => None,
            };
            if let Some(at) = event_at.or(newest) {
                let detail = non_blank(latest.sub_status_descr.as_deref())
                    .or_else(|| non_blank(latest.sub_status.as_deref()))
                    .unwrap_or_default();
                facts.push(Fact::CarrierScan {
                    carrier: first_provider_name.unwrap_or(fallback_carrier),
                    waybill,
                    dialect: dialect::TRACK17_STATUS,
                    value: status,
                    location: latest_event.and_then(|e| non_blank(e.location.as_deref())),
                    detail,
                    at,
                });
            }
        }
    }
    Ok(facts)
}

#[cfg(test)]
mod tests {
    use super::super::test_support::{fixture, utc};
    use super::*;

    fn fixture_json(path: &str) -> Value {
        serde_json::from_slice(&fixture(path)).unwrap()
    }

    /// A `TRACKING_UPDATED` push built from the `gettrackinfo` fixture's item.
    fn updated_push() -> Vec<u8> {
        let info = fixture_json("carriers/17track/trackinfo-exception-returning.json");
        let data = info["data"]["accepted"][0].clone();
        serde_json::to_vec(&serde_json::json!({"event": "TRACKING_UPDATED", "data": data})).unwrap()
    }

    fn expected() -> Vec<Fact> {
        vec![
            Fact::CarrierScan {
                carrier: "Correios".into(),
                waybill: "AA555666777BR".into(),
                dialect: "17track.sub_status",
                value: "Exception_Returning".into(),
                location: Some("CURITIBA, PR".into()),
                detail: "Em devolução ao remetente (Being returned to sender)".into(),
                at: utc("2026-06-27T14:15:00Z"),
            },
            Fact::CarrierScan {
                carrier: "Correios".into(),
                waybill: "AA555666777BR".into(),
                dialect: "17track.status",
                value: "Exception".into(),
                location: Some("CURITIBA, PR".into()),
                detail: "Package is being returned to the sender.".into(),
                at: utc("2026-06-27T14:15:00Z"),
            },
        ]
    }

    #[test]
    fn tracking_updated_reports_each_event_then_the_latest_status() {
        let body = updated_push();
        let d = parse(&body).unwrap();
        assert_eq!(d.facts, expected());
        assert_eq!(d.dedupe_key, sha256_key(&body));
    }

    #[test]
    fn a_gettrackinfo_response_reads_the_same() {
        let d = parse(&fixture(
            "carriers/17track/trackinfo-exception-returning.json",
        ))
        .unwrap();
        assert_eq!(d.facts, expected());
    }

    #[test]
    fn tracking_stopped_is_acknowledged_without_facts() {
        let body = fixture("carriers/17track/tracking-stopped.json");
        let d = parse(&body).unwrap();
        assert!(d.facts.is_empty());
        assert_eq!(d.dedupe_key, sha256_key(&body));
    }

    #[test]
    fn events_are_sorted_oldest_first_with_stage_fallback_and_raw_times() {
        let body = serde_json::json!({
            "event": "TRACKING_UPDATED",
            "data": {"number": "RR1", "carrier": 190012, "track_info": {
                "latest_status": {"status": "Delivered", "sub_status": "Delivered_Other"},
                "latest_event": null,
                "tracking": {"providers": [{"provider": {"name": "YanWen"}, "events": [
                    {"time_utc": null, "time_iso": null,
                     "time_raw": {"date": "2026-06-30", "time": "14:23:00", "timezone": null},
                     "description": "Delivered", "stage": "Delivered", "sub_status": null},
                    {"time_iso": "2026-06-28T08:40:00-03:00", "time_utc": null,
                     "description": "Out", "stage": null, "sub_status": "OutForDelivery_Other",
                     "location": "  "},
                    {"time_raw": {"date": "2026-06-25", "time": "10:12", "timezone": "+08:00"},
                     "description": null}
                ]}]}
            }}
        });
        let d = parse(&serde_json::to_vec(&body).unwrap()).unwrap();
        let summary: Vec<(&str, &str, String)> = d
            .facts
            .iter()
            .map(|f| match f {
                Fact::CarrierScan {
                    dialect, value, at, ..
                } => (*dialect, value.as_str(), at.to_rfc3339()),
                other => panic!("{other:?}"),
            })
            .collect();
        assert_eq!(
            summary,
            vec![
                (
                    "17track.sub_status",
                    "",
                    "2026-06-25T02:12:00+00:00".to_string()
                ),
                (
                    "17track.sub_status",
                    "OutForDelivery_Other",
                    "2026-06-28T11:40:00+00:00".to_string()
                ),
                (
                    "17track.stage",
                    "Delivered",
                    "2026-06-30T14:23:00+00:00".to_string()
                ),
                (
                    "17track.status",
                    "Delivered",
                    "2026-06-30T14:23:00+00:00".to_string()
                ),
            ]
        );
        let Fact::CarrierScan {
            carrier, location, ..
        } = &d.facts[1]
        else {
            unreachable!()
        };
        assert_eq!(carrier, "YanWen");
        assert_eq!(location, &None);
    }

    #[test]
    fn malformed_pushes_name_the_field() {
        let err = |body: &str| parse(body.as_bytes()).unwrap_err().to_string();
        assert!(err("[").starts_with("body is not valid JSON: "));
        assert_eq!(err(r#"{"data":{"number":"X"}}"#), "field event is missing");
        assert_eq!(
            err(r#"{"event":"TRACKING_UPDATED"}"#),
            "field data is missing"
        );
        assert_eq!(
            err(r#"{"event":"TRACKING_UPDATED","data":{"track_info":{}}}"#),
            "field data.number is missing"
        );
        assert_eq!(
            err(r#"{"event":"TRACKING_UPDATED","data":{"number":"X","track_info":{"tracking":{"providers":[{"events":[{"time_utc":"yesterday"}]}]}}}}"#),
            "field data.track_info.tracking.providers[0].events[0].time_utc is invalid: expected an RFC 3339 time, got \"yesterday\""
        );
        assert_eq!(
            err(
                r#"{"event":"TRACKING_UPDATED","data":{"number":"X","track_info":{"tracking":{"providers":[{"events":[{"description":"x"}]}]}}}}"#
            ),
            "field data.track_info.tracking.providers[0].events[0].time_utc is missing"
        );
        assert_eq!(
            err(r#"{"event":"TRACKING_UPDATED","data":{"number":"X","track_info":{"latest_status":"Delivered"}}}"#),
            "field data.track_info.latest_status is invalid: invalid type: string \"Delivered\", expected struct LatestStatus"
        );
    }
}
