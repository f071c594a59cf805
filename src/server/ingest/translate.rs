//! Turns a delivery's dialect-level facts into events for our orders: finds the
//! order by the channel's id or by waybill, and reads each dialect value
//! through the mapping tables. A value with no mapping (or no status meaning)
//! becomes a `status_reported` event, so nothing reported is dropped.

use super::adapters::{Fact, Integration, WmsFact};
use crate::model::ingest::mapping::dialect::COMPONENT_KIND;
use crate::model::ingest::mapping::{MappingIndex, Target};
use crate::model::{Actor, Channel, EventKind, Money, Order, OrderEvent, OrderId, Source};
use crate::server::store::{Awaiting, IfRefused, Reported, Store, StoreError};
use chrono::{DateTime, Utc};
use std::collections::HashMap;

/// What a delivery means for our log.
#[derive(Debug)]
pub enum Translation {
    /// Events for known (or newly placed) orders.
    Events(Vec<Reported>),
    /// The delivery is about an order or waybill we do not know yet.
    UnknownOrder(Awaiting),
}

/// What we know of an order while translating one delivery.
#[derive(Debug, Clone)]
struct Known {
    id: OrderId,
    total: Money,
    refundable: Money,
    refund_requested: Option<Money>,
}

impl From<&Order> for Known {
    fn from(o: &Order) -> Self {
        Known {
            id: o.id.clone(),
            total: o.total,
            refundable: o.refundable(),
            refund_requested: o.refund_requested,
        }
    }
}

struct Translator<'a> {
    mappings: &'a MappingIndex,
    actor: Actor,
    now: DateTime<Utc>,
    /// The orders the delivery names (looked up at once before translating),
    /// and those it places, by channel and id.
    by_channel: HashMap<(Channel, String), Known>,
    /// The orders of the waybills the delivery names.
    by_waybill: HashMap<String, Known>,
    out: Vec<Reported>,
}

/// The orders and waybills `facts` name, to look up in one read.
fn named(facts: &[Fact]) -> (Vec<(Channel, String)>, Vec<String>) {
    let mut orders = Vec::new();
    let mut waybills = Vec::new();
    for fact in facts {
        let (channel, id) = match fact {
            Fact::OrderPlaced {
                channel,
                channel_order_id,
                ..
            }
            | Fact::ChannelStatus {
                channel,
                channel_order_id,
                ..
            } => (*channel, channel_order_id),
            Fact::Warehouse(
                WmsFact::OutboundCreated {
                    channel,
                    channel_order_id,
                    ..
                }
                | WmsFact::Picking {
                    channel,
                    channel_order_id,
                    ..
                }
                | WmsFact::Packed {
                    channel,
                    channel_order_id,
                    ..
                }
                | WmsFact::Shipped {
                    channel,
                    channel_order_id,
                    ..
                },
            ) => (*channel, channel_order_id),
            Fact::CarrierScan { waybill, .. } => {
                if !waybills.contains(waybill) {
                    waybills.push(waybill.clone());
                }
                continue;
            }
        };
        let key = (channel, id.clone());
        if !orders.contains(&key) {
            orders.push(key);
        }
    }
    (orders, waybills)
}

impl Translator<'_> {
    fn by_channel(&self, channel: Channel, channel_order_id: &str) -> Option<Known> {
        self.by_channel
            .get(&(channel, channel_order_id.to_string()))
            .cloned()
    }

    fn push(
        &mut self,
        order: &OrderId,
        source: Source,
        at: DateTime<Utc>,
        kind: EventKind,
        dialect: &str,
        value: &str,
    ) {
        self.out.push(Reported {
            event: OrderEvent {
                order_id: order.clone(),
                occurred_at: at,
                source,
                actor: self.actor.clone(),
                kind,
            },
            if_refused: IfRefused::Keep {
                dialect: dialect.to_string(),
                value: value.to_string(),
            },
        });
    }

    /// The event a channel's status value means for `order`.
    fn channel_event(
        &self,
        order: &Known,
        dialect: &str,
        value: &str,
        amount: Option<Money>,
    ) -> EventKind {
        let given = amount.filter(Money::is_positive);
        let reason = format!("{dialect} = {value}");
        match self.mappings.get(dialect, value) {
            Some(Target::Paid) => EventKind::PaymentCaptured {
                amount: given.unwrap_or(order.total),
            },
            Some(Target::Confirmed) => EventKind::OrderConfirmed,
            Some(Target::Cancelled) => EventKind::OrderCancelled { reason },
            Some(Target::RefundRequested) => EventKind::RefundRequested {
                amount: given.unwrap_or(order.refundable),
                reason,
            },
            Some(Target::RefundDeclined) => EventKind::RefundDeclined { reason },
            Some(Target::Refunded) => EventKind::Refunded {
                amount: given.or(order.refund_requested).unwrap_or(order.refundable),
            },
            Some(Target::Scan(_) | Target::Shipped | Target::NoChange | Target::Kind(_)) => {
                reported(dialect, value, "no status change")
            }
            None => reported(dialect, value, "no mapping yet"),
        }
    }
}

fn reported(dialect: &str, value: &str, note: &str) -> EventKind {
    EventKind::StatusReported {
        dialect: dialect.to_string(),
        value: value.to_string(),
        note: note.to_string(),
        not_applied: None,
    }
}

