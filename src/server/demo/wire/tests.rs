//! Every rendered step checked against what the control room's own adapters,
//! signature checks and mapping tables make of it.

use super::*;
use crate::model::ingest::mapping::{default_mappings, lookup, Mapping, MappingIndex, Target};
use crate::model::{Channel, ComponentKind, EventKind, Integration, Money, OrderId, Source};
use crate::server::demo::{next_script, Script, Step};
use crate::server::ingest::adapters::{self, kuaidi100_param, Fact, WmsFact};
use crate::server::ingest::signature::{self, SignatureError};
use axum::http::{HeaderMap, HeaderName, HeaderValue};
use chrono::{DateTime, FixedOffset, TimeDelta, Utc};
use rand::rngs::StdRng;
use rand::SeedableRng;
use serde::Deserialize;
use std::collections::HashSet;

fn keys_with(suffix: &str) -> WireKeys {
    let secrets = [
        (Integration::Shopify, format!("shpss_demo{suffix}")),
        (Integration::Douyin, format!("7001234567890:douyin{suffix}")),
        (
            Integration::Wechat,
            format!(
                "wechat{}:abcdefghijklmnopqrstuvwxyz0123456789ABCDEFG",
                suffix.replace('-', "")
            ),
        ),
        (Integration::Kuaidi100, format!("kuaidi100-salt{suffix}")),
        (Integration::Track17, format!("track17{suffix}")),
        (Integration::EasyPost, format!("easypost{suffix}")),
        (Integration::Wms, format!("wms-shared{suffix}")),
    ];
    WireKeys {
        secrets: secrets.into_iter().collect(),
        api_key: format!("ocr_demo{suffix}"),
    }
}

fn keys() -> WireKeys {
    keys_with("-secret")
}

/// One step on the wire, with what the wire knew before it.
struct Rendered {
    step: Step,
    at: DateTime<Utc>,
    before: OrderWire,
    delivery: WireDelivery,
}

/// Renders every step of `script`, the first at `start`.
fn render_script(script: &Script, start: DateTime<Utc>) -> Vec<Rendered> {
    let mut wire = OrderWire::for_script(script).unwrap();
    let mut clock = start;
    script
        .steps
        .iter()
        .map(|step| {
            clock += TimeDelta::from_std(step.delay).unwrap();
            let at = clock - step.backdate;
            let before = wire.clone();
            let delivery = wire.render(&keys(), step, at, at).unwrap();
            Rendered {
                step: step.clone(),
                at,
                before,
                delivery,
            }
        })
        .collect()
}

/// `n` scripts of `seed`, rendered; times have a fractional second so the
/// formats' precision shows.
fn rendered(seed: u64, n: usize) -> Vec<Vec<Rendered>> {
    let mut rng = StdRng::seed_from_u64(seed);
    let base: DateTime<Utc> = "2026-11-20T01:00:00.250Z".parse().unwrap();
    (0..n)
        .map(|i| {
            let at = base + TimeDelta::minutes(i as i64);
            let script = next_script(&mut rng, at);
            render_script(&script, at)
        })
        .collect()
}

fn all(seed: u64, n: usize) -> Vec<Rendered> {
    rendered(seed, n).into_iter().flatten().collect()
}

fn header_map(delivery: &WireDelivery) -> HeaderMap {
    let mut map = HeaderMap::new();
    for (name, value) in &delivery.headers {
        map.append(
            HeaderName::from_bytes(name.as_bytes()).unwrap(),
            HeaderValue::from_str(value).unwrap(),
        );
    }
    map
}

fn header<'a>(delivery: &'a WireDelivery, name: &str) -> Option<&'a str> {
    delivery
        .headers
        .iter()
        .find(|(n, _)| n.eq_ignore_ascii_case(name))
        .map(|(_, v)| v.as_str())
}

fn seconds(at: DateTime<Utc>) -> DateTime<Utc> {
    DateTime::from_timestamp(at.timestamp(), 0).unwrap()
}

