//! Importing stock: the file read as CSV ([`parse_stock_csv`]), every line's
//! warehouse checked against the warehouses kept, then all lines written in
//! one transaction — or, at the first bad line, nothing.

use super::stock_csv::parse_stock_csv;
use crate::model::warehouse::{StockFileProblem, StockImport};
use crate::server::store::{StoreError, Warehouses};
use chrono::Utc;

/// Imports the stock in `csv`: how many lines were written, or why none was.
pub async fn import_stock(warehouses: &Warehouses, csv: &[u8]) -> Result<StockImport, StoreError> {
    let lines = match parse_stock_csv(csv) {
        Ok(lines) => lines,
        Err(problem) => return Ok(StockImport::Refused { problem }),
    };
    let known = warehouses.warehouses().await?;
    if let Some((line, stock)) = lines
        .iter()
        .find(|(_, l)| !known.iter().any(|w| w.name == l.warehouse))
    {
        let problem = StockFileProblem::UnknownWarehouse {
            line: *line,
            name: stock.warehouse.clone(),
        };
        return Ok(StockImport::Refused { problem });
    }
    let count = lines.len() as u64;
    warehouses
        .import_stock(lines.into_iter().map(|(_, l)| l).collect(), Utc::now())
        .await?;
    Ok(StockImport::Imported { lines: count })
}
