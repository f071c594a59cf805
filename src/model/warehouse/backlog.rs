//! Which warehouse an order counts against, read from its state alone (so a
//! projection keeps the board from each event's state before and after):
//! - waiting: allocated, nothing shipped yet, not cancelled, refunded or
//!   returned — the warehouse's backlog;
//! - shipped: its first parcel has left — one order shipped, in the hour it left;
//! - flagged: allocated and any exception open — the board's "exceptions open".

use crate::model::order::status::Branch;
use crate::model::order::Order;

/// The warehouse `order` waits in, if it waits.
pub fn waiting_in(order: &Order) -> Option<&str> {
    let closed = order.branch.is_some_and(Branch::is_terminal);
    match &order.warehouse {
        Some(w) if !closed && !order.any_shipped() => Some(w),
        _ => None,
    }
}

/// The warehouse whose shipments an event moving `before` to `after` adds
/// one to: the order's first parcel left with it.
pub fn first_shipped_from<'a>(before: Option<&Order>, after: &'a Order) -> Option<&'a str> {
    let was_shipped = before.is_some_and(Order::any_shipped);
    match &after.warehouse {
        Some(w) if after.any_shipped() && !was_shipped => Some(w),
        _ => None,
    }
}

/// The warehouse whose open exceptions `order` counts in, if any are open.
pub fn flagged_in(order: &Order) -> Option<&str> {
    match &order.warehouse {
        Some(w) if !order.exceptions.is_empty() => Some(w),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::order::exceptions::ExceptionCode;
    use crate::model::order::sample_log::Log;
    use crate::model::EventKind;

    const DC: &str = "Shanghai Jiading DC";

    fn allocated() -> Log {
        let mut log = Log::new();
        log.paid()
            .push(EventKind::OrderConfirmed)
            .push(EventKind::WarehouseAllocated {
                warehouse: DC.into(),
            });
        log
    }

    #[test]
    fn an_order_waits_from_allocation_until_its_first_parcel_ships() {
        let mut log = Log::new();
        log.paid();
        assert_eq!(waiting_in(log.order()), None, "paid, not allocated");
        let mut log = allocated();
        assert_eq!(waiting_in(log.order()), Some(DC));
        log.packed("P1", &["serum", "gift"]);
        assert_eq!(waiting_in(log.order()), Some(DC), "packed is still waiting");
        let before = log.order().clone();
        log.shipped("P1", "SF Express", "SF1");
        assert_eq!(waiting_in(log.order()), None);
        assert_eq!(first_shipped_from(Some(&before), log.order()), Some(DC));
        // The gift box shipping later is not a second order shipped.
        let before = log.order().clone();
        log.packed("P2", &["box"])
            .shipped("P2", "SF Express", "SF2");
        assert_eq!(first_shipped_from(Some(&before), log.order()), None);
    }

    #[test]
    fn a_cancelled_order_no_longer_waits() {
        let mut log = allocated();
        log.push(EventKind::OrderCancelled {
            reason: "客户取消".into(),
        });
        assert_eq!(waiting_in(log.order()), None);
    }

    #[test]
    fn an_allocated_order_with_an_exception_is_flagged_until_it_clears() {
        let mut log = allocated();
        assert_eq!(flagged_in(log.order()), None);
        log.push(EventKind::ExceptionRaised {
            code: ExceptionCode::PaidNotShipped,
            parcel: None,
            detail: "仓库未发货".into(),
            facts: None,
        });
        assert_eq!(flagged_in(log.order()), Some(DC));
        log.push(EventKind::ExceptionCleared {
            code: ExceptionCode::PaidNotShipped,
            parcel: None,
        });
        assert_eq!(flagged_in(log.order()), None);
    }
}
