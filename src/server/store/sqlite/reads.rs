//! The queries behind the store's reads, each on one connection (a pooled
//! read-only one, or the writer's inside its transaction).

use super::projections::search_keys::field_code;
use super::rows::{decode_event, folded_from, micros, order_from, Folded};
use crate::model::views::query::{page_count, ListKey, OrderRows, PageAt};
use crate::model::views::search::{Field, SearchAnswer, SearchPlan, MAX_FOUND};
use crate::model::{Channel, Order, RecordedEvent};
use crate::server::store::{FoundOrders, StoreError};
use chrono::{DateTime, Utc};
use rusqlite::types::Value;
use rusqlite::{params, params_from_iter, Connection, OptionalExtension, Params};

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

/// The filters of the order list (a search's too).
#[derive(Debug, Clone, Copy, Default)]
pub(super) struct ListFilter {
    pub status: Option<&'static str>,
    pub channel: Option<&'static str>,
    /// Only orders with an open exception.
    pub open_exceptions: bool,
}

impl ListFilter {
    /// The filter as SQL conditions on `o` (the order rows), with their
    /// values. Only what is asked for is written, so the planner sees plain
    /// equalities and picks the index made for them (see the migration 0009).
    fn conditions(&self) -> (Vec<&'static str>, Vec<Value>) {
        let mut sql = Vec::new();
        let mut values = Vec::new();
        if let Some(status) = self.status {
            sql.push("o.status = ?");
            values.push(Value::Text(status.into()));
        }
        if let Some(channel) = self.channel {
            sql.push("o.channel = ?");
            values.push(Value::Text(channel.into()));
        }
        if self.open_exceptions {
            sql.push("o.open_exceptions > 0");
        }
        (sql, values)
    }
}

/// Which way a walk through the list goes from a key.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Walk {
    /// Newest first: the orders after a key (older ones).
    Older,
    /// Oldest first: the orders before a key (newer ones).
    Newer,
}

/// The SQL of a walk through the filtered list from `from` (exclusive, or an
/// end of the list), selecting `columns` from `o` (and `e`, the placing event,
/// when `join_event`); returns it with its values, the limit last.
fn walk_sql(
    filter: &ListFilter,
    walk: Walk,
    from: Option<&ListKey>,
    columns: &str,
    limit: u32,
) -> (String, Vec<Value>) {
    let (mut conditions, mut values) = filter.conditions();
    if let Some(key) = from {
        conditions.push(match walk {
            Walk::Older => "(o.placed_at, o.order_id) < (?, ?)",
            Walk::Newer => "(o.placed_at, o.order_id) > (?, ?)",
        });
        values.push(Value::Integer(key.placed_micros));
        values.push(Value::Text(key.order_id.clone()));
    }
    let order = match walk {
        Walk::Older => "o.placed_at DESC, o.order_id DESC",
        Walk::Newer => "o.placed_at ASC, o.order_id ASC",
    };
    let filter = if conditions.is_empty() {
        String::new()
    } else {
        format!(" WHERE {}", conditions.join(" AND "))
    };
    values.push(Value::Integer(limit.into()));
    (
        format!("{columns}{filter} ORDER BY {order} LIMIT ?"),
        values,
    )
}

/// Up to `limit` orders of the filtered list from `from` (exclusive) the way
/// `walk` goes, in that order.
fn walk(
    conn: &Connection,
    filter: &ListFilter,
    walk: Walk,
    from: Option<&ListKey>,
    limit: u32,
) -> Result<Vec<Order>, StoreError> {
    let (sql, values) = walk_sql(filter, walk, from, ORDER, limit);
    orders(conn, &sql, params_from_iter(values))
}

/// Whether the filtered list has an order beyond `from` the way `walk` goes.
fn any_beyond(
    conn: &Connection,
    filter: &ListFilter,
    walk: Walk,
    from: &ListKey,
) -> Result<bool, StoreError> {
    let (sql, values) = walk_sql(filter, walk, Some(from), "SELECT 1 FROM orders o", 1);
    Ok(conn
        .prepare_cached(&sql)?
        .query_row(params_from_iter(values), |_| Ok(()))
        .optional()?
        .is_some())
}

