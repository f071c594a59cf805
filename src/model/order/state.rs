//! The order projection: the current state of one order, folded from its log.

use crate::model::order::channel::Channel;
use crate::model::order::event::ExceptionCode;
use crate::model::order::ids::{ComponentId, OrderId, ParcelId};
use crate::model::order::money::{Currency, Money, MoneyError};
use crate::model::order::status::{Branch, Stage, Status};
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

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

impl ComponentKind {
    pub fn label(self) -> &'static str {
        match self {
            ComponentKind::Main => "Item",
            ComponentKind::Gift => "Gift 赠品",
            ComponentKind::Trial => "Trial size",
            ComponentKind::GiftBox => "Gift box 礼盒",
        }
    }
}

/// A line of the order that ships as its own thing.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Component {
    pub id: ComponentId,
    pub sku: String,
    pub name: String,
    pub kind: ComponentKind,
    pub quantity: u32,
    pub unit_price: Money,
    /// Announced to ship later than the rest (e.g. a gift box in pre-sale).
    pub ships_later: bool,
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
    /// The carrier reported a failed or stuck delivery, not yet followed by progress.
    pub exception: bool,
    pub last_scan_at: Option<DateTime<Utc>>,
}

/// An exception raised on the order and not yet cleared.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct OpenException {
    pub code: ExceptionCode,
    pub detail: String,
    pub since: DateTime<Utc>,
}

/// The current state of one order.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Order {
    pub id: OrderId,
    pub channel: Channel,
    pub channel_order_id: String,
    pub customer: Customer,
    pub components: Vec<Component>,
    pub parcels: Vec<Parcel>,
    /// Order-level progress before parcels exist (placed … picking).
    pub stage: Stage,
    pub branch: Option<Branch>,
    pub warehouse: Option<String>,
    pub total: Money,
    pub paid: Money,
    pub refunded: Money,
    pub refund_requested: Option<Money>,
    pub exceptions: Vec<OpenException>,
    pub placed_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
    /// Sequence number of the last event folded in.
    pub last_seq: u64,
    pub event_count: u64,
}

impl Order {
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

    /// The canonical status: an explicit branch first, then a carrier exception,
    /// then the main line.
    pub fn status(&self) -> Status {
        if let Some(branch) = self.branch {
            return branch.status();
        }
        if self.parcels.iter().any(|p| p.exception) {
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

    /// What may still be refunded: paid minus refunded. Saturating, never
    /// failing: the lifecycle keeps `0 <= refunded <= paid`, so the difference
    /// always fits.
    pub fn refundable(&self) -> Money {
        self.paid.saturating_sub(self.refunded)
    }

    /// What is still owed: the total minus what was paid. Saturating like
    /// [`Order::refundable`]: the lifecycle keeps `0 <= paid <= total`.
    pub fn owed(&self) -> Money {
        self.total.saturating_sub(self.paid)
    }

    /// The sum of the line items (unit price × quantity), or why it cannot be
    /// counted (an overflow; the lifecycle refuses such orders when placed).
    pub fn lines_total(&self) -> Result<Money, MoneyError> {
        lines_total(self.total.currency, &self.components)
    }
}
