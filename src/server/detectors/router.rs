//! The router at work: for a paid order with no warehouse yet, a snapshot of
//! the warehouses kept (province, carriers, capacity, backlog and stock of
//! the order's SKUs), the pure [`decide`], and the events that record it —
//! the decision, then either the allocation (at or above the confidence
//! threshold) or an exception asking logistics to decide.
//!
//! The warehouses are read once per pass (a handful of rows each), and each
//! allocation made in the pass counts in the backlog of the next decision.
//! An order none of whose warehouses has ever heard of its SKUs (no stock
//! line at all) is left to the WMS: the router knows nothing to decide from.

use crate::model::detect::settings::DetectorSettings;
use crate::model::order::exceptions::{ExceptionCode, ExceptionFacts};
use crate::model::order::status::{Branch, Stage};
use crate::model::route::{decide, RouteInputs, WarehouseSnapshot};
use crate::model::{Actor, EventKind, Order, OrderEvent, Source};
use crate::server::store::{Store, StoreError, Warehouses};
use chrono::{DateTime, Utc};
use std::collections::{BTreeMap, BTreeSet};

/// The warehouses as the router sees them during one pass.
pub(super) struct Book {
    warehouses: Vec<WarehouseSnapshot>,
    /// Every SKU some warehouse keeps a stock line for.
    known: BTreeSet<String>,
}

impl Book {
    pub(super) async fn load(store: &Store, warehouses: &Warehouses) -> Result<Book, StoreError> {
        let mut book = Book {
            warehouses: Vec::new(),
            known: BTreeSet::new(),
        };
        for w in warehouses.warehouses().await? {
            let backlog = store
                .warehouse_load(&w.name)
                .await?
                .map_or(0, |l| l.backlog);
            let stock: BTreeMap<String, u64> = warehouses
                .stock(&w.name)
                .await?
                .into_iter()
                .map(|line| (line.sku, line.quantity))
                .collect();
            book.known.extend(stock.keys().cloned());
            book.warehouses.push(WarehouseSnapshot {
                name: w.name,
                province: w.province,
                daily_capacity: w.daily_capacity,
                backlog,
                stock,
                carriers: w.carriers,
            });
        }
        Ok(book)
    }

    /// What ships now, by SKU.
    fn items(order: &Order) -> BTreeMap<String, u64> {
        let mut items = BTreeMap::new();
        for c in order.components.iter().filter(|c| !c.ships_later) {
            *items.entry(c.sku.clone()).or_insert(0) += u64::from(c.quantity);
        }
        items
    }

    /// The events routing `order` at `now` comes to; none when the order is
    /// not the router's to route.
    pub(super) fn route(
        &mut self,
        order: &Order,
        settings: &DetectorSettings,
        now: DateTime<Utc>,
    ) -> Vec<EventKind> {
        let routable = (Stage::Paid..Stage::Picking).contains(&order.stage)
            && order
                .branch
                .is_none_or(|b| !b.is_terminal() && b != Branch::OnHold)
            && order.warehouse.is_none()
            && order.route.is_none();
        let items = Book::items(order);
        if !routable || items.is_empty() || !items.keys().any(|sku| self.known.contains(sku)) {
            return Vec::new();
        }
        let inputs = RouteInputs {
            destination_province: order.customer.address.province.clone(),
            promised_by: order.promised_by,
            warehouses: self
                .warehouses
                .iter()
                .map(|w| WarehouseSnapshot {
                    stock: items
                        .keys()
                        .map(|sku| (sku.clone(), w.stock.get(sku).copied().unwrap_or(0)))
                        .collect(),
                    ..w.clone()
                })
                .collect(),
            items,
            at: now,
        };
        let decision = decide(inputs, &settings.routing);
        let then = match (&decision.proposed, decision.applies()) {
            (Some(w), true) => {
                if let Some(kept) = self.warehouses.iter_mut().find(|k| &k.name == w) {
                    kept.backlog += 1;
                }
                EventKind::WarehouseAllocated {
                    warehouse: w.clone(),
                }
            }
            (proposed, _) => EventKind::ExceptionRaised {
                code: ExceptionCode::RouteReview,
                parcel: None,
                detail: String::new(),
                facts: Some(ExceptionFacts::RouteReview {
                    proposed: proposed.clone(),
                    confidence_pct: decision.confidence_pct,
                }),
            },
        };
        vec![
            EventKind::RouteProposed {
                decision: Box::new(decision),
            },
            then,
        ]
    }
}

/// An event of the router's on `order`, at `now`.
pub(super) fn event(order: &Order, now: DateTime<Utc>, kind: EventKind) -> OrderEvent {
    OrderEvent {
        order_id: order.id.clone(),
        occurred_at: now,
        source: Source::ControlRoom,
        actor: Actor::System {
            name: "router".into(),
        },
        kind,
    }
}
