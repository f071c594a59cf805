//! "Find anything from what the customer gives you": what one pasted text is
//! read as ([`Probe`]), which index keys an order has ([`keys`]), which keys a
//! probe looks up through the caller's lens ([`SearchPlan`]), and which field
//! of an order it matched ([`SearchPlan::matched`]). Pure: the server's search
//! index is [`keys`] kept per order (a projection), a search is
//! [`SearchPlan::seeks`] looked up in it (one index seek each), and the
//! browser's live list uses the same [`SearchPlan::matched`] on orders it
//! learns about, so both agree on what a search finds.
//!
//! How a text is read, first rule that fits:
//! 1. `CR-…` (any case): our order number.
//! 2. Digits with phone separators (spaces, `-`, `+`, `(`, `)`, `.`): an
//!    11-digit mobile number starting with 1, after a `+86`/`0086` prefix is
//!    taken off, is a phone number; any other digit string is a channel's
//!    order number or a waybill. Digits stay text: a 19-digit Douyin id keeps
//!    every digit (never a float or an integer).
//! 3. Four digits and a name, in either order: `1234 张三`, `张三 1234`,
//!    `张三1234`, `Emma 1234` (a Latin name needs the space, or `SF1234`
//!    would read as a name).
//! 4. Letters and digits (and `-`, `_`, `#`): a waybill (`SF1234567890123`),
//!    a channel's order number or ours.
//! 5. Anything else: a customer's name.
//!
//! Keys are compared exactly after normalising: order numbers and waybills in
//! upper case, phone numbers as their digits (without `+86`), names in lower
//! case without spaces. A name alone finds every order under that name; the
//! newest [`MAX_FOUND`] are shown.
//!
//! **The lens rule.** A lens that masks the phone (finance) does not search by
//! phone or by the phone's last four digits: those lookups are left out of the
//! plan, and the answer says so ([`Ignored::PhoneWithheld`]), so the screen can
//! tell the person why nothing was looked up by phone. Otherwise a search by
//! the phone would tell a finance user whose phone it is (and a masked phone
//! shows its last four digits, which with a name is a phone lookup all the same).

use crate::model::access::{Lens, Reveal};
use crate::model::order::event::EventKind;
use crate::model::order::Order;
use serde::{Deserialize, Serialize};

/// Most orders one search answers with (the newest).
pub const MAX_FOUND: u32 = 50;

/// A field of an order a search can match, in the order a match is reported
/// when an order matches on more than one.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Field {
    /// Our order number.
    OrderId,
    /// The channel's order number.
    ChannelOrderId,
    /// A parcel's waybill number.
    Waybill,
    /// The customer's whole phone number.
    Phone,
    /// The phone's last four digits with the customer's name.
    PhoneTailAndName,
    /// The customer's name.
    Name,
}

impl Field {
    pub const ALL: [Field; 6] = [
        Field::OrderId,
        Field::ChannelOrderId,
        Field::Waybill,
        Field::Phone,
        Field::PhoneTailAndName,
        Field::Name,
    ];

    /// Whether looking this field up tells whose phone it is.
    pub fn reveals_phone(self) -> bool {
        matches!(self, Field::Phone | Field::PhoneTailAndName)
    }

    /// Whether the field is the customer's (changes when the contact does).
    pub fn is_customer(self) -> bool {
        matches!(self, Field::Phone | Field::PhoneTailAndName | Field::Name)
    }
}

/// How a pasted text was read (in words: `crate::i18n::words::probe`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "type", content = "text", rename_all = "snake_case")]
pub enum Probe {
    /// One of our order numbers (`CR-…`), upper-cased.
    OrderNumber(String),
    /// A digit string that is not a mobile number: a channel's order number
    /// (of any channel) or a waybill, every digit kept.
    Digits(String),
    /// Letters and digits: a waybill, a channel's order number or ours, upper-cased.
    Code(String),
    /// A whole mobile number, as its 11 digits.
    Phone(String),
    /// The phone's last four digits and the customer's name (normalised).
    PhoneTailAndName { tail: String, name: String },
    /// A customer's name (normalised).
    Name(String),
}

