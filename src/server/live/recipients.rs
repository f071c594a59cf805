//! Whom each order goes to, for streams whose lens masks contact details in
//! free text (a carrier's scan description naming the recipient's address):
//! read from the store once per order and stream, and kept until an event
//! that may change whom the order goes to passes (a change of delivery
//! details, a confirmed re-label or redirect), up to [`MAX_KNOWN`] orders.

use crate::model::{Customer, OrderId};
use crate::server::store::{Store, StoreError};
use std::collections::HashMap;
use std::sync::Arc;

/// Orders whose recipient one stream keeps; more start the list afresh.
const MAX_KNOWN: usize = 1024;

/// The recipients one stream has looked up.
#[derive(Default)]
pub(super) struct Recipients {
    known: HashMap<OrderId, Option<Arc<Customer>>>,
}

impl Recipients {
    /// Forgets the recipient of `order` (it may have changed).
    pub(super) fn forget(&mut self, order: &OrderId) {
        self.known.remove(order);
    }

    /// The recipient of `order` (`None` for an order the store does not know).
    pub(super) async fn of(
        &mut self,
        store: &Store,
        order: &OrderId,
    ) -> Result<Option<Arc<Customer>>, StoreError> {
        if let Some(known) = self.known.get(order) {
            return Ok(known.clone());
        }
        let recipient = store.order(order).await?.map(|o| Arc::new(o.customer));
        if self.known.len() >= MAX_KNOWN {
            self.known.clear();
        }
        self.known.insert(order.clone(), recipient.clone());
        Ok(recipient)
    }
}
