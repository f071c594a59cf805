//! How events and order states are laid out in rows, each stored once: an
//! event as its JSON in the log; an order as the event that placed it plus the
//! top-level fields that have changed since (nothing, for an order that has only
//! been placed), so the order row does not repeat what its placing event says.

use crate::model::evolve;
use crate::model::{Order, RecordedEvent};
use crate::server::store::StoreError;
use chrono::{DateTime, SecondsFormat, Utc};
use rusqlite::{params, Connection};
use serde_json::{Map, Value};
use std::sync::Arc;

/// A time as stored in text columns (RFC 3339, microseconds, UTC).
pub(crate) fn time(t: DateTime<Utc>) -> String {
    t.to_rfc3339_opts(SecondsFormat::Micros, true)
}

/// A time as stored in integer columns: microseconds since the Unix epoch.
pub(super) fn micros(t: DateTime<Utc>) -> i64 {
    t.timestamp_micros()
}

/// Inserts one event into the log; returns its JSON as stored.
pub(super) fn insert_event(conn: &Connection, rec: &RecordedEvent) -> Result<String, StoreError> {
    let body = serde_json::to_string(rec)?;
    conn.prepare_cached("INSERT INTO events (seq, order_id, kind, body) VALUES (?1, ?2, ?3, ?4)")?
        .execute(params![
            rec.seq as i64,
            rec.event.order_id.as_str(),
            rec.event.kind.name(),
            &body
        ])?;
    Ok(body)
}

/// An event from its stored JSON.
pub(super) fn decode_event(body: &str) -> Result<RecordedEvent, StoreError> {
    Ok(serde_json::from_str(body)?)
}

/// An order's state with the order as it was placed, which its row is stored against.
#[derive(Debug, Clone)]
pub(super) struct Folded {
    pub order: Order,
    /// The order as the event that placed it made it: each later state is
    /// stored as what differs from it.
    pub placed: Arc<Order>,
}

/// The order as the event that placed it made it.
pub(super) fn placed_by(event: &RecordedEvent) -> Result<Order, StoreError> {
    evolve(None, event).map_err(|refusal| StoreError::Unfoldable {
        seq: event.seq,
        refusal,
    })
}

/// The top-level fields of `order` that differ from `was` (the order as
/// placed), as a JSON object;
/// `None` when there are none. Compared as typed values and only the fields
/// that differ are encoded (the customer and the components, the bulk of an
/// order, rarely change after placing).
pub(super) fn changes(was: &Order, order: &Order) -> Result<Option<String>, StoreError> {
    let mut out: Vec<u8> = Vec::with_capacity(1024);
    out.push(b'{');
    macro_rules! changed {
        ($($field:ident),* $(,)?) => {
            // Every field is listed: a field added to `Order` and not here
            // does not compile.
            let Order { $($field: _),* } = order;
            $(
                if was.$field != order.$field {
                    if out.len() > 1 {
                        out.push(b',');
                    }
                    out.extend_from_slice(concat!("\"", stringify!($field), "\":").as_bytes());
                    serde_json::to_writer(&mut out, &order.$field)?;
                }
            )*
        };
    }
    changed!(
        branch,
        channel,
        channel_order_id,
        components,
        customer,
        customs,
        event_count,
        exceptions,
        id,
        last_seq,
        paid,
        parcels,
        placed_at,
        promised_by,
        refund_requested,
        refunded,
        requests,
        resolutions,
        route,
        stage,
        total,
        updated_at,
        warehouse,
    );
    if out.len() == 1 {
        return Ok(None);
    }
    out.push(b'}');
    String::from_utf8(out)
        .map(Some)
        .map_err(|e| StoreError::Json(serde::ser::Error::custom(e)))
}

/// `placed` with `changes` (from [`changes`]) laid over it.
fn lay_over(placed: &Order, changes: &str) -> Result<Order, StoreError> {
    let mut order = serde_json::to_value(placed)?;
    let changes: Map<String, Value> = serde_json::from_str(changes)?;
    if let Value::Object(fields) = &mut order {
        fields.extend(changes);
    }
    Ok(serde_json::from_value(order)?)
}

/// An order from its placing event's JSON and its row's changes.
pub(super) fn order_from(placing: &str, changes: Option<&str>) -> Result<Order, StoreError> {
    let placed = placed_by(&decode_event(placing)?)?;
    match changes {
        None => Ok(placed),
        Some(changes) => lay_over(&placed, changes),
    }
}

/// [`order_from`], keeping the order as placed too (for the writer).
pub(super) fn folded_from(placing: &str, changes: Option<&str>) -> Result<Folded, StoreError> {
    let placed = placed_by(&decode_event(placing)?)?;
    let order = match changes {
        None => placed.clone(),
        Some(changes) => lay_over(&placed, changes)?,
    };
    Ok(Folded {
        order,
        placed: Arc::new(placed),
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::evolve;
    use crate::model::OrderEvent;
    use crate::server::demo::next_script;
    use rand::rngs::StdRng;
    use rand::SeedableRng;

    /// Every state of many scripted orders comes back exactly from the event
    /// that placed it and its changes.
    #[test]
    fn an_order_comes_back_from_its_placing_event_and_its_changes() {
        let mut rng = StdRng::seed_from_u64(11);
        let mut states = 0;
        for _ in 0..200 {
            let script = next_script(&mut rng, Utc::now());
            let mut placing: Option<String> = None;
            let mut placed: Option<Order> = None;
            let mut order: Option<Order> = None;
            for (i, step) in script.steps.iter().enumerate() {
                let rec = RecordedEvent {
                    seq: i as u64 + 1,
                    recorded_at: Utc::now(),
                    event: OrderEvent {
                        order_id: script.order_id.clone(),
                        occurred_at: Utc::now() - step.backdate,
                        source: step.source.clone(),
                        actor: step.actor.clone(),
                        kind: step.kind.clone(),
                    },
                };
                let next = evolve(order.as_ref(), &rec).expect("scripted step accepted");
                if placing.is_none() {
                    placing = Some(serde_json::to_string(&rec).unwrap());
                    placed = Some(next.clone());
                }
                let changed = changes(placed.as_ref().unwrap(), &next).unwrap();
                assert_eq!(
                    changed.is_none(),
                    i == 0,
                    "only the placed order has no changes"
                );
                let back = order_from(placing.as_deref().unwrap(), changed.as_deref()).unwrap();
                assert_eq!(back, next);
                order = Some(next);
                states += 1;
            }
        }
        assert!(
            states > 400,
            "the scripts went past placing ({states} states)"
        );
    }

    #[test]
    fn the_changes_leave_out_what_placing_said() {
        let mut rng = StdRng::seed_from_u64(12);
        let script = next_script(&mut rng, Utc::now());
        let step = |i: usize| RecordedEvent {
            seq: i as u64 + 1,
            recorded_at: Utc::now(),
            event: OrderEvent {
                order_id: script.order_id.clone(),
                occurred_at: Utc::now(),
                source: script.steps[i].source.clone(),
                actor: script.steps[i].actor.clone(),
                kind: script.steps[i].kind.clone(),
            },
        };
        let placed = evolve(None, &step(0)).unwrap();
        let next = evolve(Some(&placed), &step(1)).unwrap();
        let changed: Map<String, Value> =
            serde_json::from_str(&changes(&placed, &next).unwrap().unwrap()).unwrap();
        for same in [
            "id",
            "channel",
            "channel_order_id",
            "customer",
            "components",
        ] {
            assert!(!changed.contains_key(same), "{same} is stored again");
        }
        assert!(changed.contains_key("last_seq"));
    }
}
