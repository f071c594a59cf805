//! What an admin sets for the detectors and the queues: thresholds (per
//! channel where the channels' promises differ), the duplicate window, the
//! customs attributes each destination requires, the carriers' transit
//! times, and each exception's service-level time. Plain data with defaults;
//! the server keeps the current version and every detector reads it.

use crate::model::order::channel::Channel;
use crate::model::order::exceptions::ExceptionCode;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

const MINUTE: u64 = 60;
const HOUR: u64 = 3600;

/// A span of seconds, with a different one for some channels.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PerChannel {
    pub default_secs: u64,
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub channels: BTreeMap<Channel, u64>,
}

impl PerChannel {
    pub fn flat(secs: u64) -> PerChannel {
        PerChannel {
            default_secs: secs,
            channels: BTreeMap::new(),
        }
    }

    /// The span for `channel`.
    pub fn secs(&self, channel: Channel) -> u64 {
        self.channels
            .get(&channel)
            .copied()
            .unwrap_or(self.default_secs)
    }
}

/// How long a carrier takes to a destination province, in hours; the most
/// specific line wins (carrier and province, then carrier, then the default).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct TransitTable {
    pub default_hours: u32,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub lanes: Vec<Lane>,
}

/// One line of the transit table: `carrier` to `to_province` (any province
/// when `None`) in `hours`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Lane {
    pub carrier: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub to_province: Option<String>,
    pub hours: u32,
}

impl TransitTable {
    /// Hours `carrier` takes to `province` (compared without case or spaces).
    pub fn hours(&self, carrier: Option<&str>, province: &str) -> u32 {
        let same = |a: &str, b: &str| {
            let norm = |s: &str| {
                s.chars()
                    .filter(|c| !c.is_whitespace())
                    .flat_map(char::to_lowercase)
                    .collect::<String>()
            };
            norm(a) == norm(b)
        };
        let Some(carrier) = carrier else {
            return self.default_hours;
        };
        let of_carrier = || self.lanes.iter().filter(|l| same(&l.carrier, carrier));
        of_carrier()
            .find(|l| l.to_province.as_deref().is_some_and(|p| same(p, province)))
            .or_else(|| of_carrier().find(|l| l.to_province.is_none()))
            .map(|l| l.hours)
            .unwrap_or(self.default_hours)
    }
}

/// Everything the detectors and queues are set to.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DetectorSettings {
    /// Paid and not shipped after this long (from placing).
    pub paid_not_shipped: PerChannel,
    /// No waybill this long after the shipment notice.
    pub no_waybill: PerChannel,
    /// No carrier scan this long on a parcel in transit.
    pub carrier_silent: PerChannel,
    /// The same customer's same items within this long are a likely duplicate.
    pub duplicate_window_secs: u64,
    /// Customs attributes a cross-border order must declare, per destination
    /// country code; `*` for any destination not listed.
    pub customs_required: BTreeMap<String, Vec<String>>,
    pub transit: TransitTable,
    /// How long each team has to act on an exception once it is raised.
    pub sla_secs: BTreeMap<ExceptionCode, u64>,
    /// The router's rules (versioned; the confidence threshold among them).
    #[serde(default)]
    pub routing: crate::model::route::RoutingRules,
}

impl Default for DetectorSettings {
    fn default() -> Self {
        let sla = |code| match code {
            ExceptionCode::RefundBeforeShipping => 15 * MINUTE,
            ExceptionCode::GiftMissing | ExceptionCode::NoWaybill | ExceptionCode::RouteReview => {
                30 * MINUTE
            }
            ExceptionCode::WarehouseOverCapacity | ExceptionCode::LikelyDuplicate => HOUR,
            ExceptionCode::PaidNotShipped
            | ExceptionCode::DeliveryAtRisk
            | ExceptionCode::CustomsIncomplete => 2 * HOUR,
            ExceptionCode::DeliveryFailed => 4 * HOUR,
            ExceptionCode::CarrierSilent => 8 * HOUR,
        };
        DetectorSettings {
            paid_not_shipped: PerChannel::flat(24 * HOUR),
            no_waybill: PerChannel::flat(15 * MINUTE),
            carrier_silent: PerChannel::flat(48 * HOUR),
            duplicate_window_secs: 72 * HOUR,
            customs_required: BTreeMap::from([(
                "*".to_string(),
                vec![
                    "hs_code".to_string(),
                    "declared_value".to_string(),
                    "contents".to_string(),
                ],
            )]),
            transit: TransitTable {
                default_hours: 72,
                lanes: Vec::new(),
            },
            sla_secs: ExceptionCode::ALL
                .into_iter()
                .map(|c| (c, sla(c)))
                .collect(),
            routing: crate::model::route::RoutingRules::default(),
        }
    }
}

