//! How the lifecycle keeps delivery details and the requests made of
//! warehouses and carriers (see [`crate::model::order::request`]).
//!
//! - New delivery details apply at once to what is not packed yet
//!   (`contact_changed`). Every parcel already on its way must be asked to
//!   follow them in the same breath: a re-label request while it is packed, a
//!   redirect request once shipped, each carrying the very same details. So a
//!   parcel packed between reading the order and writing the change refuses
//!   the change, rather than leaving with the old label unnoticed.
//! - A re-label is made of a packed parcel, a redirect of a shipped one, never
//!   of a delivered one, and only one of them is pending per parcel.
//! - An intercept is made for an open refund: the warehouse's while something
//!   has not shipped, a carrier's per shipped, undelivered parcel; one stands
//!   (pending or confirmed) per scope at a time.
//! - An outcome settles a pending request once; a confirmed re-label or
//!   redirect applies its details to the customer. Outcomes are facts of other
//!   systems: a closed order still takes them.
//! - A carrier's request still pending when its parcel is delivered ends as
//!   delivered first.

use super::{open, text, Refusal};
use crate::model::order::ids::{ParcelId, RequestId};
use crate::model::order::request::{Ask, ContactChange, Outcome, Party, Request, RequestState};
use crate::model::order::status::{Branch, Stage};
use crate::model::order::{Order, Parcel};
use chrono::{DateTime, Utc};

/// Refuses details that name nothing, or a part left blank or too long.
fn details(contact: &ContactChange) -> Result<(), Refusal> {
    if contact.is_empty() {
        return Err(Refusal::Invalid(
            "the change names no new delivery detail".into(),
        ));
    }
    contact
        .parts()
        .into_iter()
        .try_for_each(|(what, value)| text(value, what))
}

/// Why a parcel on its way cannot simply take new details: it must be asked.
fn on_its_way(parcel: &Parcel) -> Refusal {
    if parcel.stage.has_shipped() {
        Refusal::ParcelShipped(parcel.id.to_string())
    } else {
        Refusal::ParcelPacked(parcel.id.to_string())
    }
}

/// New delivery details for what is not packed yet.
pub(super) fn change_contact<A>(
    order: &mut Order<A>,
    contact: &ContactChange,
) -> Result<(), Refusal> {
    details(contact)?;
    open(order)?;
    if let Some(unasked) = order.parcels_on_their_way().find(|p| {
        order
            .pending_contact_request(&p.id)
            .and_then(|r| r.ask.contact())
            != Some(contact)
    }) {
        return Err(on_its_way(unasked));
    }
    if order.unpacked().next().is_none() {
        return Err(match order.parcels_on_their_way().next() {
            Some(parcel) => on_its_way(parcel),
            None => Refusal::AllDelivered,
        });
    }
    contact.apply_to(&mut order.customer);
    Ok(())
}

fn parcel<'a, A>(order: &'a Order<A>, id: &ParcelId) -> Result<&'a Parcel, Refusal> {
    order
        .parcels
        .iter()
        .find(|p| &p.id == id)
        .ok_or_else(|| Refusal::UnknownParcel(id.to_string()))
}

/// Refuses a second re-label or redirect of a parcel while one is pending.
fn no_pending_contact_request<A>(order: &Order<A>, id: &ParcelId) -> Result<(), Refusal> {
    match order.pending_contact_request(id) {
        Some(r) => Err(Refusal::RequestPending(r.id.to_string())),
        None => Ok(()),
    }
}

/// Refuses an intercept while one for the same scope stands.
fn no_standing_intercept<A>(order: &Order<A>, parcel: Option<&ParcelId>) -> Result<(), Refusal> {
    match order.standing_intercept(parcel) {
        Some(r) if r.state.is_pending() => Err(Refusal::RequestPending(r.id.to_string())),
        Some(r) => Err(Refusal::AlreadyIntercepted(r.id.to_string())),
        None => Ok(()),
    }
}

