//! The queries behind the store's reads, each on one connection (a pooled
//! read-only one, or the writer's inside its transaction).

use super::rows::{decode_event, folded_from, micros, order_from, Folded};
use crate::model::views::query::OrderRows;
use crate::model::{Channel, Order, RecordedEvent, Status};
use crate::server::store::{FoundOrders, StoreError};
use chrono::{DateTime, Utc};
use rusqlite::{params, Connection, OptionalExtension, Params};

/// The columns an order is read from: its placing event and its changes.
const ORDER: &str = "SELECT e.body, o.changes FROM orders o JOIN events e ON e.seq = o.placed_seq";

/// The one order `sql` (selecting [`ORDER`]'s columns) finds, if any.
fn one_order<P: Params>(
    conn: &Connection,
    sql: &str,
    params: P,
) -> Result<Option<Order>, StoreError> {
    let row = conn
        .prepare_cached(sql)?
        .query_row(params, |r| {
            Ok((r.get::<_, String>(0)?, r.get::<_, Option<String>>(1)?))
        })
        .optional()?;
    row.map(|(placing, changes)| order_from(&placing, changes.as_deref()))
        .transpose()
}

/// Every order `sql` (selecting [`ORDER`]'s columns) finds, in its order.
fn orders<P: Params>(conn: &Connection, sql: &str, params: P) -> Result<Vec<Order>, StoreError> {
    let mut stmt = conn.prepare_cached(sql)?;
    let mut rows = stmt.query(params)?;
    let mut out = Vec::new();
    while let Some(row) = rows.next()? {
        let placing = row.get_ref(0)?.as_str().map_err(rusqlite::Error::from)?;
        let changes = row
            .get_ref(1)?
            .as_str_or_null()
            .map_err(rusqlite::Error::from)?;
        out.push(order_from(placing, changes)?);
    }
    Ok(out)
}

/// Events selected by `sql` (their bodies), in its order.
pub(super) fn events<P: Params>(
    conn: &Connection,
    sql: &str,
    params: P,
) -> Result<Vec<RecordedEvent>, StoreError> {
    let mut stmt = conn.prepare_cached(sql)?;
    let mut rows = stmt.query(params)?;
    let mut out = Vec::new();
    while let Some(row) = rows.next()? {
        out.push(decode_event(
            row.get_ref(0)?.as_str().map_err(rusqlite::Error::from)?,
        )?);
    }
    Ok(out)
}

/// The current state of one order.
pub(super) fn order(conn: &Connection, id: &str) -> Result<Option<Order>, StoreError> {
    one_order(conn, &format!("{ORDER} WHERE o.order_id = ?1"), [id])
}

/// One order's state with the order as placed (for the writer).
pub(super) fn folded(conn: &Connection, id: &str) -> Result<Option<Folded>, StoreError> {
    let row = conn
        .prepare_cached(&format!("{ORDER} WHERE o.order_id = ?1"))?
        .query_row([id], |r| {
            Ok((r.get::<_, String>(0)?, r.get::<_, Option<String>>(1)?))
        })
        .optional()?;
    row.map(|(placing, changes)| folded_from(&placing, changes.as_deref()))
        .transpose()
}

const BY_CHANNEL: &str = "SELECT e.body, o.changes FROM channel_orders c \
    JOIN orders o ON o.order_id = c.order_id JOIN events e ON e.seq = o.placed_seq \
    WHERE c.channel = ?1 AND c.channel_order_id = ?2";

const BY_WAYBILL: &str = "SELECT e.body, o.changes FROM waybills w \
    JOIN orders o ON o.order_id = w.order_id JOIN events e ON e.seq = o.placed_seq \
    WHERE w.waybill = ?1";

/// The order a channel knows by `channel_order_id`.
pub(super) fn order_for_channel(
    conn: &Connection,
    channel: Channel,
    channel_order_id: &str,
) -> Result<Option<Order>, StoreError> {
    one_order(
        conn,
        BY_CHANNEL,
        params![channel.as_str(), channel_order_id],
    )
}

/// The order whose parcel carries `waybill`.
pub(super) fn order_for_waybill(
    conn: &Connection,
    waybill: &str,
) -> Result<Option<Order>, StoreError> {
    one_order(conn, BY_WAYBILL, [waybill])
}

