//! The canonical lifecycle shared by every channel, warehouse and carrier.
//!
//! An order's progress is a [`Stage`] on the main line (which only ever moves
//! forward) plus an optional side [`Branch`]. What people see and filter by is the
//! single canonical [`Status`] derived from the two.

use serde::{Deserialize, Serialize};
use std::fmt;
use std::str::FromStr;

/// The main line, in order. `Ord` follows the line: a later stage compares greater.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Stage {
    Placed,
    Paid,
    Confirmed,
    Allocated,
    Picking,
    Packed,
    Shipped,
    PickedUp,
    InTransit,
    Customs,
    OutForDelivery,
    Delivered,
}

impl Stage {
    /// True once a parcel has left the warehouse.
    pub fn has_shipped(self) -> bool {
        self >= Stage::Shipped
    }

    pub fn status(self) -> Status {
        match self {
            Stage::Placed => Status::Placed,
            Stage::Paid => Status::Paid,
            Stage::Confirmed => Status::Confirmed,
            Stage::Allocated => Status::Allocated,
            Stage::Picking => Status::Picking,
            Stage::Packed => Status::Packed,
            Stage::Shipped => Status::Shipped,
            Stage::PickedUp => Status::PickedUp,
            Stage::InTransit => Status::InTransit,
            Stage::Customs => Status::Customs,
            Stage::OutForDelivery => Status::OutForDelivery,
            Stage::Delivered => Status::Delivered,
        }
    }
}

/// Side branches off the main line. Some are terminal.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Branch {
    OnHold,
    RefundRequested,
    Refunded,
    Cancelled,
    ReturnRequested,
    Returned,
}

impl Branch {
    /// A terminal branch ends the order: nothing but notes and facts may follow.
    pub fn is_terminal(self) -> bool {
        matches!(
            self,
            Branch::Refunded | Branch::Cancelled | Branch::Returned
        )
    }

    pub fn status(self) -> Status {
        match self {
            Branch::OnHold => Status::OnHold,
            Branch::RefundRequested => Status::RefundRequested,
            Branch::Refunded => Status::Refunded,
            Branch::Cancelled => Status::Cancelled,
            Branch::ReturnRequested => Status::ReturnRequested,
            Branch::Returned => Status::Returned,
        }
    }
}

/// The one canonical status shown to people and used in filters.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Status {
    Placed,
    Paid,
    Confirmed,
    Allocated,
    Picking,
    Packed,
    Shipped,
    PickedUp,
    InTransit,
    Customs,
    OutForDelivery,
    Delivered,
    OnHold,
    DeliveryException,
    RefundRequested,
    Refunded,
    Cancelled,
    ReturnRequested,
    Returned,
}

impl Status {
    pub const ALL: [Status; 19] = [
        Status::Placed,
        Status::Paid,
        Status::Confirmed,
        Status::Allocated,
        Status::Picking,
        Status::Packed,
        Status::Shipped,
        Status::PickedUp,
        Status::InTransit,
        Status::Customs,
        Status::OutForDelivery,
        Status::Delivered,
        Status::OnHold,
        Status::DeliveryException,
        Status::RefundRequested,
        Status::Refunded,
        Status::Cancelled,
        Status::ReturnRequested,
        Status::Returned,
    ];

    /// The stable machine name (`out_for_delivery`), as stored and sent.
    pub fn as_str(self) -> &'static str {
        match self {
            Status::Placed => "placed",
            Status::Paid => "paid",
            Status::Confirmed => "confirmed",
            Status::Allocated => "allocated",
            Status::Picking => "picking",
            Status::Packed => "packed",
            Status::Shipped => "shipped",
            Status::PickedUp => "picked_up",
            Status::InTransit => "in_transit",
            Status::Customs => "customs",
            Status::OutForDelivery => "out_for_delivery",
            Status::Delivered => "delivered",
            Status::OnHold => "on_hold",
            Status::DeliveryException => "delivery_exception",
            Status::RefundRequested => "refund_requested",
            Status::Refunded => "refunded",
            Status::Cancelled => "cancelled",
            Status::ReturnRequested => "return_requested",
            Status::Returned => "returned",
        }
    }

    /// The words people read (`Out for delivery`).
    pub fn label(self) -> &'static str {
        match self {
            Status::Placed => "Placed",
            Status::Paid => "Paid",
            Status::Confirmed => "Confirmed",
            Status::Allocated => "Allocated",
            Status::Picking => "Picking",
            Status::Packed => "Packed",
            Status::Shipped => "Shipped",
            Status::PickedUp => "Picked up",
            Status::InTransit => "In transit",
            Status::Customs => "In customs",
            Status::OutForDelivery => "Out for delivery",
            Status::Delivered => "Delivered",
            Status::OnHold => "On hold",
            Status::DeliveryException => "Delivery exception",
            Status::RefundRequested => "Refund requested",
            Status::Refunded => "Refunded",
            Status::Cancelled => "Cancelled",
            Status::ReturnRequested => "Return requested",
            Status::Returned => "Returned",
        }
    }

    /// Whether the status needs someone's attention (drives the badge tone,
    /// always together with the text).
    pub fn tone(self) -> &'static str {
        match self {
            Status::Delivered | Status::Returned => "done",
            Status::Cancelled | Status::Refunded => "closed",
            Status::OnHold
            | Status::DeliveryException
            | Status::RefundRequested
            | Status::ReturnRequested => "attention",
            _ => "progress",
        }
    }
}

impl fmt::Display for Status {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.label())
    }
}

/// An unknown status name.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("unknown status {0:?}")]
pub struct UnknownStatus(pub String);

impl FromStr for Status {
    type Err = UnknownStatus;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Status::ALL
            .into_iter()
            .find(|status| status.as_str() == s)
            .ok_or_else(|| UnknownStatus(s.to_string()))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn stages_are_ordered_along_the_main_line() {
        assert!(Stage::Placed < Stage::Paid);
        assert!(Stage::Customs < Stage::OutForDelivery);
        assert!(Stage::OutForDelivery < Stage::Delivered);
        assert!(!Stage::Packed.has_shipped());
        assert!(Stage::Shipped.has_shipped());
    }

    #[test]
    fn every_status_round_trips_through_its_name() {
        for status in Status::ALL {
            assert_eq!(status.as_str().parse::<Status>(), Ok(status));
            let json = serde_json::to_string(&status).unwrap();
            assert_eq!(json, format!("\"{}\"", status.as_str()));
        }
        assert!("lost".parse::<Status>().is_err());
    }

    #[test]
    fn only_final_branches_are_terminal() {
        assert!(Branch::Cancelled.is_terminal());
        assert!(Branch::Refunded.is_terminal());
        assert!(Branch::Returned.is_terminal());
        assert!(!Branch::OnHold.is_terminal());
        assert!(!Branch::RefundRequested.is_terminal());
    }
}
