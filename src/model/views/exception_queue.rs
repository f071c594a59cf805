//! The exception queues: each team's open exceptions, oldest deadline first,
//! with the clock to each one's service-level deadline (raised + the time the
//! settings give its code). Pure: the store reads each code's exceptions in
//! order of raising from one index, and [`merge`] puts the codes together by
//! deadline; a page ends at a [`QueueKey`] the next page starts after.

use crate::model::access::{Role, SeenOrder};
use crate::model::order::channel::Channel;
use crate::model::order::exceptions::{ExceptionCode, OpenException};
use crate::model::order::ids::{OrderId, ParcelId};
use crate::model::order::status::Status;
use chrono::{DateTime, Duration, Utc};
use serde::{Deserialize, Serialize};

/// Rows a queue page shows.
pub const PAGE_ROWS: usize = 50;

/// The teams that have a queue, in the page's order.
pub const TEAMS: [Role; 3] = [Role::Logistics, Role::CustomerService, Role::Finance];

/// Whether someone with `roles` works `team`'s queue: its members, and
/// admins every queue.
pub fn works_queue(roles: &[Role], team: Role) -> bool {
    roles.contains(&team) || roles.contains(&Role::Admin)
}

/// The queues someone with `roles` works, in the page's order.
pub fn queues_of(roles: &[Role]) -> Vec<Role> {
    TEAMS
        .into_iter()
        .filter(|t| works_queue(roles, *t))
        .collect()
}

/// The codes in `team`'s queue (an admin's holds every code).
pub fn codes_of(team: Role) -> Vec<ExceptionCode> {
    ExceptionCode::ALL
        .into_iter()
        .filter(|c| team == Role::Admin || c.team() == team)
        .collect()
}

/// Where a queue page ends: the last row's deadline, code, order and parcel
/// (the queue's order), as `<µs>.<code>.<order>.<parcel>` in an address.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
pub struct QueueKey {
    pub due_us: i64,
    pub code: String,
    pub order_id: String,
    pub parcel: String,
}

impl QueueKey {
    pub fn to_param(&self) -> String {
        format!(
            "{}.{}.{}.{}",
            self.due_us, self.code, self.order_id, self.parcel
        )
    }

    /// The key from its address form; `None` when it is not one.
    pub fn parse(s: &str) -> Option<QueueKey> {
        let mut parts = s.splitn(4, '.');
        let due_us = parts.next()?.parse().ok()?;
        let code = ExceptionCode::parse(parts.next()?)?.name().to_string();
        let order_id = OrderId::parse(parts.next()?).ok()?.to_string();
        let parcel = parts.next()?.to_string();
        if !parcel.is_empty() {
            ParcelId::parse(&parcel).ok()?;
        }
        Some(QueueKey {
            due_us,
            code,
            order_id,
            parcel,
        })
    }

    /// Where the rows of `code` (whose deadline is raising + `sla`) start
    /// after this key: a lower bound on (raised µs, order, parcel), exclusive.
    pub fn bound_for(&self, code: ExceptionCode, sla: Duration) -> (i64, String, String) {
        let raised = self
            .due_us
            .saturating_sub(sla.num_microseconds().unwrap_or(i64::MAX));
        match code.name().cmp(self.code.as_str()) {
            // Rows of a later code at the same deadline come after the key.
            std::cmp::Ordering::Greater => (raised, String::new(), String::new()),
            std::cmp::Ordering::Equal => (raised, self.order_id.clone(), self.parcel.clone()),
            // Rows of an earlier code at the same deadline came before it.
            std::cmp::Ordering::Less => (raised, "\u{10FFFF}".into(), String::new()),
        }
    }
}

/// An open exception as the store lists it for a queue.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct QueueEntry {
    pub code: ExceptionCode,
    pub order_id: OrderId,
    pub parcel: Option<ParcelId>,
    pub raised_at: DateTime<Utc>,
}

impl QueueEntry {
    /// Its place in the queue, its deadline being raising + `sla`.
    pub fn key(&self, sla: Duration) -> QueueKey {
        QueueKey {
            due_us: (self.raised_at + sla).timestamp_micros(),
            code: self.code.name().to_string(),
            order_id: self.order_id.to_string(),
            parcel: self
                .parcel
                .as_ref()
                .map(|p| p.to_string())
                .unwrap_or_default(),
        }
    }
}

/// Each code's entries (each in order of raising) merged by deadline; the
/// first `limit`. `sla` gives each code's service-level time.
pub fn merge(
    per_code: Vec<Vec<QueueEntry>>,
    sla: impl Fn(ExceptionCode) -> Duration,
    limit: usize,
) -> Vec<(QueueKey, QueueEntry)> {
    let mut all: Vec<(QueueKey, QueueEntry)> = per_code
        .into_iter()
        .flatten()
        .map(|e| (e.key(sla(e.code)), e))
        .collect();
    all.sort_by(|a, b| a.0.cmp(&b.0));
    all.truncate(limit);
    all
}

/// One row of a queue, through the reader's lens.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct QueueRow {
    pub order_id: OrderId,
    pub channel: Channel,
    pub status: Status,
    pub warehouse: Option<String>,
    pub exception: OpenException,
    /// When the owning team should have acted by.
    pub due_at: DateTime<Utc>,
}

