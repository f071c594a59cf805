//! What a person at the desk may do to an order, and the events each comes to
//! given the order as it stands: a pure planner, checked by the lifecycle.
//!
//! An action arrives typed ([`DeskAction`]): a reason is never blank, a phone
//! is digits, new delivery details name something — whatever reaches
//! [`plan`] is well-formed, so what remains is whether the order's state
//! allows it. [`plan`] picks the events and folds them through
//! [`evolve`] before answering: a [`Refusal`] says why it is too late, and
//! the store folds them again when it writes (a change that raced with the
//! warehouse is still refused).
//!
//! - **Change delivery details**: applied at once while nothing is packed.
//!   A packed parcel becomes a re-label request to the warehouse, a shipped
//!   one a redirect request to the carrier (one request per parcel on its
//!   way); what is not packed yet takes the details at once. A delivered
//!   order has nothing left to change.
//! - **Cancel**: before anything ships.
//! - **Intercept for a refund** (the customer asked for a refund, the order
//!   is *refund requested*): what has not shipped is stopped by the warehouse
//!   (a request; while it stands and the refund is open, nothing is packed or
//!   shipped); each shipped, undelivered parcel gets a carrier intercept
//!   request (拦截), tracked until the carrier reports or the parcel is
//!   delivered. Scopes already intercepted are left as they are.
//! - **Hold / release**, each with a reason.
//! - **Record an outcome** of a pending request, for when the warehouse or
//!   carrier tells a person rather than the timeline API.

use crate::model::access::Permission;
use crate::model::order::event::{Actor, EventKind, OrderEvent, RecordedEvent};
use crate::model::order::ids::RequestId;
use crate::model::order::lifecycle::{evolve, open, MAX_TEXT};
use crate::model::order::request::{Ask, ContactChange, Outcome};
use crate::model::order::status::{Branch, Stage};
use crate::model::order::{Address, Order};
use crate::model::{Refusal, Source};
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

