//! What one stream delivers, and to whom: its topics and its audience (staff
//! through their lens, or a customer through a tracking link).

use crate::model::tracking::CustomerStep;
use crate::model::{Lens, OrderId, RecordedEvent, Topic};

/// What one stream delivers, and to whom.
#[derive(Debug, Clone)]
pub struct Subscription {
    pub topics: Vec<Topic>,
    pub audience: Audience,
}

/// Who reads a stream, which decides what each frame says.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Audience {
    /// Staff: every event (`order_event`), seen through their lens.
    Staff(Lens),
    /// A customer through a tracking link: only the steps a customer may see,
    /// as customer timeline entries (`tracking_step`); nothing staff-only.
    Customer,
}

impl Subscription {
    pub(super) fn matches(&self, e: &RecordedEvent) -> bool {
        self.topics.iter().any(|t| t.matches(e))
            && (self.audience != Audience::Customer || CustomerStep::visible(e))
    }

    /// With one order as the only topic, replay reads only that order's log.
    pub(super) fn only_order(&self) -> Option<&OrderId> {
        match self.topics.as_slice() {
            [Topic::Order(id)] => Some(id),
            _ => None,
        }
    }
}
