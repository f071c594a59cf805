//! The script of one demo order: its placement, then the steps of the fate
//! drawn for it, each sent a delay after the one before. Scripts are a pure
//! function of the generator's state.

use super::fate::Fate;
use super::placement::Placement;
use super::shipping::Shipping;
use crate::model::{Actor, Channel, EventKind, Money, OrderId, Source};
use chrono::{DateTime, Utc};
use rand::rngs::StdRng;
use rand::Rng;
use std::time::Duration;

/// One scripted event: sent `delay` after the previous step of its order.
#[derive(Debug, Clone, PartialEq)]
pub struct Step {
    pub delay: Duration,
    pub source: Source,
    pub actor: Actor,
    pub kind: EventKind,
    /// Reported as having happened this long before it is sent (a late scan).
    pub backdate: Duration,
}

impl Step {
    /// The step as sent at `at`. Scripts hold no clock (they are a pure
    /// function of the generator), so a `delivery_promised` step states its
    /// promise as a span after the Unix epoch; here it becomes that span
    /// after `at`.
    pub fn dated(mut self, at: chrono::DateTime<chrono::Utc>) -> Step {
        if let EventKind::DeliveryPromised { by } = &mut self.kind {
            *by = at + (*by - chrono::DateTime::UNIX_EPOCH);
        }
        self
    }
}

/// One simulated order: its id and the script of its life.
#[derive(Debug, Clone, PartialEq)]
pub struct Script {
    pub order_id: OrderId,
    pub steps: Vec<Step>,
}

/// Generates the script of the next order, placed at `placed` (which only its
/// ids, ours and the channel's, depend on: the steps' times are relative). A
/// pure function of the generator's state and `placed`.
pub fn next_script(rng: &mut StdRng, placed: DateTime<Utc>) -> Script {
    let order_id = crate::server::order_ids::generate(rng, placed);
    let placement = Placement::draw(rng, placed);
    let fate = Fate::draw(rng);
    let shipping = Shipping::draw(rng, placement.channel);
    let mut w = Writer::new(&placement, &shipping);
    w.at(0.0, w.channel.clone(), Actor::Customer, placement.event());
    w.declared_and_promised(rng, &placement, fate);
    let total = placement.total;
    if fate == Fate::CancelledUnpaid {
        w.cancelled_unpaid();
    } else {
        w.paid_and_allocated(total, &shipping);
        match fate {
            Fate::NeverShips => {}
            Fate::RefundIntercepted => w.refund_intercepted(total),
            _ => {
                w.shipped_and_delivered(rng, &placement, &shipping, fate);
                match fate {
                    Fate::GiftMissingRefund => w.gift_missing_refund(total),
                    Fate::Returned => w.returned(total),
                    _ => {}
                }
            }
        }
    }
    Script {
        order_id,
        steps: w.steps,
    }
}

/// Writes the script of one order, step by step.
pub(super) struct Writer {
    pub steps: Vec<Step>,
    /// The channel the order was placed on.
    pub channel: Source,
    /// The warehouse that ships it.
    pub warehouse: Source,
    /// The carrier that delivers it.
    pub carrier: Source,
}

impl Writer {
    fn new(placement: &Placement, shipping: &Shipping) -> Writer {
        Writer {
            steps: Vec::new(),
            channel: Source::Channel(placement.channel),
            warehouse: Source::Warehouse(shipping.warehouse.clone()),
            carrier: Source::Carrier(shipping.carrier.into()),
        }
    }

    /// Adds a step `secs` after the previous one.
    pub(super) fn at(&mut self, secs: f64, source: Source, actor: Actor, kind: EventKind) {
        self.steps.push(Step {
            delay: Duration::from_secs_f64(secs),
            source,
            actor,
            kind,
            backdate: Duration::ZERO,
        });
    }

    /// The channel cancels an order not paid in time.
    fn cancelled_unpaid(&mut self) {
        let kind = EventKind::OrderCancelled {
            reason: "not paid within 15 minutes".into(),
        };
        self.at(20.0, self.channel.clone(), system("channel"), kind);
    }

    /// The buyer pays `total`; the order is confirmed and given a warehouse.
    fn paid_and_allocated(&mut self, total: Money, shipping: &Shipping) {
        let paid = EventKind::PaymentCaptured { amount: total };
        self.at(3.0, Source::Finance, Actor::Customer, paid);
        let confirmed = EventKind::OrderConfirmed;
        self.at(3.0, self.channel.clone(), system("order router"), confirmed);
        let allocated = EventKind::WarehouseAllocated {
            warehouse: shipping.warehouse.clone(),
        };
        self.at(3.0, self.warehouse.clone(), system("WMS"), allocated);
    }
}

