//! What an order export holds, in the reader's language: the header and one
//! row per order, written as CSV (the `csv` crate) in UTF-8 with a byte-order
//! mark first, so Excel opens Chinese text as Chinese. Rows come from orders
//! already through the reader's lens: a withheld amount is an empty cell,
//! never a zero; masked contact details stay masked. Times read in China time.

use crate::i18n::{td_string, words, Locale};
use crate::model::views::customer::CustomerOrder;
use crate::model::views::progress::Progress;
use crate::model::views::query::OrderSummary;
use crate::model::{SeenMoney, SeenOrder, CHINA_TIME};

/// The UTF-8 byte-order mark.
pub const BOM: &[u8] = b"\xEF\xBB\xBF";

/// The header of the order list's export.
pub fn order_header(locale: Locale) -> Vec<&'static str> {
    vec![
        td_string!(locale, desk.export.order_id),
        td_string!(locale, desk.export.channel),
        td_string!(locale, desk.export.channel_order_id),
        td_string!(locale, desk.export.placed_at),
        td_string!(locale, desk.export.status),
        td_string!(locale, desk.export.customer),
        td_string!(locale, desk.export.phone),
        td_string!(locale, desk.export.address),
        td_string!(locale, desk.export.items),
        td_string!(locale, desk.export.total),
        td_string!(locale, desk.export.paid),
        td_string!(locale, desk.export.refunded),
        td_string!(locale, desk.export.currency),
        td_string!(locale, desk.export.progress),
        td_string!(locale, desk.export.exceptions),
    ]
}

/// The header of the customer's 30-day export: the list's, then notes and the duplicate flag.
pub fn customer_header(locale: Locale) -> Vec<&'static str> {
    let mut header = order_header(locale);
    header.push(td_string!(locale, desk.export.notes));
    header.push(td_string!(locale, desk.export.duplicate_of));
    header
}

/// The header of a team's exception queue export.
pub fn queue_header(locale: Locale) -> Vec<&'static str> {
    vec![
        td_string!(locale, desk.export.order_id),
        td_string!(locale, desk.export.channel),
        td_string!(locale, desk.export.status),
        td_string!(locale, desk.queue.col_exception),
        td_string!(locale, desk.queue.col_why),
        td_string!(locale, desk.queue.col_raised),
        td_string!(locale, desk.queue.col_due),
        td_string!(locale, desk.queue.col_overdue),
        td_string!(locale, desk.queue.col_claimed),
        td_string!(locale, desk.queue.col_snoozed),
        td_string!(locale, desk.queue.col_warehouse),
    ]
}

/// A time as the exports write it: China time, `2026-11-30 18:05`.
fn china(at: chrono::DateTime<chrono::Utc>) -> String {
    at.with_timezone(&CHINA_TIME)
        .format("%Y-%m-%d %H:%M")
        .to_string()
}

/// One open exception as a row of a queue export, read at `now`.
pub fn queue_row(
    locale: Locale,
    row: &crate::model::views::exception_queue::QueueRow,
    now: chrono::DateTime<chrono::Utc>,
) -> Vec<String> {
    let mark = crate::model::views::query::ExceptionMark {
        code: row.exception.code,
        parcel: row.exception.parcel.clone(),
    };
    let overdue = if row.due_at < now {
        td_string!(locale, desk.queue.yes)
    } else {
        td_string!(locale, desk.queue.no)
    };
    vec![
        row.order_id.to_string(),
        words::channel(locale, row.channel).to_string(),
        words::status(locale, row.status).to_string(),
        words::exception_mark(locale, &mark),
        words::cause(locale, &row.exception.cause),
        china(row.exception.since),
        china(row.due_at),
        overdue.to_string(),
        row.exception
            .claim
            .as_ref()
            .map(|c| c.name.clone())
            .unwrap_or_default(),
        row.exception
            .snooze
            .as_ref()
            .map(|s| format!("{} {}", china(s.until), s.reason))
            .unwrap_or_default(),
        row.warehouse.clone().unwrap_or_default(),
    ]
}

/// An amount as a plain decimal (`268.00`); empty when withheld.
fn amount(money: &SeenMoney) -> String {
    money.shown().map(|m| m.decimal()).unwrap_or_default()
}