fn verify(keys: &WireKeys, i: Integration, d: &WireDelivery) -> Result<(), SignatureError> {
    signature::verify(
        i,
        &keys.signing_secrets(),
        &header_map(d),
        d.query(),
        &d.body,
    )
}

/// What ingest parses of a webhook: the body, or the message a WeChat
/// safe-mode push carries sealed.
fn opened(i: Integration, d: &WireDelivery) -> Vec<u8> {
    let secrets = keys().signing_secrets();
    let opened = signature::open(i, &secrets, &header_map(d), d.query(), &d.body).unwrap();
    if i == Integration::Wechat {
        assert_eq!(opened.wechat.unwrap().mode, signature::WechatMode::Safe);
    }
    opened.body.into_owned()
}

/// What a channel status fact means by the default mapping table; `None`
/// for one that changes no status.
fn change(mappings: &[Mapping], dialect: &str, value: &str) -> Option<Target> {
    match lookup(mappings, dialect, value) {
        Some(Target::NoChange | Target::Shipped) | None => None,
        Some(t) => Some(*t),
    }
}

/// Asserts that the channel facts of a delivery say `expected`, once, about
/// this order, at the step's time, with `amount` as ingest will read it.
/// (A Shopify order body restates the order itself: ingest ignores that
/// for an order it knows.)
fn assert_one_change(r: &Rendered, facts: &[Fact], expected: Target, amount: Option<Money>) {
    let mappings = default_mappings();
    let mut changes = Vec::new();
    for fact in facts {
        if let Fact::OrderPlaced {
            channel,
            channel_order_id,
            ..
        } = fact
        {
            assert_eq!(*channel, Channel::Shopify);
            assert_eq!(channel_order_id, &r.before.channel_order_id);
            continue;
        }
        let Fact::ChannelStatus {
            channel,
            channel_order_id,
            dialect,
            value,
            amount: given,
            at,
        } = fact
        else {
            panic!("unexpected fact {fact:?}");
        };
        assert_eq!(*channel, r.before.channel);
        assert_eq!(channel_order_id, &r.before.channel_order_id);
        assert_eq!(*at, Some(seconds(r.at)), "{fact:?}");
        if let Some(target) = change(&mappings, dialect, value) {
            changes.push((target, given.filter(Money::is_positive)));
        }
    }
    assert_eq!(changes.len(), 1, "{}: {facts:?}", r.step.kind.name());
    let (target, given) = changes[0];
    assert_eq!(target, expected, "{facts:?}");
    if let Some(amount) = amount {
        // Ingest reads a missing amount as the total (payment), what is
        // still refundable (request) or what was asked (refund).
        let before = r.before.order().unwrap();
        let read = given.unwrap_or(match target {
            Target::Paid => before.total,
            Target::RefundRequested => before.refundable(),
            _ => before.refund_requested.unwrap_or(before.refundable()),
        });
        assert_eq!(read, amount, "{facts:?}");
    }
}

fn assert_warehouse(r: &Rendered, facts: &[Fact]) {
    let [Fact::Warehouse(fact)] = facts else {
        panic!("expected one warehouse fact: {facts:?}");
    };
    let w = &r.before;
    let name = match &r.step.source {
        Source::Warehouse(name) => name.clone(),
        other => panic!("a warehouse step from {other:?}"),
    };
    let expected = match &r.step.kind {
        EventKind::WarehouseAllocated { warehouse } => WmsFact::OutboundCreated {
            channel: w.channel,
            channel_order_id: w.channel_order_id.clone(),
            warehouse: warehouse.clone(),
            at: r.at,
        },
        EventKind::PickingStarted => WmsFact::Picking {
            channel: w.channel,
            channel_order_id: w.channel_order_id.clone(),
            warehouse: name,
            at: r.at,
        },
        EventKind::ParcelPacked { parcel, components } => WmsFact::Packed {
            channel: w.channel,
            channel_order_id: w.channel_order_id.clone(),
            warehouse: name,
            parcel: parcel.clone(),
            components: components.iter().map(|c| w.wire_component(c)).collect(),
            at: r.at,
        },
        EventKind::ParcelShipped {
            parcel,
            carrier,
            waybill,
        } => WmsFact::Shipped {
            channel: w.channel,
            channel_order_id: w.channel_order_id.clone(),
            warehouse: name,
            parcel: parcel.clone(),
            carrier: carrier.clone(),
            waybill: waybill.clone(),
            at: r.at,
        },
        other => panic!("{} is not a warehouse step", other.name()),
    };
    assert_eq!(fact, &expected);
}