/// Several orders at once, by channel id and by waybill.
pub(super) fn find_orders(
    conn: &Connection,
    by_channel: Vec<(Channel, String)>,
    by_waybill: Vec<String>,
) -> Result<FoundOrders, StoreError> {
    let mut found = FoundOrders::default();
    for (channel, id) in by_channel {
        if let Some(order) = order_for_channel(conn, channel, &id)? {
            found.by_channel.insert((channel, id), order);
        }
    }
    for waybill in by_waybill {
        if let Some(order) = order_for_waybill(conn, &waybill)? {
            found.by_waybill.insert(waybill, order);
        }
    }
    Ok(found)
}

/// One order's whole log, in sequence order.
pub(super) fn order_events(conn: &Connection, id: &str) -> Result<Vec<RecordedEvent>, StoreError> {
    events(
        conn,
        "SELECT body FROM events WHERE order_id = ?1 ORDER BY seq",
        [id],
    )
}

/// Events with `seq > after`, optionally of one order, at most `limit`.
pub(super) fn events_after(
    conn: &Connection,
    after: u64,
    order: Option<&str>,
    limit: u32,
) -> Result<Vec<RecordedEvent>, StoreError> {
    let after = after as i64;
    match order {
        Some(id) => events(
            conn,
            "SELECT body FROM events WHERE order_id = ?1 AND seq > ?2 ORDER BY seq LIMIT ?3",
            params![id, after, limit],
        ),
        None => events(
            conn,
            "SELECT body FROM events WHERE seq > ?1 ORDER BY seq LIMIT ?2",
            params![after, limit],
        ),
    }
}

/// What the order list asks for.
pub(super) struct ListQuery {
    pub status: Option<&'static str>,
    pub channel: Option<&'static str>,
    /// Upper-cased text to find in the order id or the channel's order id.
    pub search: Option<String>,
    /// Only orders with an open exception.
    pub open_exceptions: bool,
    pub page: u32,
    pub per_page: u32,
}

/// A page of the order list, newest first.
pub(super) fn list_orders(
    conn: &Connection,
    q: ListQuery,
    as_of: u64,
) -> Result<OrderRows, StoreError> {
    let base = "(?1 IS NULL OR o.status = ?1) AND (?2 IS NULL OR o.channel = ?2) \
        AND (?3 IS NULL OR instr(upper(o.order_id), ?3) > 0 OR o.order_id IN \
          (SELECT order_id FROM channel_orders WHERE instr(upper(channel_order_id), ?3) > 0))";
    let flagged = format!("{base} AND o.open_exceptions > 0");
    let filter = if q.open_exceptions {
        flagged.as_str()
    } else {
        base
    };
    let count = |filter: &str| -> Result<u64, StoreError> {
        Ok(conn
            .prepare_cached(&format!("SELECT COUNT(*) FROM orders o WHERE {filter}"))?
            .query_row(params![q.status, q.channel, q.search], |r| r.get(0))?)
    };
    let total = count(filter)?;
    let with_exceptions = if q.open_exceptions {
        total
    } else {
        count(&flagged)?
    };
    let offset = u64::from(q.page - 1) * u64::from(q.per_page);
    let page = orders(
        conn,
        &format!("{ORDER} WHERE {filter} ORDER BY o.placed_at DESC, o.order_id LIMIT ?4 OFFSET ?5"),
        params![q.status, q.channel, q.search, q.per_page, offset],
    )?;
    Ok(OrderRows {
        orders: page,
        total,
        with_exceptions,
        page: q.page,
        per_page: q.per_page,
        as_of,
    })
}

/// Paid orders with nothing shipped yet, placed before `placed_before`.
pub(super) fn awaiting_shipment(
    conn: &Connection,
    placed_before: DateTime<Utc>,
) -> Result<Vec<Order>, StoreError> {
    let waiting = [
        Status::Paid,
        Status::Confirmed,
        Status::Allocated,
        Status::Picking,
        Status::Packed,
    ]
    .map(|s| format!("'{}'", s.as_str()))
    .join(", ");
    let mut found = orders(
        conn,
        &format!("{ORDER} WHERE o.placed_at < ?1 AND o.status IN ({waiting})"),
        [micros(placed_before)],
    )?;
    found.retain(|o| !o.any_shipped());
    Ok(found)
}