/// Translates `facts` of one delivery from `integration`.
pub async fn translate(
    store: &Store,
    mappings: &MappingIndex,
    integration: Integration,
    facts: Vec<Fact>,
) -> Result<Translation, StoreError> {
    let (orders, waybills) = named(&facts);
    let found = store.find_orders(orders, waybills).await?;
    let mut t = Translator {
        mappings,
        actor: Actor::System {
            name: format!("{integration} webhook"),
        },
        now: Utc::now(),
        by_channel: found
            .by_channel
            .iter()
            .map(|(key, order)| (key.clone(), Known::from(order)))
            .collect(),
        by_waybill: found
            .by_waybill
            .iter()
            .map(|(waybill, order)| (waybill.clone(), Known::from(order)))
            .collect(),
        out: Vec::new(),
    };
    for fact in facts {
        match fact {
            Fact::OrderPlaced {
                channel,
                channel_order_id,
                customer,
                mut components,
                spelled_kinds,
                total,
                at,
            } => {
                if t.by_channel(channel, &channel_order_id).is_some() {
                    continue; // Placed before: a redelivery under a new id, or an update.
                }
                let id = crate::server::order_ids::generate(&mut rand::rng(), at);
                t.by_channel.insert(
                    (channel, channel_order_id.clone()),
                    Known {
                        id: id.clone(),
                        total,
                        refundable: Money::zero(total.currency),
                        refund_requested: None,
                    },
                );
                let mut unmapped = Vec::new();
                for (component, spelling) in spelled_kinds {
                    match t.mappings.component_kind(&spelling) {
                        Some(kind) => components
                            .iter_mut()
                            .filter(|c| c.id == component)
                            .for_each(|c| c.kind = kind),
                        // Kept as an item, and listed for an admin to map.
                        None => unmapped.push(spelling),
                    }
                }
                let kind = EventKind::OrderPlaced {
                    channel,
                    channel_order_id,
                    customer,
                    components,
                    total,
                };
                t.push(&id, Source::Channel(channel), at, kind, "order", "placed");
                for spelling in unmapped {
                    let kind = reported(COMPONENT_KIND, &spelling, "no mapping yet");
                    t.push(
                        &id,
                        Source::Channel(channel),
                        at,
                        kind,
                        COMPONENT_KIND,
                        &spelling,
                    );
                }
            }
            Fact::ChannelStatus {
                channel,
                channel_order_id,
                dialect,
                value,
                amount,
                at,
            } => {
                let Some(order) = t.by_channel(channel, &channel_order_id) else {
                    return Ok(Translation::UnknownOrder(Awaiting::order(
                        channel,
                        &channel_order_id,
                    )));
                };
                let kind = t.channel_event(&order, dialect, &value, amount);
                if let EventKind::PaymentCaptured { amount } = &kind {
                    // Later facts in the same delivery see the payment.
                    if let Some(k) = t.by_channel.get_mut(&(channel, channel_order_id.clone())) {
                        k.refundable = *amount;
                    }
                }
                let at = at.unwrap_or(t.now);
                t.push(
                    &order.id,
                    Source::Channel(channel),
                    at,
                    kind,
                    dialect,
                    &value,
                );
            }
            Fact::CarrierScan {
                carrier,
                waybill,
                dialect,
                value,
                location,
                detail,
                at,
            } => {
                let Some(order) = t.by_waybill.get(&waybill).cloned() else {
                    return Ok(Translation::UnknownOrder(Awaiting::waybill(&waybill)));
                };
                let kind = match mappings.get(dialect, &value) {
                    Some(Target::Scan(scan)) => EventKind::CarrierScan {
                        waybill,
                        scan: *scan,
                        location,
                        detail,
                    },
                    Some(_) => reported(dialect, &value, "no status change"),
                    None => reported(dialect, &value, "no mapping yet"),
                };
                t.push(
                    &order.id,
                    Source::Carrier(carrier),
                    at,
                    kind,
                    dialect,
                    &value,
                );
            }
            Fact::Warehouse(fact) => {
                let (channel, channel_order_id, warehouse, at, kind, what) = match fact {
                    WmsFact::OutboundCreated {
                        channel,
                        channel_order_id,
                        warehouse,
                        at,
                    } => {
                        let kind = EventKind::WarehouseAllocated {
                            warehouse: warehouse.clone(),
                        };
                        (
                            channel,
                            channel_order_id,
                            warehouse,
                            at,
                            kind,
                            "outbound_created",
                        )
                    }
                    WmsFact::Picking {
                        channel,
                        channel_order_id,
                        warehouse,
                        at,
                    } => (
                        channel,
                        channel_order_id,
                        warehouse,
                        at,
                        EventKind::PickingStarted,
                        "picking",
                    ),
                    WmsFact::Packed {
                        channel,
                        channel_order_id,
                        warehouse,
                        parcel,
                        components,
                        at,
                    } => {
                        let kind = EventKind::ParcelPacked { parcel, components };
                        (channel, channel_order_id, warehouse, at, kind, "packed")
                    }
                    WmsFact::Shipped {
                        channel,
                        channel_order_id,
                        warehouse,
                        parcel,
                        carrier,
                        waybill,
                        at,
                    } => {
                        let kind = EventKind::ParcelShipped {
                            parcel,
                            carrier,
                            waybill,
                        };
                        (channel, channel_order_id, warehouse, at, kind, "shipped")
                    }
                };
                let Some(order) = t.by_channel(channel, &channel_order_id) else {
                    return Ok(Translation::UnknownOrder(Awaiting::order(
                        channel,
                        &channel_order_id,
                    )));
                };
                t.push(
                    &order.id,
                    Source::Warehouse(warehouse),
                    at,
                    kind,
                    "wms.type",
                    what,
                );
            }
        }
    }
    Ok(Translation::Events(t.out))
}
