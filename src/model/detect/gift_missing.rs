//! Detector 4: the completeness check at packing. Once a parcel holding a
//! main item is packed, every gift and trial size the order promised to ship
//! now (not announced for later, like a pre-sale gift box) must be packed
//! too; the parcel is flagged with what is missing until it is packed or the
//! order closes.

use super::{Context, Detector, Finding};
use crate::model::order::exceptions::{ExceptionCode, ExceptionFacts};
use crate::model::order::status::Branch;
use crate::model::order::{ComponentKind, Order};
use chrono::{DateTime, Utc};

pub struct GiftMissing;

impl Detector for GiftMissing {
    fn name(&self) -> &'static str {
        "gift-completeness check"
    }

    fn code(&self) -> ExceptionCode {
        ExceptionCode::GiftMissing
    }

    fn findings(&self, order: &Order, _: &Context<'_>, _: DateTime<Utc>) -> Vec<Finding> {
        if order.branch.is_some_and(Branch::is_terminal) {
            return Vec::new();
        }
        let missing: Vec<_> = order
            .unpacked()
            .filter(|c| matches!(c.kind, ComponentKind::Gift | ComponentKind::Trial))
            .filter(|c| !c.ships_later)
            .map(|c| c.id.clone())
            .collect();
        if missing.is_empty() {
            return Vec::new();
        }
        let is_main = |id| {
            order
                .components
                .iter()
                .any(|c| &c.id == id && c.kind == ComponentKind::Main)
        };
        // The first parcel with a main item: where the gifts belong.
        order
            .parcels
            .iter()
            .find(|p| p.components.iter().any(is_main))
            .map(|p| Finding {
                parcel: Some(p.id.clone()),
                facts: ExceptionFacts::GiftMissing {
                    missing: missing.clone(),
                },
                since: order.placed_at,
            })
            .into_iter()
            .collect()
    }
}
