//! What an event means, in words a person on any desk can read. An amount the
//! viewer's lens withholds is left out of the sentence, never written as zero.

use crate::model::order::amount::Amount;
use crate::model::order::event::{EventKind, ScanKind};

impl<A: Amount> EventKind<A> {
    /// One sentence describing the event (`Parcel P1 handed to SF Express, waybill SF123`).
    pub fn meaning(&self) -> String {
        match self {
            EventKind::OrderPlaced {
                channel,
                channel_order_id,
                components,
                total,
                ..
            } => match total.known() {
                Some(total) => format!(
                    "Order placed on {channel} as {channel_order_id}: {} component(s), {total}",
                    components.len()
                ),
                None => format!(
                    "Order placed on {channel} as {channel_order_id}: {} component(s)",
                    components.len()
                ),
            },
            EventKind::PaymentCaptured { amount } => match amount.known() {
                Some(amount) => format!("Payment of {amount} received"),
                None => "Payment received".to_string(),
            },
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
            EventKind::RefundRequested { amount, reason } => match amount.known() {
                Some(amount) => format!("Refund of {amount} requested: {reason}"),
                None => format!("Refund requested: {reason}"),
            },
            EventKind::RefundDeclined { reason } => format!("Refund declined: {reason}"),
            EventKind::Refunded { amount } => match amount.known() {
                Some(amount) => format!("Refunded {amount}"),
                None => "Refund paid".to_string(),
            },
            EventKind::ReturnRequested { reason } => format!("Return requested: {reason}"),
            EventKind::ReturnReceived => "Returned parcel received".into(),
            EventKind::ExceptionRaised {
                code,
                parcel,
                detail,
                facts,
            } => {
                // Facts become words now, so they read true whenever shown.
                let why = facts.as_ref().map_or_else(|| detail.clone(), |f| f.words());
                match parcel {
                    Some(p) => format!("Exception raised on parcel {p} — {}: {why}", code.label()),
                    None => format!("Exception raised — {}: {why}", code.label()),
                }
            }
            EventKind::ExceptionCleared { code, parcel } => match parcel {
                Some(p) => format!("Exception cleared on parcel {p} — {}", code.label()),
                None => format!("Exception cleared — {}", code.label()),
            },
            EventKind::NoteAdded { text } => format!("Note: {text}"),
            EventKind::StatusReported {
                dialect,
                value,
                note,
                not_applied,
            } => match not_applied {
                Some(why) => format!("Reported {dialect} = {value} ({note}: {})", why.words()),
                None => format!("Reported {dialect} = {value} ({note})"),
            },
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::order::event::NotApplied;
    use crate::model::{Currency, Money, ParcelId, Seen, SeenMoney};

    #[test]
    fn meanings_name_the_facts() {
        let e: EventKind = EventKind::ParcelShipped {
            parcel: ParcelId::parse("P1").unwrap(),
            carrier: "SF Express".into(),
            waybill: "SF123".into(),
        };
        assert_eq!(e.meaning(), "Parcel P1 handed to SF Express, waybill SF123");
        let e = EventKind::PaymentCaptured {
            amount: Money::new(12800, Currency::CNY),
        };
        assert_eq!(e.meaning(), "Payment of ¥128.00 received");
        let withheld = EventKind::<SeenMoney>::PaymentCaptured {
            amount: Seen::Withheld,
        };
        assert_eq!(withheld.meaning(), "Payment received");
    }

    #[test]
    fn a_detectors_facts_are_put_in_words_when_read() {
        use crate::model::order::exceptions::ExceptionFacts;
        use crate::model::ExceptionCode;
        use chrono::{TimeZone, Utc};
        let e: EventKind = EventKind::ExceptionRaised {
            code: ExceptionCode::PaidNotShipped,
            parcel: None,
            detail: String::new(),
            facts: Some(ExceptionFacts::NotShipped {
                placed_at: Utc.with_ymd_and_hms(2026, 11, 1, 8, 0, 0).unwrap(),
                within_secs: 60,
            }),
        };
        assert_eq!(
            e.meaning(),
            "Exception raised — Paid but not shipped: paid, and no parcel shipped within \
             1 min of the order being placed"
        );
        let e: EventKind = EventKind::ExceptionCleared {
            code: ExceptionCode::DeliveryFailed,
            parcel: Some(ParcelId::parse("P2").unwrap()),
        };
        assert_eq!(
            e.meaning(),
            "Exception cleared on parcel P2 — Delivery failed"
        );
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
        let withheld = e.map_amounts(&|_| SeenMoney::Withheld);
        assert_eq!(
            withheld.meaning(),
            "Reported douyin.tag = 200 (not applied: a refund exceeds what is refundable)"
        );
    }
}
