//! The order projection: the current state of one order, folded from its log.

use crate::model::order::amount::Amount;
use crate::model::order::channel::Channel;
use crate::model::order::exceptions::{ExceptionCode, OpenException, Resolution};
use crate::model::order::ids::{ComponentId, OrderId, ParcelId};
use crate::model::order::money::{Currency, Money, MoneyError};
use crate::model::order::request::{Ask, Request};
use crate::model::order::status::{Branch, Stage, Status};
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// A delivery address.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Address {
    pub country: String,
    pub province: String,
    pub city: String,
    pub line: String,
}

/// The buyer.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Customer {
    pub name: String,
    pub phone: String,
    pub address: Address,
}

/// What a component is to the buyer.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ComponentKind {
    Main,
    Gift,
    Trial,
    GiftBox,
}

/// A line of the order that ships as its own thing. Its price is a [`Money`]
/// in the log, a [`crate::model::access::Seen`] amount through a lens.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Component<A = Money> {
    pub id: ComponentId,
    pub sku: String,
    pub name: String,
    pub kind: ComponentKind,
    pub quantity: u32,
    pub unit_price: A,
    /// Announced to ship later than the rest (e.g. a gift box in pre-sale).
    pub ships_later: bool,
}

impl<A> Component<A> {
    /// The same line with every amount mapped by `f` (how a lens shows it).
    pub fn map_amounts<B>(&self, f: &impl Fn(A) -> B) -> Component<B>
    where
        A: Copy,
    {
        Component {
            id: self.id.clone(),
            sku: self.sku.clone(),
            name: self.name.clone(),
            kind: self.kind,
            quantity: self.quantity,
            unit_price: f(self.unit_price),
            ships_later: self.ships_later,
        }
    }
}

impl Component {
    /// Unit price × quantity, checked.
    pub fn line_total(&self) -> Result<Money, MoneyError> {
        self.unit_price.checked_mul(self.quantity)
    }
}

/// The sum of line totals in `currency`, checked (overflow, mixed currencies).
pub fn lines_total(currency: Currency, components: &[Component]) -> Result<Money, MoneyError> {
    components.iter().try_fold(Money::zero(currency), |sum, c| {
        sum.checked_add(c.line_total()?)
    })
}

/// One box with its own waybill.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Parcel {
    pub id: ParcelId,
    pub components: Vec<ComponentId>,
    pub stage: Stage,
    pub carrier: Option<String>,
    pub waybill: Option<String>,
    pub last_scan_at: Option<DateTime<Utc>>,
    /// When the warehouse sent its shipment notice (waiting for a waybill).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub notified_at: Option<DateTime<Utc>>,
    /// When it shipped with its waybill.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub shipped_at: Option<DateTime<Utc>>,
}

/// The current state of one order. Its amounts are [`Money`] as folded from
/// the log, [`crate::model::access::Seen`] amounts through a lens.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Order<A = Money> {
    pub id: OrderId,
    pub channel: Channel,
    pub channel_order_id: String,
    pub customer: Customer,
    pub components: Vec<Component<A>>,
    pub parcels: Vec<Parcel>,
    /// Order-level progress before parcels exist (placed … picking).
    pub stage: Stage,
    pub branch: Option<Branch>,
    pub warehouse: Option<String>,
    pub total: A,
    pub paid: A,
    pub refunded: A,
    pub refund_requested: Option<A>,
    /// Open exceptions, on the order and its parcels: the one list, derived
    /// from the log (see [`crate::model::order::exceptions`]).
    pub exceptions: Vec<OpenException>,
    /// What was asked of the warehouse and carriers for this order, with where
    /// each stands (see [`crate::model::order::request`]). Absent from order
    /// states stored before requests existed: none.
    #[serde(default)]
    pub requests: Vec<Request>,
    /// Exceptions a person resolved: a detector leaves these conditions be
    /// (see [`Resolution`]).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub resolutions: Vec<Resolution>,
    /// Customs declaration attributes declared so far (cross-border orders).
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub customs: BTreeMap<String, String>,
    /// The router's decision and what a person made of it, once proposed.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub route: Option<crate::model::route::RouteStatus>,
    /// The channel's promised delivery date, when it made one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub promised_by: Option<DateTime<Utc>>,
    pub placed_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
    /// Sequence number of the last event folded in.
    pub last_seq: u64,
    pub event_count: u64,
}

