//! A warehouse: its name (the id, the same string `warehouse_allocated`
//! events carry, e.g. "Shanghai Jiading DC"), the province it ships from, how
//! many orders it can ship a day, and the carriers that collect there.
//! Made only by parsing a [`WarehouseDraft`], so a warehouse in hand is valid.

use serde::{Deserialize, Serialize};

/// The longest name, province or carrier name kept, in characters.
pub const MAX_TEXT: usize = 80;
/// The most carriers one warehouse lists.
pub const MAX_CARRIERS: usize = 16;

/// A warehouse as the store keeps it and the board shows it.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct Warehouse {
    /// Its id: exactly as allocation events name it.
    pub name: String,
    /// The province it ships from (`上海`, `广东`, …).
    pub province: String,
    /// Orders it can ship in a day; at least 1.
    pub daily_capacity: u64,
    /// Carriers that collect there, in the admin's order, without repeats.
    pub carriers: Vec<String>,
}

/// What an admin sends to add or change a warehouse, as typed.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct WarehouseDraft {
    pub name: String,
    pub province: String,
    pub daily_capacity: u64,
    /// Carrier names, comma-separated (`,` or `，`) or one per entry.
    pub carriers: Vec<String>,
}

/// Why a draft is not a warehouse.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, thiserror::Error)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum WarehouseError {
    #[error("the warehouse needs a name")]
    NameMissing,
    #[error("the province is missing")]
    ProvinceMissing,
    #[error("{field} is longer than {MAX_TEXT} characters")]
    TooLong { field: String },
    #[error("the daily capacity must be at least 1 order")]
    NoCapacity,
    #[error("at most {MAX_CARRIERS} carriers")]
    TooManyCarriers,
}

/// `text` trimmed, or why not: empty is `missing`, too long names `field`.
fn text(value: &str, field: &str, missing: WarehouseError) -> Result<String, WarehouseError> {
    let value = value.trim();
    if value.is_empty() {
        return Err(missing);
    }
    if value.chars().count() > MAX_TEXT || value.chars().any(char::is_control) {
        return Err(WarehouseError::TooLong {
            field: field.to_string(),
        });
    }
    Ok(value.to_string())
}

impl WarehouseDraft {
    /// The warehouse the draft describes, or the first thing wrong with it.
    pub fn parse(&self) -> Result<Warehouse, WarehouseError> {
        let name = text(&self.name, "name", WarehouseError::NameMissing)?;
        let province = text(&self.province, "province", WarehouseError::ProvinceMissing)?;
        if self.daily_capacity == 0 {
            return Err(WarehouseError::NoCapacity);
        }
        let mut carriers: Vec<String> = Vec::new();
        for entry in &self.carriers {
            for carrier in entry.split([',', '，']).map(str::trim) {
                if carrier.is_empty() || carriers.iter().any(|c| c == carrier) {
                    continue;
                }
                if carrier.chars().count() > MAX_TEXT {
                    return Err(WarehouseError::TooLong {
                        field: "carrier".into(),
                    });
                }
                carriers.push(carrier.to_string());
            }
        }
        if carriers.len() > MAX_CARRIERS {
            return Err(WarehouseError::TooManyCarriers);
        }
        Ok(Warehouse {
            name,
            province,
            daily_capacity: self.daily_capacity,
            carriers,
        })
    }
}

impl From<&Warehouse> for WarehouseDraft {
    fn from(w: &Warehouse) -> Self {
        WarehouseDraft {
            name: w.name.clone(),
            province: w.province.clone(),
            daily_capacity: w.daily_capacity,
            carriers: w.carriers.clone(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn draft() -> WarehouseDraft {
        WarehouseDraft {
            name: "  Shanghai Jiading DC ".into(),
            province: "上海".into(),
            daily_capacity: 1200,
            carriers: vec![
                "SF Express, YTO Express".into(),
                "ZTO Express，SF Express".into(),
            ],
        }
    }

    #[test]
    fn a_draft_parses_trimmed_with_carriers_split_and_unrepeated() {
        let w = draft().parse().unwrap();
        assert_eq!(w.name, "Shanghai Jiading DC");
        assert_eq!(w.province, "上海");
        assert_eq!(w.daily_capacity, 1200);
        assert_eq!(w.carriers, ["SF Express", "YTO Express", "ZTO Express"]);
        assert_eq!(WarehouseDraft::from(&w).parse(), Ok(w));
    }

    #[test]
    fn what_is_not_a_warehouse_says_why() {
        let with = |f: fn(&mut WarehouseDraft)| {
            let mut d = draft();
            f(&mut d);
            d.parse()
        };
        assert_eq!(
            with(|d| d.name = " ".into()),
            Err(WarehouseError::NameMissing)
        );
        assert_eq!(
            with(|d| d.province.clear()),
            Err(WarehouseError::ProvinceMissing)
        );
        assert_eq!(
            with(|d| d.daily_capacity = 0),
            Err(WarehouseError::NoCapacity)
        );
        assert_eq!(
            with(|d| d.name = "仓".repeat(MAX_TEXT + 1)),
            Err(WarehouseError::TooLong {
                field: "name".into()
            })
        );
        assert_eq!(
            with(|d| d.name = "a\nb".into()),
            Err(WarehouseError::TooLong {
                field: "name".into()
            })
        );
        assert_eq!(
            with(|d| d.carriers = (0..=MAX_CARRIERS).map(|i| format!("C{i}")).collect()),
            Err(WarehouseError::TooManyCarriers)
        );
        assert!(
            with(|d| d.carriers.clear()).is_ok(),
            "carriers may be added later"
        );
    }
}
