//! The lens that limits what each role sees of an order (money, phone,
//! address), applied on the server before anything is sent.
//!
//! The lens is structural: it turns the stored read models ([`Order`],
//! [`RecordedEvent`], amounts in [`Money`]) into the ones
//! that may leave the server ([`SeenOrder`], [`SeenEvent`],
//! amounts in [`Seen`]), and nothing else does. A withheld amount is absent,
//! never a zero that a total or a chart could add up. The server takes the
//! lens from the signed-in caller (`Staff::lens()`), never from the request.

use crate::model::access::role::Role;
use crate::model::access::seen::{Seen, SeenEvent, SeenMoney, SeenOrder};
use crate::model::order::event::{EventKind, RecordedEvent};
use crate::model::order::money::Money;
use crate::model::order::request::ContactChange;
use crate::model::order::{Customer, Order};
use crate::model::views::redaction::{mask_phone, TextMask, MASK};
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
    /// Amounts (totals, prices, payments, refunds). When false they are
    /// withheld: sent as `null` ([`Seen::Withheld`]) and shown as "Withheld".
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

    /// An amount as this lens shows it: withheld (absent, not zero) when the
    /// lens hides money.
    pub fn amount(&self, m: Money) -> SeenMoney {
        if self.money {
            Seen::Shown(m)
        } else {
            Seen::Withheld
        }
    }

    /// The mask of free text this lens shows, about an order sent to
    /// `recipient` (when known); `None` when it hides nothing.
    pub fn text_mask<'a>(&self, recipient: Option<&'a Customer>) -> Option<TextMask<'a>> {
        TextMask::new(
            self.phone == Reveal::Masked,
            self.address == Reveal::Masked,
            !self.money,
            recipient,
        )
    }

    /// Whether this lens masks contact details in free text (and so wants to
    /// know whom the order goes to).
    pub fn hides_contact(&self) -> bool {
        self.phone == Reveal::Masked || self.address == Reveal::Masked
    }

    /// Whether this lens hides anything (the full lens changes nothing).
    pub fn hides_anything(&self) -> bool {
        *self != Lens::FULL
    }

    /// The order as this lens shows it: amounts withheld, contact details
    /// masked, and free text masked knowing whom the order goes to.
    pub fn order(&self, o: &Order) -> SeenOrder {
        let mut seen = o.map_amounts(&|m| self.amount(m));
        if let Some(mask) = self.text_mask(Some(&o.customer)) {
            for e in &mut seen.exceptions {
                e.cause
                    .free_text_mut()
                    .into_iter()
                    .for_each(|t| mask.apply(t));
                if let Some(snooze) = &mut e.snooze {
                    mask.apply(&mut snooze.reason);
                }
            }
            for r in &mut seen.requests {
                mask.apply(&mut r.reason);
                r.state
                    .free_text_mut()
                    .into_iter()
                    .for_each(|t| mask.apply(t));
            }
        }
        self.customer(&mut seen.customer);
        for r in &mut seen.requests {
            if let Some(contact) = r.ask.contact_mut() {
                self.contact(contact);
            }
        }
        seen
    }

    /// An event as this lens shows it, without knowing whom the order goes to
    /// (free text is then masked by pattern only; see [`Lens::event_about`]).
    pub fn event(&self, e: &RecordedEvent) -> SeenEvent {
        self.event_about(e, None)
    }

    /// An event of an order sent to `recipient` as this lens shows it: amounts
    /// withheld, contact fields masked, and free text masked (also the
    /// recipient's own address and phone wherever they are written; see
    /// [`TextMask`]). Through the full lens it is the event itself, and
    /// serialises to the very JSON of the log.
    pub fn event_about(&self, e: &RecordedEvent, recipient: Option<&Customer>) -> SeenEvent {
        let mut seen = e.map_amounts(&|m| self.amount(m));
        if !self.hides_anything() {
            return seen;
        }
        let kind = &mut seen.event.kind;
        match kind {
            EventKind::OrderPlaced { customer, .. } => self.customer(customer),
            EventKind::ContactChanged { contact, .. } => self.contact(contact),
            EventKind::RequestMade { ask, .. } => {
                if let Some(contact) = ask.contact_mut() {
                    self.contact(contact);
                }
            }
            _ => {}
        }
        if let Some(mask) = self.text_mask(recipient) {
            mask.event(kind);
        }
        seen
    }

    /// Masks the parts of new delivery details this lens does not reveal,
    /// exactly as it masks the customer's own.
    fn contact(&self, c: &mut ContactChange) {
        if self.phone == Reveal::Masked {
            if let Some(phone) = &mut c.phone {
                *phone = mask_phone(phone);
            }
        }
        if self.address == Reveal::Masked {
            if let Some(address) = &mut c.address {
                address.line = MASK.into();
            }
        }
    }

    /// Masks the contact fields this lens does not reveal.
    fn customer(&self, c: &mut Customer) {
        if self.phone == Reveal::Masked {
            c.phone = mask_phone(&c.phone);
        }
        if self.address == Reveal::Masked {
            c.address.line = MASK.into();
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::order::event::{Actor, NotApplied, OrderEvent};
    use crate::model::{
        Address, Channel, Component, ComponentId, ComponentKind, Currency, OrderId, Source,
    };
    use chrono::TimeZone;

    fn recorded(kind: EventKind) -> RecordedEvent {
        let at = chrono::Utc.with_ymd_and_hms(2026, 11, 1, 8, 0, 0).unwrap();
        RecordedEvent {
            seq: 7,
            recorded_at: at,
            event: OrderEvent {
                order_id: OrderId::parse("CR-7").unwrap(),
                occurred_at: at,
                source: Source::ControlRoom,
                actor: Actor::Customer,
                kind,
            },
        }
    }

    fn money_events() -> Vec<RecordedEvent> {
        let cny = |minor| Money::new(minor, Currency::CNY);
        vec![
            recorded(EventKind::OrderPlaced {
                channel: Channel::Douyin,
                channel_order_id: "69-7".into(),
                customer: Customer {
                    name: "李娜".into(),
                    phone: "13800138000".into(),
                    address: Address {
                        country: "CN".into(),
                        province: "上海".into(),
                        city: "上海".into(),
                        line: "浦东新区 1 号".into(),
                    },
                },
                components: vec![Component {
                    id: ComponentId::parse("item-1").unwrap(),
                    sku: "SKU".into(),
                    name: "Rose serum".into(),
                    kind: ComponentKind::Main,
                    quantity: 2,
                    unit_price: cny(13400),
                    ships_later: false,
                }],
                total: cny(26800),
            }),
            recorded(EventKind::RefundRequested {
                amount: cny(100),
                reason: "¥1.00 back".into(),
            }),
            recorded(EventKind::StatusReported {
                dialect: "douyin.tag".into(),
                value: "200".into(),
                note: NotApplied::NOTE.into(),
                not_applied: Some(NotApplied::RefundTooLarge {
                    requested: cny(99_999_999),
                    refundable: cny(26800),
                }),
            }),
        ]
    }

    #[test]
    fn through_the_full_lens_an_event_is_the_logs_json_byte_for_byte() {
        for e in money_events() {
            assert_eq!(
                serde_json::to_string(&Lens::FULL.event(&e)).unwrap(),
                serde_json::to_string(&e).unwrap()
            );
        }
    }

    #[test]
    fn a_lens_without_money_leaves_no_figure_in_an_event() {
        for e in money_events() {
            let json = serde_json::to_string(&Role::Logistics.lens().event(&e)).unwrap();
            assert!(!json.contains("minor"), "{json}");
            assert!(!json.contains("¥1.00"), "free text masked too: {json}");
            let seen: SeenEvent = serde_json::from_str(&json).unwrap();
            assert_eq!(seen, Role::Logistics.lens().event(&e), "and reads back");
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
}