impl DetectorSettings {
    /// The settings of the demo, whose orders live minutes, not days: every
    /// span shortened so each detector can be seen firing while you watch.
    pub fn demo() -> DetectorSettings {
        DetectorSettings {
            paid_not_shipped: PerChannel::flat(MINUTE),
            no_waybill: PerChannel::flat(30),
            carrier_silent: PerChannel::flat(2 * MINUTE),
            duplicate_window_secs: 72 * HOUR,
            transit: TransitTable {
                default_hours: 72,
                lanes: Vec::new(),
            },
            ..DetectorSettings::default()
        }
    }

    /// How long the team has to act on `code`.
    pub fn sla(&self, code: ExceptionCode) -> chrono::Duration {
        secs(self.sla_secs.get(&code).copied().unwrap_or(2 * HOUR))
    }

    /// The attributes an order to `country` must declare (none within China).
    pub fn customs_for(&self, country: &str) -> &[String] {
        let country = country.trim().to_uppercase();
        if country == "CN" {
            return &[];
        }
        self.customs_required
            .get(&country)
            .or_else(|| self.customs_required.get("*"))
            .map(Vec::as_slice)
            .unwrap_or(&[])
    }
}

/// A span in seconds as a [`chrono::Duration`] (saturating).
pub fn secs(secs: u64) -> chrono::Duration {
    chrono::Duration::seconds(secs.min(i64::MAX as u64 / 1000) as i64)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_channel_line_overrides_the_default() {
        let mut s = PerChannel::flat(24 * HOUR);
        s.channels.insert(Channel::Douyin, 48 * HOUR);
        assert_eq!(s.secs(Channel::Douyin), 48 * HOUR);
        assert_eq!(s.secs(Channel::Tmall), 24 * HOUR);
    }

    #[test]
    fn the_most_specific_transit_line_wins() {
        let table = TransitTable {
            default_hours: 72,
            lanes: vec![
                Lane {
                    carrier: "SF Express".into(),
                    to_province: None,
                    hours: 36,
                },
                Lane {
                    carrier: "SF Express".into(),
                    to_province: Some("浙江".into()),
                    hours: 24,
                },
            ],
        };
        assert_eq!(table.hours(Some("sf express"), "浙江"), 24);
        assert_eq!(table.hours(Some("SF Express"), "四川"), 36);
        assert_eq!(table.hours(Some("ZTO Express"), "浙江"), 72);
        assert_eq!(table.hours(None, "浙江"), 72);
    }

    #[test]
    fn customs_apply_outside_china_only_with_a_fallback_list() {
        let mut s = DetectorSettings::default();
        s.customs_required.insert(
            "US".into(),
            vec!["hs_code".into(), "recipient_tax_id".into()],
        );
        assert!(s.customs_for("CN").is_empty());
        assert_eq!(s.customs_for("us").len(), 2);
        assert_eq!(s.customs_for("JP").len(), 3);
    }

    #[test]
    fn every_code_has_a_service_level() {
        let s = DetectorSettings::default();
        for code in ExceptionCode::ALL {
            assert!(s.sla_secs.contains_key(&code), "{code:?}");
        }
        assert_eq!(s.sla(ExceptionCode::RefundBeforeShipping).num_minutes(), 15);
    }

    #[test]
    fn settings_survive_a_round_trip_as_json() {
        let s = DetectorSettings::demo();
        let back: DetectorSettings =
            serde_json::from_str(&serde_json::to_string(&s).unwrap()).unwrap();
        assert_eq!(back, s);
    }
}
