//! Why a stock file (CSV: `warehouse,sku,quantity`) was refused as a whole,
//! naming the line of the file it is about; data, so the browser words it in
//! the reader's language. Nothing of a refused file is written.

use super::stock::StockError;
use serde::{Deserialize, Serialize};

/// What is wrong with a stock file.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, thiserror::Error)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum StockFileProblem {
    #[error("the file is empty; it needs a header line: warehouse,sku,quantity")]
    Empty,
    #[error("line {line}: the file is not UTF-8 text")]
    NotUtf8 { line: u64 },
    #[error("line 1: the header has no {column:?} column (it needs warehouse,sku,quantity)")]
    MissingColumn { column: String },
    #[error("line {line}: not readable as CSV")]
    Unreadable { line: u64 },
    #[error("line {line}: {error}")]
    Line { line: u64, error: StockError },
    #[error("line {line}: {sku} in {warehouse} is already on line {first}")]
    Repeated {
        line: u64,
        first: u64,
        warehouse: String,
        sku: String,
    },
    #[error("the file has a header and no stock lines")]
    NoLines,
    #[error("line {line}: there is no warehouse {name:?} (add it first)")]
    UnknownWarehouse { line: u64, name: String },
}

/// What became of an import that reached the store.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum StockImport {
    /// Every line written.
    Imported { lines: u64 },
    /// Nothing written, for this reason.
    Refused { problem: StockFileProblem },
}