fn assert_scan(r: &Rendered, facts: &[Fact]) {
    let EventKind::CarrierScan {
        waybill,
        scan,
        location,
        detail,
    } = &r.step.kind
    else {
        panic!("not a scan");
    };
    let mappings = default_mappings();
    let scans: Vec<_> = facts
        .iter()
        .map(|f| match f {
            Fact::CarrierScan {
                waybill: w,
                dialect,
                value,
                location,
                detail,
                at,
                ..
            } => {
                assert_eq!(w, waybill);
                let Some(Target::Scan(kind)) = lookup(&mappings, dialect, value) else {
                    panic!("{dialect} {value} is no scan");
                };
                (*kind, location.clone(), detail.clone(), *at)
            }
            other => panic!("unexpected fact {other:?}"),
        })
        .collect();
    // The whole track so far, oldest first, the new scan among it at its
    // own time (a late one too).
    let sent_before = r.before.track(waybill).entries.len();
    assert_eq!(scans.len(), sent_before + 1);
    assert!(scans.windows(2).all(|w| w[0].3 <= w[1].3));
    let new = (*scan, location.clone(), detail.clone(), seconds(r.at));
    assert!(scans.contains(&new), "{new:?} not in {scans:?}");
}

fn assert_placed(r: &Rendered, facts: &[Fact]) {
    let EventKind::OrderPlaced {
        channel,
        total,
        components,
        ..
    } = &r.step.kind
    else {
        panic!("not a placement");
    };
    let Some(Fact::OrderPlaced {
        channel: c,
        channel_order_id,
        components: lines,
        spelled_kinds,
        total: t,
        at,
        ..
    }) = facts.first()
    else {
        panic!("no order placed in {facts:?}");
    };
    assert_eq!((c, t, *at), (channel, total, seconds(r.at)));
    assert_eq!(channel_order_id, &r.before.channel_order_id);
    assert_eq!(lines.len(), components.len());
    // Only Shopify places an order by webhook; it names lines by line-item id.
    assert_eq!(*channel, Channel::Shopify);
    let mappings = default_mappings();
    for (i, (line, c)) in lines.iter().zip(components).enumerate() {
        let line_id = shopify::line_number(&r.before.key, i);
        assert_eq!(line.id.as_str(), format!("item-{line_id}"));
        assert_eq!(
            (&line.name, &line.sku, line.quantity, line.unit_price),
            (&c.name, &c.sku, c.quantity, c.unit_price)
        );
        // Its kind, as spelled, is what the default table reads it as.
        let spelled = spelled_kinds.iter().find(|(id, _)| *id == line.id);
        let read = spelled.map_or(Some(ComponentKind::Main), |(_, s)| {
            MappingIndex::new(&mappings).component_kind(s)
        });
        assert_eq!(read, Some(c.kind), "{spelled:?}");
    }
    // The other facts (pending, unfulfilled) move nothing.
    for fact in &facts[1..] {
        let Fact::ChannelStatus { dialect, value, .. } = fact else {
            panic!("unexpected fact {fact:?}");
        };
        assert_eq!(change(&mappings, dialect, value), None, "{fact:?}");
    }
}

