//! Which order a waybill belongs to, from `parcel_shipped` events (the first
//! order to ship under a waybill keeps it).

use super::{Change, Projection};
use crate::model::EventKind;
use crate::server::store::StoreError;
use rusqlite::{params, Connection};

pub(super) struct Waybills;

impl Projection for Waybills {
    fn name(&self) -> &'static str {
        "waybills"
    }

    fn version(&self) -> i64 {
        2
    }

    fn tables(&self) -> &'static [&'static str] {
        &["waybills"]
    }

    fn apply(&self, conn: &Connection, change: &Change<'_>) -> Result<(), StoreError> {
        if let EventKind::ParcelShipped { waybill, .. } = &change.event.event.kind {
            conn.prepare_cached(
                "INSERT OR IGNORE INTO waybills (waybill, order_id) VALUES (?1, ?2)",
            )?
            .execute(params![waybill, change.after.id.as_str()])?;
        }
        Ok(())
    }
}
