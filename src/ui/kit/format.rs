//! How times, money and numbers read on screen, in the reader's language,
//! through the browser's `Intl` (no per-language tables in the wasm).
//!
//! Times are stored and sent as UTC instants; people read them in their own
//! time zone (the browser's). Money is formatted from its exact decimal (a
//! string, so no float rounding): `¥1,299.00` in Chinese, `CNY 1,299.00` in
//! English, a refund as `−¥3.50` (a true minus sign).

use crate::i18n::Locale;
use crate::model::Money;
use chrono::{DateTime, Utc};
use js_sys::{Array, Intl, Object, Reflect};
use wasm_bindgen::JsValue;

fn locales(locale: Locale) -> Array {
    Array::of1(&JsValue::from_str(leptos_i18n::Locale::as_str(locale)))
}

fn options(pairs: &[(&str, &str)]) -> Object {
    let options = Object::new();
    for (key, value) in pairs {
        let _ = Reflect::set(&options, &(*key).into(), &(*value).into());
    }
    options
}

fn call_format(format: &js_sys::Function, value: &JsValue) -> String {
    format
        .call1(&JsValue::NULL, value)
        .ok()
        .and_then(|s| s.as_string())
        .unwrap_or_default()
}

/// The amount in the reader's language: `¥1,299.00`, `CNY 1,299.00`, `−¥3.50`.
pub fn money(locale: Locale, money: &Money) -> String {
    let display = match locale {
        Locale::zh_CN => "symbol",
        Locale::en => "code",
    };
    let format = Intl::NumberFormat::new(
        &locales(locale),
        &options(&[
            ("style", "currency"),
            ("currency", money.currency.code()),
            ("currencyDisplay", display),
        ]),
    );
    let text = call_format(&format.format(), &JsValue::from_str(&money.decimal()));
    if text.is_empty() {
        // A currency the browser does not know: the model's own form.
        return money.to_string().replacen('-', "\u{2212}", 1);
    }
    text.replacen('-', "\u{2212}", 1)
}

/// A count with the reader's grouping: `12,345`.
pub fn number(locale: Locale, n: u64) -> String {
    let format = Intl::NumberFormat::new(&locales(locale), &Object::new());
    call_format(&format.format(), &JsValue::from_f64(n as f64))
}

fn millis(at: DateTime<Utc>) -> JsValue {
    JsValue::from(js_sys::Date::new(&JsValue::from_f64(
        at.timestamp_millis() as f64
    )))
}

/// A UTC instant in the reader's time zone and language:
/// `2026年11月22日 11:03:15`, `Nov 22, 2026, 11:03:15 AM`.
pub fn local_time(locale: Locale, at: DateTime<Utc>) -> String {
    let format = Intl::DateTimeFormat::new(
        &locales(locale),
        &options(&[("dateStyle", "medium"), ("timeStyle", "medium")]),
    );
    call_format(&format.format(), &millis(at))
}

/// Only the date of an instant, in the reader's zone: `2026/11/22`, `11/22/2026`.
pub fn local_date(locale: Locale, at: DateTime<Utc>) -> String {
    let format = Intl::DateTimeFormat::new(&locales(locale), &options(&[("dateStyle", "short")]));
    call_format(&format.format(), &millis(at))
}

/// The instant as a machine-readable `datetime` attribute (RFC 3339, UTC).
pub fn machine_time(at: DateTime<Utc>) -> String {
    at.to_rfc3339_opts(chrono::SecondsFormat::Secs, true)
}

/// The instant in UTC, for a tooltip next to the local time.
pub fn utc_time(at: DateTime<Utc>) -> String {
    at.format("%Y-%m-%d %H:%M:%S UTC").to_string()
}

/// How long before `now` the instant `at` was: `5 分钟前`, `5 minutes ago`,
/// `刚刚` / `now` under a minute (or `in 2 minutes` for a clock slightly ahead).
pub fn relative(locale: Locale, at: DateTime<Utc>, now: DateTime<Utc>) -> String {
    let seconds = (at - now).num_seconds();
    let magnitude = seconds.unsigned_abs();
    let (value, unit) = match magnitude {
        0..60 => (0, "second"),
        60..3_600 => (seconds / 60, "minute"),
        3_600..86_400 => (seconds / 3_600, "hour"),
        _ => (seconds / 86_400, "day"),
    };
    let format = Intl::RelativeTimeFormat::new(&locales(locale), &options(&[("numeric", "auto")]));
    String::from(format.format(value as f64, unit))
}
