//! The customer at a glance: their orders of the last 30 days (same phone),
//! each with its status, open exceptions, refunds and notes, and which of
//! them is likely a duplicate of another — the same items to the same
//! address ordered again within 72 hours (a double tap on "pay", a repeat
//! from another channel).
//! Pure: the server finds the orders by the phone of the order the agent is
//! on (never a phone the browser sends) and shows them through the lens.

use crate::model::access::{Lens, SeenOrder};
use crate::model::detect::original_of;
use crate::model::order::event::{EventKind, RecordedEvent};
use crate::model::order::Order;
use chrono::{DateTime, Duration, Utc};
use serde::{Deserialize, Serialize};

/// How far back the customer's orders go.
pub const LOOKBACK_DAYS: i64 = 30;
/// Two orders of the same items this close together are likely one order twice.
pub const DUPLICATE_WITHIN_HOURS: i64 = 72;
/// Most orders the panel shows (newest first).
pub const MAX_ORDERS: usize = 50;

/// Since when the customer's orders are shown, `now` being the reader's now.
pub fn since(now: DateTime<Utc>) -> DateTime<Utc> {
    now - Duration::days(LOOKBACK_DAYS)
}

/// For each order (newest first, as given), the id of the earlier order of
/// the same customer it likely duplicates, by the duplicate detector's rule
/// (the same phone, address and items within 72 hours; a cancelled order is
/// no original).
pub fn likely_duplicates<A>(orders: &[Order<A>]) -> Vec<Option<String>> {
    let window = Duration::hours(DUPLICATE_WITHIN_HOURS);
    orders
        .iter()
        .map(|order| original_of(order, orders, window).map(|o| o.id.to_string()))
        .collect()
}

/// One of the customer's orders as the panel shows it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CustomerOrder {
    /// Through the reader's lens (status, exceptions, refunds from it).
    pub order: SeenOrder,
    /// Notes on the order, newest first (through the lens).
    pub notes: Vec<String>,
    /// The earlier order this one likely repeats.
    pub duplicate_of: Option<String>,
}

/// The customer's recent orders.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CustomerOrders {
    /// The order the panel was asked from.
    pub asked_from: String,
    pub lens: Lens,
    /// Newest first; at most [`MAX_ORDERS`].
    pub orders: Vec<CustomerOrder>,
    /// Whether older orders of the window were left out.
    pub more: bool,
    pub since: DateTime<Utc>,
}

/// The notes of an order's log, newest first.
pub fn notes(events: &[RecordedEvent<impl Sized>]) -> Vec<String> {
    events
        .iter()
        .rev()
        .filter_map(|e| match &e.event.kind {
            EventKind::NoteAdded { text } => Some(text.clone()),
            _ => None,
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::order::sample_log::{at, Log};
    use crate::model::order::status::Branch;
    use crate::model::{EventKind, OrderId};

    /// The sample order placed `hours` after the first, as `id`.
    fn again(id: &str, hours: i64) -> Order {
        let mut order = Log::new().order().clone();
        order.id = OrderId::parse(id).unwrap();
        order.placed_at = at(0) + Duration::hours(hours);
        order
    }

    #[test]
    fn the_same_items_within_72_hours_are_flagged_against_the_earlier_order() {
        let first = again("CR-1", 0);
        let second = again("CR-2", 5);
        let late = again("CR-3", 5 + 73);
        // Newest first, as the panel lists them.
        let orders = vec![late.clone(), second.clone(), first.clone()];
        assert_eq!(
            likely_duplicates(&orders),
            [None, Some("CR-1".to_string()), None]
        );
    }

    #[test]
    fn other_items_or_a_cancelled_original_are_no_duplicate() {
        let first = again("CR-1", 0);
        let mut other_items = again("CR-2", 1);
        other_items.components[0].quantity = 2;
        assert_eq!(
            likely_duplicates(&[other_items, first.clone()]),
            [None, None]
        );

        let mut cancelled = first;
        cancelled.branch = Some(Branch::Cancelled);
        assert_eq!(
            likely_duplicates(&[again("CR-3", 2), cancelled]),
            [None, None]
        );
    }

    #[test]
    fn notes_are_read_newest_first() {
        let mut log = Log::new();
        log.push(EventKind::NoteAdded { text: "一".into() })
            .paid()
            .push(EventKind::NoteAdded { text: "二".into() });
        assert_eq!(notes(log.events()), ["二", "一"]);
    }
}