/// The orders a filter lists, and of those (without its open exceptions) the
/// ones with an open exception: sums over the maintained counts.
fn counts(conn: &Connection, filter: &ListFilter) -> Result<(u64, u64), StoreError> {
    let (all, flagged): (i64, i64) = conn
        .prepare_cached(
            "SELECT COALESCE(SUM(orders), 0), COALESCE(SUM(CASE WHEN flagged = 1 THEN orders END), 0) \
             FROM order_counts WHERE (?1 IS NULL OR status = ?1) AND (?2 IS NULL OR channel = ?2)",
        )?
        .query_row(params![filter.status, filter.channel], |r| {
            Ok((r.get(0)?, r.get(1)?))
        })?;
    let total = if filter.open_exceptions { flagged } else { all };
    Ok((total.max(0) as u64, flagged.max(0) as u64))
}

/// What the order list asks for.
pub(super) struct ListQuery {
    pub filter: ListFilter,
    pub at: PageAt,
    /// The page number the query labels its page with.
    pub page: u32,
    pub per_page: u32,
}

/// A page of the order list, newest first: keyset pages (each one seek in an
/// index made for its filters) and totals from the maintained counts, read
/// in one snapshot.
pub(super) fn list_orders(
    conn: &Connection,
    q: ListQuery,
    as_of: u64,
) -> Result<OrderRows, StoreError> {
    // One read transaction: the counts and the rows are of the same moment.
    let snapshot = conn.unchecked_transaction()?;
    let filter = &q.filter;
    let (total, with_exceptions) = counts(&snapshot, filter)?;
    let per = q.per_page;
    let pages = page_count(total, per);
    let key_of = |o: Option<&Order>| o.map(ListKey::of);
    let (orders, newer, older) = match &q.at {
        PageAt::First | PageAt::After(_) => {
            let from = match &q.at {
                PageAt::After(key) => Some(key),
                _ => None,
            };
            let mut rows = walk(&snapshot, filter, Walk::Older, from, per + 1)?;
            let older = rows.len() > per as usize;
            rows.truncate(per as usize);
            let newer = match (from, rows.first()) {
                (None, _) => false,
                (Some(_), Some(first)) => {
                    any_beyond(&snapshot, filter, Walk::Newer, &ListKey::of(first))?
                }
                (Some(key), None) => any_beyond(&snapshot, filter, Walk::Newer, key)?,
            };
            (rows, newer, older)
        }
        PageAt::Before(key) => {
            let mut rows = walk(&snapshot, filter, Walk::Newer, Some(key), per + 1)?;
            let newer = rows.len() > per as usize;
            rows.truncate(per as usize);
            rows.reverse();
            let older = match rows.last() {
                Some(last) => any_beyond(&snapshot, filter, Walk::Older, &ListKey::of(last))?,
                None => any_beyond(&snapshot, filter, Walk::Older, key)?,
            };
            (rows, newer, older)
        }
        PageAt::Last => {
            // What whole pages from the first leave over, so the last page
            // holds the rows the first-to-last count puts on it.
            let left = total - u64::from(pages - 1) * u64::from(per);
            let mut rows = walk(&snapshot, filter, Walk::Newer, None, left.max(1) as u32)?;
            rows.reverse();
            let newer = match rows.first() {
                Some(first) => any_beyond(&snapshot, filter, Walk::Newer, &ListKey::of(first))?,
                None => false,
            };
            (rows, newer, false)
        }
    };
    let page = if !newer {
        1
    } else if !older {
        pages.max(2)
    } else {
        q.page.clamp(2, pages.saturating_sub(1).max(2))
    };
    Ok(OrderRows {
        previous: if newer { key_of(orders.first()) } else { None },
        next: if older { key_of(orders.last()) } else { None },
        orders,
        total,
        with_exceptions,
        page,
        per_page: per,
        search: None,
        as_of,
    })
}

/// The SQL of one lookup of a search within `filter` (its values: field,
/// key, the filter's, the limit), with the filter's values.
fn search_sql(filter: &ListFilter) -> (String, Vec<Value>) {
    let (mut conditions, values) = filter.conditions();
    conditions.insert(0, "s.field = ? AND s.key = ?");
    let sql = format!(
        "SELECT e.body, o.changes FROM order_search s \
         JOIN orders o ON o.order_id = s.order_id JOIN events e ON e.seq = o.placed_seq \
         WHERE {} ORDER BY s.placed_at DESC, s.order_id DESC LIMIT ?",
        conditions.join(" AND ")
    );
    (sql, values)
}

