//! What the control room asks of another system on an order's behalf, and
//! what became of it: a re-label of a packed parcel (the warehouse), a
//! redirect of a shipped one (the carrier), and the intercepts a refund asks
//! for (the warehouse stops what has not shipped; the carrier stops a parcel
//! on its way, 拦截).
//!
//! A request is an event (`request_made`) with an id unique within the
//! order; its outcome is another event (`request_settled`, confirmed or
//! failed, with the other system's detail) that the warehouse or carrier
//! reports through the timeline write API, or staff record. Until then it is
//! pending; the order keeps every request with its state
//! ([`crate::model::Order::requests`]). Two outcomes are derived by the
//! lifecycle rather than reported:
//! - a confirmed re-label or redirect applies its new delivery details to the
//!   order's customer;
//! - a carrier's request (redirect, intercept) still pending when its parcel
//!   is delivered ends as [`RequestState::DeliveredFirst`].

use crate::model::order::ids::{ParcelId, RequestId};
use crate::model::order::{Address, Customer};
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

/// New delivery details, as given: only what changes (at least one part).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ContactChange {
    /// The recipient's name.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub phone: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub address: Option<Address>,
}

impl ContactChange {
    /// Whether it names nothing new.
    pub fn is_empty(&self) -> bool {
        self.name.is_none() && self.phone.is_none() && self.address.is_none()
    }

    /// The customer with these details laid over.
    pub fn apply_to(&self, customer: &mut Customer) {
        if let Some(name) = &self.name {
            customer.name = name.clone();
        }
        if let Some(phone) = &self.phone {
            customer.phone = phone.clone();
        }
        if let Some(address) = &self.address {
            customer.address = address.clone();
        }
    }

    /// Each part given, with what it is called (for checking they are filled).
    pub fn parts(&self) -> Vec<(&'static str, &str)> {
        let mut parts = Vec::new();
        if let Some(name) = &self.name {
            parts.push(("recipient name", name.as_str()));
        }
        if let Some(phone) = &self.phone {
            parts.push(("phone", phone.as_str()));
        }
        if let Some(a) = &self.address {
            parts.push(("province", a.province.as_str()));
            parts.push(("city", a.city.as_str()));
            parts.push(("address line", a.line.as_str()));
        }
        parts
    }
}

/// Who carries a request out.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Party {
    Warehouse,
    Carrier,
}

/// What is asked.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum Ask {
    /// The warehouse re-labels a packed parcel with new delivery details.
    Relabel {
        parcel: ParcelId,
        contact: ContactChange,
    },
    /// The carrier delivers a shipped parcel to new delivery details.
    Redirect {
        parcel: ParcelId,
        contact: ContactChange,
    },
    /// The warehouse stops everything of the order not yet shipped, for a
    /// refund: while the refund is open and this request is pending or
    /// confirmed, nothing is packed or shipped.
    WarehouseIntercept,
    /// The carrier stops a shipped parcel and sends it back (拦截), for a refund.
    CarrierIntercept { parcel: ParcelId },
}

impl Ask {
    /// Who carries it out.
    pub fn party(&self) -> Party {
        match self {
            Ask::Relabel { .. } | Ask::WarehouseIntercept => Party::Warehouse,
            Ask::Redirect { .. } | Ask::CarrierIntercept { .. } => Party::Carrier,
        }
    }

    /// The parcel it is about; `None` for the whole order.
    pub fn parcel(&self) -> Option<&ParcelId> {
        match self {
            Ask::Relabel { parcel, .. }
            | Ask::Redirect { parcel, .. }
            | Ask::CarrierIntercept { parcel } => Some(parcel),
            Ask::WarehouseIntercept => None,
        }
    }

    /// The new delivery details it carries (a re-label, a redirect).
    pub fn contact(&self) -> Option<&ContactChange> {
        match self {
            Ask::Relabel { contact, .. } | Ask::Redirect { contact, .. } => Some(contact),
            Ask::WarehouseIntercept | Ask::CarrierIntercept { .. } => None,
        }
    }

    /// Its new delivery details, to change in place (how a lens masks them).
    pub fn contact_mut(&mut self) -> Option<&mut ContactChange> {
        match self {
            Ask::Relabel { contact, .. } | Ask::Redirect { contact, .. } => Some(contact),
            Ask::WarehouseIntercept | Ask::CarrierIntercept { .. } => None,
        }
    }

    /// Whether it is an intercept (made for a refund).
    pub fn is_intercept(&self) -> bool {
        matches!(self, Ask::WarehouseIntercept | Ask::CarrierIntercept { .. })
    }

    /// The stable machine name (`carrier_intercept`).
    pub fn name(&self) -> &'static str {
        match self {
            Ask::Relabel { .. } => "relabel",
            Ask::Redirect { .. } => "redirect",
            Ask::WarehouseIntercept => "warehouse_intercept",
            Ask::CarrierIntercept { .. } => "carrier_intercept",
        }
    }
}

/// What another system reports of a request.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Outcome {
    Confirmed,
    Failed,
}

/// Where a request stands.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(tag = "state", rename_all = "snake_case")]
pub enum RequestState {
    /// Made; no outcome yet.
    Pending,
    /// Carried out, in the other system's words (may be empty).
    Confirmed { detail: String },
    /// Not carried out, and why.
    Failed { detail: String },
    /// The parcel was delivered before the carrier acted on it.
    DeliveredFirst,
}

impl RequestState {
    pub fn is_pending(&self) -> bool {
        matches!(self, RequestState::Pending)
    }

    /// The stable machine name (`delivered_first`).
    pub fn name(&self) -> &'static str {
        match self {
            RequestState::Pending => "pending",
            RequestState::Confirmed { .. } => "confirmed",
            RequestState::Failed { .. } => "failed",
            RequestState::DeliveredFirst => "delivered_first",
        }
    }

    /// Its free text, for a lens to mask.
    pub fn free_text_mut(&mut self) -> Option<&mut String> {
        match self {
            RequestState::Confirmed { detail } | RequestState::Failed { detail } => Some(detail),
            RequestState::Pending | RequestState::DeliveredFirst => None,
        }
    }
}

/// One request of the order, with its state.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Request {
    pub id: RequestId,
    pub ask: Ask,
    pub reason: String,
    pub state: RequestState,
    pub made_at: DateTime<Utc>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub settled_at: Option<DateTime<Utc>>,
}

impl Request {
    /// Whether it still stands: pending, or confirmed (an intercept that
    /// worked holds for as long as its refund is open).
    pub fn stands(&self) -> bool {
        matches!(
            self.state,
            RequestState::Pending | RequestState::Confirmed { .. }
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_request_reads_back_from_its_json() {
        let ask = Ask::Redirect {
            parcel: ParcelId::parse("P1").unwrap(),
            contact: ContactChange {
                phone: Some("13900139000".into()),
                ..Default::default()
            },
        };
        let json = serde_json::to_string(&ask).unwrap();
        assert_eq!(
            json,
            r#"{"type":"redirect","parcel":"P1","contact":{"phone":"13900139000"}}"#
        );
        assert_eq!(serde_json::from_str::<Ask>(&json).unwrap(), ask);
        assert_eq!(ask.party(), Party::Carrier);
        let state = RequestState::Failed {
            detail: "already out for delivery".into(),
        };
        let json = serde_json::to_string(&state).unwrap();
        assert_eq!(
            json,
            r#"{"state":"failed","detail":"already out for delivery"}"#
        );
        assert_eq!(serde_json::from_str::<RequestState>(&json).unwrap(), state);
    }
}
