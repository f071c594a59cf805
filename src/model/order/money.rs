//! Money as integer minor units with an ISO 4217 currency; never floating point.

use serde::{Deserialize, Serialize};
use std::fmt;

/// Why an amount or currency is invalid.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum MoneyError {
    #[error("currency code must be three upper-case letters, got {0:?}")]
    BadCurrency(String),
    #[error("cannot combine {0} with {1}")]
    CurrencyMismatch(Currency, Currency),
    #[error("amount overflows")]
    Overflow,
}

/// An ISO 4217 currency code, e.g. `CNY`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct Currency([u8; 3]);

impl Currency {
    pub const CNY: Currency = Currency(*b"CNY");
    pub const USD: Currency = Currency(*b"USD");

    pub fn parse(code: &str) -> Result<Self, MoneyError> {
        let bytes = code.as_bytes();
        if bytes.len() == 3 && bytes.iter().all(u8::is_ascii_uppercase) {
            Ok(Currency([bytes[0], bytes[1], bytes[2]]))
        } else {
            Err(MoneyError::BadCurrency(code.to_string()))
        }
    }

    pub fn code(&self) -> &str {
        // Only ASCII upper-case letters are ever stored.
        std::str::from_utf8(&self.0).unwrap_or("???")
    }

    /// Digits after the decimal point (ISO 4217 minor unit).
    pub fn exponent(&self) -> u32 {
        match self.code() {
            "JPY" | "KRW" | "VND" | "CLP" | "ISK" => 0,
            "BHD" | "KWD" | "OMR" | "JOD" | "TND" => 3,
            _ => 2,
        }
    }

    fn symbol(&self) -> Option<&'static str> {
        match self.code() {
            "CNY" => Some("¥"),
            "USD" => Some("$"),
            "EUR" => Some("€"),
            "GBP" => Some("£"),
            _ => None,
        }
    }
}

impl TryFrom<String> for Currency {
    type Error = MoneyError;
    fn try_from(value: String) -> Result<Self, MoneyError> {
        Currency::parse(&value)
    }
}

impl From<Currency> for String {
    fn from(c: Currency) -> String {
        c.code().to_string()
    }
}

impl fmt::Display for Currency {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.code())
    }
}

/// An amount in minor units (fen, cents) of one currency.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct Money {
    pub minor: i64,
    pub currency: Currency,
}

impl Money {
    pub fn new(minor: i64, currency: Currency) -> Self {
        Money { minor, currency }
    }

    pub fn zero(currency: Currency) -> Self {
        Money { minor: 0, currency }
    }

    pub fn checked_add(self, other: Money) -> Result<Money, MoneyError> {
        if self.currency != other.currency {
            return Err(MoneyError::CurrencyMismatch(self.currency, other.currency));
        }
        let minor = self
            .minor
            .checked_add(other.minor)
            .ok_or(MoneyError::Overflow)?;
        Ok(Money::new(minor, self.currency))
    }

    pub fn checked_sub(self, other: Money) -> Result<Money, MoneyError> {
        self.checked_add(Money::new(
            other.minor.checked_neg().ok_or(MoneyError::Overflow)?,
            other.currency,
        ))
    }

    /// The price of `quantity` items at this unit price (a line item's total).
    pub fn checked_mul(self, quantity: u32) -> Result<Money, MoneyError> {
        let minor = self
            .minor
            .checked_mul(i64::from(quantity))
            .ok_or(MoneyError::Overflow)?;
        Ok(Money::new(minor, self.currency))
    }

    /// This amount split into `parts` equal shares, rounded toward zero.
    pub fn checked_div(self, parts: i64) -> Result<Money, MoneyError> {
        let minor = self.minor.checked_div(parts).ok_or(MoneyError::Overflow)?;
        Ok(Money::new(minor, self.currency))
    }

    /// The sum of `amounts` in `currency`; mixed currencies or overflow refuse.
    pub fn checked_sum(
        currency: Currency,
        amounts: impl IntoIterator<Item = Money>,
    ) -> Result<Money, MoneyError> {
        amounts
            .into_iter()
            .try_fold(Money::zero(currency), Money::checked_add)
    }