fn assert_says(r: &Rendered, facts: &[Fact]) {
    match &r.step.kind {
        EventKind::OrderPlaced { .. } => assert_placed(r, facts),
        EventKind::PaymentCaptured { amount } => {
            assert_one_change(r, facts, Target::Paid, Some(*amount))
        }
        EventKind::OrderCancelled { .. } => assert_one_change(r, facts, Target::Cancelled, None),
        EventKind::RefundRequested { amount, .. } => {
            assert_one_change(r, facts, Target::RefundRequested, Some(*amount))
        }
        EventKind::Refunded { amount } => {
            assert_one_change(r, facts, Target::Refunded, Some(*amount))
        }
        EventKind::WarehouseAllocated { .. }
        | EventKind::PickingStarted
        | EventKind::ParcelPacked { .. }
        | EventKind::ParcelShipped { .. } => assert_warehouse(r, facts),
        EventKind::CarrierScan { .. } => assert_scan(r, facts),
        other => panic!("{} went to a webhook", other.name()),
    }
}

#[test]
fn every_webhook_is_signed_and_says_what_its_step_says() {
    let (keys, other) = (keys(), keys_with("-rotated"));
    let mut checked = 0;
    for r in all(42, 300) {
        let d = &r.delivery;
        let Some(i) = d.integration() else { continue };
        let step = r.step.kind.name();
        assert_eq!(verify(&keys, i, d), Ok(()), "{i} {step}");
        assert_eq!(
            verify(&other, i, d),
            Err(SignatureError::Mismatch),
            "{i} {step}"
        );
        let parsed = adapters::parse(i, &header_map(d), &opened(i, d))
            .unwrap_or_else(|e| panic!("{i} {step}: {e}"));
        assert_says(&r, &parsed.facts);
        checked += 1;
    }
    assert!(checked > 2000, "{checked}");
}

/// The body of `docs/timeline-api.md`, read strictly.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct ApiBody {
    event_id: String,
    occurred_at: DateTime<FixedOffset>,
    source: Source,
    event: EventKind,
}

#[test]
fn every_timeline_call_is_the_documented_body_of_its_step() {
    let mut checked = 0;
    for r in all(42, 300) {
        let d = &r.delivery;
        if d.integration().is_some() {
            continue;
        }
        assert_eq!(
            d.path_and_query,
            format!("/api/v1/orders/{}/events", r.before.order_id())
        );
        assert_eq!(header(d, "Authorization"), Some("Bearer ocr_demo-secret"));
        assert_eq!(header(d, "Content-Type"), Some("application/json"));
        let body: ApiBody = serde_json::from_slice(&d.body).unwrap();
        assert_eq!(body.event, r.step.kind);
        assert_eq!(body.source, r.step.source);
        assert_eq!(body.occurred_at, r.at);
        let id = &body.event_id;
        assert!(!id.is_empty() && id.chars().count() <= 128, "{id}");
        assert!(!id.chars().any(char::is_control), "{id}");
        checked += 1;
    }
    assert!(checked > 500, "{checked}");
}

#[test]
fn every_delivery_is_unique() {
    let mut seen = HashSet::new();
    for r in all(7, 300) {
        let d = &r.delivery;
        let key = match d.integration() {
            Some(i) => {
                let parsed = adapters::parse(i, &header_map(d), &opened(i, d)).unwrap();
                (i.as_str().to_string(), parsed.dedupe_key)
            }
            None => {
                let body: ApiBody = serde_json::from_slice(&d.body).unwrap();
                ("api".to_string(), body.event_id)
            }
        };
        assert!(seen.insert(key.clone()), "{key:?} twice");
    }
}

#[test]
fn rendering_is_a_pure_function_of_the_script_and_the_times() {
    let deliveries =
        |seed| -> Vec<WireDelivery> { all(seed, 60).into_iter().map(|r| r.delivery).collect() };
    assert_eq!(deliveries(3), deliveries(3));
    assert_ne!(deliveries(3), deliveries(4));
}

