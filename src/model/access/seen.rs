//! An amount (or any value) as a viewer's lens lets them see it: shown, or
//! withheld. Withheld is absent, not zero: it is sent as `null`, shown as
//! "Withheld", and any sum with a withheld part is withheld.
//!
//! The read models that reach a browser ([`SeenOrder`], [`SeenEvent`], and
//! `crate::model::views::query::SeenSummary`) carry their amounts as `Seen<Money>`; the log and the
//! store keep [`Money`]. The only way from one to the other is
//! [`crate::model::access::Lens`], and the server takes the lens from the
//! signed-in caller, never from the request. A server function or stream
//! cannot hand out a stored order or event: its type does not fit.
//!
//! `Shown(m)` serialises exactly as `m`, so an event seen through the full
//! lens has the very JSON the log stored (the live stream shares that JSON).

use crate::model::order::amount::Amount;
use crate::model::order::event::RecordedEvent;
use crate::model::order::money::{Money, MoneyError};
use crate::model::order::Order;
use serde::{Deserialize, Deserializer, Serialize, Serializer};

/// A value as a viewer may see it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Seen<T> {
    Shown(T),
    /// The viewer's role may not see it.
    Withheld,
}

/// An amount through a lens.
pub type SeenMoney = Seen<Money>;
/// An order through a lens.
pub type SeenOrder = Order<SeenMoney>;
/// An event of the log through a lens.
pub type SeenEvent = RecordedEvent<SeenMoney>;

impl<T> Seen<T> {
    /// The value, when shown.
    pub fn shown(&self) -> Option<&T> {
        match self {
            Seen::Shown(t) => Some(t),
            Seen::Withheld => None,
        }
    }

    pub fn is_withheld(&self) -> bool {
        matches!(self, Seen::Withheld)
    }

    pub fn map<U>(self, f: impl FnOnce(T) -> U) -> Seen<U> {
        match self {
            Seen::Shown(t) => Seen::Shown(f(t)),
            Seen::Withheld => Seen::Withheld,
        }
    }
}

impl<T: Serialize> Serialize for Seen<T> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        match self {
            Seen::Shown(t) => t.serialize(s),
            Seen::Withheld => s.serialize_none(),
        }
    }
}

impl<'de, T: Deserialize<'de>> Deserialize<'de> for Seen<T> {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        Ok(match Option::<T>::deserialize(d)? {
            Some(t) => Seen::Shown(t),
            None => Seen::Withheld,
        })
    }
}

impl Amount for Seen<Money> {
    fn known(&self) -> Option<Money> {
        self.shown().copied()
    }

    fn zero_like(&self) -> Self {
        self.map(|m| m.zero_like())
    }

    fn add(self, other: Self) -> Result<Self, MoneyError> {
        match (self, other) {
            (Seen::Shown(a), Seen::Shown(b)) => a.checked_add(b).map(Seen::Shown),
            _ => Ok(Seen::Withheld),
        }
    }

    fn sub(self, other: Self) -> Result<Self, MoneyError> {
        match (self, other) {
            (Seen::Shown(a), Seen::Shown(b)) => a.checked_sub(b).map(Seen::Shown),
            _ => Ok(Seen::Withheld),
        }
    }

    fn saturating_sub(self, other: Self) -> Self {
        match (self, other) {
            (Seen::Shown(a), Seen::Shown(b)) => Seen::Shown(Money::saturating_sub(a, b)),
            _ => Seen::Withheld,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::order::money::Currency;

    fn cny(minor: i64) -> SeenMoney {
        Seen::Shown(Money::new(minor, Currency::CNY))
    }

    #[test]
    fn a_sum_with_a_withheld_part_is_withheld() {
        assert_eq!(cny(100).add(Seen::Withheld), Ok(Seen::Withheld));
        assert_eq!(Seen::Withheld.add(cny(100)), Ok(Seen::Withheld));
        assert_eq!(Seen::<Money>::Withheld.sub(cny(1)), Ok(Seen::Withheld));
        assert_eq!(cny(5).saturating_sub(Seen::Withheld), Seen::Withheld);
        assert_eq!(Seen::<Money>::Withheld.zero_like(), Seen::Withheld);
        assert_eq!(Seen::<Money>::Withheld.known(), None);
        assert_eq!(cny(1).at_least(&Seen::Withheld), None);
    }

    #[test]
    fn shown_amounts_add_up_like_money() {
        assert_eq!(cny(100).add(cny(28)), Ok(cny(128)));
        assert_eq!(cny(100).sub(cny(28)), Ok(cny(72)));
        assert_eq!(cny(0).zero_like(), cny(0));
        assert_eq!(cny(2).at_least(&cny(1)), Some(true));
        assert_eq!(
            cny(i64::MAX).add(cny(1)),
            Err(MoneyError::Overflow),
            "overflow is refused as for money"
        );
        let usd = Seen::Shown(Money::new(1, Currency::USD));
        assert!(matches!(
            cny(1).add(usd),
            Err(MoneyError::CurrencyMismatch(..))
        ));
    }

    #[test]
    fn shown_is_the_amount_itself_and_withheld_is_null() {
        let m = Money::new(12800, Currency::CNY);
        assert_eq!(
            serde_json::to_string(&Seen::Shown(m)).unwrap(),
            serde_json::to_string(&m).unwrap()
        );
        assert_eq!(serde_json::to_string(&SeenMoney::Withheld).unwrap(), "null");
        let back: SeenMoney = serde_json::from_str(r#"{"minor":12800,"currency":"CNY"}"#).unwrap();
        assert_eq!(back, Seen::Shown(m));
        let back: SeenMoney = serde_json::from_str("null").unwrap();
        assert_eq!(back, Seen::Withheld);
    }
}
