//! How times, money and roles read on screen.
//!
//! Times are stored and sent as UTC instants; people read them in their own time
//! zone. Each instant is converted on its own through the browser's `Date`, so
//! daylight-saving changes between two instants are honoured.

use crate::model::Role;
use chrono::{DateTime, Utc};

/// A UTC instant in the viewer's local time, `2026-11-22 11:03:15`.
pub fn local_time(at: DateTime<Utc>) -> String {
    let date = js_sys::Date::new(&wasm_bindgen::JsValue::from_f64(
        at.timestamp_millis() as f64
    ));
    format!(
        "{:04}-{:02}-{:02} {:02}:{:02}:{:02}",
        date.get_full_year(),
        date.get_month() + 1,
        date.get_date(),
        date.get_hours(),
        date.get_minutes(),
        date.get_seconds(),
    )
}

/// The instant as a machine-readable `datetime` attribute (RFC 3339, UTC).
pub fn machine_time(at: DateTime<Utc>) -> String {
    at.to_rfc3339_opts(chrono::SecondsFormat::Secs, true)
}

/// The instant in UTC, for a tooltip next to the local time.
pub fn utc_time(at: DateTime<Utc>) -> String {
    at.format("%Y-%m-%d %H:%M:%S UTC").to_string()
}

/// Role labels in a list, `Finance, Admin`.
pub fn role_labels(roles: &[Role]) -> String {
    roles
        .iter()
        .map(|r| r.label())
        .collect::<Vec<_>>()
        .join(", ")
}