/// Characters that may separate the digits of a phone number.
fn phone_separator(c: char) -> bool {
    matches!(c, ' ' | '-' | '+' | '(' | ')' | '.') || c.is_whitespace()
}

/// A phone number as the index keeps it: its digits, without a `+86` or
/// `0086` before an 11-digit mobile number. Empty when it has no digits.
pub fn phone_key(phone: &str) -> String {
    let digits: String = phone.chars().filter(char::is_ascii_digit).collect();
    for prefix in ["0086", "86"] {
        if let Some(rest) = digits.strip_prefix(prefix) {
            if rest.len() == 11 && rest.starts_with('1') {
                return rest.to_string();
            }
        }
    }
    digits
}

/// A name as the index keeps it: lower case, without whitespace.
pub fn name_key(name: &str) -> String {
    name.chars()
        .filter(|c| !c.is_whitespace())
        .flat_map(char::to_lowercase)
        .collect()
}

/// An order number or waybill as the index keeps it: trimmed, upper case.
pub fn code_key(code: &str) -> String {
    code.trim().to_ascii_uppercase()
}

/// The key of a phone's last four digits with a name.
fn tail_name_key(tail: &str, name: &str) -> String {
    format!("{tail} {name}")
}

/// Whether `s` is an 11-digit mobile number.
fn is_mobile(digits: &str) -> bool {
    digits.len() == 11 && digits.starts_with('1') && digits.chars().all(|c| c.is_ascii_digit())
}

/// Four digits and a name, in either order (see the module's rule 3).
fn tail_and_name(text: &str) -> Option<(String, String)> {
    let chars: Vec<char> = text.chars().collect();
    let digits_at = |range: std::ops::Range<usize>| {
        chars.len() >= 4 && chars[range].iter().all(char::is_ascii_digit)
    };
    let (tail, name): (String, String) = if digits_at(0..4.min(chars.len())) {
        (chars[..4].iter().collect(), chars[4..].iter().collect())
    } else if chars.len() >= 4 && digits_at(chars.len() - 4..chars.len()) {
        (
            chars[chars.len() - 4..].iter().collect(),
            chars[..chars.len() - 4].iter().collect(),
        )
    } else {
        return None;
    };
    let spaced = name.starts_with(char::is_whitespace) || name.ends_with(char::is_whitespace);
    let name = name.trim();
    let letters = !name.is_empty() && name.chars().all(|c| !c.is_ascii_digit());
    // A Latin name right against the digits reads as a code (SF1234).
    let wordy = spaced || !name.is_ascii();
    (letters && wordy && name.chars().any(char::is_alphabetic)).then(|| (tail, name_key(name)))
}