/// One order as a row of the list's export.
pub fn order_row(locale: Locale, order: &SeenOrder) -> Vec<String> {
    let summary = OrderSummary::from(order);
    let address = &order.customer.address;
    let items: Vec<String> = order
        .components
        .iter()
        .map(|c| format!("{} ×{}", c.name, c.quantity))
        .collect();
    vec![
        order.id.to_string(),
        words::channel(locale, order.channel).to_string(),
        order.channel_order_id.clone(),
        order
            .placed_at
            .with_timezone(&CHINA_TIME)
            .format("%Y-%m-%d %H:%M:%S")
            .to_string(),
        words::status(locale, order.status()).to_string(),
        order.customer.name.clone(),
        order.customer.phone.clone(),
        [
            address.province.as_str(),
            address.city.as_str(),
            address.line.as_str(),
        ]
        .join(" "),
        items.join(words::list_separator(locale)),
        amount(&order.total),
        amount(&order.paid),
        amount(&order.refunded),
        order
            .total
            .shown()
            .map(|m| m.currency.code().to_string())
            .unwrap_or_default(),
        words::progress(locale, &Progress::of(order)),
        words::open_exceptions(locale, &summary.exceptions).unwrap_or_default(),
    ]
}

/// One of the customer's orders as a row of their export.
pub fn customer_row(locale: Locale, row: &CustomerOrder) -> Vec<String> {
    let mut cells = order_row(locale, &row.order);
    cells.push(row.notes.join(" | "));
    cells.push(row.duplicate_of.clone().unwrap_or_default());
    cells
}

/// Rows as CSV bytes (after the header and BOM, when `header` is given).
pub fn csv_bytes<S: AsRef<str>>(
    header: Option<&[&str]>,
    rows: impl IntoIterator<Item = Vec<S>>,
) -> Result<Vec<u8>, csv::Error> {
    let mut out = Vec::new();
    if header.is_some() {
        out.extend_from_slice(BOM);
    }
    let mut writer = csv::Writer::from_writer(out);
    if let Some(header) = header {
        writer.write_record(header)?;
    }
    for row in rows {
        writer.write_record(row.iter().map(AsRef::as_ref))?;
    }
    writer
        .into_inner()
        .map_err(|e| csv::Error::from(e.into_error()))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::order::sample_log::Log;
    use crate::model::{Lens, Role};

    fn read(bytes: &[u8]) -> Vec<Vec<String>> {
        assert!(bytes.starts_with(BOM), "the export starts with a BOM");
        csv::Reader::from_reader(&bytes[BOM.len()..])
            .records()
            .map(|r| r.unwrap().iter().map(str::to_string).collect())
            .collect()
    }

    #[test]
    fn a_row_reads_in_chinese_with_amounts_as_decimals() {
        let mut log = Log::new();
        log.paid();
        let order = Lens::FULL.order(log.order());
        let bytes = csv_bytes(
            Some(&order_header(Locale::zh_CN)),
            [order_row(Locale::zh_CN, &order)],
        )
        .unwrap();
        let header = csv::Reader::from_reader(&bytes[BOM.len()..])
            .headers()
            .unwrap()
            .clone();
        assert_eq!(&header[0], "订单号");
        let rows = read(&bytes);
        assert_eq!(rows[0][0], "CR-1");
        assert_eq!(rows[0][1], "天猫");
        assert_eq!(rows[0][3], "2026-11-28 10:00:00");
        assert_eq!(rows[0][6], "13800138000");
        assert_eq!(rows[0][8], "玫瑰精华 ×1、化妆包 ×1、礼盒 ×1");
        assert_eq!(rows[0][9], "299.00");
        assert_eq!(rows[0][12], "CNY");
    }

    #[test]
    fn withheld_amounts_are_empty_cells_and_masked_phones_stay_masked() {
        let mut log = Log::new();
        log.paid();
        let logistics = Role::Logistics.lens().order(log.order());
        let finance = Role::Finance.lens().order(log.order());
        let rows = read(
            &csv_bytes(
                Some(&order_header(Locale::en)),
                [
                    order_row(Locale::en, &logistics),
                    order_row(Locale::en, &finance),
                ],
            )
            .unwrap(),
        );
        assert_eq!(rows[0][9], "");
        assert_eq!(rows[0][10], "");
        assert_eq!(rows[0][12], "");
        assert_eq!(rows[1][9], "299.00");
        assert!(!rows[1][6].contains("13800138000"), "{}", rows[1][6]);
    }
}
