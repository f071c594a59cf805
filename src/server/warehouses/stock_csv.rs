//! Stock as CSV: a header naming `warehouse`, `sku` and `quantity` (in any
//! order, any case; other columns are ignored), then one line per SKU. UTF-8,
//! with or without a byte-order mark (as Excel saves it). The first line that
//! is not stock fails the whole file, naming its line number in the file.

use crate::model::warehouse::{StockFileProblem, StockLine};
use std::collections::HashMap;

const BOM: &[u8] = b"\xEF\xBB\xBF";
const COLUMNS: [&str; 3] = ["warehouse", "sku", "quantity"];

/// The stock lines of a CSV file, each with its line number in the file.
pub fn parse_stock_csv(bytes: &[u8]) -> Result<Vec<(u64, StockLine)>, StockFileProblem> {
    let bytes = bytes.strip_prefix(BOM).unwrap_or(bytes);
    if let Err(e) = std::str::from_utf8(bytes) {
        let line = bytes[..e.valid_up_to()]
            .iter()
            .filter(|b| **b == b'\n')
            .count() as u64
            + 1;
        return Err(StockFileProblem::NotUtf8 { line });
    }
    if bytes.iter().all(u8::is_ascii_whitespace) {
        return Err(StockFileProblem::Empty);
    }
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(true)
        .flexible(true)
        .trim(csv::Trim::All)
        .from_reader(bytes);
    // The line of the file a record starting at a byte offset begins on:
    // csv's own count (and offset) stop at the `\r` of a CRLF, so line ends
    // and blank lines before the record are skipped first.
    let line_at = |byte: u64| {
        let mut at = usize::try_from(byte).unwrap_or(usize::MAX).min(bytes.len());
        while at < bytes.len() && matches!(bytes[at], b'\r' | b'\n') {
            at += 1;
        }
        bytes[..at].iter().filter(|b| **b == b'\n').count() as u64 + 1
    };
    let unreadable = |e: csv::Error| StockFileProblem::Unreadable {
        line: e.position().map_or(1, |p| line_at(p.byte())),
    };
    let header = reader.headers().map_err(unreadable)?.clone();
    let mut at = [0usize; 3];
    for (slot, column) in at.iter_mut().zip(COLUMNS) {
        *slot = header
            .iter()
            .position(|h| h.eq_ignore_ascii_case(column))
            .ok_or_else(|| StockFileProblem::MissingColumn {
                column: column.to_string(),
            })?;
    }
    let mut lines = Vec::new();
    let mut seen: HashMap<(String, String), u64> = HashMap::new();
    for record in reader.records() {
        let record = record.map_err(unreadable)?;
        let line = record.position().map_or(0, |p| line_at(p.byte()));
        if record.iter().all(str::is_empty) {
            continue;
        }
        let field = |i: usize| record.get(at[i]).unwrap_or("");
        let stock = StockLine::parse(field(0), field(1), field(2))
            .map_err(|error| StockFileProblem::Line { line, error })?;
        let key = (stock.warehouse.clone(), stock.sku.clone());
        if let Some(&first) = seen.get(&key) {
            return Err(StockFileProblem::Repeated {
                line,
                first,
                warehouse: stock.warehouse,
                sku: stock.sku,
            });
        }
        seen.insert(key, line);
        lines.push((line, stock));
    }
    if lines.is_empty() {
        return Err(StockFileProblem::NoLines);
    }
    Ok(lines)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::warehouse::StockError;

    fn skus(lines: &[(u64, StockLine)]) -> Vec<(u64, &str, u64)> {
        lines
            .iter()
            .map(|(n, l)| (*n, l.sku.as_str(), l.quantity))
            .collect()
    }

    #[test]
    fn a_file_with_or_without_a_bom_reads_the_same() {
        let text = "warehouse,sku,quantity\r\nShanghai Jiading DC,SER-ROSE-30,120\r\n\r\n成都双流仓, TEA-LJ-250 ,\"1,200\"\r\n";
        let plain = parse_stock_csv(text.as_bytes()).unwrap();
        let with_bom = parse_stock_csv(&[BOM, text.as_bytes()].concat()).unwrap();
        assert_eq!(plain, with_bom);
        assert_eq!(
            skus(&plain),
            [(2, "SER-ROSE-30", 120), (4, "TEA-LJ-250", 1200)]
        );
        assert_eq!(plain[1].1.warehouse, "成都双流仓");
    }

    #[test]
    fn columns_are_found_by_name() {
        let text = "SKU,Quantity,note,Warehouse\nLIP-VEL-12,7,x,Guangzhou Baiyun DC\n";
        let lines = parse_stock_csv(text.as_bytes()).unwrap();
        assert_eq!(lines[0].1.warehouse, "Guangzhou Baiyun DC");
        assert_eq!(lines[0].1.quantity, 7);
    }

    #[test]
    fn a_bad_line_is_named_by_its_line_in_the_file() {
        let text = "warehouse,sku,quantity\nA,S1,1\nA,S2,-4\n";
        let err = parse_stock_csv(text.as_bytes()).unwrap_err();
        assert_eq!(
            err,
            StockFileProblem::Line {
                line: 3,
                error: StockError::BadQuantity {
                    quantity: "-4".into()
                }
            }
        );
        assert!(err.to_string().starts_with("line 3: "), "{err}");
        let repeated = "warehouse,sku,quantity\nA,S1,1\nB,S1,2\nA,S1,3\n";
        assert!(matches!(
            parse_stock_csv(repeated.as_bytes()),
            Err(StockFileProblem::Repeated {
                line: 4,
                first: 2,
                ..
            })
        ));
        let short = "warehouse,sku,quantity\nA,S1\n";
        assert!(matches!(
            parse_stock_csv(short.as_bytes()),
            Err(StockFileProblem::Line {
                line: 2,
                error: StockError::BadQuantity { .. }
            })
        ));
    }

    #[test]
    fn what_is_not_a_stock_file_says_why() {
        assert_eq!(parse_stock_csv(b""), Err(StockFileProblem::Empty));
        assert_eq!(parse_stock_csv(BOM), Err(StockFileProblem::Empty));
        assert_eq!(
            parse_stock_csv(b"warehouse,item,quantity\nA,S,1\n"),
            Err(StockFileProblem::MissingColumn {
                column: "sku".into()
            })
        );
        assert_eq!(
            parse_stock_csv(b"warehouse,sku,quantity\n"),
            Err(StockFileProblem::NoLines)
        );
        assert_eq!(
            parse_stock_csv(b"warehouse,sku,quantity\nA,S,1\nA,\xff,2\n"),
            Err(StockFileProblem::NotUtf8 { line: 3 })
        );
    }
}
