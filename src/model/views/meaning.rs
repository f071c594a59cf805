//! What an event means, in words a person on any desk can read.

use crate::model::order::event::{EventKind, ScanKind};

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
                not_applied,
            } => match not_applied {
                Some(why) => format!("Reported {dialect} = {value} ({note}: {})", why.words(true)),
                None => format!("Reported {dialect} = {value} ({note})"),
            },
        }
    }

    /// The event in one sentence as a viewer sees it: without amounts when
    /// their lens withholds money (the amounts then arrive as zero).
    pub fn meaning_seen(&self, money: bool) -> String {
        if money {
            return self.meaning();
        }
        match self {
            EventKind::OrderPlaced {
                channel,
                channel_order_id,
                components,
                ..
            } => format!(
                "Order placed on {channel} as {channel_order_id}: {} component(s)",
                components.len()
            ),
            EventKind::PaymentCaptured { .. } => "Payment received".to_string(),
            EventKind::RefundRequested { reason, .. } => format!("Refund requested: {reason}"),
            EventKind::Refunded { .. } => "Refund paid".to_string(),
            EventKind::StatusReported {
                dialect,
                value,
                note,
                not_applied: Some(why),
            } => format!(
                "Reported {dialect} = {value} ({note}: {})",
                why.words(false)
            ),
            // No other kind carries an amount.
            other => other.meaning(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::order::event::NotApplied;
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
        assert_eq!(e.meaning_seen(false), "Payment received");
    }

    #[test]
    fn a_refused_refund_reads_with_its_amounts_only_for_those_who_see_money() {
        let e = EventKind::StatusReported {
            dialect: "douyin.tag".into(),
            value: "200".into(),
            note: NotApplied::NOTE.into(),
            not_applied: Some(NotApplied::RefundTooLarge {
                requested: Money::new(99999999, Currency::CNY),
                refundable: Money::new(68500, Currency::CNY),
            }),
        };
        assert_eq!(
            e.meaning(),
            "Reported douyin.tag = 200 (not applied: a refund of ¥999999.99 exceeds what is \
             refundable (¥685.00))"
        );
        assert_eq!(
            e.meaning_seen(false),
            "Reported douyin.tag = 200 (not applied: a refund exceeds what is refundable)"
        );
    }
}
