//! JSON the formats write alike: order ids as numbers where they fit, and
//! one object extended with the fields of another.

use serde_json::{json, Value};

/// Douyin and WeChat send order ids as JSON numbers (beyond 2^53) where they
/// fit in u64, else as strings.
pub(super) fn id_value(id: &str) -> Value {
    id.parse::<u64>().map_or_else(|_| json!(id), |n| json!(n))
}

/// `base` with the fields of `extra` (an object) added.
pub(super) fn merged(mut base: Value, extra: Value) -> Value {
    if let (Some(base), Value::Object(extra)) = (base.as_object_mut(), extra) {
        base.extend(extra);
    }
    base
}
