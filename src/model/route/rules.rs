//! The router's rules as versioned data: the confidence at or above which a
//! proposal is applied without a person, what each carrier costs per parcel,
//! and how far apart provinces are (the same province a day, the same region
//! two, further three). A change saves a new version, and every decision
//! names the version it was made under, so it can be replayed under a newer
//! one.

use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// China's provinces by region, for distances in days.
const REGIONS: [&[&str]; 7] = [
    &["上海", "江苏", "浙江", "安徽", "福建", "江西", "山东"],
    &["广东", "广西", "海南"],
    &["四川", "重庆", "贵州", "云南", "西藏"],
    &["北京", "天津", "河北", "山西", "内蒙古"],
    &["河南", "湖北", "湖南"],
    &["辽宁", "吉林", "黑龙江"],
    &["陕西", "甘肃", "青海", "宁夏", "新疆"],
];

/// The router's rules.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RoutingRules {
    /// Raised by one at each saved change.
    pub version: u32,
    /// Proposals at or above this confidence (per cent) are applied at once.
    pub confidence_threshold_pct: u8,
    /// What a parcel costs with each carrier, in fen; carriers not listed
    /// cost `default_cost_fen`.
    pub carrier_cost_fen: BTreeMap<String, i64>,
    pub default_cost_fen: i64,
}

impl Default for RoutingRules {
    fn default() -> Self {
        RoutingRules {
            version: 1,
            confidence_threshold_pct: 85,
            carrier_cost_fen: [
                ("SF Express", 1800),
                ("JD Logistics", 1500),
                ("EMS", 1200),
                ("ZTO Express", 800),
                ("YTO Express", 800),
                ("Yunda", 750),
                ("STO Express", 750),
            ]
            .into_iter()
            .map(|(c, f)| (c.to_string(), f))
            .collect(),
            default_cost_fen: 1000,
        }
    }
}

impl RoutingRules {
    /// What a parcel costs with `carrier`, in fen.
    pub fn cost_fen(&self, carrier: &str) -> i64 {
        self.carrier_cost_fen
            .get(carrier)
            .copied()
            .unwrap_or(self.default_cost_fen)
    }
}

/// Days from a warehouse in `from` to a buyer in `to`: 1 within a province,
/// 2 within a region, 3 otherwise (and for places the table does not know).
pub fn days_between(from: &str, to: &str) -> u32 {
    let norm = |p: &str| {
        p.trim()
            .trim_end_matches('省')
            .trim_end_matches('市')
            .to_string()
    };
    let (from, to) = (norm(from), norm(to));
    if !from.is_empty() && from == to {
        return 1;
    }
    let region = |p: &str| REGIONS.iter().position(|r| r.contains(&p));
    match (region(&from), region(&to)) {
        (Some(a), Some(b)) if a == b => 2,
        _ => 3,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn distance_is_a_day_in_the_province_two_in_the_region_three_beyond() {
        assert_eq!(days_between("上海", "上海市"), 1);
        assert_eq!(days_between("上海", "浙江"), 2);
        assert_eq!(days_between("广东", "浙江"), 3);
        assert_eq!(days_between("四川", "Nowhere"), 3);
    }

    #[test]
    fn an_unlisted_carrier_costs_the_default() {
        let r = RoutingRules::default();
        assert_eq!(r.cost_fen("SF Express"), 1800);
        assert_eq!(r.cost_fen("Some Courier"), 1000);
    }
}
