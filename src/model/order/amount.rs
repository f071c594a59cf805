//! What the lifecycle needs of an amount, so one `evolve` folds both the log
//! (every amount a [`Money`]) and a view of it through a lens (amounts that may
//! be withheld, see [`crate::model::access::Seen`]).
//!
//! Arithmetic on a withheld amount gives a withheld amount, never a number, and
//! checks that need the figures run only when they are known.

use crate::model::order::money::{Money, MoneyError};
use std::fmt;

/// An amount of money as some reader of an order has it.
pub trait Amount: Copy + PartialEq + fmt::Debug {
    /// The figure, when this reader may see it.
    fn known(&self) -> Option<Money>;

    /// Zero like this amount: in its currency, or withheld when it is.
    fn zero_like(&self) -> Self;

    /// `self + other`; withheld when either is.
    fn add(self, other: Self) -> Result<Self, MoneyError>;

    /// `self - other`; withheld when either is.
    fn sub(self, other: Self) -> Result<Self, MoneyError>;

    /// `self - other` clamped to the `i64` range (see [`Money::saturating_sub`]);
    /// withheld when either is.
    fn saturating_sub(self, other: Self) -> Self;

    /// Whether `self >= other` (false across currencies, like [`Money`]);
    /// `None` when either is withheld.
    fn at_least(&self, other: &Self) -> Option<bool> {
        let (a, b) = both(self, other)?;
        Some(a >= b)
    }
}

impl Amount for Money {
    fn known(&self) -> Option<Money> {
        Some(*self)
    }

    fn zero_like(&self) -> Self {
        Money::zero(self.currency)
    }

    fn add(self, other: Self) -> Result<Self, MoneyError> {
        self.checked_add(other)
    }

    fn sub(self, other: Self) -> Result<Self, MoneyError> {
        self.checked_sub(other)
    }

    fn saturating_sub(self, other: Self) -> Self {
        Money::saturating_sub(self, other)
    }
}

/// Both figures, when both are known.
pub fn both<A: Amount>(a: &A, b: &A) -> Option<(Money, Money)> {
    Some((a.known()?, b.known()?))
}
