//! The lens that limits what each role sees of an order (money, phone,
//! address), applied on the server before anything is sent.

use crate::model::access::role::Role;
use crate::model::order::event::{EventKind, NotApplied, RecordedEvent};
use crate::model::order::money::Money;
use crate::model::order::{Customer, Order};
use crate::model::views::query::OrderSummary;
use crate::model::views::redaction::{TextMask, MASK};
use serde::{Deserialize, Serialize};

impl Role {
    /// What this role sees of an order.
    pub fn lens(self) -> Lens {
        match self {
            Role::CustomerService | Role::Admin => Lens::FULL,
            // Delivery needs the address and phone; payment is not logistics' business.
            Role::Logistics => Lens {
                money: false,
                phone: Reveal::Full,
                address: Reveal::Full,
            },
            // Money in full; contact details masked.
            Role::Finance => Lens {
                money: true,
                phone: Reveal::Masked,
                address: Reveal::Masked,
            },
        }
    }
}

/// How much of a contact field is shown.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Reveal {
    Masked,
    Full,
}

/// What a viewer sees of orders. Applied on the server before anything is sent.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Lens {
    /// Amounts (totals, prices, payments, refunds). When false they are sent as
    /// zero and the app shows them as withheld.
    pub money: bool,
    pub phone: Reveal,
    pub address: Reveal,
}

impl Lens {
    pub const FULL: Lens = Lens {
        money: true,
        phone: Reveal::Full,
        address: Reveal::Full,
    };

    /// The widest view any of `roles` has (a person with two roles sees what
    /// either may see).
    pub fn for_roles(roles: &[Role]) -> Option<Lens> {
        roles.iter().map(|r| r.lens()).reduce(|a, b| Lens {
            money: a.money || b.money,
            phone: a.phone.max(b.phone),
            address: a.address.max(b.address),
        })
    }

    fn amount(&self, m: &mut Money) {
        if !self.money {
            *m = Money::zero(m.currency);
        }
    }

    /// Whether this lens hides anything (the full lens changes nothing).
    pub fn hides_anything(&self) -> bool {
        *self != Lens::FULL
    }

    pub fn order(&self, o: &mut Order) {
        if self.hides_anything() {
            let recipient = o.customer.clone();
            if let Some(mask) = TextMask::of(self, Some(&recipient)) {
                for e in &mut o.exceptions {
                    mask.apply(&mut e.detail);
                }
            }
        }
        if self.phone == Reveal::Masked {
            o.customer.phone = mask_phone(&o.customer.phone);
        }
        if self.address == Reveal::Masked {
            o.customer.address.line = MASK.into();
        }
        self.amount(&mut o.total);
        self.amount(&mut o.paid);
        self.amount(&mut o.refunded);
        if let Some(m) = o.refund_requested.as_mut() {
            self.amount(m);
        }
        for c in &mut o.components {
            self.amount(&mut c.unit_price);
        }
    }

    pub fn summary(&self, s: &mut OrderSummary) {
        self.amount(&mut s.total);
    }

    /// An event as this lens shows it, without knowing whom the order goes to
    /// (free text is then masked by pattern only; see [`Lens::event_about`]).
    pub fn event(&self, e: &mut RecordedEvent) {
        self.event_about(e, None);
    }

    /// An event of an order sent to `recipient` as this lens shows it: amounts
    /// and contact fields withheld or masked, and free text masked (also the
    /// recipient's own address and phone wherever they are written; see
    /// [`TextMask`]).
    pub fn event_about(&self, e: &mut RecordedEvent, recipient: Option<&Customer>) {
        if !self.hides_anything() {
            return;
        }
        let kind = &mut e.event.kind;
        match kind {
            EventKind::OrderPlaced {
                customer,
                components,
                total,
                ..
            } => {
                if self.phone == Reveal::Masked {
                    customer.phone = mask_phone(&customer.phone);
                }
                if self.address == Reveal::Masked {
                    customer.address.line = MASK.into();
                }
                self.amount(total);
                for c in components {
                    self.amount(&mut c.unit_price);
                }
            }
            EventKind::PaymentCaptured { amount }
            | EventKind::RefundRequested { amount, .. }
            | EventKind::Refunded { amount } => self.amount(amount),
            EventKind::StatusReported {
                not_applied:
                    Some(NotApplied::RefundTooLarge {
                        requested,
                        refundable,
                    }),
                ..
            } => {
                self.amount(requested);
                self.amount(refundable);
            }
            _ => {}
        }
        if let Some(mask) = TextMask::of(self, recipient) {
            mask.event(kind);
        }
    }
}

/// `13800138000` → `138****8000`; short numbers keep only their last two digits.
pub fn mask_phone(phone: &str) -> String {
    let chars: Vec<char> = phone.chars().collect();
    if chars.len() >= 11 {
        let head: String = chars[..3].iter().collect();
        let tail: String = chars[chars.len() - 4..].iter().collect();
        format!("{head}****{tail}")
    } else {
        let keep = chars.len().min(2);
        let tail: String = chars[chars.len() - keep..].iter().collect();
        format!("{}{tail}", "*".repeat(chars.len() - keep))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lenses_follow_the_roles() {
        assert!(!Role::Logistics.lens().money);
        assert_eq!(Role::Logistics.lens().address, Reveal::Full);
        assert!(Role::Finance.lens().money);
        assert_eq!(Role::Finance.lens().phone, Reveal::Masked);
        let both = Lens::for_roles(&[Role::Logistics, Role::Finance]).unwrap();
        assert_eq!(both, Lens::FULL);
        assert_eq!(Lens::for_roles(&[]), None);
    }

    #[test]
    fn phones_are_masked_keeping_head_and_tail() {
        assert_eq!(mask_phone("13800138000"), "138****8000");
        assert_eq!(mask_phone("+1 415 555 0199"), "+1 ****0199");
        assert_eq!(mask_phone("12345"), "***45");
    }
}