#[test]
fn steps_take_the_formats_the_module_documents() {
    let mut used = HashSet::new();
    for r in all(1, 300) {
        let to = r.delivery.integration();
        used.insert(to.map_or("api", Integration::as_str));
        let channel = r.before.channel;
        match (&r.step.kind, channel) {
            (EventKind::OrderPlaced { .. }, Channel::Shopify) => {
                assert_eq!(to, Some(Integration::Shopify))
            }
            (EventKind::OrderPlaced { .. }, _) => assert_eq!(to, None),
            (EventKind::PaymentCaptured { .. }, Channel::Shopify) => {
                assert_eq!(to, Some(Integration::Shopify))
            }
            (EventKind::PaymentCaptured { .. }, Channel::Douyin) => {
                assert_eq!(to, Some(Integration::Douyin))
            }
            (EventKind::PaymentCaptured { .. }, Channel::Wechat) => {
                assert_eq!(to, Some(Integration::Wechat))
            }
            (EventKind::CarrierScan { .. }, _) => assert_eq!(to, Some(Integration::Kuaidi100)),
            (EventKind::WarehouseAllocated { .. } | EventKind::ParcelShipped { .. }, _) => {
                assert_eq!(to, Some(Integration::Wms))
            }
            (
                EventKind::OrderConfirmed
                | EventKind::ReturnRequested { .. }
                | EventKind::ReturnReceived,
                _,
            ) => assert_eq!(to, None),
            (_, Channel::Tmall | Channel::Xiaohongshu | Channel::Pos)
                if r.step.source == Source::Channel(channel)
                    || r.step.source == Source::Finance =>
            {
                assert_eq!(to, None)
            }
            _ => {}
        }
    }
    let expected: HashSet<&str> = ["shopify", "douyin", "wechat", "kuaidi100", "wms", "api"].into();
    assert_eq!(used, expected);
}

#[test]
fn a_late_scan_keeps_its_time_inside_a_track_sent_newest_first() {
    let mut late_scans = 0;
    for r in all(1, 300) {
        if r.delivery.integration() != Some(Integration::Kuaidi100) {
            continue;
        }
        let (param, _) = kuaidi100_param(&r.delivery.body).unwrap();
        let param: serde_json::Value = serde_json::from_str(&param).unwrap();
        let times: Vec<&str> = param["lastResult"]["data"]
            .as_array()
            .unwrap()
            .iter()
            .map(|e| e["time"].as_str().unwrap())
            .collect();
        assert!(times.windows(2).all(|w| w[0] >= w[1]), "{times:?}");
        if r.step.backdate.is_zero() {
            continue;
        }
        late_scans += 1;
        let facts = adapters::parse(Integration::Kuaidi100, &HeaderMap::new(), &r.delivery.body)
            .unwrap()
            .facts;
        // Not the newest entry: the push's state still says delivered.
        assert_eq!(param["lastResult"]["state"], "3");
        assert!(facts.iter().any(|f| matches!(
            f,
            Fact::CarrierScan { at, detail, .. }
                if *at == seconds(r.at) && detail.contains("late report")
        )));
    }
    assert!(late_scans > 0);
}

#[test]
fn a_missing_secret_or_key_is_an_error() {
    let script = next_script(&mut StdRng::seed_from_u64(5), Utc::now());
    let mut keys = keys();
    keys.secrets.clear();
    keys.api_key.clear();
    let mut wire = OrderWire::for_script(&script).unwrap();
    let at = Utc::now();
    for step in &script.steps {
        let err = wire.render(&keys, step, at, at).unwrap_err();
        assert!(
            matches!(err, WireError::NoSecret(_) | WireError::NoApiKey),
            "{err}"
        );
    }
    let mut keys = self::keys();
    keys.secrets
        .insert(Integration::Douyin, "no-colon".to_string());
    let mut rng = StdRng::seed_from_u64(9);
    let douyin = std::iter::repeat_with(|| next_script(&mut rng, Utc::now()))
        .find(|s| OrderWire::for_script(s).unwrap().channel() == Channel::Douyin)
        .unwrap();
    let mut wire = OrderWire::for_script(&douyin).unwrap();
    let errors: Vec<_> = douyin
        .steps
        .iter()
        .filter_map(|s| wire.render(&keys, s, at, at).err())
        .collect();
    assert!(errors.iter().all(|e| matches!(e, WireError::DouyinSecret)));
    assert!(!errors.is_empty());
}