impl QueueRow {
    /// The row for the exception `code` on `parcel` of `order` (as the
    /// reader's lens shows it); `None` when it is no longer open.
    pub fn of(
        order: &SeenOrder,
        code: ExceptionCode,
        parcel: Option<&ParcelId>,
        sla: Duration,
    ) -> Option<QueueRow> {
        let exception = order.open_exception(code, parcel)?.clone();
        Some(QueueRow {
            order_id: order.id.clone(),
            channel: order.channel,
            status: order.status(),
            warehouse: order.warehouse.clone(),
            due_at: exception.since + sla,
            exception,
        })
    }
}

/// A page of a team's queue.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct QueuePage {
    pub team: Role,
    pub rows: Vec<QueueRow>,
    /// Open exceptions in the queue, snoozed ones included.
    pub total: u64,
    /// Of which snoozed (set aside until later than now).
    pub snoozed: u64,
    /// Where the next page starts, when there is one.
    pub next: Option<String>,
    /// When the page was read (the countdowns start from the reader's clock).
    pub read_at: DateTime<Utc>,
    /// The log position it was read at: live events after it refresh it.
    pub as_of: u64,
}

/// The time left to a deadline, or how far past it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Countdown {
    /// Seconds left.
    Left(i64),
    /// Seconds overdue.
    Overdue(i64),
}

impl Countdown {
    pub fn to(due: DateTime<Utc>, now: DateTime<Utc>) -> Countdown {
        let left = (due - now).num_seconds();
        if left >= 0 {
            Countdown::Left(left)
        } else {
            Countdown::Overdue(-left)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    fn at(min: i64) -> DateTime<Utc> {
        Utc.with_ymd_and_hms(2026, 11, 30, 8, 0, 0).unwrap() + Duration::minutes(min)
    }

    fn entry(code: ExceptionCode, order: &str, raised: i64) -> QueueEntry {
        QueueEntry {
            code,
            order_id: OrderId::parse(order).unwrap(),
            parcel: None,
            raised_at: at(raised),
        }
    }

    fn sla(code: ExceptionCode) -> Duration {
        match code {
            ExceptionCode::NoWaybill => Duration::minutes(30),
            _ => Duration::hours(2),
        }
    }

    #[test]
    fn codes_merge_by_deadline_not_by_raising() {
        let merged = merge(
            vec![
                vec![entry(ExceptionCode::PaidNotShipped, "CR-1", 0)],
                vec![entry(ExceptionCode::NoWaybill, "CR-2", 60)],
            ],
            sla,
            10,
        );
        let ids: Vec<_> = merged.iter().map(|(_, e)| e.order_id.to_string()).collect();
        assert_eq!(ids, ["CR-2", "CR-1"], "due 09:30 before due 10:00");
    }

    #[test]
    fn a_page_starts_exactly_after_its_key_across_codes() {
        let a = entry(ExceptionCode::PaidNotShipped, "CR-1", 0);
        let b = entry(ExceptionCode::NoWaybill, "CR-2", 90);
        let c = entry(ExceptionCode::PaidNotShipped, "CR-3", 0);
        let first = merge(vec![vec![a.clone(), c.clone()], vec![b.clone()]], sla, 2);
        let key = first.last().unwrap().0.clone();
        // Same deadline 10:00 for all three: code order, then order id.
        assert_eq!(
            first
                .iter()
                .map(|(_, e)| e.order_id.to_string())
                .collect::<Vec<_>>(),
            ["CR-2", "CR-1"]
        );
        // What each code's read would return after the key.
        let after = |e: &QueueEntry| {
            let (raised, order, parcel) = key.bound_for(e.code, sla(e.code));
            (
                e.raised_at.timestamp_micros(),
                e.order_id.to_string(),
                String::new(),
            ) > (raised, order, parcel)
        };
        assert!(!after(&a) && !after(&b) && after(&c));
        assert_eq!(QueueKey::parse(&key.to_param()), Some(key));
    }

    #[test]
    fn a_key_from_an_address_is_checked() {
        assert!(QueueKey::parse("12.paid_not_shipped.CR-1.").is_some());
        assert!(QueueKey::parse("12.nonsense.CR-1.").is_none());
        assert!(QueueKey::parse("x.paid_not_shipped.CR-1.").is_none());
    }

    #[test]
    fn the_countdown_turns_overdue_past_the_deadline() {
        assert_eq!(Countdown::to(at(15), at(0)), Countdown::Left(900));
        assert_eq!(Countdown::to(at(0), at(1)), Countdown::Overdue(60));
    }

    #[test]
    fn each_team_queues_its_own_codes_and_admin_all() {
        assert!(codes_of(Role::Logistics).contains(&ExceptionCode::GiftMissing));
        assert!(!codes_of(Role::Logistics).contains(&ExceptionCode::LikelyDuplicate));
        assert_eq!(codes_of(Role::Finance), [ExceptionCode::CustomsIncomplete]);
        assert_eq!(codes_of(Role::Admin).len(), ExceptionCode::ALL.len());
    }
}