impl Probe {
    /// Reads a pasted text; `None` when there is nothing to search for.
    pub fn parse(text: &str) -> Option<Probe> {
        let text = text.trim();
        if text.is_empty() {
            return None;
        }
        let is_code_char = |c: char| c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '#');
        if text.len() > 3 && text[..3].eq_ignore_ascii_case("CR-") && text.chars().all(is_code_char)
        {
            return Some(Probe::OrderNumber(code_key(text)));
        }
        if text.chars().any(|c| c.is_ascii_digit())
            && text
                .chars()
                .all(|c| c.is_ascii_digit() || phone_separator(c))
        {
            let phone = phone_key(text);
            if is_mobile(&phone) {
                return Some(Probe::Phone(phone));
            }
            let digits: String = text.chars().filter(char::is_ascii_digit).collect();
            return Some(Probe::Digits(digits));
        }
        if let Some((tail, name)) = tail_and_name(text) {
            return Some(Probe::PhoneTailAndName { tail, name });
        }
        if text.chars().any(|c| c.is_ascii_digit()) && text.chars().all(is_code_char) {
            return Some(Probe::Code(code_key(text)));
        }
        Some(Probe::Name(name_key(text)))
    }

    /// Every field and key this probe looks up, in the order a match is reported.
    pub fn seeks(&self) -> Vec<(Field, String)> {
        let mut seeks = match self {
            Probe::OrderNumber(id) => vec![(Field::OrderId, id.clone())],
            Probe::Digits(digits) => vec![
                (Field::OrderId, digits.clone()),
                (Field::ChannelOrderId, digits.clone()),
                (Field::Waybill, digits.clone()),
            ],
            Probe::Code(code) => vec![
                (Field::OrderId, code.clone()),
                (Field::ChannelOrderId, code.clone()),
                (Field::Waybill, code.clone()),
            ],
            Probe::Phone(phone) => vec![
                (Field::ChannelOrderId, phone.clone()),
                (Field::Waybill, phone.clone()),
                (Field::Phone, phone.clone()),
            ],
            Probe::PhoneTailAndName { tail, name } => {
                vec![(Field::PhoneTailAndName, tail_name_key(tail, name))]
            }
            Probe::Name(name) => vec![(Field::Name, name.clone())],
        };
        seeks.sort();
        seeks
    }

    /// What this probe may look up through `lens` (see the module's lens rule).
    pub fn plan(self, lens: Lens) -> SearchPlan {
        let mut seeks = self.seeks();
        let mut ignored = None;
        if lens.phone != Reveal::Full && seeks.iter().any(|(f, _)| f.reveals_phone()) {
            seeks.retain(|(f, _)| !f.reveals_phone());
            ignored = Some(Ignored::PhoneWithheld);
        }
        SearchPlan {
            probe: self,
            seeks,
            ignored,
        }
    }
}

/// What a search left out, and why (in words: `crate::i18n::words::ignored_probe`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Ignored {
    /// The caller's lens masks phone numbers: nothing was looked up by the
    /// phone or its last four digits.
    PhoneWithheld,
}

/// A probe as one caller may search it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SearchPlan {
    pub probe: Probe,
    /// The lookups to make, each one index seek, in the order a match is reported.
    pub seeks: Vec<(Field, String)>,
    pub ignored: Option<Ignored>,
}

impl SearchPlan {
    /// The plan for `text` through `lens`; `None` when there is nothing to search for.
    pub fn new(text: &str, lens: Lens) -> Option<SearchPlan> {
        Probe::parse(text).map(|p| p.plan(lens))
    }

    /// The field by which `order` is found, if it is.
    pub fn matched<A>(&self, order: &Order<A>) -> Option<Field> {
        let keys = keys(order);
        self.seeks
            .iter()
            .find(|seek| keys.contains(seek))
            .map(|(field, _)| *field)
    }

    /// Whether it looks up one of the fields `wanted` picks.
    pub fn looks_for(&self, wanted: impl Fn(Field) -> bool) -> bool {
        self.seeks.iter().any(|(f, _)| wanted(*f))
    }

    /// Whether an event of an order this search has not found may make the
    /// search find it: a parcel shipping under the waybill looked for (or a
    /// change of the customer to one looked for, when an event changes the
    /// customer). Every kind is listed, so a new kind of event has to say
    /// whether it changes what an order is found by.
    pub fn may_gain<A>(&self, kind: &EventKind<A>) -> bool {
        match kind {
            EventKind::ParcelShipped { waybill, .. } => self
                .seeks
                .iter()
                .any(|(f, key)| *f == Field::Waybill && *key == code_key(waybill)),
            // A change of delivery details, applied at once or when the
            // warehouse or carrier confirms it, changes the customer.
            EventKind::ContactChanged { .. } | EventKind::RequestSettled { .. } => {
                self.looks_for(Field::is_customer)
            }
            // None of these changes the customer; an order placed later is learnt in full from its
            // placing event.
            EventKind::OrderPlaced { .. }
            | EventKind::PaymentCaptured { .. }
            | EventKind::OrderConfirmed
            | EventKind::WarehouseAllocated { .. }
            | EventKind::PickingStarted
            | EventKind::ParcelPacked { .. }
            | EventKind::CarrierScan { .. }
            | EventKind::HoldPlaced { .. }
            | EventKind::HoldReleased { .. }
            | EventKind::RequestMade { .. }
            | EventKind::OrderCancelled { .. }
            | EventKind::RefundRequested { .. }
            | EventKind::RefundDeclined { .. }
            | EventKind::Refunded { .. }
            | EventKind::ReturnRequested { .. }
            | EventKind::ReturnReceived
            | EventKind::ExceptionRaised { .. }
            | EventKind::ExceptionCleared { .. }
            | EventKind::ExceptionClaimed { .. }
            | EventKind::ExceptionSnoozed { .. }
            | EventKind::ExceptionResolved { .. }
            | EventKind::ShipmentNotified { .. }
            | EventKind::CustomsDeclared { .. }
            | EventKind::DeliveryPromised { .. }
            | EventKind::RouteProposed { .. }
            | EventKind::RouteAccepted { .. }
            | EventKind::RouteOverridden { .. }
            | EventKind::NoteAdded { .. }
            | EventKind::StatusReported { .. } => false,
        }
    }
}

