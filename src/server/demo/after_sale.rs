//! What a demo buyer asks after the order: a refund before it ships, a part
//! refund for a missing gift, or a return.

use super::script::{system, Writer};
use crate::model::{Actor, EventKind, Money, Source};

impl Writer {
    /// The buyer asks for the whole amount back before anything is picked,
    /// and gets it.
    pub(super) fn refund_intercepted(&mut self, total: Money) {
        let asked = EventKind::RefundRequested {
            amount: total,
            reason: "ordered by mistake (拍错了)".into(),
        };
        self.at(4.0, self.channel.clone(), Actor::Customer, asked);
        self.refunded(6.0, total);
    }

    /// A gift was missing from the parcel: a tenth of the total back, at
    /// least one minor unit.
    pub(super) fn gift_missing_refund(&mut self, total: Money) {
        let currency = total.currency;
        let tenth = total.checked_div(10).unwrap_or(Money::zero(currency));
        let amount = if tenth.is_positive() {
            tenth
        } else {
            Money::new(1, currency)
        };
        let asked = EventKind::RefundRequested {
            amount,
            reason: "gift missing from parcel".into(),
        };
        self.at(8.0, self.channel.clone(), Actor::Customer, asked);
        self.refunded(5.0, amount);
    }

    /// The buyer sends the goods back; once received, the whole total is
    /// refunded.
    pub(super) fn returned(&mut self, total: Money) {
        let asked = EventKind::ReturnRequested {
            reason: "shade does not suit (色号不合适)".into(),
        };
        self.at(8.0, self.channel.clone(), Actor::Customer, asked);
        let received = EventKind::ReturnReceived;
        self.at(
            10.0,
            self.warehouse.clone(),
            system("returns desk"),
            received,
        );
        let refund = EventKind::RefundRequested {
            amount: total,
            reason: "return received".into(),
        };
        self.at(4.0, Source::Finance, system("refund desk"), refund);
        self.refunded(3.0, total);
    }

    /// The refund desk pays `amount` back.
    fn refunded(&mut self, after: f64, amount: Money) {
        let refunded = EventKind::Refunded { amount };
        self.at(after, Source::Finance, system("refund desk"), refunded);
    }
}
