//! The warehouse load board's read model: per warehouse, its backlog
//! (allocated, nothing shipped, not cancelled or refunded), orders shipped
//! today (the China day) against its daily capacity, saturation, the oldest
//! waiting order, how many of its orders have an exception open, and orders
//! shipped per hour over the last 24 hours.
//!
//! The store hands over raw figures ([`WarehouseFigures`]); what they mean
//! (saturation, level, today's total, the 24 hourly buckets with the empty
//! ones filled in) is worked out here, the same in the browser and in tests.

use crate::model::order::ids::OrderId;
use crate::model::warehouse::{HourBucket, Warehouse};
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

/// Saturation at or above this percentage reads "near capacity".
pub const NEAR_CAPACITY_PERCENT: u64 = 80;

/// One warehouse's backlog against its daily capacity (what the
/// over-capacity detector compares).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct WarehouseLoad {
    /// Orders allocated to it with nothing shipped, not cancelled or refunded.
    pub backlog: u64,
    /// Orders it can ship in a day (at least 1).
    pub daily_capacity: u64,
}

/// How loaded a warehouse is, in words on the board (never colour alone).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum LoadLevel {
    /// Below [`NEAR_CAPACITY_PERCENT`].
    Normal,
    /// At or above [`NEAR_CAPACITY_PERCENT`], at most the capacity.
    NearCapacity,
    /// More waiting than it ships in a day.
    OverCapacity,
}

impl WarehouseLoad {
    /// Backlog as a percentage of the daily capacity, rounded half up
    /// (above 100 when over capacity).
    pub fn saturation_percent(self) -> u64 {
        let capacity = u128::from(self.daily_capacity.max(1));
        let percent = (u128::from(self.backlog) * 100 + capacity / 2) / capacity;
        u64::try_from(percent).unwrap_or(u64::MAX)
    }

    /// Whether more orders wait than the warehouse ships in a day.
    pub fn over_capacity(self) -> bool {
        self.backlog > self.daily_capacity
    }

    /// The level, from the exact ratio (79.9 % is not yet near capacity,
    /// though it reads as 80 %).
    pub fn level(self) -> LoadLevel {
        if self.over_capacity() {
            LoadLevel::OverCapacity
        } else if u128::from(self.backlog) * 100
            >= u128::from(NEAR_CAPACITY_PERCENT) * u128::from(self.daily_capacity)
        {
            LoadLevel::NearCapacity
        } else {
            LoadLevel::Normal
        }
    }
}

/// The order that has waited longest in a warehouse, and since when.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct OldestWaiting {
    pub order_id: OrderId,
    /// When it was allocated to the warehouse.
    pub since: DateTime<Utc>,
}

/// Orders shipped from a warehouse in one hour.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct HourCount {
    pub hour: HourBucket,
    pub shipped: u64,
}

/// What the store knows of one warehouse: raw, before it means anything.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct WarehouseFigures {
    pub warehouse: Warehouse,
    pub backlog: u64,
    pub oldest: Option<OldestWaiting>,
    /// Orders allocated to it with an exception open (shipped or not).
    pub open_exceptions: u64,
    /// Orders whose first parcel shipped in each hour, for the hours since
    /// [`WarehouseFigures::since`] that had any (any order).
    pub shipped: Vec<HourCount>,
}

impl WarehouseFigures {
    /// The first hour the board needs counted at `now`: the earlier of the
    /// China day's start and the chart's first hour.
    pub fn since(now: DateTime<Utc>) -> HourBucket {
        HourBucket::china_day_start(now).min(HourBucket::last_day(now)[0])
    }
}

/// One row of the board.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct WarehouseRow {
    pub warehouse: Warehouse,
    pub backlog: u64,
    /// Orders whose first parcel shipped since the China day began.
    pub shipped_today: u64,
    pub oldest: Option<OldestWaiting>,
    pub open_exceptions: u64,
    /// Orders shipped in each of the last [`HOURS_SHOWN`] hours, oldest first
    /// (hours without shipments are there, with 0).
    pub hourly: Vec<HourCount>,
}

impl WarehouseRow {
    /// The row at `now` from the store's figures.
    pub fn at(figures: WarehouseFigures, now: DateTime<Utc>) -> WarehouseRow {
        let day = HourBucket::china_day_start(now);
        let current = HourBucket::of(now);
        let counted = |hour: HourBucket| -> u64 {
            figures
                .shipped
                .iter()
                .filter(|c| c.hour == hour)
                .map(|c| c.shipped)
                .sum()
        };
        let shipped_today = figures
            .shipped
            .iter()
            .filter(|c| c.hour >= day && c.hour <= current)
            .map(|c| c.shipped)
            .sum();
        let hourly = HourBucket::last_day(now)
            .into_iter()
            .map(|hour| HourCount {
                hour,
                shipped: counted(hour),
            })
            .collect();
        WarehouseRow {
            warehouse: figures.warehouse,
            backlog: figures.backlog,
            shipped_today,
            oldest: figures.oldest,
            open_exceptions: figures.open_exceptions,
            hourly,
        }
    }

    pub fn load(&self) -> WarehouseLoad {
        WarehouseLoad {
            backlog: self.backlog,
            daily_capacity: self.warehouse.daily_capacity,
        }
    }

