//! What an event means, in words a person on any desk can read.

use super::event::{EventKind, ScanKind};

impl EventKind {
    /// One sentence describing the event (`Parcel P1 handed to SF Express, waybill SF123`).
    pub fn meaning(&self) -> String {
        match self {
            EventKind::OrderPlaced {
                channel,
                channel_order_id,
                components,
                total,
                ..
            } => format!(
                "Order placed on {channel} as {channel_order_id}: {} component(s), {total}",
                components.len()
            ),
            EventKind::PaymentCaptured { amount } => format!("Payment of {amount} received"),
            EventKind::OrderConfirmed => "Order confirmed for fulfilment".into(),
            EventKind::WarehouseAllocated { warehouse } => {
                format!("Allocated to warehouse {warehouse}")
            }
            EventKind::PickingStarted => "Warehouse started picking".into(),
            EventKind::ParcelPacked { parcel, components } => {
                let list: Vec<&str> = components.iter().map(|c| c.as_str()).collect();
                format!("Parcel {parcel} packed with {}", list.join(", "))
            }
            EventKind::ParcelShipped {
                parcel,
                carrier,
                waybill,
            } => format!("Parcel {parcel} handed to {carrier}, waybill {waybill}"),
            EventKind::CarrierScan {
                waybill,
                scan,
                location,
                detail,
            } => {
                let what = match scan {
                    ScanKind::PickedUp => "picked up",
                    ScanKind::InTransit => "in transit",
                    ScanKind::Customs => "in customs",
                    ScanKind::OutForDelivery => "out for delivery",
                    ScanKind::Delivered => "delivered",
                    ScanKind::Exception => "delivery problem",
                };
                match location {
                    Some(at) => format!("Waybill {waybill} {what} at {at}: {detail}"),
                    None => format!("Waybill {waybill} {what}: {detail}"),
                }
            }
            EventKind::HoldPlaced { reason } => format!("Put on hold: {reason}"),
            EventKind::HoldReleased => "Hold released".into(),
            EventKind::OrderCancelled { reason } => format!("Order cancelled: {reason}"),
            EventKind::RefundRequested { amount, reason } => {
                format!("Refund of {amount} requested: {reason}")
            }
            EventKind::RefundDeclined { reason } => format!("Refund declined: {reason}"),
            EventKind::Refunded { amount } => format!("Refunded {amount}"),
            EventKind::ReturnRequested { reason } => format!("Return requested: {reason}"),
            EventKind::ReturnReceived => "Returned parcel received".into(),
            EventKind::ExceptionRaised { code, detail } => {
                format!("Exception raised — {}: {detail}", code.label())
            }
            EventKind::ExceptionCleared { code } => {
                format!("Exception cleared — {}", code.label())
            }
            EventKind::NoteAdded { text } => format!("Note: {text}"),
            EventKind::StatusReported {
                dialect,
                value,
                note,
            } => format!("Reported {dialect} = {value} ({note})"),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{Currency, Money, ParcelId};

    #[test]
    fn meanings_name_the_facts() {
        let e = EventKind::ParcelShipped {
            parcel: ParcelId::parse("P1").unwrap(),
            carrier: "SF Express".into(),
            waybill: "SF123".into(),
        };
        assert_eq!(e.meaning(), "Parcel P1 handed to SF Express, waybill SF123");
        let e = EventKind::PaymentCaptured {
            amount: Money::new(12800, Currency::CNY),
        };
        assert_eq!(e.meaning(), "Payment of ¥128.00 received");
    }
}
