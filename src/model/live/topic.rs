//! What a live view follows: the topics one page's stream multiplexes.
//!
//! Pure, so the server authorises and filters with exactly the code the
//! browser uses to route an event to the widgets that asked for it. Written as
//! text (`orders`, `order:<id>`, `exceptions`, `money`, `warehouses`) in
//! `?topics=`.

use crate::model::access::Permission;
use crate::model::order::event::{EventKind, RecordedEvent};
use crate::model::order::ids::OrderId;
use crate::model::order::mentions::{could_be_username, mentions};
use std::fmt;

/// Something a widget follows on its page's shared stream.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum Topic {
    /// Every order's events (the order list, the role dashboards).
    Orders,
    /// One order's events (its page, its timeline).
    Order(OrderId),
    /// Events that may raise or clear an exception (the exception queue).
    Exceptions,
    /// Payments, refunds and cancellations: what receivables and refunds are
    /// made of (the finance dashboard).
    Money,
    /// Orders being placed (only the placing events): what a panel needs to
    /// notice a customer ordering again, without every other event.
    Placements,
    /// Notes that mention one person (`@username`): their mentions inbox and
    /// its unread count. Only that person may follow it.
    Mentions(String),
    /// What changes the warehouse load board: allocations, shipments,
    /// cancellations and refunds, exceptions raised and cleared.
    Warehouses,
}

/// Text that is not a topic.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{0}")]
pub struct TopicError(String);

impl Topic {
    /// At most this many topics on one stream.
    pub const MAX_PER_STREAM: usize = 32;

    pub fn parse(text: &str) -> Result<Topic, TopicError> {
        match text.trim() {
            "orders" => Ok(Topic::Orders),
            "exceptions" => Ok(Topic::Exceptions),
            "money" => Ok(Topic::Money),
            "placements" => Ok(Topic::Placements),
            "warehouses" => Ok(Topic::Warehouses),
            other => match (other.strip_prefix("order:"), other.strip_prefix("mentions:")) {
                (Some(id), _) => OrderId::parse(id)
                    .map(Topic::Order)
                    .map_err(|e| TopicError(format!("topic {other:?}: {e}"))),
                (_, Some(user)) if could_be_username(user) => Ok(Topic::Mentions(user.to_string())),
                (_, Some(_)) => Err(TopicError(format!(
                    "topic {other:?}: not a username"
                ))),
                _ => Err(TopicError(format!(
                    "unknown topic {other:?} (orders, order:<id>, exceptions, money, placements, warehouses, mentions:<username>)"
                ))),
            },
        }
    }

    /// A comma-separated list, as in `?topics=`; empty entries are ignored.
    pub fn parse_list(text: &str) -> Result<Vec<Topic>, TopicError> {
        let topics = text
            .split(',')
            .filter(|t| !t.trim().is_empty())
            .map(Topic::parse)
            .collect::<Result<Vec<_>, _>>()?;
        if topics.len() > Topic::MAX_PER_STREAM {
            return Err(TopicError(format!(
                "at most {} topics per stream",
                Topic::MAX_PER_STREAM
            )));
        }
        Ok(topics)
    }

    /// What a caller needs to follow the topic (checked on the server).
    pub fn permission(&self) -> Permission {
        match self {
            Topic::Orders
            | Topic::Order(_)
            | Topic::Exceptions
            | Topic::Placements
            | Topic::Mentions(_) => Permission::ViewOrders,
            Topic::Money => Permission::ViewFinance,
            Topic::Warehouses => Permission::ViewWarehouses,
        }
    }

