//! The latest committed state of orders the writer touched, so appending to
//! them needs no read and no decoding. Bounded: when full it starts over.

use super::rows::Folded;
use std::collections::HashMap;

/// Orders the writer keeps in memory at most.
const CACHED_ORDERS: usize = 20_000;

#[derive(Default)]
pub(super) struct OrderCache {
    orders: HashMap<String, Folded>,
}

impl OrderCache {
    pub(super) fn get(&self, id: &str) -> Option<&Folded> {
        self.orders.get(id)
    }

    /// Takes the orders of a committed batch.
    pub(super) fn remember(&mut self, written: HashMap<String, Folded>) {
        if self.orders.len() + written.len() > CACHED_ORDERS {
            self.orders.clear();
        }
        self.orders.extend(written);
    }

    /// Takes one order out (a rebuild puts it back folded further).
    pub(super) fn take(&mut self, id: &str) -> Option<Folded> {
        self.orders.remove(id)
    }

    /// Keeps one order (a rebuild's, inside its own transaction).
    pub(super) fn put(&mut self, id: String, folded: Folded) {
        if self.orders.len() >= CACHED_ORDERS {
            self.orders.clear();
        }
        self.orders.insert(id, folded);
    }

    /// After a failed commit (or a rebuild) nothing remembered can be trusted.
    pub(super) fn forget_all(&mut self) {
        self.orders.clear();
    }
}
