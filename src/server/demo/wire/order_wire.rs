//! One demo order on the wire: the ids it goes by on each system, the steps
//! sent so far as the control room records them, and the real [`Order`] they
//! fold into with the control room's own lifecycle ([`evolve`]). The formats
//! read the order from there, so they restate what the server will hold.

use super::ids::digits_of;
use super::route::Route;
use super::{douyin, kuaidi100, shopify, timeline, wechat, wms};
use super::{WireDelivery, WireError, WireKeys};
use crate::model::{
    evolve, Channel, ComponentId, EventKind, Order, OrderEvent, OrderId, RecordedEvent, ScanKind,
};
use crate::server::demo::{Script, Step};
use chrono::{DateTime, Utc};

/// What the wire knows of one order across its steps.
#[derive(Debug, Clone)]
pub struct OrderWire {
    /// The script's order id: names every message about the order.
    pub(super) key: OrderId,
    /// The control room's id for the order, for timeline API calls.
    order_id: OrderId,
    pub(super) channel: Channel,
    /// As the channel's own feed names the order (Shopify: its numeric id).
    pub(super) channel_order_id: String,
    /// The steps rendered so far, as events of the order.
    log: Vec<RecordedEvent>,
    /// The order they fold into; `None` until its placement is rendered.
    order: Option<Order>,
}

/// One step being rendered, with everything a format needs for it.
#[derive(Clone, Copy)]
pub(super) struct Rendering<'a> {
    pub wire: &'a OrderWire,
    /// The order as the step leaves it.
    pub order: &'a Order,
    pub keys: &'a WireKeys,
    pub step: &'a Step,
    /// When the step happened.
    pub at: DateTime<Utc>,
    /// When its delivery is sent (what WeChat's signed timestamp says).
    pub sent: DateTime<Utc>,
}

/// One scan in a waybill's track.
#[derive(Debug, Clone, Copy)]
pub(super) struct TrackEntry<'a> {
    pub at: DateTime<Utc>,
    pub scan: ScanKind,
    pub location: Option<&'a str>,
    pub detail: &'a str,
}

/// A waybill's carrier and its scans so far, in the order they were sent.
#[derive(Debug, Clone)]
pub(super) struct Track<'a> {
    pub carrier: &'a str,
    pub entries: Vec<TrackEntry<'a>>,
}

impl OrderWire {
    /// The wire state of `script`'s order, from its first (OrderPlaced) step.
    pub fn for_script(script: &Script) -> Result<OrderWire, WireError> {
        let placed = script
            .steps
            .first()
            .ok_or_else(|| WireError::NotPlaced(script.order_id.clone()))?;
        OrderWire::new(&script.order_id, &placed.kind)
    }

    /// The wire state of order `order_id`, placed by `placed`.
    pub fn new(order_id: &OrderId, placed: &EventKind) -> Result<OrderWire, WireError> {
        let EventKind::OrderPlaced {
            channel,
            channel_order_id,
            ..
        } = placed
        else {
            return Err(WireError::NotPlaced(order_id.clone()));
        };
        let wire_id = match channel {
            Channel::Shopify => shopify::order_number(order_id).to_string(),
            _ => channel_order_id.clone(),
        };
        Ok(OrderWire {
            key: order_id.clone(),
            order_id: order_id.clone(),
            channel: *channel,
            channel_order_id: wire_id,
            log: Vec::new(),
            order: None,
        })
    }

    /// The id timeline API calls name the order by.
    pub fn order_id(&self) -> &OrderId {
        &self.order_id
    }

    /// Takes the id the control room gave the order (when a channel webhook
    /// placed it) for later timeline API calls.
    pub fn adopt(&mut self, order_id: OrderId) {
        self.order_id = order_id;
    }

    pub fn channel(&self) -> Channel {
        self.channel
    }

    /// The order's id as the channel's own feed names it.
    pub fn channel_order_id(&self) -> &str {
        &self.channel_order_id
    }