impl Writer {
    /// What the channel says besides the order: customs details for a
    /// cross-border order (now and then one missing, declared a little
    /// later), and a delivery promise on the platforms that make one.
    fn declared_and_promised(&mut self, rng: &mut StdRng, placement: &Placement, fate: Fate) {
        if placement.customer.address.country != "CN" {
            let mut fields = std::collections::BTreeMap::from([
                ("hs_code".to_string(), "3304.99".to_string()),
                ("declared_value".to_string(), format!("{}", placement.total)),
                ("contents".to_string(), "cosmetics".to_string()),
            ]);
            let late = rng
                .random_bool(0.3)
                .then(|| fields.remove_entry("hs_code"))
                .flatten();
            let kind = EventKind::CustomsDeclared { fields };
            self.at(0.5, self.channel.clone(), system("channel"), kind);
            if let Some((name, value)) = late {
                let kind = EventKind::CustomsDeclared {
                    fields: std::collections::BTreeMap::from([(name, value)]),
                };
                self.at(20.0, Source::Finance, system("customs broker"), kind);
            }
        }
        if matches!(placement.channel, Channel::Douyin | Channel::Tmall) {
            let days = if fate == Fate::PromiseAtRisk { 1 } else { 5 };
            // A span after the epoch, made a moment when sent (see `Step::dated`).
            let by = chrono::DateTime::UNIX_EPOCH + chrono::Duration::days(days);
            let kind = EventKind::DeliveryPromised { by };
            self.at(0.5, self.channel.clone(), system("channel"), kind);
        }
    }
}

/// A system as the actor of a step.
pub(super) fn system(name: &str) -> Actor {
    Actor::System { name: name.into() }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::order::lifecycle::evolve;
    use crate::model::{Channel, OrderEvent, RecordedEvent, ScanKind};
    use chrono::Utc;
    use rand::SeedableRng;

    fn scripts(seed: u64, n: usize) -> Vec<Script> {
        let mut rng = StdRng::seed_from_u64(seed);
        let placed = DateTime::from_timestamp(1_764_579_600, 0).unwrap();
        (0..n).map(|_| next_script(&mut rng, placed)).collect()
    }

    #[test]
    fn the_same_seed_gives_the_same_traffic() {
        assert_eq!(scripts(7, 50), scripts(7, 50));
        assert_ne!(scripts(7, 50), scripts(8, 50));
    }

    #[test]
    fn every_scripted_step_is_legal_in_the_lifecycle() {
        for script in scripts(42, 400) {
            let mut order = None;
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
                order = Some(evolve(order.as_ref(), &rec).unwrap_or_else(|r| {
                    panic!(
                        "{} step {i} ({}) refused: {r}",
                        script.order_id,
                        step.kind.name()
                    )
                }));
            }
        }
    }

    #[test]
    fn traffic_covers_the_scenarios_the_demo_promises() {
        let all = scripts(1, 400);
        let has = |f: &dyn Fn(&EventKind) -> bool| {
            all.iter().any(|s| s.steps.iter().any(|st| f(&st.kind)))
        };
        assert!(has(
            &|k| matches!(k, EventKind::OrderPlaced { components, .. } if components.iter().any(|c| c.ships_later))
        ));
        assert!(has(
            &|k| matches!(k, EventKind::ParcelPacked { parcel, .. } if parcel.as_str() == "P2")
        ));
        assert!(has(&|k| matches!(
            k,
            EventKind::CarrierScan {
                scan: ScanKind::Exception,
                ..
            }
        )));
        assert!(has(&|k| matches!(k, EventKind::Refunded { .. })));
        assert!(all
            .iter()
            .any(|s| s.steps.iter().any(|st| !st.backdate.is_zero())));
        let channels: std::collections::HashSet<_> = all
            .iter()
            .filter_map(|s| match &s.steps[0].kind {
                EventKind::OrderPlaced { channel, .. } => Some(*channel),
                _ => None,
            })
            .collect();
        assert_eq!(channels.len(), Channel::ALL.len());
        // Some orders are paid and then never ship (the detector's case).
        assert!(all.iter().any(|s| matches!(
            s.steps.last().map(|st| &st.kind),
            Some(EventKind::WarehouseAllocated { .. })
        )));
    }
}