/// Checks that `ask` may be made of the order as it stands.
fn askable<A>(order: &Order<A>, ask: &Ask) -> Result<(), Refusal> {
    if ask.is_intercept() && order.branch != Some(Branch::RefundRequested) {
        return Err(Refusal::NoRefundRequested);
    }
    if let Some(contact) = ask.contact() {
        details(contact)?;
    }
    let Some(id) = ask.parcel() else {
        // The warehouse intercepts what has not shipped.
        let unshipped = order.unpacked().next().is_some()
            || order.parcels.iter().any(|p| !p.stage.has_shipped());
        if !unshipped {
            return Err(Refusal::AllShipped);
        }
        return no_standing_intercept(order, None);
    };
    let p = parcel(order, id)?;
    if p.stage >= Stage::Delivered {
        return Err(Refusal::ParcelDelivered(id.to_string()));
    }
    match (ask, p.stage.has_shipped()) {
        (Ask::Relabel { .. }, true) => Err(Refusal::ParcelShipped(id.to_string())),
        (Ask::Redirect { .. }, false) => Err(Refusal::ParcelPacked(id.to_string())),
        (Ask::CarrierIntercept { .. }, false) => Err(Refusal::ParcelNotShipped(id.to_string())),
        (Ask::CarrierIntercept { .. }, true) => no_standing_intercept(order, Some(id)),
        _ => no_pending_contact_request(order, id),
    }
}

/// A new request, pending.
pub(super) fn make<A>(
    order: &mut Order<A>,
    id: &RequestId,
    ask: &Ask,
    reason: &str,
    at: DateTime<Utc>,
) -> Result<(), Refusal> {
    open(order)?;
    if order.request(id).is_some() {
        return Err(Refusal::DuplicateRequest(id.to_string()));
    }
    askable(order, ask)?;
    order.requests.push(Request {
        id: id.clone(),
        ask: ask.clone(),
        reason: reason.to_string(),
        state: RequestState::Pending,
        made_at: at,
        settled_at: None,
    });
    Ok(())
}

/// The outcome of a pending request.
pub(super) fn settle<A>(
    order: &mut Order<A>,
    id: &RequestId,
    outcome: Outcome,
    detail: &str,
    at: DateTime<Utc>,
) -> Result<(), Refusal> {
    match outcome {
        Outcome::Failed => text(detail, "detail")?,
        Outcome::Confirmed if !detail.is_empty() => text(detail, "detail")?,
        Outcome::Confirmed => {}
    }
    let request = order
        .requests
        .iter_mut()
        .find(|r| &r.id == id)
        .ok_or_else(|| Refusal::UnknownRequest(id.to_string()))?;
    if !request.state.is_pending() {
        return Err(Refusal::RequestSettled(id.to_string()));
    }
    let detail = detail.to_string();
    request.state = match outcome {
        Outcome::Confirmed => RequestState::Confirmed { detail },
        Outcome::Failed => RequestState::Failed { detail },
    };
    request.settled_at = Some(at);
    if outcome == Outcome::Confirmed {
        if let Some(contact) = request.ask.contact().cloned() {
            contact.apply_to(&mut order.customer);
        }
    }
    Ok(())
}

/// Ends a carrier's pending requests whose parcel has been delivered (after
/// any event is folded).
pub(super) fn overtaken<A>(order: &mut Order<A>, at: DateTime<Utc>) {
    if !order.requests.iter().any(|r| r.state.is_pending()) {
        return;
    }
    let delivered: Vec<ParcelId> = order
        .parcels
        .iter()
        .filter(|p| p.stage >= Stage::Delivered)
        .map(|p| p.id.clone())
        .collect();
    for r in &mut order.requests {
        let overtaken = r.state.is_pending()
            && r.ask.party() == Party::Carrier
            && r.ask.parcel().is_some_and(|p| delivered.contains(p));
        if overtaken {
            r.state = RequestState::DeliveredFirst;
            r.settled_at = Some(at);
        }
    }
}