    /// `self + other` clamped to the `i64` range, for running tallies that must
    /// never fail (a display or a simulator's shadow state); the currency is
    /// `self`'s. Anything that decides about money uses [`Money::checked_add`].
    pub fn saturating_add(self, other: Money) -> Money {
        Money::new(self.minor.saturating_add(other.minor), self.currency)
    }

    /// `self - other` clamped to the `i64` range; see [`Money::saturating_add`].
    pub fn saturating_sub(self, other: Money) -> Money {
        Money::new(self.minor.saturating_sub(other.minor), self.currency)
    }

    pub fn is_positive(&self) -> bool {
        self.minor > 0
    }

    pub fn is_negative(&self) -> bool {
        self.minor < 0
    }

    pub fn is_zero(&self) -> bool {
        self.minor == 0
    }
}

/// Amounts compare only within one currency: across currencies every
/// comparison (`<`, `>=`, …) is false, so check the currency first.
impl PartialOrd for Money {
    fn partial_cmp(&self, other: &Money) -> Option<std::cmp::Ordering> {
        (self.currency == other.currency).then(|| self.minor.cmp(&other.minor))
    }
}

impl fmt::Display for Money {
    /// `¥128.00`, `$-3.50`, `KWD 1.250`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let exp = self.currency.exponent();
        let sign = if self.minor < 0 { "-" } else { "" };
        let abs = self.minor.unsigned_abs();
        let unit = 10u64.pow(exp);
        let body = if exp == 0 {
            abs.to_string()
        } else {
            format!(
                "{}.{:0width$}",
                abs / unit,
                abs % unit,
                width = exp as usize
            )
        };
        match self.currency.symbol() {
            Some(symbol) => write!(f, "{sign}{symbol}{body}"),
            None => write!(f, "{sign}{} {body}", self.currency),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formats_by_currency_exponent() {
        assert_eq!(Money::new(12800, Currency::CNY).to_string(), "¥128.00");
        assert_eq!(Money::new(-350, Currency::USD).to_string(), "-$3.50");
        assert_eq!(
            Money::new(1500, Currency::parse("JPY").unwrap()).to_string(),
            "JPY 1500"
        );
        assert_eq!(
            Money::new(1250, Currency::parse("KWD").unwrap()).to_string(),
            "KWD 1.250"
        );
    }

    #[test]
    fn refuses_mixed_currencies_and_bad_codes() {
        let a = Money::new(1, Currency::CNY);
        let b = Money::new(1, Currency::USD);
        assert!(matches!(
            a.checked_add(b),
            Err(MoneyError::CurrencyMismatch(..))
        ));
        assert!(Currency::parse("cny").is_err());
        assert!(serde_json::from_str::<Currency>("\"EURO\"").is_err());
        assert_eq!(
            Money::new(i64::MAX, Currency::CNY).checked_add(a),
            Err(MoneyError::Overflow)
        );
    }

    #[test]
    fn line_totals_and_sums_refuse_overflow_instead_of_panicking() {
        let price = Money::new(i64::MAX / 2, Currency::CNY);
        assert_eq!(price.checked_mul(3), Err(MoneyError::Overflow));
        assert_eq!(
            Money::new(250, Currency::CNY).checked_mul(4),
            Ok(Money::new(1000, Currency::CNY))
        );
        assert_eq!(
            Money::checked_sum(Currency::CNY, [price, price, price]),
            Err(MoneyError::Overflow)
        );
        assert_eq!(
            Money::new(i64::MIN, Currency::CNY).checked_div(-1),
            Err(MoneyError::Overflow)
        );
        assert_eq!(
            Money::new(i64::MAX, Currency::CNY).saturating_add(price),
            Money::new(i64::MAX, Currency::CNY)
        );
    }

    #[test]
    fn amounts_compare_only_within_one_currency() {
        let (a, b) = (Money::new(1, Currency::CNY), Money::new(2, Currency::CNY));
        assert!(a < b && b >= a);
        let usd = Money::new(5, Currency::USD);
        assert_eq!(a.partial_cmp(&usd), None);
    }
}
