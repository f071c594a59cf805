//! The search index: every key an order is found by (`model::views::search::keys`),
//! with the time it was placed, so a search is one seek per key, newest
//! first, and "the customer's orders since" is one range of (phone, placed_at).
//!
//! Kept from each event's order state before and after (not from what the
//! event says): whatever changes an order's keys — a parcel shipping under a
//! waybill, the customer's phone or name changing — re-keys it in the same
//! transaction, and an event that changes none of them costs a comparison.

use super::{Change, Projection};
use crate::model::order::Order;
use crate::model::views::search::{keys, Field};
use crate::server::store::sqlite::rows::micros;
use crate::server::store::StoreError;
use rusqlite::{params, Connection};

pub(super) struct SearchKeys;

/// How a field is stored in `order_search.field`.
pub(in crate::server::store::sqlite) fn field_code(field: Field) -> i64 {
    match field {
        Field::OrderId => 1,
        Field::ChannelOrderId => 2,
        Field::Waybill => 3,
        Field::Phone => 4,
        Field::PhoneTailAndName => 5,
        Field::Name => 6,
    }
}

/// Whether `before` and `after` have the same search keys, without making them.
fn same_keys(before: &Order, after: &Order) -> bool {
    before.id == after.id
        && before.channel_order_id == after.channel_order_id
        && before.customer.name == after.customer.name
        && before.customer.phone == after.customer.phone
        && before.parcels.len() == after.parcels.len()
        && before
            .parcels
            .iter()
            .zip(&after.parcels)
            .all(|(b, a)| b.waybill == a.waybill)
}

impl Projection for SearchKeys {
    fn name(&self) -> &'static str {
        "order_search"
    }

    fn version(&self) -> i64 {
        1
    }

    fn tables(&self) -> &'static [&'static str] {
        &["order_search"]
    }

    fn apply(&self, conn: &Connection, change: &Change<'_>) -> Result<(), StoreError> {
        let after = change.after;
        let before = match change.before {
            Some(before) if same_keys(before, after) => return Ok(()),
            Some(before) => keys(before),
            None => Vec::new(),
        };
        let now = keys(after);
        let (placed, id) = (micros(after.placed_at), after.id.as_str());
        for (field, key) in before.iter().filter(|k| !now.contains(k)) {
            conn.prepare_cached(
                "DELETE FROM order_search \
                 WHERE field = ?1 AND key = ?2 AND placed_at = ?3 AND order_id = ?4",
            )?
            .execute(params![field_code(*field), key, placed, id])?;
        }
        for (field, key) in now.iter().filter(|k| !before.contains(k)) {
            conn.prepare_cached(
                "INSERT OR IGNORE INTO order_search (field, key, placed_at, order_id) \
                 VALUES (?1, ?2, ?3, ?4)",
            )?
            .execute(params![field_code(*field), key, placed, id])?;
        }
        Ok(())
    }
}
