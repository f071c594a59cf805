//! The detectors' settings as an admin edits them: plain text fields (hours,
//! minutes, percentages, a few lines of lists) read into
//! [`DetectorSettings`], or refused naming the field and what is wrong. Pure,
//! so the form in the browser and the server read the same way.

use super::settings::{DetectorSettings, Lane, PerChannel, TransitTable};
use crate::model::order::channel::Channel;
use crate::model::order::exceptions::ExceptionCode;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// What is wrong with a field of the form.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, thiserror::Error)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum FormError {
    #[error("{field}: a whole number from {min} to {max} is needed, got {got:?}")]
    Number {
        field: String,
        min: u64,
        max: u64,
        got: String,
    },
    #[error("{field}, line {line}: {problem}")]
    Line {
        field: String,
        line: usize,
        problem: String,
    },
}

/// The form's fields, as typed.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct SettingsForm {
    pub paid_not_shipped_hours: String,
    /// Per channel; blank keeps the default.
    pub paid_not_shipped_channel_hours: BTreeMap<Channel, String>,
    pub no_waybill_minutes: String,
    pub carrier_silent_hours: String,
    pub duplicate_window_hours: String,
    /// One destination per line: `US: hs_code, declared_value, contents`
    /// (`*` for any destination not listed).
    pub customs: String,
    pub transit_default_hours: String,
    /// One lane per line: `SF Express, 浙江, 24` (no province: every one).
    pub lanes: String,
    /// Minutes per code.
    pub sla_minutes: BTreeMap<ExceptionCode, String>,
    pub confidence_pct: String,
}

fn number(field: &str, value: &str, min: u64, max: u64) -> Result<u64, FormError> {
    value
        .trim()
        .parse::<u64>()
        .ok()
        .filter(|n| (min..=max).contains(n))
        .ok_or_else(|| FormError::Number {
            field: field.to_string(),
            min,
            max,
            got: value.to_string(),
        })
}

const HOUR: u64 = 3600;
const MINUTE: u64 = 60;
/// A year, the longest any span may be.
const MAX_HOURS: u64 = 24 * 366;

impl SettingsForm {
    /// The form filled from `s`.
    pub fn of(s: &DetectorSettings) -> SettingsForm {
        let customs = s
            .customs_required
            .iter()
            .map(|(dest, fields)| format!("{dest}: {}", fields.join(", ")))
            .collect::<Vec<_>>()
            .join("\n");
        let lanes = s
            .transit
            .lanes
            .iter()
            .map(|l| match &l.to_province {
                Some(p) => format!("{}, {p}, {}", l.carrier, l.hours),
                None => format!("{}, , {}", l.carrier, l.hours),
            })
            .collect::<Vec<_>>()
            .join("\n");
        SettingsForm {
            paid_not_shipped_hours: (s.paid_not_shipped.default_secs / HOUR).to_string(),
            paid_not_shipped_channel_hours: Channel::ALL
                .into_iter()
                .map(|c| {
                    let given = s.paid_not_shipped.channels.get(&c);
                    (
                        c,
                        given
                            .map(|secs| (secs / HOUR).to_string())
                            .unwrap_or_default(),
                    )
                })
                .collect(),
            no_waybill_minutes: (s.no_waybill.default_secs / MINUTE).to_string(),
            carrier_silent_hours: (s.carrier_silent.default_secs / HOUR).to_string(),
            duplicate_window_hours: (s.duplicate_window_secs / HOUR).to_string(),
            customs,
            transit_default_hours: s.transit.default_hours.to_string(),
            lanes,
            sla_minutes: ExceptionCode::ALL
                .into_iter()
                .map(|c| {
                    (
                        c,
                        (s.sla(c).num_seconds().max(0) as u64 / MINUTE).to_string(),
                    )
                })
                .collect(),
            confidence_pct: s.routing.confidence_threshold_pct.to_string(),
        }
    }

    /// The settings the form says, on top of `current` (kept where the form
    /// has no field: per-channel spans of the other detectors, carrier
    /// costs); the routing rules' version goes up when they change.
    pub fn read(&self, current: &DetectorSettings) -> Result<DetectorSettings, FormError> {
        let mut s = current.clone();
        let hours = |field: &str, v: &str| number(field, v, 1, MAX_HOURS).map(|h| h * HOUR);
        s.paid_not_shipped = PerChannel {
            default_secs: hours("paid_not_shipped_hours", &self.paid_not_shipped_hours)?,
            channels: self
                .paid_not_shipped_channel_hours
                .iter()
                .filter(|(_, v)| !v.trim().is_empty())
                .map(|(c, v)| Ok((*c, hours(&format!("paid_not_shipped.{}", c.as_str()), v)?)))
                .collect::<Result<_, FormError>>()?,
        };
        s.no_waybill.default_secs = number(
            "no_waybill_minutes",
            &self.no_waybill_minutes,
            1,
            MAX_HOURS * 60,
        )? * MINUTE;
        s.carrier_silent.default_secs = hours("carrier_silent_hours", &self.carrier_silent_hours)?;
        s.duplicate_window_secs = hours("duplicate_window_hours", &self.duplicate_window_hours)?;
        s.customs_required = self.customs_lines()?;
        s.transit = TransitTable {
            default_hours: number(
                "transit_default_hours",
                &self.transit_default_hours,
                1,
                MAX_HOURS,
            )? as u32,
            lanes: self.lane_lines()?,
        };
        for (code, minutes) in &self.sla_minutes {
            let m = number(&format!("sla.{}", code.name()), minutes, 1, MAX_HOURS * 60)?;
            s.sla_secs.insert(*code, m * MINUTE);
        }
        let pct = number("confidence_pct", &self.confidence_pct, 1, 100)? as u8;
        if pct != s.routing.confidence_threshold_pct {
            s.routing.confidence_threshold_pct = pct;
            s.routing.version += 1;
        }
        Ok(s)
    }