#[test]
fn a_script_must_begin_with_its_placement() {
    let mut script = next_script(&mut StdRng::seed_from_u64(5), Utc::now());
    script.steps.remove(0);
    assert!(matches!(
        OrderWire::for_script(&script),
        Err(WireError::NotPlaced(_))
    ));
}

#[test]
fn adopted_ids_name_later_timeline_calls() {
    let mut rng = StdRng::seed_from_u64(11);
    let script = std::iter::repeat_with(|| next_script(&mut rng, Utc::now()))
        .find(|s| OrderWire::for_script(s).unwrap().channel() == Channel::Shopify)
        .unwrap();
    let mut wire = OrderWire::for_script(&script).unwrap();
    let at = Utc::now();
    let placed = wire.render(&keys(), &script.steps[0], at, at).unwrap();
    assert_eq!(placed.integration(), Some(Integration::Shopify));
    wire.adopt(OrderId::parse("CR-ADOPTED2").unwrap());
    // Paid, then confirmed: the confirmation goes through the timeline API.
    let confirm = script
        .steps
        .iter()
        .position(|s| s.kind == EventKind::OrderConfirmed)
        .unwrap();
    let mut call = None;
    for step in &script.steps[1..=confirm] {
        call = Some(wire.render(&keys(), step, at, at).unwrap());
    }
    let call = call.unwrap();
    assert_eq!(call.integration(), None);
    assert_eq!(call.path_and_query, "/api/v1/orders/CR-ADOPTED2/events");
}

#[test]
fn a_step_the_lifecycle_refuses_is_not_rendered_and_changes_nothing() {
    let script = next_script(&mut StdRng::seed_from_u64(5), Utc::now());
    let mut wire = OrderWire::for_script(&script).unwrap();
    let at = Utc::now();
    wire.render(&keys(), &script.steps[0], at, at).unwrap();
    let placed = wire.order().unwrap().clone();
    // A refund nobody asked for, of an order not paid.
    let refund = Step {
        kind: EventKind::Refunded {
            amount: placed.total,
        },
        ..script.steps[0].clone()
    };
    assert!(matches!(
        wire.render(&keys(), &refund, at, at),
        Err(WireError::Refused(_))
    ));
    assert_eq!(wire.order().unwrap(), &placed);
    assert_eq!(wire.sent(), 1);
}

#[test]
fn shopify_ids_are_distinct_numbers_of_fixed_width() {
    let mut rng = StdRng::seed_from_u64(2);
    let ids: HashSet<OrderId> = (0..5000)
        .map(|_| crate::server::order_ids::generate(&mut rng, Utc::now()))
        .collect();
    let numbers: HashSet<u64> = ids.iter().map(shopify::order_number).collect();
    assert_eq!(numbers.len(), ids.len());
    for id in &ids {
        assert_eq!(shopify::order_number(id).to_string().len(), 13);
        assert_eq!(shopify::line_number(id, 15).to_string().len(), 14);
    }
    let odd = OrderId::parse("imported-order-0001").unwrap();
    assert_eq!(shopify::order_number(&odd).to_string().len(), 13);
}

#[test]
fn keys_never_show_in_debug_output() {
    let shown = format!("{:?}", keys());
    assert!(!shown.contains("secret"), "{shown}");
    assert!(!shown.contains("ocr_"), "{shown}");
    assert!(shown.contains("wms"), "{shown}");
    let random = WireKeys::random("ocr_x");
    assert!(random.secrets[&Integration::Douyin].contains(':'));
    assert_eq!(random.secrets.len(), Integration::ALL.len());
}
