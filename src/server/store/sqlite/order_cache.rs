//! The latest committed state of orders the writer touched, so appending to
//! them needs no read and no decoding. Bounded, in two generations: when the
//! newer is full it becomes the older and the older is dropped, so an order
//! touched within the last generation or two is still here (orders in flight
//! at a peak are many more than a flat bound that starts over would keep).

use super::rows::Folded;
use std::collections::HashMap;

/// Orders a generation holds at most (the cache keeps up to twice as many).
const GENERATION: usize = 50_000;

#[derive(Default)]
pub(super) struct OrderCache {
    newer: HashMap<String, Folded>,
    older: HashMap<String, Folded>,
}

impl OrderCache {
    pub(super) fn get(&self, id: &str) -> Option<&Folded> {
        self.newer.get(id).or_else(|| self.older.get(id))
    }

    /// Takes the orders of a committed batch.
    pub(super) fn remember(&mut self, written: HashMap<String, Folded>) {
        for (id, folded) in written {
            self.put(id, folded);
        }
    }

    /// Takes one order out (a rebuild puts it back folded further).
    pub(super) fn take(&mut self, id: &str) -> Option<Folded> {
        self.newer.remove(id).or_else(|| self.older.remove(id))
    }

    /// Keeps one order.
    pub(super) fn put(&mut self, id: String, folded: Folded) {
        if self.newer.len() >= GENERATION && !self.newer.contains_key(&id) {
            self.older = std::mem::take(&mut self.newer);
        }
        self.older.remove(&id);
        self.newer.insert(id, folded);
    }

    /// After a failed commit (or a rebuild) nothing remembered can be trusted.
    pub(super) fn forget_all(&mut self) {
        self.newer.clear();
        self.older.clear();
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::evolve;
    use crate::model::{OrderEvent, RecordedEvent};
    use crate::server::demo::next_script;
    use rand::rngs::StdRng;
    use rand::SeedableRng;
    use std::sync::Arc;

    fn folded() -> Folded {
        let script = next_script(&mut StdRng::seed_from_u64(3), chrono::Utc::now());
        let step = &script.steps[0];
        let rec = RecordedEvent {
            seq: 1,
            recorded_at: chrono::Utc::now(),
            event: OrderEvent {
                order_id: script.order_id.clone(),
                occurred_at: chrono::Utc::now(),
                source: step.source.clone(),
                actor: step.actor.clone(),
                kind: step.kind.clone(),
            },
        };
        let order = evolve(None, &rec).unwrap();
        Folded {
            placed: Arc::new(order.clone()),
            order,
        }
    }

    #[test]
    fn an_order_touched_within_the_last_generation_is_kept() {
        let mut cache = OrderCache::default();
        let one = folded();
        cache.put("first".into(), one.clone());
        for i in 0..GENERATION {
            cache.put(format!("o{i}"), one.clone());
        }
        // "first" went to the older generation, still there.
        assert!(cache.get("first").is_some());
        assert!(cache.get("o0").is_some());
        // Touching it brings it back to the newer one.
        cache.put("first".into(), one.clone());
        for i in 0..GENERATION {
            cache.put(format!("p{i}"), one.clone());
        }
        assert!(cache.get("first").is_some(), "touched, so kept");
        assert!(cache.get("o1").is_none(), "two generations old: dropped");
        assert_eq!(cache.take("first").map(|f| f.order.id), Some(one.order.id));
        assert!(cache.get("first").is_none());
        cache.forget_all();
        assert!(cache.get("p1").is_none());
    }
}
