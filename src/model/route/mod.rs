//! Routing that explains itself: given an order and a snapshot of the
//! warehouses (stock, load, province, carriers), [`decide`] proposes where
//! it ships from. Pure and deterministic. Each warehouse gets points for
//! each factor, out of 100:
//! - stock (30): every item in stock, or the warehouse cannot take it;
//! - saturation (25): backlog against daily capacity, the emptier the more;
//! - distance (25): days to the destination province (a day 25, two days
//!   20, three 5: the same region is nearly as good as the same province);
//! - carrier cost (10): its cheapest carrier against the cheapest anywhere;
//! - promise (10): whether it can deliver by the channel's promised date.
//!
//! The highest score is proposed, the runner-up kept with its own factors,
//! and the confidence grows with the margin between them (a lone candidate
//! is sure; none, and a person must decide). The decision keeps the whole
//! snapshot and the rules' version, so it can be replayed.

pub mod rules;

pub use rules::{days_between, RoutingRules};

use chrono::{DateTime, Duration, Utc};
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// Where an order's routing stands: the router's proposal, and what a
/// person made of it when it waited for one.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RouteStatus {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub proposed: Option<String>,
    pub confidence_pct: u8,
    pub threshold_pct: u8,
    pub rule_version: u32,
    /// A person's choice, once made.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub decided: Option<RouteChoice>,
}

impl RouteStatus {
    /// Whether it waits for a person: below the threshold and not decided.
    pub fn waits(&self) -> bool {
        self.decided.is_none()
            && (self.proposed.is_none() || self.confidence_pct < self.threshold_pct)
    }
}

/// A person's routing choice.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RouteChoice {
    pub warehouse: String,
    pub by: String,
    pub overridden: bool,
}

/// A warehouse as the router saw it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct WarehouseSnapshot {
    pub name: String,
    pub province: String,
    pub daily_capacity: u64,
    /// Orders allocated to it and not shipped.
    pub backlog: u64,
    /// Units in stock of each SKU the order needs (absent: none known).
    pub stock: BTreeMap<String, u64>,
    pub carriers: Vec<String>,
}

/// What the router decided from.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RouteInputs {
    pub destination_province: String,
    /// Each SKU that ships now, with the units needed.
    pub items: BTreeMap<String, u64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub promised_by: Option<DateTime<Utc>>,
    pub warehouses: Vec<WarehouseSnapshot>,
    /// When the decision was made.
    pub at: DateTime<Utc>,
}

/// One warehouse's factors, as facts (the words are made when shown).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Factors {
    /// The fewest units in stock among the items (how far stock goes).
    pub stock: u64,
    /// Whether every item is in stock in the units needed.
    pub in_stock: bool,
    pub saturation_pct: u32,
    pub days: u32,
    /// Its cheapest carrier and what a parcel costs with it (fen).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub carrier: Option<(String, i64)>,
    /// Whether it can deliver by the promise (`None`: no promise was made).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub meets_promise: Option<bool>,
}

/// A warehouse scored.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Candidate {
    pub warehouse: String,
    pub province: String,
    /// Out of 100; 0 when it cannot take the order (not in stock).
    pub score: u32,
    pub factors: Factors,
}

/// A routing decision: the snapshot, the rules' version, every candidate
/// best first, the proposal and how sure it is.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RouteDecision {
    pub rule_version: u32,
    pub inputs: RouteInputs,
    pub candidates: Vec<Candidate>,
    /// The warehouse proposed; `None` when none can take the order.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub proposed: Option<String>,
    pub confidence_pct: u8,
    /// The threshold in force: at or above it, applied without a person.
    pub threshold_pct: u8,
}

impl RouteDecision {
    /// Whether it is applied without a person.
    pub fn applies(&self) -> bool {
        self.proposed.is_some() && self.confidence_pct >= self.threshold_pct
    }