/// The SQL of [`customer_orders`].
const CUSTOMER_ORDERS: &str = "SELECT e.body, o.changes FROM order_search s \
    JOIN orders o ON o.order_id = s.order_id JOIN events e ON e.seq = o.placed_seq \
    WHERE s.field = ?1 AND s.key = ?2 AND s.placed_at >= ?3 AND s.order_id IS NOT ?5 \
    ORDER BY s.placed_at DESC, s.order_id DESC LIMIT ?4";

/// The orders a search finds within the list's filters: one seek in the
/// search index per lookup of the plan, newest first, at most
/// [`MAX_FOUND`] (and whether there were more), each with the field it matched.
pub(super) fn search_orders(
    conn: &Connection,
    plan: &SearchPlan,
    filter: ListFilter,
    as_of: u64,
) -> Result<OrderRows, StoreError> {
    let snapshot = conn.unchecked_transaction()?;
    let (sql, filter_values) = search_sql(&filter);
    let mut found: Vec<(Order, Field)> = Vec::new();
    let mut more = false;
    for (field, key) in &plan.seeks {
        let mut values = vec![Value::Integer(field_code(*field)), Value::Text(key.clone())];
        values.extend(filter_values.iter().cloned());
        values.push(Value::Integer(i64::from(MAX_FOUND) + 1));
        let rows = orders(&snapshot, &sql, params_from_iter(values))?;
        more |= rows.len() > MAX_FOUND as usize;
        for order in rows {
            // The lookups come in the order a match is reported: the first
            // field an order is found by is the one it matched.
            if !found.iter().any(|(o, _)| o.id == order.id) {
                found.push((order, *field));
            }
        }
    }
    found.sort_by_key(|(o, _)| std::cmp::Reverse(ListKey::of(o)));
    more |= found.len() > MAX_FOUND as usize;
    found.truncate(MAX_FOUND as usize);
    let flagged = found
        .iter()
        .filter(|(o, _)| !o.exceptions.is_empty())
        .count() as u64;
    let (orders, matched): (Vec<Order>, Vec<Field>) = found.into_iter().unzip();
    Ok(OrderRows {
        total: orders.len() as u64,
        with_exceptions: flagged,
        orders,
        page: 1,
        per_page: MAX_FOUND,
        previous: None,
        next: None,
        search: Some(SearchAnswer {
            probe: plan.probe.clone(),
            ignored: plan.ignored,
            more,
            matched,
        }),
        as_of,
    })
}