impl<A> Order<A> {
    /// The parcel a component is in, if it has been packed.
    pub fn parcel_of(&self, component: &ComponentId) -> Option<&Parcel> {
        self.parcels
            .iter()
            .find(|p| p.components.contains(component))
    }

    /// How far one component has come: its parcel's stage once packed, else the order's.
    pub fn component_stage(&self, component: &ComponentId) -> Stage {
        self.parcel_of(component)
            .map(|p| p.stage.max(self.stage))
            .unwrap_or(self.stage)
    }

    /// How far the whole order has come: the least advanced of its components, so
    /// an order is delivered only when everything in it is.
    pub fn fulfilment_stage(&self) -> Stage {
        self.components
            .iter()
            .map(|c| self.component_stage(&c.id))
            .min()
            .unwrap_or(self.stage)
    }

    /// True once any parcel has left the warehouse.
    pub fn any_shipped(&self) -> bool {
        self.parcels.iter().any(|p| p.stage.has_shipped())
    }

    /// The canonical status: an explicit branch first, then an open delivery
    /// exception, then the main line.
    pub fn status(&self) -> Status {
        if let Some(branch) = self.branch {
            return branch.status();
        }
        if self.has_delivery_exception() {
            return Status::DeliveryException;
        }
        self.fulfilment_stage().status()
    }

    /// Parcels that have left the warehouse, of all parcels.
    pub fn shipped_count(&self) -> (usize, usize) {
        let shipped = self
            .parcels
            .iter()
            .filter(|p| p.stage.has_shipped())
            .count();
        (shipped, self.parcels.len())
    }

    /// The same order with every amount mapped by `f` (how a lens shows it).
    pub fn map_amounts<B>(&self, f: &impl Fn(A) -> B) -> Order<B>
    where
        A: Copy,
    {
        Order {
            id: self.id.clone(),
            channel: self.channel,
            channel_order_id: self.channel_order_id.clone(),
            customer: self.customer.clone(),
            components: self.components.iter().map(|c| c.map_amounts(f)).collect(),
            parcels: self.parcels.clone(),
            stage: self.stage,
            branch: self.branch,
            warehouse: self.warehouse.clone(),
            total: f(self.total),
            paid: f(self.paid),
            refunded: f(self.refunded),
            refund_requested: self.refund_requested.map(f),
            exceptions: self.exceptions.clone(),
            requests: self.requests.clone(),
            resolutions: self.resolutions.clone(),
            customs: self.customs.clone(),
            promised_by: self.promised_by,
            route: self.route.clone(),
            placed_at: self.placed_at,
            updated_at: self.updated_at,
            last_seq: self.last_seq,
            event_count: self.event_count,
        }
    }
}

impl<A: Amount> Order<A> {
    /// What may still be refunded: paid minus refunded (withheld when either
    /// is). Saturating, never failing: the lifecycle keeps
    /// `0 <= refunded <= paid`, so the difference always fits.
    pub fn refundable(&self) -> A {
        self.paid.saturating_sub(self.refunded)
    }

    /// What is still owed: the total minus what was paid. Saturating like
    /// [`Order::refundable`]: the lifecycle keeps `0 <= paid <= total`.
    pub fn owed(&self) -> A {
        self.total.saturating_sub(self.paid)
    }
}

impl Order {
    /// The sum of the line items (unit price × quantity), or why it cannot be
    /// counted (an overflow; the lifecycle refuses such orders when placed).
    pub fn lines_total(&self) -> Result<Money, MoneyError> {
        lines_total(self.total.currency, &self.components)
    }
}