/// Why a value given for an action is not acceptable.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ActionError {
    #[error("the {0} is empty")]
    Blank(&'static str),
    #[error("the {0} is longer than {MAX_TEXT} characters")]
    TooLong(&'static str),
    #[error("a phone number is 5 to 15 digits (spaces, '-' and a leading '+' allowed)")]
    BadPhone,
    #[error("the change names no new delivery detail")]
    NothingChanged,
}

fn filled(what: &'static str, value: String) -> Result<String, ActionError> {
    let value = value.trim().to_string();
    if value.is_empty() {
        return Err(ActionError::Blank(what));
    }
    if value.chars().count() > MAX_TEXT {
        return Err(ActionError::TooLong(what));
    }
    Ok(value)
}

macro_rules! text_field {
    ($(#[$doc:meta])* $name:ident, $what:literal) => {
        $(#[$doc])*
        #[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
        #[serde(try_from = "String", into = "String")]
        pub struct $name(String);

        impl $name {
            pub fn parse(value: impl Into<String>) -> Result<Self, ActionError> {
                filled($what, value.into()).map(Self)
            }

            pub fn as_str(&self) -> &str {
                &self.0
            }
        }

        impl TryFrom<String> for $name {
            type Error = ActionError;
            fn try_from(value: String) -> Result<Self, ActionError> {
                Self::parse(value)
            }
        }

        impl From<$name> for String {
            fn from(value: $name) -> String {
                value.0
            }
        }
    };
}

text_field!(
    /// Why the action is taken: never blank (trimmed), at most
    /// [`MAX_TEXT`] characters.
    Reason, "reason"
);
text_field!(
    /// A warehouse, by the name allocation events give it: never blank.
    WarehouseName, "warehouse"
);
text_field!(
    /// A filled-in part of new delivery details (a name, a city, a line).
    Filled, "delivery detail"
);

/// A phone number: 5 to 15 digits, kept as digits (a leading `+` kept);
/// spaces and dashes people type are dropped.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct Phone(String);

impl Phone {
    pub fn parse(value: &str) -> Result<Phone, ActionError> {
        let compact: String = value
            .trim()
            .chars()
            .filter(|c| !matches!(c, ' ' | '-'))
            .collect();
        let digits = compact.strip_prefix('+').unwrap_or(&compact);
        let ok = (5..=15).contains(&digits.len()) && digits.chars().all(|c| c.is_ascii_digit());
        if !ok {
            return Err(ActionError::BadPhone);
        }
        Ok(Phone(compact))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl TryFrom<String> for Phone {
    type Error = ActionError;
    fn try_from(value: String) -> Result<Self, ActionError> {
        Phone::parse(&value)
    }
}

impl From<Phone> for String {
    fn from(value: Phone) -> String {
        value.0
    }
}

/// A new delivery address, every part filled.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct NewAddress {
    pub country: Filled,
    pub province: Filled,
    pub city: Filled,
    pub line: Filled,
}

/// New delivery details as a person gives them: at least one part.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(try_from = "GivenContact", into = "GivenContact")]
pub struct NewContact(GivenContact);

/// The parts of [`NewContact`], each optional.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct GivenContact {
    #[serde(default)]
    pub name: Option<Filled>,
    #[serde(default)]
    pub phone: Option<Phone>,
    #[serde(default)]
    pub address: Option<NewAddress>,
}

impl NewContact {
    pub fn parse(given: GivenContact) -> Result<NewContact, ActionError> {
        if given.name.is_none() && given.phone.is_none() && given.address.is_none() {
            return Err(ActionError::NothingChanged);
        }
        Ok(NewContact(given))
    }

    pub fn given(&self) -> &GivenContact {
        &self.0
    }

    /// The change as the log keeps it.
    pub fn change(&self) -> ContactChange {
        let g = &self.0;
        ContactChange {
            name: g.name.as_ref().map(|n| n.as_str().to_string()),
            phone: g.phone.as_ref().map(|p| p.as_str().to_string()),
            address: g.address.as_ref().map(|a| Address {
                country: a.country.as_str().to_string(),
                province: a.province.as_str().to_string(),
                city: a.city.as_str().to_string(),
                line: a.line.as_str().to_string(),
            }),
        }
    }
}

impl TryFrom<GivenContact> for NewContact {
    type Error = ActionError;
    fn try_from(given: GivenContact) -> Result<Self, ActionError> {
        NewContact::parse(given)
    }
}

impl From<NewContact> for GivenContact {
    fn from(value: NewContact) -> GivenContact {
        value.0
    }
}

/// One action at the desk.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum DeskAction {
    /// New delivery address, phone or recipient.
    ChangeContact {
        contact: NewContact,
        reason: Reason,
    },
    Cancel {
        reason: Reason,
    },
    /// Stop the goods for the refund the customer asked for.
    InterceptForRefund {
        reason: Reason,
    },
    Hold {
        reason: Reason,
    },
    Release {
        reason: Reason,
    },
    /// What the warehouse or carrier said of a pending request.
    RecordOutcome {
        request: RequestId,
        outcome: Outcome,
        /// Their words; required when it failed.
        #[serde(default)]
        detail: Option<Reason>,
    },
    /// Ship from the warehouse the router proposed, which waited for a person.
    AcceptRoute {
        warehouse: WarehouseName,
    },
    /// Ship from another warehouse than the router proposed, for `reason`.
    OverrideRoute {
        warehouse: WarehouseName,
        reason: Reason,
    },
}

impl DeskAction {
    /// What the caller must be allowed to do.
    pub fn permission(&self) -> Permission {
        match self {
            DeskAction::ChangeContact { .. } => Permission::ChangeContact,
            DeskAction::Cancel { .. } => Permission::CancelOrder,
            DeskAction::InterceptForRefund { .. } => Permission::InterceptForRefund,
            DeskAction::Hold { .. } | DeskAction::Release { .. } => Permission::HoldOrder,
            DeskAction::RecordOutcome { .. } => Permission::RecordOutcome,
            DeskAction::AcceptRoute { .. } | DeskAction::OverrideRoute { .. } => {
                Permission::DecideRoutes
            }
        }
    }

    /// The stable machine name (`change_contact`).
    pub fn name(&self) -> &'static str {
        match self {
            DeskAction::ChangeContact { .. } => "change_contact",
            DeskAction::Cancel { .. } => "cancel",
            DeskAction::InterceptForRefund { .. } => "intercept_for_refund",
            DeskAction::Hold { .. } => "hold",
            DeskAction::Release { .. } => "release",
            DeskAction::RecordOutcome { .. } => "record_outcome",
            DeskAction::AcceptRoute { .. } => "accept_route",
            DeskAction::OverrideRoute { .. } => "override_route",
        }
    }
}

/// The id of the `n`th request of an order (`RQ-1`, `RQ-2`, …).
fn request_id(n: usize) -> RequestId {
    RequestId::parse(format!("RQ-{n}")).expect("a well-formed request id")
}

/// Numbers the requests an action makes after those the order has.
struct Ids(usize);

impl Ids {
    fn next(&mut self) -> RequestId {
        self.0 += 1;
        request_id(self.0)
    }
}

/// The events `action` comes to on `order` (before they are checked).
fn choose(action: &DeskAction, order: &Order) -> Result<Vec<EventKind>, Refusal> {
    let mut ids = Ids(order.requests.len());
    let reason_of = |r: &Reason| r.as_str().to_string();
    Ok(match action {
        DeskAction::ChangeContact { contact, reason } => {
            open(order)?;
            let change = contact.change();
            let reason = reason_of(reason);
            let mut events: Vec<EventKind> = order
                .parcels_on_their_way()
                .map(|p| {
                    let ask = if p.stage.has_shipped() {
                        Ask::Redirect {
                            parcel: p.id.clone(),
                            contact: change.clone(),
                        }
                    } else {
                        Ask::Relabel {
                            parcel: p.id.clone(),
                            contact: change.clone(),
                        }
                    };
                    EventKind::RequestMade {
                        request: ids.next(),
                        ask,
                        reason: reason.clone(),
                    }
                })
                .collect();
            if order.unpacked().next().is_some() {
                events.push(EventKind::ContactChanged {
                    contact: change,
                    reason,
                });
            }
            if events.is_empty() {
                return Err(Refusal::AllDelivered);
            }
            events
        }
        DeskAction::Cancel { reason } => vec![EventKind::OrderCancelled {
            reason: reason_of(reason),
        }],
        DeskAction::InterceptForRefund { reason } => {
            open(order)?;
            if order.branch != Some(Branch::RefundRequested) {
                return Err(Refusal::NoRefundRequested);
            }
            let reason = reason_of(reason);
            let mut asks = Vec::new();
            let unshipped = order.unpacked().next().is_some()
                || order.parcels.iter().any(|p| !p.stage.has_shipped());
            let mut standing = None;
            if unshipped {
                match order.standing_intercept(None) {
                    Some(r) => standing = Some(r),
                    None => asks.push(Ask::WarehouseIntercept),
                }
            }
            for p in order
                .parcels
                .iter()
                .filter(|p| p.stage.has_shipped() && p.stage < Stage::Delivered)
            {
                match order.standing_intercept(Some(&p.id)) {
                    Some(r) => standing = standing.or(Some(r)),
                    None => asks.push(Ask::CarrierIntercept {
                        parcel: p.id.clone(),
                    }),
                }
            }
            if asks.is_empty() {
                return Err(match standing {
                    Some(r) if r.state.is_pending() => Refusal::RequestPending(r.id.to_string()),
                    Some(r) => Refusal::AlreadyIntercepted(r.id.to_string()),
                    None => Refusal::AllDelivered,
                });
            }
            asks.into_iter()
                .map(|ask| EventKind::RequestMade {
                    request: ids.next(),
                    ask,
                    reason: reason.clone(),
                })
                .collect()
        }
        DeskAction::Hold { reason } => vec![EventKind::HoldPlaced {
            reason: reason_of(reason),
        }],
        DeskAction::Release { reason } => vec![EventKind::HoldReleased {
            reason: reason_of(reason),
        }],
        DeskAction::RecordOutcome {
            request,
            outcome,
            detail,
        } => {
            let detail = detail.as_ref().map(reason_of).unwrap_or_default();
            if *outcome == Outcome::Failed && detail.is_empty() {
                return Err(Refusal::Invalid(
                    "say why the request failed (the detail is empty)".into(),
                ));
            }
            vec![EventKind::RequestSettled {
                request: request.clone(),
                outcome: *outcome,
                detail,
            }]
        }
        DeskAction::AcceptRoute { warehouse } => vec![
            EventKind::RouteAccepted {
                warehouse: warehouse.as_str().to_string(),
            },
            EventKind::WarehouseAllocated {
                warehouse: warehouse.as_str().to_string(),
            },
        ],
        DeskAction::OverrideRoute { warehouse, reason } => vec![
            EventKind::RouteOverridden {
                warehouse: warehouse.as_str().to_string(),
                reason: reason_of(reason),
            },
            EventKind::WarehouseAllocated {
                warehouse: warehouse.as_str().to_string(),
            },
        ],
    })
}

/// The events to append for `action` on `order`, or why the order's state
/// refuses it. Folded through [`evolve`] before answering, as the store will
/// fold them (by `actor`, at `at`).
pub fn plan(
    action: &DeskAction,
    order: &Order,
    actor: &Actor,
    at: DateTime<Utc>,
) -> Result<Vec<OrderEvent>, Refusal> {
    let events: Vec<OrderEvent> = choose(action, order)?
        .into_iter()
        .map(|kind| OrderEvent {
            order_id: order.id.clone(),
            occurred_at: at,
            source: Source::Staff,
            actor: actor.clone(),
            kind,
        })
        .collect();
    let mut state = order.clone();
    for (n, event) in events.iter().enumerate() {
        let recorded = RecordedEvent {
            seq: order.last_seq + 1 + n as u64,
            recorded_at: at,
            event: event.clone(),
        };
        state = evolve(Some(&state), &recorded)?;
    }
    Ok(events)
}

#[cfg(test)]
mod properties;
#[cfg(test)]
mod tests;
