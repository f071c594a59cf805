//! What one stream delivers, and to whom: its topics and its audience (staff
//! through their lens, or a customer through a tracking link).

use crate::model::views::redaction::carries_free_text;
use crate::model::views::tracking::CustomerStep;
use crate::model::{EventKind, Lens, OrderId, RecordedEvent, Topic};

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
    /// Steps are numbered per link (the SSE id; never a log sequence
    /// number): the first one sent is `after_step + 1`.
    Customer { after_step: u64 },
}

impl Audience {
    fn is_customer(&self) -> bool {
        matches!(self, Audience::Customer { .. })
    }

    /// Whether this audience's frame of `e` masks free text with what is
    /// known of the order's recipient (so the recipient must be looked up).
    pub(super) fn wants_recipient(&self, e: &RecordedEvent) -> bool {
        match self {
            Audience::Staff(lens) => {
                lens.hides_contact()
                    && !matches!(e.event.kind, EventKind::OrderPlaced { .. })
                    && carries_free_text(&e.event.kind)
            }
            Audience::Customer { .. } => matches!(
                &e.event.kind,
                EventKind::CarrierScan {
                    location: Some(_),
                    ..
                }
            ),
        }
    }
}

impl Subscription {
    pub(super) fn matches(&self, e: &RecordedEvent) -> bool {
        self.topics.iter().any(|t| t.matches(e))
            && (!self.audience.is_customer() || CustomerStep::visible(e))
    }

    /// With one order as the only topic, replay reads only that order's log.
    pub(super) fn only_order(&self) -> Option<&OrderId> {
        match self.topics.as_slice() {
            [Topic::Order(id)] => Some(id),
            _ => None,
        }
    }
}
