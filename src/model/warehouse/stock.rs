//! One line of stock: how many units of a SKU a warehouse holds, as the
//! warehouse's WMS or a CSV import says. Made only by [`StockLine::parse`].

use serde::{Deserialize, Serialize};

/// The longest SKU kept, in characters.
pub const MAX_SKU: usize = 64;

/// Units of one SKU in one warehouse.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct StockLine {
    pub warehouse: String,
    pub sku: String,
    pub quantity: u64,
}

/// Why a line is not stock.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, thiserror::Error)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum StockError {
    #[error("the warehouse is missing")]
    WarehouseMissing,
    #[error("the SKU is missing")]
    SkuMissing,
    #[error("the SKU {sku:?} is longer than {MAX_SKU} characters or has spaces")]
    BadSku { sku: String },
    #[error("the quantity {quantity:?} is not a whole number of units, 0 or more")]
    BadQuantity { quantity: String },
}

impl StockLine {
    /// The line from its three fields as written (trimmed; the quantity a
    /// whole number, `1,200` allowed).
    pub fn parse(warehouse: &str, sku: &str, quantity: &str) -> Result<StockLine, StockError> {
        let warehouse = warehouse.trim();
        if warehouse.is_empty() {
            return Err(StockError::WarehouseMissing);
        }
        let sku = sku.trim();
        if sku.is_empty() {
            return Err(StockError::SkuMissing);
        }
        if sku.chars().count() > MAX_SKU || sku.chars().any(|c| c.is_whitespace() || c.is_control())
        {
            return Err(StockError::BadSku {
                sku: sku.to_string(),
            });
        }
        let digits: String = quantity.trim().chars().filter(|c| *c != ',').collect();
        let quantity = match digits.parse::<u64>() {
            Ok(n) if !digits.starts_with('+') => n,
            _ => {
                return Err(StockError::BadQuantity {
                    quantity: quantity.trim().to_string(),
                })
            }
        };
        Ok(StockLine {
            warehouse: warehouse.to_string(),
            sku: sku.to_string(),
            quantity,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_line_parses_trimmed() {
        assert_eq!(
            StockLine::parse(" Chengdu Shuangliu DC", " TEA-LJ-250 ", "1,200 "),
            Ok(StockLine {
                warehouse: "Chengdu Shuangliu DC".into(),
                sku: "TEA-LJ-250".into(),
                quantity: 1200,
            })
        );
        assert_eq!(StockLine::parse("W", "S", "0").unwrap().quantity, 0);
    }

    #[test]
    fn a_bad_line_says_which_field() {
        assert_eq!(
            StockLine::parse("", "S", "1"),
            Err(StockError::WarehouseMissing)
        );
        assert_eq!(StockLine::parse("W", " ", "1"), Err(StockError::SkuMissing));
        assert_eq!(
            StockLine::parse("W", "A B", "1"),
            Err(StockError::BadSku { sku: "A B".into() })
        );
        for bad in ["-3", "2.5", "", "many", "+4"] {
            assert_eq!(
                StockLine::parse("W", "S", bad),
                Err(StockError::BadQuantity {
                    quantity: bad.into()
                }),
                "{bad:?}"
            );
        }
    }
}
