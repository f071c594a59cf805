//! Who may do what: staff roles, the permissions each grants (data, checked on the
//! server before any work), and the lens that limits what each role sees of an
//! order (money, phone, address).

use super::event::{EventKind, NotApplied, RecordedEvent};
use super::money::Money;
use super::order::{Customer, Order};
use super::query::OrderSummary;
use super::redaction::{TextMask, MASK};
use serde::{Deserialize, Serialize};
use std::fmt;
use std::str::FromStr;

/// A staff role. A person may hold several.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Role {
    CustomerService,
    Logistics,
    Finance,
    Admin,
}

impl Role {
    pub const ALL: [Role; 4] = [
        Role::CustomerService,
        Role::Logistics,
        Role::Finance,
        Role::Admin,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Role::CustomerService => "customer_service",
            Role::Logistics => "logistics",
            Role::Finance => "finance",
            Role::Admin => "admin",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            Role::CustomerService => "Customer service",
            Role::Logistics => "Logistics",
            Role::Finance => "Finance",
            Role::Admin => "Admin",
        }
    }

    /// What this role may do.
    pub fn permissions(self) -> &'static [Permission] {
        use Permission::*;
        match self {
            Role::CustomerService => &[ViewOrders, AddNote, ShareTracking],
            Role::Logistics => &[ViewOrders, AddNote],
            Role::Finance => &[ViewOrders, AddNote, ViewFinance],
            Role::Admin => &[
                ViewOrders,
                AddNote,
                ViewFinance,
                ManageUsers,
                ManageSessions,
                ViewAudit,
                ManageIntegrations,
                ShareTracking,
            ],
        }
    }

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

impl fmt::Display for Role {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.label())
    }
}

/// An unknown role name.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("unknown role {0:?}")]
pub struct UnknownRole(pub String);

impl FromStr for Role {
    type Err = UnknownRole;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Role::ALL
            .into_iter()
            .find(|r| r.as_str() == s)
            .ok_or_else(|| UnknownRole(s.to_string()))
    }
}

/// Something a server function needs the caller to be allowed to do.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Permission {
    ViewOrders,
    AddNote,
    /// Receivables, refunds and settlement (the finance dashboard and its live topic).
    ViewFinance,
    ManageUsers,
    ManageSessions,
    ViewAudit,
    /// Integration secrets, mapping tables, the delivery log and API keys.
    ManageIntegrations,
    /// Tracking links for customers: create, list and revoke them.
    ShareTracking,
}

/// The first of `roles` that grants `permission`: the role an action is taken in.
pub fn granting_role(roles: &[Role], permission: Permission) -> Option<Role> {
    roles
        .iter()
        .copied()
        .find(|r| r.permissions().contains(&permission))
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
        mask_all_but_last_two(phone)
    }
}

/// `0755-2345678` → `**********78`: every character a `*` but the last two.
pub fn mask_all_but_last_two(text: &str) -> String {
    let n = text.chars().count();
    let keep = n.min(2);
    let tail: String = text.chars().skip(n - keep).collect();
    format!("{}{tail}", "*".repeat(n - keep))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_admin_manages_users_and_reads_the_audit() {
        for role in Role::ALL {
            let admin = role == Role::Admin;
            assert_eq!(role.permissions().contains(&Permission::ManageUsers), admin);
            assert_eq!(role.permissions().contains(&Permission::ViewAudit), admin);
            assert!(role.permissions().contains(&Permission::ViewOrders));
        }
    }

    #[test]
    fn only_customer_service_and_admin_share_tracking_links() {
        for role in Role::ALL {
            let shares = matches!(role, Role::CustomerService | Role::Admin);
            assert_eq!(
                role.permissions().contains(&Permission::ShareTracking),
                shares
            );
        }
    }

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

    #[test]
    fn the_acting_role_is_the_first_that_grants() {
        assert_eq!(
            granting_role(&[Role::Finance, Role::Admin], Permission::ManageUsers),
            Some(Role::Admin)
        );
        assert_eq!(
            granting_role(&[Role::Logistics], Permission::ViewAudit),
            None
        );
    }
}
