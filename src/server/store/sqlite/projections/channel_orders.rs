//! Which order a channel knows by its own order id. Also where a channel order
//! id placed twice is refused: the second placing finds it taken.

use super::{Change, Projection};
use crate::model::{EventKind, Refusal};
use crate::server::store::StoreError;
use rusqlite::{params, Connection};

pub(super) struct ChannelOrders;

impl Projection for ChannelOrders {
    fn name(&self) -> &'static str {
        "channel_orders"
    }

    fn version(&self) -> i64 {
        1
    }

    fn tables(&self) -> &'static [&'static str] {
        &["channel_orders"]
    }

    fn apply(&self, conn: &Connection, change: &Change<'_>) -> Result<(), StoreError> {
        if change.before.is_some()
            || !matches!(change.event.event.kind, EventKind::OrderPlaced { .. })
        {
            return Ok(());
        }
        let order = change.after;
        let added = conn
            .prepare_cached(
                "INSERT INTO channel_orders (channel, channel_order_id, order_id) \
                 VALUES (?1, ?2, ?3) ON CONFLICT DO NOTHING",
            )?
            .execute(params![
                order.channel.as_str(),
                order.channel_order_id,
                order.id.as_str()
            ])?;
        if added == 0 {
            return Err(Refusal::AlreadyExists(format!(
                "{} {}",
                order.channel.as_str(),
                order.channel_order_id
            ))
            .into());
        }
        Ok(())
    }
}