impl<A> Order<A> {
    /// The request with `id`.
    pub fn request(&self, id: &crate::model::order::ids::RequestId) -> Option<&Request> {
        self.requests.iter().find(|r| &r.id == id)
    }

    /// The pending re-label or redirect of `parcel`, if any.
    pub fn pending_contact_request(&self, parcel: &ParcelId) -> Option<&Request> {
        self.requests.iter().find(|r| {
            r.state.is_pending() && r.ask.contact().is_some() && r.ask.parcel() == Some(parcel)
        })
    }

    /// The intercept that still stands (pending or confirmed) for `parcel`
    /// (a carrier's), or for what has not shipped (`None`: the warehouse's).
    pub fn standing_intercept(&self, parcel: Option<&ParcelId>) -> Option<&Request> {
        self.requests.iter().find(|r| {
            r.stands()
                && match (&r.ask, parcel) {
                    (Ask::WarehouseIntercept, None) => true,
                    (Ask::CarrierIntercept { parcel: p }, Some(parcel)) => p == parcel,
                    _ => false,
                }
        })
    }

    /// Components not packed into any parcel yet.
    pub fn unpacked(&self) -> impl Iterator<Item = &Component<A>> {
        self.components
            .iter()
            .filter(|c| self.parcel_of(&c.id).is_none())
    }

    /// Parcels packed or shipped and not delivered yet: on their way.
    pub fn parcels_on_their_way(&self) -> impl Iterator<Item = &Parcel> {
        self.parcels
            .iter()
            .filter(|p| p.stage >= Stage::Packed && p.stage < Stage::Delivered)
    }

    /// The open exception on `parcel` (a carrier's first), if any.
    pub fn parcel_exception(&self, parcel: &ParcelId) -> Option<&OpenException> {
        self.exceptions
            .iter()
            .filter(|e| e.parcel.as_ref() == Some(parcel))
            .min_by_key(|e| !e.code.is_delivery())
    }

    /// Whether a delivery exception is open (on the order or a parcel).
    pub fn has_delivery_exception(&self) -> bool {
        self.exceptions.iter().any(|e| e.code.is_delivery())
    }

    /// The open exception with `code` on `parcel` (`None`: the order).
    pub fn open_exception(
        &self,
        code: ExceptionCode,
        parcel: Option<&ParcelId>,
    ) -> Option<&OpenException> {
        self.exceptions
            .iter()
            .find(|e| e.code == code && e.parcel.as_ref() == parcel)
    }

    /// Whether a person resolved the condition `code` on `parcel` that began
    /// at `since` (resolved at or after it began).
    pub fn resolved(
        &self,
        code: ExceptionCode,
        parcel: Option<&ParcelId>,
        since: DateTime<Utc>,
    ) -> bool {
        self.resolutions
            .iter()
            .any(|r| r.code == code && r.parcel.as_ref() == parcel && r.at >= since)
    }

    /// Whether the goods still wait to ship: nothing has left the warehouse
    /// and the order is not closed.
    pub fn waits_to_ship(&self) -> bool {
        !self.any_shipped() && !self.branch.is_some_and(Branch::is_terminal)
    }

    /// Whether a refund was asked while nothing has shipped and the warehouse
    /// has not been asked to stop the goods: they should be intercepted.
    pub fn awaits_intercept(&self) -> bool {
        self.branch == Some(Branch::RefundRequested)
            && !self.any_shipped()
            && self.standing_intercept(None).is_none()
    }

    /// Whether the order leaves the country: its address is outside China.
    pub fn is_cross_border(&self) -> bool {
        !self
            .customer
            .address
            .country
            .trim()
            .eq_ignore_ascii_case("CN")
    }

    /// Whether an exception with `code` is open on `parcel` (`None`: the order).
    pub fn is_open(&self, code: ExceptionCode, parcel: Option<&ParcelId>) -> bool {
        self.exceptions
            .iter()
            .any(|e| e.code == code && e.parcel.as_ref() == parcel)
    }
}
