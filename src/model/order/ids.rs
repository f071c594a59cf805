//! Identifiers of the domain. Each is parsed once at the edge and is valid from then on.

use serde::{Deserialize, Serialize};
use std::fmt;

/// Why a string is not a valid identifier.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum IdError {
    #[error("{kind} is empty")]
    Empty { kind: &'static str },
    #[error("{kind} is longer than {max} characters")]
    TooLong { kind: &'static str, max: usize },
    #[error("{kind} may only contain letters, digits, '-' and '_'")]
    BadCharacter { kind: &'static str },
}

fn check(kind: &'static str, max: usize, value: &str) -> Result<(), IdError> {
    if value.is_empty() {
        return Err(IdError::Empty { kind });
    }
    if value.chars().count() > max {
        return Err(IdError::TooLong { kind, max });
    }
    if !value
        .chars()
        .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_')
    {
        return Err(IdError::BadCharacter { kind });
    }
    Ok(())
}

macro_rules! identifier {
    ($(#[$doc:meta])* $name:ident, $kind:literal, $max:literal) => {
        $(#[$doc])*
        #[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
        #[serde(try_from = "String", into = "String")]
        pub struct $name(String);

        impl $name {
            /// Parses a raw identifier.
            pub fn parse(value: impl Into<String>) -> Result<Self, IdError> {
                let value = value.into();
                check($kind, $max, &value)?;
                Ok(Self(value))
            }

            pub fn as_str(&self) -> &str {
                &self.0
            }
        }

        impl TryFrom<String> for $name {
            type Error = IdError;
            fn try_from(value: String) -> Result<Self, IdError> {
                Self::parse(value)
            }
        }

        impl From<$name> for String {
            fn from(id: $name) -> String {
                id.0
            }
        }

        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str(&self.0)
            }
        }
    };
}

identifier!(
    /// Our own stable order id, separate from any channel's order id.
    OrderId, "order id", 64
);
identifier!(
    /// A parcel of an order (one box with one waybill).
    ParcelId, "parcel id", 32
);
identifier!(
    /// A line of an order that ships as its own thing (main item, gift, gift box).
    ComponentId, "component id", 32
);
identifier!(
    /// A request the control room made of a warehouse or carrier (a re-label,
    /// a redirect, an intercept), unique within its order (`RQ-1`).
    RequestId, "request id", 32
);

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn order_id_accepts_plain_ids_and_refuses_others() {
        assert!(OrderId::parse("CR-7K3QF2XM").is_ok());
        assert_eq!(OrderId::parse(""), Err(IdError::Empty { kind: "order id" }));
        assert!(matches!(
            OrderId::parse("a b"),
            Err(IdError::BadCharacter { .. })
        ));
        assert!(matches!(
            OrderId::parse("x".repeat(65)),
            Err(IdError::TooLong { .. })
        ));
    }

    #[test]
    fn ids_refuse_invalid_values_when_deserialised() {
        let bad: Result<OrderId, _> = serde_json::from_str("\"../etc\"");
        assert!(bad.is_err());
        let good: OrderId = serde_json::from_str("\"CR-1\"").unwrap();
        assert_eq!(good.as_str(), "CR-1");
    }
}
