//! What a person does with an open exception from a team's queue: claim it,
//! snooze it for a while with a reason, or resolve it with a reason. Typed
//! (a blank reason or a snooze of no time does not decode); [`plan`] turns
//! it into the event, refused when the exception is not open or not the
//! person's team's.

use crate::model::access::Role;
use crate::model::order::channel::Source;
use crate::model::order::desk_action::Reason;
use crate::model::order::event::{Actor, EventKind, OrderEvent};
use crate::model::order::exceptions::ExceptionCode;
use crate::model::order::ids::ParcelId;
use crate::model::order::refusal::Refusal;
use crate::model::order::Order;
use crate::model::views::exception_queue::works_queue;
use chrono::{DateTime, Duration, Utc};
use serde::{Deserialize, Serialize};

/// The snoozes a person picks from, in minutes.
pub const SNOOZE_MINUTES: [u32; 4] = [15, 60, 240, 1440];

/// One action on an open exception.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum ExceptionAction {
    Claim,
    Snooze { minutes: u32, reason: Reason },
    Resolve { reason: Reason },
}

/// Which open exception: its code and parcel.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ExceptionRef {
    pub code: ExceptionCode,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub parcel: Option<ParcelId>,
}

/// Whether a person with `roles` works `code`'s queue.
pub fn works(roles: &[Role], code: ExceptionCode) -> bool {
    works_queue(roles, code.team())
}

/// The event for `action` on `which` of `order`, by `actor` at `now`.
pub fn plan(
    action: &ExceptionAction,
    which: &ExceptionRef,
    order: &Order,
    actor: Actor,
    now: DateTime<Utc>,
) -> Result<OrderEvent, Refusal> {
    if !order.is_open(which.code, which.parcel.as_ref()) {
        return Err(Refusal::ExceptionNotOpen);
    }
    let (code, parcel) = (which.code, which.parcel.clone());
    let kind = match action {
        ExceptionAction::Claim => EventKind::ExceptionClaimed { code, parcel },
        ExceptionAction::Snooze { minutes, reason } => {
            if !SNOOZE_MINUTES.contains(minutes) {
                return Err(Refusal::SnoozeInPast);
            }
            EventKind::ExceptionSnoozed {
                code,
                parcel,
                until: now + Duration::minutes(i64::from(*minutes)),
                reason: reason.as_str().to_string(),
            }
        }
        ExceptionAction::Resolve { reason } => EventKind::ExceptionResolved {
            code,
            parcel,
            reason: reason.as_str().to_string(),
        },
    };
    Ok(OrderEvent {
        order_id: order.id.clone(),
        occurred_at: now,
        source: Source::ControlRoom,
        actor,
        kind,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::order::lifecycle::evolve;
    use crate::model::order::sample_log::{at, Log};
    use crate::model::RecordedEvent;

    fn person() -> Actor {
        Actor::Staff {
            user_id: "u-1".into(),
            name: "小周".into(),
            role: Role::Logistics,
        }
    }

    fn reason(s: &str) -> Reason {
        Reason::parse(s.to_string()).unwrap()
    }

    #[test]
    fn each_team_works_its_own_codes() {
        assert!(works(&[Role::Logistics], ExceptionCode::GiftMissing));
        assert!(!works(&[Role::Finance], ExceptionCode::GiftMissing));
        assert!(works(&[Role::Admin], ExceptionCode::LikelyDuplicate));
        assert!(works(
            &[Role::CustomerService],
            ExceptionCode::RefundBeforeShipping
        ));
    }

    #[test]
    fn actions_become_events_on_an_open_exception_only() {
        let mut log = Log::new();
        log.paid().packed("P1", &["serum"]);
        let which = ExceptionRef {
            code: ExceptionCode::GiftMissing,
            parcel: Some(ParcelId::parse("P1").unwrap()),
        };
        assert_eq!(
            plan(
                &ExceptionAction::Claim,
                &which,
                log.order(),
                person(),
                at(9)
            ),
            Err(Refusal::ExceptionNotOpen)
        );
        log.push(EventKind::ExceptionRaised {
            code: ExceptionCode::GiftMissing,
            parcel: which.parcel.clone(),
            detail: "the pouch is not in the box".into(),
            facts: None,
        });
        let snooze = ExceptionAction::Snooze {
            minutes: 60,
            reason: reason("pouch restocked at noon"),
        };
        let event = plan(&snooze, &which, log.order(), person(), at(9)).unwrap();
        assert!(matches!(
            event.kind,
            EventKind::ExceptionSnoozed { until, .. } if until == at(69)
        ));
        let recorded = RecordedEvent {
            seq: 99,
            recorded_at: at(9),
            event,
        };
        let after = evolve(Some(log.order()), &recorded).unwrap();
        assert!(after.exceptions[0].snooze.is_some());
        let odd = ExceptionAction::Snooze {
            minutes: 7,
            reason: reason("x"),
        };
        assert!(plan(&odd, &which, log.order(), person(), at(9)).is_err());
    }
}
