//! Kuaidi100 (快递100) subscription pushes: a form `param=<JSON>&sign=<…>`
//! with `sign` = upper-case hex MD5(param + salt). Each push carries the
//! waybill's whole track so far, newest first, every entry at the time it
//! happened (China time); `lastResult.state` is the state of the newest entry.

use super::order_wire::{Rendering, TrackEntry};
use super::{WireDelivery, WireError};
use crate::model::{EventKind, Integration, ScanKind, CHINA_TIME};
use md5::{Digest, Md5};
use serde_json::{json, Map, Value};

/// Kuaidi100's code for a carrier (`com`).
fn carrier_code(carrier: &str) -> String {
    match carrier {
        "SF Express" => "shunfeng".into(),
        "YTO Express" => "yuantong".into(),
        "ZTO Express" => "zhongtong".into(),
        "JD Logistics" => "jd".into(),
        "UPS" => "ups".into(),
        other => other.to_lowercase().replace(' ', ""),
    }
}

/// `lastResult.state` and the entry `status` text for a scan.
fn state(scan: ScanKind) -> (&'static str, &'static str) {
    match scan {
        ScanKind::InTransit => ("0", "在途"),
        ScanKind::PickedUp => ("1", "揽收"),
        ScanKind::Exception => ("2", "疑难"),
        ScanKind::Delivered => ("3", "签收"),
        ScanKind::OutForDelivery => ("5", "派件"),
        ScanKind::Customs => ("8", "清关"),
    }
}

fn entry(e: &TrackEntry) -> Value {
    let time =
        e.at.with_timezone(&CHINA_TIME)
            .format("%Y-%m-%d %H:%M:%S")
            .to_string();
    let mut entry = Map::new();
    entry.insert("time".into(), json!(time));
    entry.insert("ftime".into(), json!(time));
    entry.insert("context".into(), json!(e.detail));
    if let Some(location) = e.location {
        entry.insert("areaName".into(), json!(location));
    }
    entry.insert("status".into(), json!(state(e.scan).1));
    Value::Object(entry)
}

pub(super) fn render(r: &Rendering) -> Result<WireDelivery, WireError> {
    let Rendering { wire, keys, .. } = *r;
    let kind = &r.step.kind;
    let EventKind::CarrierScan { waybill, .. } = kind else {
        return Err(WireError::Unsupported {
            format: "a Kuaidi100 push",
            step: kind.name(),
        });
    };
    let track = wire.track(waybill);
    let mut entries: Vec<(usize, &TrackEntry)> = track.entries.iter().enumerate().collect();
    // Newest first; of two at the same time, the one sent later first.
    entries.sort_by(|(i, a), (j, b)| b.at.cmp(&a.at).then(j.cmp(i)));
    let newest = entries.first().map(|(_, e)| e.scan);
    let delivered = newest == Some(ScanKind::Delivered);
    let param = json!({
        "status": if delivered { "shutdown" } else { "polling" },
        "billstatus": "got",
        "message": "",
        "autoCheck": "0",
        "comOld": "",
        "comNew": "",
        "lastResult": {
            "message": "ok",
            "nu": waybill,
            "ischeck": if delivered { "1" } else { "0" },
            "condition": "00",
            "com": carrier_code(track.carrier),
            "status": "200",
            "state": newest.map_or("0", |s| state(s).0),
            "data": entries.iter().map(|(_, e)| entry(e)).collect::<Vec<_>>(),
        },
    })
    .to_string();
    let salt = keys.secret(Integration::Kuaidi100)?;
    let mut md5 = Md5::new();
    md5.update(param.as_bytes());
    md5.update(salt.as_bytes());
    let sign = hex::encode_upper(md5.finalize());
    let body = serde_urlencoded::to_string([("param", param.as_str()), ("sign", sign.as_str())])?;
    Ok(WireDelivery::post(
        "/hooks/kuaidi100".into(),
        "application/x-www-form-urlencoded",
    )
    .with_body(body.into_bytes()))
}