    fn customs_lines(&self) -> Result<BTreeMap<String, Vec<String>>, FormError> {
        let mut out = BTreeMap::new();
        for (i, line) in self.customs.lines().enumerate() {
            if line.trim().is_empty() {
                continue;
            }
            let bad = |problem: &str| FormError::Line {
                field: "customs".into(),
                line: i + 1,
                problem: problem.into(),
            };
            let (dest, fields) = line
                .split_once([':', '：'])
                .ok_or_else(|| bad("write the destination, a colon, then the attributes"))?;
            let dest = dest.trim().to_uppercase();
            if dest.is_empty() {
                return Err(bad("the destination is missing"));
            }
            let fields: Vec<String> = fields
                .split([',', '，'])
                .map(|f| f.trim().to_string())
                .filter(|f| !f.is_empty())
                .collect();
            out.insert(dest, fields);
        }
        Ok(out)
    }

    fn lane_lines(&self) -> Result<Vec<Lane>, FormError> {
        let mut out = Vec::new();
        for (i, line) in self.lanes.lines().enumerate() {
            if line.trim().is_empty() {
                continue;
            }
            let bad = |problem: &str| FormError::Line {
                field: "lanes".into(),
                line: i + 1,
                problem: problem.into(),
            };
            let parts: Vec<&str> = line.split([',', '，']).map(str::trim).collect();
            let [carrier, province, hours] = parts[..] else {
                return Err(bad(
                    "write the carrier, the province (or nothing), the hours",
                ));
            };
            if carrier.is_empty() {
                return Err(bad("the carrier is missing"));
            }
            let hours = hours
                .parse::<u32>()
                .ok()
                .filter(|h| (1..=MAX_HOURS as u32).contains(h))
                .ok_or_else(|| bad("the hours must be a whole number of at least 1"))?;
            out.push(Lane {
                carrier: carrier.to_string(),
                to_province: (!province.is_empty()).then(|| province.to_string()),
                hours,
            });
        }
        Ok(out)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_form_of_the_settings_reads_back_as_the_same_settings() {
        let mut s = DetectorSettings::default();
        s.paid_not_shipped
            .channels
            .insert(Channel::Douyin, 48 * HOUR);
        s.transit.lanes.push(Lane {
            carrier: "SF Express".into(),
            to_province: Some("浙江".into()),
            hours: 24,
        });
        let form = SettingsForm::of(&s);
        assert_eq!(form.paid_not_shipped_channel_hours[&Channel::Douyin], "48");
        assert_eq!(form.read(&s), Ok(s));
    }

    #[test]
    fn a_changed_threshold_is_a_new_version_of_the_routing_rules() {
        let s = DetectorSettings::default();
        let mut form = SettingsForm::of(&s);
        form.confidence_pct = "80".into();
        let read = form.read(&s).unwrap();
        assert_eq!(read.routing.confidence_threshold_pct, 80);
        assert_eq!(read.routing.version, s.routing.version + 1);
    }

    #[test]
    fn bad_fields_are_named_and_nothing_is_read() {
        let s = DetectorSettings::default();
        let mut form = SettingsForm::of(&s);
        form.no_waybill_minutes = "0".into();
        assert!(
            matches!(form.read(&s), Err(FormError::Number { field, .. }) if field == "no_waybill_minutes")
        );
        let mut form = SettingsForm::of(&s);
        form.lanes = "SF Express, 浙江".into();
        assert!(matches!(
            form.read(&s),
            Err(FormError::Line { line: 1, .. })
        ));
        let mut form = SettingsForm::of(&s);
        form.customs = "US hs_code".into();
        assert!(matches!(form.read(&s), Err(FormError::Line { field, .. }) if field == "customs"));
        let mut form = SettingsForm::of(&s);
        form.paid_not_shipped_channel_hours
            .insert(Channel::Tmall, "soon".into());
        assert!(form.read(&s).is_err());
    }
}