    /// Whether the event belongs to the topic.
    pub fn matches<A>(&self, e: &RecordedEvent<A>) -> bool {
        match self {
            Topic::Orders => true,
            Topic::Order(id) => id == &e.event.order_id,
            Topic::Exceptions => e.event.kind.may_change_exceptions(),
            Topic::Money => matches!(
                e.event.kind,
                EventKind::OrderPlaced { .. }
                    | EventKind::PaymentCaptured { .. }
                    | EventKind::OrderCancelled { .. }
                    | EventKind::RefundRequested { .. }
                    | EventKind::RefundDeclined { .. }
                    | EventKind::Refunded { .. }
            ),
            Topic::Placements => matches!(e.event.kind, EventKind::OrderPlaced { .. }),
            Topic::Mentions(user) => {
                matches!(&e.event.kind, EventKind::NoteAdded { text } if mentions(text, user))
            }
            Topic::Warehouses => matches!(
                e.event.kind,
                EventKind::WarehouseAllocated { .. }
                    | EventKind::ParcelShipped { .. }
                    | EventKind::OrderCancelled { .. }
                    | EventKind::Refunded { .. }
                    | EventKind::ExceptionRaised { .. }
                    | EventKind::ExceptionCleared { .. }
                    | EventKind::CarrierScan { .. }
            ),
        }
    }

    /// The topics joined for `?topics=`.
    pub fn join(topics: &[Topic]) -> String {
        topics
            .iter()
            .map(Topic::to_string)
            .collect::<Vec<_>>()
            .join(",")
    }
}

impl fmt::Display for Topic {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Topic::Orders => f.write_str("orders"),
            Topic::Order(id) => write!(f, "order:{id}"),
            Topic::Exceptions => f.write_str("exceptions"),
            Topic::Money => f.write_str("money"),
            Topic::Placements => f.write_str("placements"),
            Topic::Mentions(user) => write!(f, "mentions:{user}"),
            Topic::Warehouses => f.write_str("warehouses"),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn topics_read_back_what_they_write() {
        let topics = vec![
            Topic::Orders,
            Topic::Order(OrderId::parse("CR-0000042").unwrap()),
            Topic::Exceptions,
            Topic::Money,
            Topic::Placements,
            Topic::Mentions("li.na".into()),
            Topic::Warehouses,
        ];
        assert_eq!(Topic::parse_list(&Topic::join(&topics)).unwrap(), topics);
    }

    #[test]
    fn unknown_or_too_many_topics_are_refused() {
        assert!(Topic::parse("finance-secrets").is_err());
        assert!(Topic::parse("order:").is_err());
        assert!(Topic::parse("mentions:").is_err());
        assert!(Topic::parse("mentions:Li Na").is_err());
        let many = vec!["orders"; Topic::MAX_PER_STREAM + 1].join(",");
        assert!(Topic::parse_list(&many).is_err());
        assert_eq!(Topic::parse_list(" , ").unwrap(), vec![]);
    }

    #[test]
    fn money_is_finance_business() {
        assert_eq!(Topic::Money.permission(), Permission::ViewFinance);
        assert_eq!(Topic::Exceptions.permission(), Permission::ViewOrders);
        assert_eq!(Topic::Warehouses.permission(), Permission::ViewWarehouses);
    }

    #[test]
    fn the_warehouses_topic_carries_what_moves_the_board() {
        use crate::model::order::sample_log::Log;
        let mut log = Log::new();
        log.paid()
            .push(EventKind::OrderConfirmed)
            .push(EventKind::WarehouseAllocated {
                warehouse: "Shanghai Jiading DC".into(),
            })
            .push(EventKind::NoteAdded {
                text: "打包中".into(),
            })
            .push(EventKind::OrderCancelled {
                reason: "客户取消".into(),
            });
        let carried: Vec<u64> = log
            .events()
            .iter()
            .filter(|e| Topic::Warehouses.matches(e))
            .map(|e| e.seq)
            .collect();
        assert_eq!(carried, [4, 6]);
    }

    #[test]
    fn a_mentions_topic_carries_only_notes_naming_its_person() {
        use crate::model::order::sample_log::Log;
        let mut log = Log::new();
        log.push(EventKind::NoteAdded {
            text: "@li.na 客户在问礼盒".into(),
        })
        .push(EventKind::NoteAdded {
            text: "@wang 看一下".into(),
        });
        let topic = Topic::Mentions("li.na".into());
        let carried: Vec<u64> = log
            .events()
            .iter()
            .filter(|e| topic.matches(e))
            .map(|e| e.seq)
            .collect();
        assert_eq!(carried, [2]);
    }
}
