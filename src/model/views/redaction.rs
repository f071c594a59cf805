//! Free text seen through a lens. Notes, carrier scan descriptions, platform
//! remarks and reasons are written by other systems and people, and often name
//! a phone number, the recipient's address or an amount. A lens that hides
//! phones, addresses or money therefore masks them in free text too:
//!
//! - phones hidden: numbers that look like mainland mobile numbers
//!   (`1[3-9]` and nine more digits, with or without `+86`, grouped or not)
//!   or landlines (`0` + area code + 7–8 digits), and the order's own phone;
//! - addresses hidden: the recipient's known address line and its parts, and
//!   any run of [`LONG_RUN`] digits or more (postcodes, ids, numbers not
//!   recognised above);
//! - money hidden: amounts next to a currency sign or code (`¥685.00`,
//!   `CNY 12`, `30 元`).
//!
//! Masking is by pattern and by what is known of the order, so it errs on the
//! side of hiding (a waybill number in a scan description is a long digit run
//! too). The structured fields that carry these facts are withheld by the lens
//! itself ([`crate::model::access::Lens`], which also picks the mask); this is
//! for the text around them.

use crate::model::order::event::{EventKind, NotApplied};
use crate::model::order::refusal::Refusal;
use crate::model::order::Customer;

/// What replaces a masked address part or amount.
pub const MASK: &str = "•••";
/// Digit runs at least this long are masked when addresses are hidden.
pub const LONG_RUN: usize = 6;

/// Currency signs an amount may follow.
const SIGNS: [char; 5] = ['¥', '￥', '$', '€', '£'];
/// Currency codes and words an amount may follow or precede.
const CODES: [&str; 8] = ["CNY", "RMB", "USD", "EUR", "GBP", "JPY", "HKD", "yuan"];
/// Words an amount may be followed by.
const UNITS: [&str; 2] = ["元", "块"];

/// What one viewer's free text hides, and what is known of the order it is about.
#[derive(Debug, Clone, Copy)]
pub struct TextMask<'a> {
    phones: bool,
    addresses: bool,
    amounts: bool,
    recipient: Option<&'a Customer>,
}

impl<'a> TextMask<'a> {
    /// A mask of phones, addresses and amounts (each when asked) for text
    /// about an order sent to `recipient` (when known); `None` when it would
    /// hide nothing. A viewer's comes from their lens
    /// ([`crate::model::access::Lens::text_mask`]).
    pub fn new(
        phones: bool,
        addresses: bool,
        amounts: bool,
        recipient: Option<&'a Customer>,
    ) -> Option<TextMask<'a>> {
        (phones || addresses || amounts).then_some(TextMask {
            phones,
            addresses,
            amounts,
            recipient,
        })
    }

    /// A customer's mask (tracking links): nothing of contact details or money.
    pub fn for_customer(recipient: Option<&'a Customer>) -> TextMask<'a> {
        TextMask {
            phones: true,
            addresses: true,
            amounts: true,
            recipient,
        }
    }

    /// Masks every free-text field of an event.
    pub fn event<A>(&self, kind: &mut EventKind<A>) {
        for text in free_text_mut(kind) {
            self.apply(text);
        }
    }

    /// Masks `text` in place.
    pub fn apply(&self, text: &mut String) {
        if text.is_empty() {
            return;
        }
        let mut out = text.clone();
        if let Some(recipient) = self.recipient {
            if self.phones {
                out = mask_known_phone(&out, &recipient.phone);
            }
            if self.addresses {
                out = mask_known_address(&out, &recipient.address.line);
            }
        }
        out = self.mask_patterns(&out);
        if out != *text {
            *text = out;
        }
    }

    /// One pass over the text: amounts, phone numbers, long digit runs.
    fn mask_patterns(&self, text: &str) -> String {
        let chars: Vec<char> = text.chars().collect();
        let mut out = String::with_capacity(text.len());
        let mut i = 0;
        while i < chars.len() {
            let c = chars[i];
            let after_digit = i > 0 && is_digit(chars[i - 1]);
            if self.amounts {
                if let Some((number, end)) = amount_after_marker(&chars, i) {
                    out.extend(&chars[i..number]);
                    out.push_str(MASK);
                    i = end;
                    continue;
                }
                if !after_digit {
                    if let Some((number_end, end)) = amount_before_unit(&chars, i) {
                        out.push_str(MASK);
                        out.extend(&chars[number_end..end]);
                        i = end;
                        continue;
                    }
                }
            }
            if self.phones && !after_digit {
                if let Some((digits, end)) = mobile_at(&chars, i) {
                    out.push_str(&mask_phone(&digits));
                    i = end;
                    continue;
                }
                if let Some((area, local, end)) = landline_at(&chars, i) {
                    out.push_str(&area);
                    out.push('-');
                    out.push_str(&mask_all_but_last_two(&local));
                    i = end;
                    continue;
                }
            }
            if is_digit(c) && !after_digit {
                // A whole run, so nothing matches from its middle.
                let end = digit_run_end(&chars, i);
                let run: String = chars[i..end].iter().collect();
                if self.addresses && end - i >= LONG_RUN {
                    out.push_str(&mask_all_but_last_two(&run));
                } else {
                    out.push_str(&run);
                }
                i = end;
                continue;
            }
            out.push(c);
            i += 1;
        }
        out
    }
}

