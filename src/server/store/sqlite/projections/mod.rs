//! The projections: tables derived from the log. Each is an entry in
//! [`PROJECTIONS`]; the writer applies every entry to every event it appends
//! (and settles each order an append touched), in the transaction that inserts
//! the events, and a rebuild clears them all and folds the whole log through
//! them again. A new read model (a search index, an exception queue, a ledger)
//! is one more entry: the rebuild, the check at start and the
//! rebuild-equals-incremental test pick it up from the list.

mod channel_orders;
mod exception_queue;
mod mentions;
mod order_counts;
mod order_rows;
pub(super) mod search_keys;
mod warehouse_load;
mod waybills;

use crate::model::{Order, RecordedEvent};
use crate::server::store::StoreError;
use rusqlite::types::ValueRef;
use rusqlite::{params, Connection};
use std::collections::BTreeMap;

/// What one appended event did to its order, as a projection sees it.
pub(super) struct Change<'a> {
    pub event: &'a RecordedEvent,
    /// The order before the event; `None` when the event placed it.
    pub before: Option<&'a Order>,
    pub after: &'a Order,
}

/// An order's state after an append, as a projection sees it.
pub(super) struct Settled<'a> {
    /// The order before the append (before the event, in a rebuild); `None`
    /// when the append placed it.
    pub before: Option<&'a Order>,
    pub order: &'a Order,
    /// The order as the event that placed it made it.
    pub placed: &'a Order,
}

/// A read model kept from the log.
pub(super) trait Projection: Sync {
    /// Its name, as recorded in the `projections` table.
    fn name(&self) -> &'static str;
    /// Raised whenever what it stores changes: a store that recorded another
    /// version (or none) is rebuilt when it opens.
    fn version(&self) -> i64;
    /// The tables it owns (cleared by a rebuild, compared by the tests).
    fn tables(&self) -> &'static [&'static str];
    /// Folds one event in. An error (a refusal among them) undoes the append.
    fn apply(&self, conn: &Connection, change: &Change<'_>) -> Result<(), StoreError> {
        let _ = (conn, change);
        Ok(())
    }
    /// Keeps an order's state after an append: called once per order the
    /// append touched, after all its events are applied (after every event
    /// during a rebuild), for what depends on the state alone.
    fn settle(&self, conn: &Connection, order: &Settled<'_>) -> Result<(), StoreError> {
        let _ = (conn, order);
        Ok(())
    }
    /// Empties its tables before a rebuild.
    fn clear(&self, conn: &Connection) -> Result<(), StoreError> {
        for table in self.tables() {
            conn.execute(&format!("DELETE FROM {table}"), [])?;
        }
        Ok(())
    }
}

/// Every projection, in the order they are applied. The writer reads an order's
/// state back from the order rows when it has not kept it in memory.
static PROJECTIONS: &[&dyn Projection] = &[
    &order_rows::Orders,
    &channel_orders::ChannelOrders,
    &waybills::Waybills,
    &mentions::Mentions,
    &search_keys::SearchKeys,
    &order_counts::OrderCounts,
    &exception_queue::ExceptionQueue,
    &warehouse_load::WarehouseTables,
];

/// Applies every projection to one event.
pub(super) fn apply(conn: &Connection, change: &Change<'_>) -> Result<(), StoreError> {
    for projection in PROJECTIONS {
        projection.apply(conn, change)?;
    }
    Ok(())
}

/// Settles one order's state in every projection.
pub(super) fn settle(conn: &Connection, settled: &Settled<'_>) -> Result<(), StoreError> {
    for projection in PROJECTIONS {
        projection.settle(conn, settled)?;
    }
    Ok(())
}

/// Empties every projection.
pub(super) fn clear(conn: &Connection) -> Result<(), StoreError> {
    for projection in PROJECTIONS {
        projection.clear(conn)?;
    }
    Ok(())
}

/// Whether the projections stored are the ones, in the versions, this build keeps.
pub(super) fn current(conn: &Connection) -> Result<bool, StoreError> {
    let mut stmt = conn.prepare("SELECT name, version FROM projections")?;
    let stored = stmt
        .query_map([], |r| Ok((r.get::<_, String>(0)?, r.get::<_, i64>(1)?)))?
        .collect::<Result<BTreeMap<_, _>, _>>()?;
    let kept: BTreeMap<String, i64> = PROJECTIONS
        .iter()
        .map(|p| (p.name().to_string(), p.version()))
        .collect();
    Ok(stored == kept)
}

/// Records the projections and versions just rebuilt.
pub(super) fn record_versions(conn: &Connection) -> Result<(), StoreError> {
    conn.execute("DELETE FROM projections", [])?;
    for p in PROJECTIONS {
        conn.execute(
            "INSERT INTO projections (name, version) VALUES (?1, ?2)",
            params![p.name(), p.version()],
        )?;
    }
    Ok(())
}

/// Every table of every projection.
pub fn tables() -> Vec<&'static str> {
    PROJECTIONS
        .iter()
        .flat_map(|p| p.tables())
        .copied()
        .collect()
}

/// Every row of every projection's tables, by table, each row as text and in
/// a fixed order: for comparing a rebuild with the incremental state.
pub type Snapshot = BTreeMap<String, Vec<String>>;

/// [`Snapshot`] of the projections in `conn`.
pub(super) fn snapshot(conn: &Connection) -> Result<Snapshot, StoreError> {
    let mut out = Snapshot::new();
    for table in tables() {
        let columns = conn
            .prepare(&format!("SELECT * FROM {table}"))?
            .column_count();
        let order: Vec<String> = (1..=columns).map(|i| i.to_string()).collect();
        let mut stmt = conn.prepare(&format!(
            "SELECT * FROM {table} ORDER BY {}",
            order.join(", ")
        ))?;
        let mut rows = stmt.query([])?;
        let mut lines = Vec::new();
        while let Some(row) = rows.next()? {
            let mut cells = Vec::with_capacity(columns);
            for i in 0..columns {
                cells.push(match row.get_ref(i)? {
                    ValueRef::Null => "NULL".to_string(),
                    ValueRef::Integer(n) => n.to_string(),
                    ValueRef::Real(x) => x.to_string(),
                    ValueRef::Text(t) => format!("{:?}", String::from_utf8_lossy(t)),
                    ValueRef::Blob(b) => format!("blob {b:?}"),
                });
            }
            lines.push(cells.join(" | "));
        }
        out.insert(table.to_string(), lines);
    }
    Ok(out)
}
