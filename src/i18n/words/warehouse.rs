//! Warehouses in words: how loaded one is (`超出产能` / `Over capacity`,
//! never colour alone), why a warehouse form or a stock file was refused.

use crate::i18n::*;
use crate::model::views::warehouse_load::LoadLevel;
use crate::model::warehouse::{StockError, StockFileProblem, WarehouseError};

/// How loaded a warehouse is.
pub fn load_level(locale: Locale, level: LoadLevel) -> &'static str {
    match level {
        LoadLevel::Normal => td_string!(locale, logistics.warehouses.level.normal),
        LoadLevel::NearCapacity => td_string!(locale, logistics.warehouses.level.near_capacity),
        LoadLevel::OverCapacity => td_string!(locale, logistics.warehouses.level.over_capacity),
    }
}

/// Why a warehouse draft is not a warehouse.
pub fn warehouse_error(locale: Locale, error: &WarehouseError) -> &'static str {
    match error {
        WarehouseError::NameMissing => td_string!(locale, logistics.warehouses.form.name_missing),
        WarehouseError::ProvinceMissing => {
            td_string!(locale, logistics.warehouses.form.province_missing)
        }
        WarehouseError::TooLong { .. } => td_string!(locale, logistics.warehouses.form.too_long),
        WarehouseError::NoCapacity => td_string!(locale, logistics.warehouses.form.no_capacity),
        WarehouseError::TooManyCarriers => {
            td_string!(locale, logistics.warehouses.form.too_many_carriers)
        }
    }
}

/// Why one stock line is not stock (a clause, inside a line's sentence).
pub fn stock_error(locale: Locale, error: &StockError) -> String {
    match error {
        StockError::WarehouseMissing => td_string!(
            locale,
            logistics.warehouses.import.problem.warehouse_missing
        )
        .to_string(),
        StockError::SkuMissing => {
            td_string!(locale, logistics.warehouses.import.problem.sku_missing).to_string()
        }
        StockError::BadSku { sku } => td_string!(
            locale,
            logistics.warehouses.import.problem.bad_sku,
            sku = sku
        )
        .to_string(),
        StockError::BadQuantity { quantity } => td_string!(
            locale,
            logistics.warehouses.import.problem.bad_quantity,
            quantity = quantity
        )
        .to_string(),
    }
}

/// Why a stock file was refused, naming its line.
pub fn stock_problem(locale: Locale, problem: &StockFileProblem) -> String {
    match problem {
        StockFileProblem::Empty => {
            td_string!(locale, logistics.warehouses.import.problem.empty).to_string()
        }
        StockFileProblem::NotUtf8 { line } => td_string!(
            locale,
            logistics.warehouses.import.problem.not_utf8,
            line = line
        )
        .to_string(),
        StockFileProblem::MissingColumn { column } => td_string!(
            locale,
            logistics.warehouses.import.problem.missing_column,
            column = column
        )
        .to_string(),
        StockFileProblem::Unreadable { line } => td_string!(
            locale,
            logistics.warehouses.import.problem.unreadable,
            line = line
        )
        .to_string(),
        StockFileProblem::Line { line, error } => td_string!(
            locale,
            logistics.warehouses.import.problem.line,
            line = line,
            why = stock_error(locale, error)
        )
        .to_string(),
        StockFileProblem::Repeated {
            line,
            first,
            warehouse,
            sku,
        } => td_string!(
            locale,
            logistics.warehouses.import.problem.repeated,
            line = line,
            first = first,
            warehouse = warehouse,
            sku = sku
        )
        .to_string(),
        StockFileProblem::NoLines => {
            td_string!(locale, logistics.warehouses.import.problem.no_lines).to_string()
        }
        StockFileProblem::UnknownWarehouse { line, name } => td_string!(
            locale,
            logistics.warehouses.import.problem.unknown_warehouse,
            line = line,
            name = name
        )
        .to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn over_capacity_reads_in_both_languages() {
        assert_eq!(
            load_level(Locale::zh_CN, LoadLevel::OverCapacity),
            "超出产能"
        );
        assert_eq!(
            load_level(Locale::en, LoadLevel::OverCapacity),
            "Over capacity"
        );
    }

    #[test]
    fn a_refused_file_names_its_line() {
        let problem = StockFileProblem::Line {
            line: 3,
            error: StockError::BadQuantity {
                quantity: "-4".into(),
            },
        };
        assert_eq!(
            stock_problem(Locale::zh_CN, &problem),
            "第 3 行：数量“-4”不是 0 或以上的整数件数。"
        );
        assert_eq!(
            stock_problem(Locale::en, &problem),
            "Line 3: the quantity “-4” is not a whole number of units, 0 or more."
        );
    }
}