/// The free-text fields of an event: what people and other systems wrote, as
/// opposed to the structured fields the lens handles. Every kind is named, so a
/// new kind of event is a compile error here until someone decides.
pub fn free_text_mut<A>(kind: &mut EventKind<A>) -> Vec<&mut String> {
    match kind {
        EventKind::CarrierScan {
            location, detail, ..
        } => {
            let mut texts = vec![detail];
            if let Some(location) = location.as_mut() {
                texts.push(location);
            }
            texts
        }
        EventKind::HoldPlaced { reason }
        | EventKind::HoldReleased { reason }
        | EventKind::ContactChanged { reason, .. }
        | EventKind::RequestMade { reason, .. }
        | EventKind::OrderCancelled { reason }
        | EventKind::RefundRequested { reason, .. }
        | EventKind::RefundDeclined { reason }
        | EventKind::ReturnRequested { reason } => vec![reason],
        EventKind::ExceptionRaised { detail, .. } => vec![detail],
        EventKind::ExceptionSnoozed { reason, .. }
        | EventKind::RouteOverridden { reason, .. }
        | EventKind::ExceptionResolved { reason, .. } => {
            vec![reason]
        }
        EventKind::CustomsDeclared { fields } => fields.values_mut().collect(),
        EventKind::NoteAdded { text } => vec![text],
        EventKind::RequestSettled { detail, .. } => vec![detail],
        EventKind::StatusReported {
            value,
            note,
            not_applied,
            ..
        } => {
            let mut texts = vec![value, note];
            match not_applied.as_mut() {
                Some(NotApplied::Other { reason })
                | Some(NotApplied::Refused {
                    refusal: Refusal::Invalid(reason),
                }) => texts.push(reason),
                _ => {}
            }
            texts
        }
        EventKind::OrderPlaced { .. }
        | EventKind::PaymentCaptured { .. }
        | EventKind::OrderConfirmed
        | EventKind::WarehouseAllocated { .. }
        | EventKind::PickingStarted
        | EventKind::ParcelPacked { .. }
        | EventKind::ParcelShipped { .. }
        | EventKind::Refunded { .. }
        | EventKind::ReturnReceived
        | EventKind::ExceptionCleared { .. }
        | EventKind::ExceptionClaimed { .. }
        | EventKind::ShipmentNotified { .. }
        | EventKind::DeliveryPromised { .. }
        | EventKind::RouteProposed { .. }
        | EventKind::RouteAccepted { .. } => Vec::new(),
    }
}

