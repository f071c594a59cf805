//! How a demo order ships: from which warehouse, with which carrier, in one
//! parcel or two, the carrier's scans up to delivery (now and then an
//! exception on the way, or an older scan reported late), and a pre-sale
//! gift box in a parcel of its own after the rest.

use super::catalogue::{cid, digits, pick, pid, CARRIERS_CN, HUBS, WAREHOUSES};
use super::fate::Fate;
use super::placement::Placement;
use super::script::{system, Writer};
use crate::model::{Channel, ComponentId, ComponentKind, EventKind, ParcelId, ScanKind};
use rand::rngs::StdRng;
use rand::Rng;
use std::time::Duration;

/// Who ships an order: its warehouse and its carrier.
pub(super) struct Shipping {
    pub warehouse: String,
    pub carrier: &'static str,
    /// How the carrier's waybill numbers begin.
    pub prefix: &'static str,
}

impl Shipping {
    /// A warehouse, and a carrier for `channel` (UPS for Shopify's American buyers).
    pub(super) fn draw(rng: &mut StdRng, channel: Channel) -> Shipping {
        let warehouse = pick(rng, &WAREHOUSES).to_string();
        let (carrier, prefix) = if channel == Channel::Shopify {
            ("UPS", "1Z")
        } else {
            *pick(rng, &CARRIERS_CN)
        };
        Shipping {
            warehouse,
            carrier,
            prefix,
        }
    }

    fn waybill(&self, rng: &mut StdRng) -> String {
        format!("{}{}", self.prefix, digits(rng, 12))
    }
}

impl Writer {
    /// Picking, then everything that ships now packed, shipped and carried
    /// to the door, then the gift box if there is one.
    pub(super) fn shipped_and_delivered(
        &mut self,
        rng: &mut StdRng,
        placement: &Placement,
        shipping: &Shipping,
        fate: Fate,
    ) {
        self.at(
            4.0,
            self.warehouse.clone(),
            system("WMS"),
            EventKind::PickingStarted,
        );
        let of_kind = |main: bool| -> Vec<ComponentId> {
            placement
                .components
                .iter()
                .filter(|c| !c.ships_later && (c.kind == ComponentKind::Main) == main)
                .map(|c| c.id.clone())
                .collect()
        };
        let (mains, gifts) = (of_kind(true), of_kind(false));
        // The gifts go in with the first main items; the rest of the main
        // items in a second parcel sometimes. A forgotten gift follows alone.
        let forgotten = fate == Fate::GiftForgotten && !gifts.is_empty();
        let split = mains.len() >= 2 && rng.random_bool(0.4);
        let (first, second) = mains.split_at(if split { mains.len() / 2 } else { mains.len() });
        let mut parcels: Vec<(String, Vec<ComponentId>)> = Vec::new();
        let mut p1 = first.to_vec();
        if !forgotten {
            p1.extend(gifts.iter().cloned());
        }
        parcels.push(("P1".into(), p1));
        if !second.is_empty() {
            parcels.push(("P2".into(), second.to_vec()));
        }
        if forgotten {
            parcels.push(("GIFT".into(), gifts));
        }
        let late = fate == Fate::WaybillLate;
        let mut waybills = Vec::new();
        for (name, contents) in parcels {
            let waybill = shipping.waybill(rng);
            let wait = if late && name == "P1" { 45.0 } else { 2.0 };
            self.packed_and_shipped(5.0, pid(&name), contents, shipping, &waybill, wait);
            waybills.push(waybill);
        }
        for waybill in &waybills {
            self.carried(rng, waybill, shipping, fate == Fate::CarrierException);
        }
        if placement.gift_box {
            self.gift_box_shipped(rng, shipping);
        }
    }

    /// The parcel packed `after` seconds on, its shipment notice sent a
    /// second later and its waybill back `wait` seconds after that.
    fn packed_and_shipped(
        &mut self,
        after: f64,
        parcel: ParcelId,
        components: Vec<ComponentId>,
        shipping: &Shipping,
        waybill: &str,
        wait: f64,
    ) {
        let packed = EventKind::ParcelPacked {
            parcel: parcel.clone(),
            components,
        };
        self.at(
            after,
            self.warehouse.clone(),
            system("packing station"),
            packed,
        );
        let notice = EventKind::ShipmentNotified {
            parcel: parcel.clone(),
            carrier: shipping.carrier.into(),
        };
        self.at(1.0, self.warehouse.clone(), system("WMS"), notice);
        let shipped = EventKind::ParcelShipped {
            parcel,
            carrier: shipping.carrier.into(),
            waybill: waybill.into(),
        };
        self.at(wait, self.warehouse.clone(), system("WMS"), shipped);
    }

    /// The carrier's scans of `waybill` from pickup to delivery, through a
    /// hub (stuck there first when `exception`); now and then the carrier's
    /// feed reports an older scan late.
    fn carried(&mut self, rng: &mut StdRng, waybill: &str, shipping: &Shipping, exception: bool) {
        let hub = *pick(rng, &HUBS);
        let carrier = shipping.carrier;
        let picked_up = (ScanKind::PickedUp, "warehouse dock", "已揽收 picked up");
        self.scan(5.0, carrier, waybill, picked_up);
        self.scan(
            6.0,
            carrier,
            waybill,
            (ScanKind::InTransit, hub, "运输中 arrived at hub"),
        );
        if exception {
            let stuck = (ScanKind::Exception, hub, "疑难件 recipient unreachable");
            self.scan(6.0, carrier, waybill, stuck);
        }
        let out = (
            ScanKind::OutForDelivery,
            "delivery station",
            "派件中 out for delivery",
        );
        self.scan(6.0, carrier, waybill, out);
        self.scan(
            6.0,
            carrier,
            waybill,
            (ScanKind::Delivered, "front door", "已签收 signed for"),
        );
        if rng.random_bool(0.15) {
            self.scan(
                2.0,
                carrier,
                waybill,
                (ScanKind::InTransit, hub, "运输中 (late report)"),
            );
            if let Some(last) = self.steps.last_mut() {
                last.backdate = Duration::from_secs(20);
            }
        }
    }

    /// The gift box, packed and shipped on its own after the rest.
    fn gift_box_shipped(&mut self, rng: &mut StdRng, shipping: &Shipping) {
        let waybill = shipping.waybill(rng);
        let contents = vec![cid("gift-box")];
        self.packed_and_shipped(8.0, pid("BOX"), contents, shipping, &waybill, 2.0);
        let carrier = shipping.carrier;
        self.scan(
            6.0,
            carrier,
            &waybill,
            (ScanKind::InTransit, "分拨中心", "运输中"),
        );
        self.scan(
            6.0,
            carrier,
            &waybill,
            (ScanKind::Delivered, "front door", "已签收 signed for"),
        );
    }

    /// A scan of `waybill`: its kind, location and detail.
    fn scan(&mut self, after: f64, carrier: &str, waybill: &str, scan: (ScanKind, &str, &str)) {
        let (scan, location, detail) = scan;
        let kind = EventKind::CarrierScan {
            waybill: waybill.into(),
            scan,
            location: Some(location.into()),
            detail: detail.into(),
        };
        self.at(after, self.carrier.clone(), system(carrier), kind);
    }
}
