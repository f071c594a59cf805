//! What happens to a demo order, and how often each fate is drawn.

use rand::rngs::StdRng;
use rand::Rng;

/// What happens to an order.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Fate {
    /// Paid, shipped and delivered.
    Delivered,
    /// Refunded in full before it is picked.
    RefundIntercepted,
    /// Delivered, then part refunded for a gift missing from the parcel.
    GiftMissingRefund,
    /// Paid and allocated, then never ships (the detector's case).
    NeverShips,
    /// A carrier exception on the way, then delivered.
    CarrierException,
    /// Cancelled by the channel before payment.
    CancelledUnpaid,
    /// Delivered, sent back and refunded.
    Returned,
    /// Packed without its gift at first (the completeness check's case),
    /// which follows in a parcel of its own.
    GiftForgotten,
    /// The waybill comes back long after the shipment notice.
    WaybillLate,
    /// The channel promised delivery sooner than the carrier can make it.
    PromiseAtRisk,
}

/// Each fate with its weight.
const FATES: [(Fate, u32); 10] = [
    (Fate::Delivered, 49),
    (Fate::GiftForgotten, 4),
    (Fate::WaybillLate, 4),
    (Fate::PromiseAtRisk, 3),
    (Fate::RefundIntercepted, 8),
    (Fate::GiftMissingRefund, 5),
    (Fate::NeverShips, 5),
    (Fate::CarrierException, 10),
    (Fate::CancelledUnpaid, 6),
    (Fate::Returned, 6),
];

impl Fate {
    /// A fate drawn by its weight.
    pub(super) fn draw(rng: &mut StdRng) -> Fate {
        let total: u32 = FATES.iter().map(|(_, w)| w).sum();
        let mut roll = rng.random_range(0..total);
        for (fate, weight) in FATES {
            if roll < weight {
                return fate;
            }
            roll -= weight;
        }
        Fate::Delivered
    }
}