    /// The proposal's candidate.
    pub fn winner(&self) -> Option<&Candidate> {
        self.candidates.first().filter(|c| c.score > 0)
    }

    /// The runner-up: the next warehouse that could take the order.
    pub fn runner_up(&self) -> Option<&Candidate> {
        self.candidates.get(1).filter(|c| c.score > 0)
    }
}

/// Scores `w` for `inputs` under `rules`; `cheapest` is the lowest parcel
/// cost of any warehouse.
fn score(
    w: &WarehouseSnapshot,
    inputs: &RouteInputs,
    rules: &RoutingRules,
    cheapest: i64,
) -> Candidate {
    let stock = inputs
        .items
        .keys()
        .map(|sku| w.stock.get(sku).copied().unwrap_or(0))
        .min()
        .unwrap_or(0);
    let in_stock = inputs
        .items
        .iter()
        .all(|(sku, need)| w.stock.get(sku).copied().unwrap_or(0) >= *need);
    let saturation_pct =
        ((w.backlog.saturating_mul(100)) / w.daily_capacity.max(1)).min(999) as u32;
    let days = days_between(&w.province, &inputs.destination_province);
    let carrier = w
        .carriers
        .iter()
        .map(|c| (c.clone(), rules.cost_fen(c)))
        .min_by_key(|(c, cost)| (*cost, c.clone()));
    let meets_promise = inputs
        .promised_by
        .map(|by| inputs.at + Duration::days(i64::from(days)) <= by);
    let factors = Factors {
        stock,
        in_stock,
        saturation_pct,
        days,
        carrier: carrier.clone(),
        meets_promise,
    };
    let points = if !in_stock || carrier.is_none() {
        0
    } else {
        let saturation = 25 * (100 - saturation_pct.min(100)) / 100;
        let distance = match days {
            1 => 25,
            2 => 20,
            _ => 5,
        };
        let cost = carrier.map_or(0, |(_, fen)| (10 * cheapest.max(1) / fen.max(1)) as u32);
        let promise = if meets_promise == Some(false) { 0 } else { 10 };
        30 + saturation + distance + cost.min(10) + promise
    };
    Candidate {
        warehouse: w.name.clone(),
        province: w.province.clone(),
        score: points,
        factors,
    }
}

/// The confidence of a proposal scoring `best` over a runner-up scoring
/// `second` (0 when there is none): sure alone, and from 50 % for a tie up
/// to 99 % as the margin grows (each point of margin worth 2.5 %: a
/// warehouse in the buyer's region against one further away, all else
/// equal, is just above the default 85 %).
fn confidence(best: u32, second: u32) -> u8 {
    if best == 0 {
        return 0;
    }
    if second == 0 {
        return 99;
    }
    (50 + 5 * (best - second) / 2).min(99) as u8
}

/// The router's decision for `inputs` under `rules`.
pub fn decide(inputs: RouteInputs, rules: &RoutingRules) -> RouteDecision {
    let cheapest = inputs
        .warehouses
        .iter()
        .flat_map(|w| w.carriers.iter().map(|c| rules.cost_fen(c)))
        .min()
        .unwrap_or(rules.default_cost_fen);
    let mut candidates: Vec<Candidate> = inputs
        .warehouses
        .iter()
        .map(|w| score(w, &inputs, rules, cheapest))
        .collect();
    candidates.sort_by(|a, b| b.score.cmp(&a.score).then(a.warehouse.cmp(&b.warehouse)));
    let best = candidates.first().map_or(0, |c| c.score);
    let second = candidates.get(1).map_or(0, |c| c.score);
    let proposed = candidates
        .first()
        .filter(|c| c.score > 0)
        .map(|c| c.warehouse.clone());
    RouteDecision {
        rule_version: rules.version,
        confidence_pct: confidence(best, second),
        threshold_pct: rules.confidence_threshold_pct,
        proposed,
        candidates,
        inputs,
    }
}

#[cfg(test)]
mod tests;