    /// The most shipped in any one hour of the chart (for its scale).
    pub fn peak_hour(&self) -> u64 {
        self.hourly.iter().map(|h| h.shipped).max().unwrap_or(0)
    }
}

/// The board: every warehouse, by name, as of a log position.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct WarehouseBoard {
    pub rows: Vec<WarehouseRow>,
    /// The log position the figures include every event up to.
    pub as_of: u64,
    /// When the figures were read (the chart's last hour, "today").
    pub at: DateTime<Utc>,
}

impl WarehouseBoard {
    /// The board at `now` from each warehouse's figures, by name.
    pub fn at(mut figures: Vec<WarehouseFigures>, as_of: u64, now: DateTime<Utc>) -> Self {
        figures.sort_by(|a, b| a.warehouse.name.cmp(&b.warehouse.name));
        WarehouseBoard {
            rows: figures
                .into_iter()
                .map(|f| WarehouseRow::at(f, now))
                .collect(),
            as_of,
            at: now,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(s: &str) -> DateTime<Utc> {
        DateTime::parse_from_rfc3339(s).unwrap().to_utc()
    }

    fn load(backlog: u64, daily_capacity: u64) -> WarehouseLoad {
        WarehouseLoad {
            backlog,
            daily_capacity,
        }
    }

    #[test]
    fn saturation_is_backlog_over_daily_capacity_rounded() {
        assert_eq!(load(0, 1000).saturation_percent(), 0);
        assert_eq!(load(620, 1000).saturation_percent(), 62);
        assert_eq!(load(1, 200).saturation_percent(), 1, "0.5 % rounds up");
        assert_eq!(load(1, 201).saturation_percent(), 0);
        assert_eq!(load(1500, 1000).saturation_percent(), 150);
        assert_eq!(load(u64::MAX, 1).saturation_percent(), u64::MAX);
    }

    #[test]
    fn over_capacity_is_more_waiting_than_a_days_shipping() {
        assert_eq!(load(1000, 1000).level(), LoadLevel::NearCapacity);
        assert!(!load(1000, 1000).over_capacity());
        assert_eq!(load(1001, 1000).level(), LoadLevel::OverCapacity);
        assert_eq!(load(800, 1000).level(), LoadLevel::NearCapacity);
        assert_eq!(load(799, 1000).level(), LoadLevel::Normal);
    }

    fn figures(shipped: &[(i64, u64)]) -> WarehouseFigures {
        WarehouseFigures {
            warehouse: Warehouse {
                name: "Chengdu Shuangliu DC".into(),
                province: "四川".into(),
                daily_capacity: 100,
                carriers: vec![],
            },
            backlog: 3,
            oldest: None,
            open_exceptions: 1,
            shipped: shipped
                .iter()
                .map(|&(hour, shipped)| HourCount {
                    hour: HourBucket(hour),
                    shipped,
                })
                .collect(),
        }
    }

    #[test]
    fn the_chart_has_every_hour_and_today_counts_from_china_midnight() {
        use crate::model::warehouse::HOURS_SHOWN;
        // 02:30 in Shanghai: today began 2.5 h ago, the chart reaches back 23 h more.
        let now = at("2026-11-30T18:30:00Z");
        let current = HourBucket::of(now);
        let day = HourBucket::china_day_start(now);
        assert_eq!(day, current.plus(-2));
        assert_eq!(WarehouseFigures::since(now), current.plus(-23));
        let row = WarehouseRow::at(
            figures(&[
                (current.0, 4),
                (current.0 - 2, 3),
                (current.0 - 3, 7),   // yesterday, on the chart
                (current.0 - 30, 99), // off the chart
            ]),
            now,
        );
        assert_eq!(row.shipped_today, 7);
        assert_eq!(row.hourly.len(), HOURS_SHOWN);
        assert_eq!(row.hourly.last().unwrap().shipped, 4);
        assert_eq!(row.hourly.iter().map(|h| h.shipped).sum::<u64>(), 14);
        assert_eq!(row.hourly.iter().filter(|h| h.shipped == 0).count(), 21);
        assert_eq!(row.peak_hour(), 7);
    }

    #[test]
    fn late_in_the_china_day_today_reaches_before_the_chart() {
        // 23:30 in Shanghai: the day began 23.5 h ago; the chart shows 24 h.
        let now = at("2026-11-30T15:30:00Z");
        let day = HourBucket::china_day_start(now);
        assert_eq!(day, HourBucket::of(now).plus(-23));
        assert_eq!(WarehouseFigures::since(now), day);
        let row = WarehouseRow::at(figures(&[(day.0, 5), (day.0 - 1, 2)]), now);
        assert_eq!(row.shipped_today, 5);
        assert_eq!(row.hourly.iter().map(|h| h.shipped).sum::<u64>(), 5);
    }

    #[test]
    fn the_board_lists_warehouses_by_name() {
        let mut b = figures(&[]);
        b.warehouse.name = "Beijing DC".into();
        let board = WarehouseBoard::at(vec![figures(&[]), b], 9, at("2026-11-30T10:00:00Z"));
        let names: Vec<_> = board
            .rows
            .iter()
            .map(|r| r.warehouse.name.as_str())
            .collect();
        assert_eq!(names, ["Beijing DC", "Chengdu Shuangliu DC"]);
        assert_eq!(board.as_of, 9);
    }
}