    /// Renders `step`, which happened at `at`, as a delivery signed with `keys`
    /// and sent at `sent` (what WeChat's signed timestamp says). The step is
    /// folded into the order first; one the lifecycle refuses is not rendered.
    pub fn render(
        &mut self,
        keys: &WireKeys,
        step: &Step,
        at: DateTime<Utc>,
        sent: DateTime<Utc>,
    ) -> Result<WireDelivery, WireError> {
        let route = Route::of(self.channel, self.order.as_ref(), &step.kind);
        self.fold(step, at)?;
        let r = Rendering {
            wire: self,
            order: self.order()?,
            keys,
            step,
            at,
            sent,
        };
        match route {
            Route::Shopify(topic) => shopify::render(&r, topic),
            Route::Douyin => douyin::render(&r),
            Route::Wechat => wechat::render(&r),
            Route::Wms => wms::render(&r),
            Route::Kuaidi100 => kuaidi100::render(&r),
            Route::Timeline => timeline::render(&r),
        }
    }

    /// Folds `step`, which happened at `at`, into the order.
    fn fold(&mut self, step: &Step, at: DateTime<Utc>) -> Result<(), WireError> {
        let recorded = RecordedEvent {
            seq: self.log.len() as u64 + 1,
            recorded_at: at,
            event: OrderEvent {
                order_id: self.key.clone(),
                occurred_at: at,
                source: step.source.clone(),
                actor: step.actor.clone(),
                kind: step.kind.clone(),
            },
        };
        let order = evolve(self.order.as_ref(), &recorded)?;
        self.log.push(recorded);
        self.order = Some(order);
        Ok(())
    }

    /// The order as the steps rendered so far make it.
    pub(super) fn order(&self) -> Result<&Order, WireError> {
        self.order
            .as_ref()
            .ok_or_else(|| WireError::NotPlaced(self.key.clone()))
    }

    /// Deliveries rendered so far (each step renders one).
    pub(super) fn sent(&self) -> usize {
        self.log.len()
    }

    fn kinds(&self) -> impl Iterator<Item = &EventKind> {
        self.log.iter().map(|r| &r.event.kind)
    }

    /// The buyer asked to send the goods back.
    pub(super) fn returning(&self) -> bool {
        self.kinds()
            .any(|k| matches!(k, EventKind::ReturnRequested { .. }))
    }

    /// The channel's id of the latest after-sale case (one a refund request).
    pub(super) fn after_sale(&self) -> Option<String> {
        let cases = self
            .kinds()
            .filter(|k| matches!(k, EventKind::RefundRequested { .. }))
            .count();
        (cases > 0).then(|| format!("{}{cases:02}", digits_of(&self.key, "after-sale", 17)))
    }

    /// `waybill`'s carrier and scans so far (none before it ships).
    pub(super) fn track(&self, waybill: &str) -> Track<'_> {
        let carrier = self
            .order
            .iter()
            .flat_map(|o| &o.parcels)
            .find(|p| p.waybill.as_deref() == Some(waybill))
            .and_then(|p| p.carrier.as_deref())
            .unwrap_or_default();
        let entries = self
            .log
            .iter()
            .filter_map(|r| match &r.event.kind {
                EventKind::CarrierScan {
                    waybill: w,
                    scan,
                    location,
                    detail,
                } if w == waybill => Some(TrackEntry {
                    at: r.event.occurred_at,
                    scan: *scan,
                    location: location.as_deref(),
                    detail,
                }),
                _ => None,
            })
            .collect();
        Track { carrier, entries }
    }

    /// A component as the channel's feed names it (Shopify: `item-<line id>`).
    pub(super) fn wire_component(&self, id: &ComponentId) -> ComponentId {
        if self.channel != Channel::Shopify {
            return id.clone();
        }
        self.order
            .iter()
            .flat_map(|o| o.components.iter().position(|c| &c.id == id))
            .find_map(|i| ComponentId::parse(format!("item-{}", self.line_id(i))).ok())
            .unwrap_or_else(|| id.clone())
    }

    /// The Shopify line-item id of the `i`th component.
    pub(super) fn line_id(&self, i: usize) -> u64 {
        shopify::line_number(&self.key, i)
    }

    /// A message id unique to this delivery: `<prefix>-<order>-<n>`.
    pub(super) fn message_id(&self, prefix: &str) -> String {
        format!("{prefix}-{}-{:03}", self.key, self.sent())
    }
}