/// Whether an event carries free text at all.
pub fn carries_free_text<A: Clone>(kind: &EventKind<A>) -> bool {
    !free_text_mut(&mut kind.clone()).is_empty()
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

fn is_digit(c: char) -> bool {
    c.is_ascii_digit() || ('０'..='９').contains(&c)
}

/// `'５'` → `'5'`; ASCII digits as they are.
fn ascii_digit(c: char) -> char {
    if ('０'..='９').contains(&c) {
        char::from(b'0' + (c as u32 - '０' as u32) as u8)
    } else {
        c
    }
}

fn is_separator(c: char) -> bool {
    matches!(c, ' ' | '-' | '\u{00a0}')
}

fn digit_run_end(chars: &[char], start: usize) -> usize {
    let mut end = start;
    while end < chars.len() && is_digit(chars[end]) {
        end += 1;
    }
    end
}

fn starts_with(chars: &[char], at: usize, word: &str) -> bool {
    let mut i = at;
    for w in word.chars() {
        match chars.get(i) {
            Some(c) if c.eq_ignore_ascii_case(&w) => i += 1,
            _ => return false,
        }
    }
    true
}

/// Exactly `count` digits from `start`, with at most one separator allowed
/// right after the digits at the positions in `breaks`. The digits (as ASCII)
/// and where they end; `None` if a digit follows.
fn grouped_digits(
    chars: &[char],
    start: usize,
    count: usize,
    breaks: &[usize],
) -> Option<(String, usize)> {
    let mut digits = String::with_capacity(count);
    let mut i = start;
    while digits.len() < count {
        let c = *chars.get(i)?;
        if is_digit(c) {
            digits.push(ascii_digit(c));
            i += 1;
        } else if is_separator(c)
            && breaks.contains(&digits.len())
            && chars.get(i + 1).is_some_and(|c| is_digit(*c))
        {
            i += 1;
        } else {
            return None;
        }
    }
    if chars.get(i).is_some_and(|c| is_digit(*c)) {
        return None;
    }
    Some((digits, i))
}

/// A mainland mobile number at `start` (with an optional `+86`, `0086` or
/// `86` in front): its eleven digits and where it ends.
fn mobile_at(chars: &[char], start: usize) -> Option<(String, usize)> {
    let mut candidates = vec![start];
    for prefix in ["+86", "0086", "86"] {
        if starts_with(chars, start, prefix) {
            let mut at = start + prefix.chars().count();
            if chars.get(at).is_some_and(|c| is_separator(*c)) {
                at += 1;
            }
            candidates.push(at);
        }
    }
    candidates.into_iter().rev().find_map(|at| {
        let (digits, end) = grouped_digits(chars, at, 11, &[3, 7])?;
        let mut d = digits.chars();
        (d.next() == Some('1') && d.next().is_some_and(|c| ('3'..='9').contains(&c)))
            .then_some((digits, end))
    })
}

/// A landline at `start`: `0` + area code (3–4 digits in all, optionally in
/// brackets) and a 7–8 digit local number not starting with 0. The area code,
/// the local number and where it ends.
fn landline_at(chars: &[char], start: usize) -> Option<(String, String, usize)> {
    let (bracket, at) = match chars.get(start) {
        Some('(' | '（') => (true, start + 1),
        _ => (false, start),
    };
    if chars.get(at).map(|c| ascii_digit(*c)) != Some('0') {
        return None;
    }
    for area_len in [3, 4] {
        let Some(area) = chars.get(at..at + area_len) else {
            continue;
        };
        if !area.iter().all(|c| is_digit(*c)) || ascii_digit(area[1]) == '0' {
            continue;
        }
        let mut local_at = at + area_len;
        if bracket {
            if !matches!(chars.get(local_at), Some(')' | '）')) {
                continue;
            }
            local_at += 1;
        }
        if chars.get(local_at).is_some_and(|c| is_separator(*c)) {
            local_at += 1;
        }
        for local_len in [8, 7] {
            if let Some((local, end)) = grouped_digits(chars, local_at, local_len, &[3, 4]) {
                if !local.starts_with('0') {
                    let area: String = area.iter().map(|c| ascii_digit(*c)).collect();
                    return Some((area, local, end));
                }
            }
        }
    }
    None
}

/// An amount (digits with `.` or `,` between digits) at `start`: where it ends.
fn number_at(chars: &[char], start: usize) -> Option<usize> {
    if !chars.get(start).is_some_and(|c| is_digit(*c)) {
        return None;
    }
    let mut i = start;
    loop {
        i = digit_run_end(chars, i);
        match (chars.get(i), chars.get(i + 1)) {
            (Some('.' | ','), Some(next)) if is_digit(*next) => i += 1,
            _ => return Some(i),
        }
    }
}

fn skip_spaces(chars: &[char], mut i: usize) -> usize {
    while chars.get(i).is_some_and(|c| c.is_whitespace()) {
        i += 1;
    }
    i
}

/// A currency sign or code at `start` followed by an amount: where the amount
/// starts and ends.
fn amount_after_marker(chars: &[char], start: usize) -> Option<(usize, usize)> {
    let c = *chars.get(start)?;
    let marker_end = if SIGNS.contains(&c) {
        start + 1
    } else {
        let word_start = start == 0 || !chars[start - 1].is_alphanumeric();
        let code = CODES
            .iter()
            .filter(|_| word_start)
            .find(|code| starts_with(chars, start, code))?;
        start + code.chars().count()
    };
    let number = skip_spaces(chars, marker_end);
    let end = number_at(chars, number)?;
    Some((number, end))
}

/// An amount at `start` followed by a currency code or unit (`30 元`,
/// `12.50 CNY`): where the amount ends and where the unit ends.
fn amount_before_unit(chars: &[char], start: usize) -> Option<(usize, usize)> {
    let number_end = number_at(chars, start)?;
    let unit = skip_spaces(chars, number_end);
    let word = UNITS
        .iter()
        .chain(CODES.iter())
        .find(|w| starts_with(chars, unit, w))?;
    Some((number_end, unit + word.chars().count()))
}

/// The order's own phone, wherever its digits appear (also grouped).
fn mask_known_phone(text: &str, phone: &str) -> String {
    let wanted: Vec<char> = phone
        .chars()
        .filter(|c| is_digit(*c))
        .map(ascii_digit)
        .collect();
    if wanted.len() < 5 {
        return text.to_string();
    }
    let chars: Vec<char> = text.chars().collect();
    let mut out = String::with_capacity(text.len());
    let mut i = 0;
    while i < chars.len() {
        let after_digit = i > 0 && is_digit(chars[i - 1]);
        if !after_digit {
            if let Some(end) = digits_match(&chars, i, &wanted) {
                out.push_str(&mask_phone(&wanted.iter().collect::<String>()));
                i = end;
                continue;
            }
        }
        out.push(chars[i]);
        i += 1;
    }
    out
}

/// Where `wanted` digits appear from `start`, single separators allowed between
/// them and no digit after.
fn digits_match(chars: &[char], start: usize, wanted: &[char]) -> Option<usize> {
    let mut i = start;
    for (n, want) in wanted.iter().enumerate() {
        if n > 0
            && chars.get(i).is_some_and(|c| is_separator(*c))
            && chars.get(i + 1).is_some_and(|c| is_digit(*c))
        {
            i += 1;
        }
        match chars.get(i) {
            Some(c) if is_digit(*c) && ascii_digit(*c) == *want => i += 1,
            _ => return None,
        }
    }
    (!chars.get(i).is_some_and(|c| is_digit(*c))).then_some(i)
}

/// The recipient's address line, and each of its parts, wherever they appear.
fn mask_known_address(text: &str, line: &str) -> String {
    let line = line.trim();
    if line.is_empty() {
        return text.to_string();
    }
    let mut parts: Vec<&str> = line
        .split(|c: char| c.is_whitespace() || ",，、;；。".contains(c))
        .filter(|p| {
            let n = p.chars().count();
            let digits_only = p.chars().all(is_digit);
            n >= 2 && !(digits_only && n < 3)
        })
        .collect();
    parts.push(line);
    parts.sort_by_key(|p| std::cmp::Reverse(p.chars().count()));
    parts.dedup();
    let mut out = text.to_string();
    for part in parts {
        if out.contains(part) {
            out = out.replace(part, MASK);
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::order::Address;
    use crate::model::{Lens, Role};

    fn recipient() -> Customer {
        Customer {
            name: "李娜".into(),
            phone: "13800138000".into(),
            address: Address {
                country: "CN".into(),
                province: "上海".into(),
                city: "上海".into(),
                line: "浦东新区世纪大道 100 号".into(),
            },
        }
    }

    fn masked(lens: Lens, recipient: Option<&Customer>, text: &str) -> String {
        let mut text = text.to_string();
        if let Some(mask) = lens.text_mask(recipient) {
            mask.apply(&mut text);
        }
        text
    }

    fn finance(text: &str) -> String {
        masked(Role::Finance.lens(), None, text)
    }

    #[test]
    fn mobile_numbers_are_masked_however_written() {
        for (text, expected) in [
            ("courier Zhao 13912345678", "courier Zhao 139****5678"),
            ("call 139 1234 5678 now", "call 139****5678 now"),
            ("call 139-1234-5678", "call 139****5678"),
            ("+86 13912345678", "139****5678"),
            ("+8613912345678.", "139****5678."),
            ("电话：１３９１２３４５６７８", "电话：139****5678"),
        ] {
            assert_eq!(finance(text), expected, "{text}");
        }
    }

    #[test]
    fn landlines_are_masked_keeping_the_area_code() {
        assert_eq!(finance("前台 021-62345678 转"), "前台 021-******78 转");
        assert_eq!(finance("(0755)2345678"), "0755-*****78");
        assert_eq!(finance("tel 010 8765 4321"), "tel 010-******21");
    }

    #[test]
    fn long_digit_runs_are_masked_short_ones_kept() {
        assert_eq!(finance("postcode 200120"), "postcode ****20");
        assert_eq!(
            finance("Bay 12, shelf 3, 2 boxes"),
            "Bay 12, shelf 3, 2 boxes"
        );
        // A run too long for a phone is not read from its middle.
        assert_eq!(finance("id 1101051949123100"), "id **************00");
    }

    #[test]
    fn the_recipients_known_address_and_phone_are_masked() {
        let r = recipient();
        let lens = Role::Finance.lens();
        assert_eq!(
            masked(lens, Some(&r), "已送达 浦东新区世纪大道 100 号 前台"),
            "已送达 ••• 前台"
        );
        assert_eq!(
            masked(lens, Some(&r), "放在世纪大道的快递柜"),
            "放在世纪大道的快递柜",
            "a fragment that is not a part of the line stays"
        );
        assert_eq!(masked(lens, Some(&r), "送至浦东新区世纪大道"), "送至•••");
        assert_eq!(
            masked(lens, Some(&r), "phone 138 0013 8000 unreachable"),
            "phone 138****8000 unreachable"
        );
    }

    #[test]
    fn amounts_are_masked_when_money_is_hidden() {
        let logistics = Role::Logistics.lens();
        let text = "not applied: a refund of ¥999999.99 exceeds what is refundable (¥685.00)";
        assert_eq!(
            masked(logistics, None, text),
            "not applied: a refund of ¥••• exceeds what is refundable (¥•••)"
        );
        assert_eq!(masked(logistics, None, "refund 30 元"), "refund ••• 元");
        assert_eq!(masked(logistics, None, "JPY 1500 back"), "JPY ••• back");
        assert_eq!(masked(logistics, None, "paid 1,200.50 CNY"), "paid ••• CNY");
        // Logistics sees contact details: a phone stays.
        assert_eq!(
            masked(logistics, None, "call 13912345678"),
            "call 13912345678"
        );
        // Finance sees money.
        assert_eq!(finance("refund ¥30.00"), "refund ¥30.00");
    }

    #[test]
    fn the_full_lens_masks_nothing() {
        assert!(Lens::FULL.text_mask(None).is_none());
    }

    #[test]
    fn free_text_fields_are_named_per_kind() {
        let mut scan: EventKind = EventKind::CarrierScan {
            waybill: "SF1234567890".into(),
            scan: crate::model::ScanKind::Exception,
            location: Some("浦东新区世纪大道 100 号".into()),
            detail: "收件人 13800138000 电话无人接听".into(),
        };
        let r = recipient();
        Role::Finance
            .lens()
            .text_mask(Some(&r))
            .unwrap()
            .event(&mut scan);
        let EventKind::CarrierScan {
            waybill,
            location,
            detail,
            ..
        } = scan
        else {
            unreachable!()
        };
        assert_eq!(waybill, "SF1234567890", "structured fields are kept");
        assert_eq!(location.as_deref(), Some(MASK));
        assert_eq!(detail, "收件人 138****8000 电话无人接听");
        assert!(!carries_free_text(
            &EventKind::<crate::model::Money>::OrderConfirmed
        ));
    }

    #[test]
    fn phones_are_masked_keeping_head_and_tail() {
        assert_eq!(mask_phone("13800138000"), "138****8000");
        assert_eq!(mask_phone("+1 415 555 0199"), "+1 ****0199");
        assert_eq!(mask_phone("12345"), "***45");
    }
}