/// Every (field, key) the search index holds for `order`: its order
/// numbers, its parcels' waybills, and its customer's phone, phone's last four
/// digits with name, and name, each normalised as a probe is.
pub fn keys<A>(order: &Order<A>) -> Vec<(Field, String)> {
    let mut keys = vec![
        (Field::OrderId, code_key(order.id.as_str())),
        (Field::ChannelOrderId, code_key(&order.channel_order_id)),
    ];
    for parcel in &order.parcels {
        if let Some(waybill) = parcel.waybill.as_deref().map(code_key) {
            if !waybill.is_empty() {
                keys.push((Field::Waybill, waybill));
            }
        }
    }
    let phone = phone_key(&order.customer.phone);
    let name = name_key(&order.customer.name);
    if !phone.is_empty() {
        if phone.len() >= 4 && !name.is_empty() {
            let tail = &phone[phone.len() - 4..];
            keys.push((Field::PhoneTailAndName, tail_name_key(tail, &name)));
        }
        keys.push((Field::Phone, phone));
    }
    if !name.is_empty() {
        keys.push((Field::Name, name));
    }
    keys.sort();
    keys.dedup();
    keys
}

/// What a search answered besides its orders.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SearchAnswer {
    /// How the text was read.
    pub probe: Probe,
    /// What the caller's lens left out.
    pub ignored: Option<Ignored>,
    /// More orders were found than the newest [`MAX_FOUND`] answered.
    pub more: bool,
    /// Which field each order matched, in the order of the answer's orders.
    pub matched: Vec<Field>,
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::order::channel::Channel;
    use crate::model::order::ids::{OrderId, ParcelId};
    use crate::model::order::money::{Currency, Money};
    use crate::model::order::status::Stage;
    use crate::model::order::{Address, Customer, Parcel};
    use chrono::{TimeZone, Utc};

    fn parse(text: &str) -> Probe {
        Probe::parse(text).unwrap_or_else(|| panic!("{text:?} reads as nothing"))
    }

    fn name(s: &str) -> Probe {
        Probe::Name(s.into())
    }

    fn tail(t: &str, n: &str) -> Probe {
        Probe::PhoneTailAndName {
            tail: t.into(),
            name: n.into(),
        }
    }

    #[test]
    fn a_19_digit_douyin_id_keeps_every_digit() {
        assert_eq!(
            parse("6920331847716522931"),
            Probe::Digits("6920331847716522931".into())
        );
        // Beyond 2^53 a float rounds it: read as one, it is another id.
        let as_float: f64 = "6920331847716522931".parse().unwrap();
        assert_ne!(format!("{as_float:.0}"), "6920331847716522931");
        assert_eq!(
            parse(" 6920331847716522931\n"),
            Probe::Digits("6920331847716522931".into())
        );
        let seeks = parse("6920331847716522931").seeks();
        assert!(seeks.contains(&(Field::ChannelOrderId, "6920331847716522931".into())));
        assert!(seeks.contains(&(Field::Waybill, "6920331847716522931".into())));
    }

    #[test]
    fn our_order_numbers_read_as_ours_in_any_case() {
        assert_eq!(
            parse("CR-AB23CD45"),
            Probe::OrderNumber("CR-AB23CD45".into())
        );
        assert_eq!(
            parse("cr-ab23cd45"),
            Probe::OrderNumber("CR-AB23CD45".into())
        );
        assert_eq!(
            parse("cr-ab23cd45").seeks(),
            vec![(Field::OrderId, "CR-AB23CD45".into())]
        );
    }

    #[test]
    fn letters_and_digits_read_as_a_code() {
        assert_eq!(
            parse("SF1234567890123"),
            Probe::Code("SF1234567890123".into())
        );
        assert_eq!(
            parse("sf1234567890123"),
            Probe::Code("SF1234567890123".into())
        );
        assert_eq!(
            parse("JDV123456789012"),
            Probe::Code("JDV123456789012".into())
        );
        assert_eq!(parse("SF1234"), Probe::Code("SF1234".into()), "not a name");
        assert_eq!(parse("#1234"), Probe::Code("#1234".into()));
        assert_eq!(
            parse("P123456789012345678"),
            Probe::Code("P123456789012345678".into())
        );
        let fields: Vec<Field> = parse("SF1").seeks().into_iter().map(|(f, _)| f).collect();
        assert_eq!(
            fields,
            [Field::OrderId, Field::ChannelOrderId, Field::Waybill]
        );
    }

    #[test]
    fn an_11_digit_mobile_reads_as_a_phone_with_or_without_separators() {
        for text in [
            "13800138000",
            "138 0013 8000",
            "138-0013-8000",
            "+86 138 0013 8000",
            "0086 13800138000",
            "8613800138000",
        ] {
            assert_eq!(parse(text), Probe::Phone("13800138000".into()), "{text}");
        }
        // Ten or twelve digits are not a mobile number.
        assert_eq!(parse("1380013800"), Probe::Digits("1380013800".into()));
        assert_eq!(parse("238001380001"), Probe::Digits("238001380001".into()));
        assert!(parse("13800138000")
            .seeks()
            .contains(&(Field::Phone, "13800138000".into())));
    }

    #[test]
    fn four_digits_and_a_name_read_as_a_phone_tail_and_name_in_either_order() {
        for text in [
            "1234 张三",
            "张三 1234",
            "张三1234",
            "1234张三",
            " 1234  张三 ",
        ] {
            assert_eq!(parse(text), tail("1234", "张三"), "{text}");
        }
        assert_eq!(parse("Emma Johnson 1234"), tail("1234", "emmajohnson"));
        assert_eq!(parse("1234 Emma"), tail("1234", "emma"));
        assert_eq!(
            parse("1234 张三").seeks(),
            vec![(Field::PhoneTailAndName, "1234 张三".into())]
        );
        // Not four digits: a name with digits (finds nothing), not a tail.
        assert_eq!(parse("张三 123"), name("张三123"));
        assert_eq!(parse("张三 12345"), name("张三12345"));
    }

    #[test]
    fn anything_else_reads_as_a_name() {
        assert_eq!(parse("张三"), name("张三"));
        assert_eq!(parse("  Emma   Johnson "), name("emmajohnson"));
        assert_eq!(parse("王 芳"), name("王芳"));
        assert_eq!(Probe::parse("   "), None);
    }

    const FINANCE: Lens = Lens {
        money: true,
        phone: Reveal::Masked,
        address: Reveal::Masked,
    };

    #[test]
    fn a_lens_that_masks_the_phone_does_not_search_by_it_and_says_so() {
        let plan = parse("13800138000").plan(FINANCE);
        assert_eq!(plan.ignored, Some(Ignored::PhoneWithheld));
        assert!(plan.seeks.iter().all(|(f, _)| !f.reveals_phone()));
        assert!(
            !plan.seeks.is_empty(),
            "the digits are still an order number"
        );

        let plan = parse("1234 张三").plan(FINANCE);
        assert_eq!(plan.ignored, Some(Ignored::PhoneWithheld));
        assert!(plan.seeks.is_empty());

        let plan = parse("张三").plan(FINANCE);
        assert_eq!(plan.ignored, None, "a name is not a phone");
        let plan = parse("1234 张三").plan(Lens::FULL);
        assert_eq!(plan.ignored, None);
    }

    fn order() -> Order {
        let at = Utc.with_ymd_and_hms(2026, 11, 28, 8, 0, 0).unwrap();
        Order {
            id: OrderId::parse("CR-AB23CD45").unwrap(),
            channel: Channel::Douyin,
            channel_order_id: "6920331847716522931".into(),
            customer: Customer {
                name: "张 三".into(),
                phone: "+86 138-0013-8000".into(),
                address: Address {
                    country: "CN".into(),
                    province: "浙江".into(),
                    city: "杭州".into(),
                    line: "西湖区 1 号".into(),
                },
            },
            components: vec![],
            parcels: vec![Parcel {
                id: ParcelId::parse("P1").unwrap(),
                components: vec![],
                stage: Stage::Shipped,
                carrier: Some("SF Express".into()),
                waybill: Some("sf1234567890123".into()),
                last_scan_at: None,
                notified_at: None,
                shipped_at: None,
            }],
            stage: Stage::Placed,
            branch: None,
            warehouse: None,
            total: Money::zero(Currency::CNY),
            paid: Money::zero(Currency::CNY),
            refunded: Money::zero(Currency::CNY),
            refund_requested: None,
            exceptions: vec![],
            requests: vec![],
            resolutions: vec![],
            customs: Default::default(),
            promised_by: None,
            route: None,
            placed_at: at,
            updated_at: at,
            last_seq: 1,
            event_count: 1,
        }
    }

    #[test]
    fn an_order_is_found_by_each_of_its_keys_and_says_by_which() {
        let o = order();
        let found = |text: &str| SearchPlan::new(text, Lens::FULL).unwrap().matched(&o);
        assert_eq!(found("cr-ab23cd45"), Some(Field::OrderId));
        assert_eq!(found("6920331847716522931"), Some(Field::ChannelOrderId));
        assert_eq!(found("6920331847716522930"), None, "one digit off");
        assert_eq!(found("SF1234567890123"), Some(Field::Waybill));
        assert_eq!(found("138 0013 8000"), Some(Field::Phone));
        assert_eq!(found("张三 8000"), Some(Field::PhoneTailAndName));
        assert_eq!(found("8000张三"), Some(Field::PhoneTailAndName));
        assert_eq!(found("张三 1234"), None, "another tail");
        assert_eq!(found("张三"), Some(Field::Name));
        assert_eq!(found("李四"), None);
        let finance = |text: &str| SearchPlan::new(text, FINANCE).unwrap().matched(&o);
        assert_eq!(finance("13800138000"), None);
        assert_eq!(finance("张三 8000"), None);
        assert_eq!(finance("张三"), Some(Field::Name));
    }

    #[test]
    fn the_index_keys_are_normalised_as_probes_are() {
        let keys = keys(&order());
        assert_eq!(
            keys,
            vec![
                (Field::OrderId, "CR-AB23CD45".into()),
                (Field::ChannelOrderId, "6920331847716522931".into()),
                (Field::Waybill, "SF1234567890123".into()),
                (Field::Phone, "13800138000".into()),
                (Field::PhoneTailAndName, "8000 张三".into()),
                (Field::Name, "张三".into()),
            ]
        );
    }

    #[test]
    fn a_shipment_may_bring_an_order_into_a_waybill_search_only() {
        let shipped: EventKind = EventKind::ParcelShipped {
            parcel: ParcelId::parse("P1").unwrap(),
            carrier: "SF Express".into(),
            waybill: "sf1".into(),
        };
        let plan = |t: &str| SearchPlan::new(t, Lens::FULL).unwrap();
        assert!(plan("SF1").may_gain(&shipped));
        assert!(!plan("SF2").may_gain(&shipped), "another waybill");
        assert!(!plan("6920331847716522931").may_gain(&shipped));
        assert!(!plan("13800138000").may_gain(&shipped));
        assert!(!plan("张三").may_gain(&shipped));
        assert!(!plan("cr-ab23cd45").may_gain(&shipped));
        assert!(!plan("SF1").may_gain(&EventKind::<Money>::OrderConfirmed));
    }
}