/// The orders of the customer whose phone is `phone` (as the search index
/// keeps it) placed at or after `since`, besides the order `besides`, newest
/// first, at most `limit`: one range of the index on (phone, placed_at), the
/// order left out before it is read.
pub(super) fn customer_orders(
    conn: &Connection,
    phone: &str,
    since: DateTime<Utc>,
    besides: Option<&str>,
    limit: u32,
) -> Result<Vec<Order>, StoreError> {
    orders(
        conn,
        CUSTOMER_ORDERS,
        params![
            field_code(Field::Phone),
            phone,
            micros(since),
            limit,
            besides
        ],
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::server::store::sqlite::schema::open_writer;
    use crate::server::store::Durability;

    /// How SQLite runs `sql`: its query plan's lines.
    fn plan(conn: &Connection, sql: &str, values: Vec<Value>) -> Vec<String> {
        let mut stmt = conn.prepare(&format!("EXPLAIN QUERY PLAN {sql}")).unwrap();
        let rows = stmt
            .query_map(params_from_iter(values), |r| r.get::<_, String>(3))
            .unwrap();
        rows.map(Result::unwrap).collect()
    }

    /// A plan that reads `index` in its order (a seek to the filter's prefix,
    /// or a walk from an end that the LIMIT stops), with no table scanned and
    /// nothing sorted.
    fn assert_uses(what: &str, lines: &[String], index: &str) {
        for line in lines {
            let sorts = line.contains("TEMP B-TREE");
            let scans_table = line.starts_with("SCAN") && !line.contains("USING");
            assert!(!sorts && !scans_table, "{what} scans or sorts: {lines:#?}");
        }
        assert!(
            lines.iter().any(|l| l.contains(&format!("INDEX {index} "))
                || l.ends_with(&format!("INDEX {index}"))
                || (index == "PRIMARY KEY"
                    && l.starts_with("SEARCH")
                    && l.contains("PRIMARY KEY"))),
            "{what} does not use {index}: {lines:#?}"
        );
    }

    /// The index the list is made to use under a filter.
    fn index_for(filter: &ListFilter) -> String {
        let by = match (filter.status.is_some(), filter.channel.is_some()) {
            (false, false) => "",
            (true, false) => "_by_status",
            (false, true) => "_by_channel",
            (true, true) => "_by_status_channel",
        };
        match (filter.open_exceptions, by) {
            (false, "") => "orders_newest".into(),
            (false, by) => format!("orders{by}"),
            (true, by) => format!("orders_flagged{by}"),
        }
    }

    /// Every statement the list and the search run, under every filter,
    /// is index seeks: none scans the orders or sorts them.
    #[test]
    fn the_queue_and_the_detectors_seek_their_indexes() {
        use super::super::queue_reads::{
            CHANGED, QUEUE_COUNTS, QUEUE_ENTRIES, RAISED_IN_WAREHOUSE,
        };
        let dir = tempfile::tempdir().unwrap();
        let conn = open_writer(&dir.path().join("orders.sqlite3"), Durability::Normal).unwrap();
        let entries = plan(
            &conn,
            QUEUE_ENTRIES,
            vec![
                Value::Text("gift_missing".into()),
                Value::Integer(0),
                Value::Text(String::new()),
                Value::Text(String::new()),
                Value::Integer(0),
                Value::Integer(0),
                Value::Integer(50),
            ],
        );
        assert_uses("a queue page", &entries, "exception_queue_by_code");
        let counts = plan(
            &conn,
            QUEUE_COUNTS,
            vec![Value::Text("gift_missing".into()), Value::Integer(0)],
        );
        assert_uses("a queue's counts", &counts, "exception_queue_by_code");
        let raised = plan(
            &conn,
            RAISED_IN_WAREHOUSE,
            vec![
                Value::Text("Shanghai Qingpu DC".into()),
                Value::Text("warehouse_over_capacity".into()),
                Value::Integer(50),
            ],
        );
        assert_uses(
            "a warehouse's raised orders",
            &raised,
            "exception_queue_by_warehouse",
        );
        let changed = plan(&conn, CHANGED, vec![Value::Integer(0), Value::Integer(10)]);
        assert!(
            changed
                .iter()
                .all(|l| l.contains("INTEGER PRIMARY KEY") || !l.starts_with("SCAN")),
            "{changed:?}"
        );
    }

    #[test]
    fn every_list_and_search_statement_seeks_an_index() {
        let dir = tempfile::tempdir().unwrap();
        let conn = open_writer(&dir.path().join("orders.sqlite3"), Durability::Normal).unwrap();
        let key = ListKey {
            placed_micros: 1,
            order_id: "CR-1".into(),
        };
        for status in [None, Some("paid")] {
            for channel in [None, Some("douyin")] {
                for open_exceptions in [false, true] {
                    let filter = ListFilter {
                        status,
                        channel,
                        open_exceptions,
                    };
                    for (direction, from) in [
                        (Walk::Older, None),
                        (Walk::Older, Some(&key)),
                        (Walk::Newer, None),
                        (Walk::Newer, Some(&key)),
                    ] {
                        let (sql, values) = walk_sql(&filter, direction, from, ORDER, 26);
                        assert_uses(&sql, &plan(&conn, &sql, values), &index_for(&filter));
                        let (sql, values) =
                            walk_sql(&filter, direction, from, "SELECT 1 FROM orders o", 1);
                        assert_uses(&sql, &plan(&conn, &sql, values), &index_for(&filter));
                    }
                    let (sql, mut values) = search_sql(&filter);
                    values.insert(0, Value::Text("x".into()));
                    values.insert(0, Value::Integer(1));
                    values.push(Value::Integer(51));
                    assert_uses(&sql, &plan(&conn, &sql, values), "PRIMARY KEY");
                }
            }
        }
        let values = vec![
            Value::Integer(4),
            Value::Text("13800138000".into()),
            Value::Integer(0),
            Value::Integer(100),
            Value::Text("CR-1".into()),
        ];
        assert_uses(
            CUSTOMER_ORDERS,
            &plan(&conn, CUSTOMER_ORDERS, values),
            "PRIMARY KEY",
        );
        let one = format!("{ORDER} WHERE o.order_id = ?1");
        let lines = plan(&conn, &one, vec![Value::Text("CR-1".into())]);
        assert_uses(&one, &lines, "sqlite_autoindex_orders_1");
        let log = "SELECT body FROM events WHERE order_id = ?1 ORDER BY seq";
        let lines = plan(&conn, log, vec![Value::Text("CR-1".into())]);
        assert_uses(log, &lines, "events_by_order");
    }
}
