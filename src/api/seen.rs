//! Events leaving a server function through the caller's lens. Free text (a
//! note, a reason) is masked knowing whom the order goes to, so the
//! recipient's own phone and address are masked wherever they are written;
//! a lens that hides nothing needs no such lookup.

use crate::model::{Lens, OrderId, RecordedEvent, SeenEvent};
use crate::server::store::{Store, StoreError};

/// `events` of the order `order` as `lens` shows them.
pub async fn seen_events(
    store: &Store,
    lens: Lens,
    order: &OrderId,
    events: &[RecordedEvent],
) -> Result<Vec<SeenEvent>, StoreError> {
    let recipient = if lens.hides_anything() {
        store.order(order).await?.map(|o| o.customer)
    } else {
        None
    };
    Ok(events
        .iter()
        .map(|e| lens.event_about(e, recipient.as_ref()))
        .collect())
}
