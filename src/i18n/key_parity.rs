//! Both languages have the same keys: every key, and every `{{ value }}` a
//! sentence takes, exists in zh-CN exactly when it exists in en. The build
//! script runs this over `locales/` and stops the build on any difference;
//! the unit tests prove it notices one.
//!
//! Plain std + serde_json, so `build.rs` can include this file by path.

use std::collections::BTreeSet;

/// One key's place and the values its sentence takes (`orders.title` → {}).
pub type KeyShape = (String, BTreeSet<String>);

/// Every leaf key of one namespace file, dotted, with its `{{ values }}`.
pub fn shapes(prefix: &str, json: &serde_json::Value) -> BTreeSet<KeyShape> {
    let mut out = BTreeSet::new();
    collect(prefix, json, &mut out);
    out
}

fn collect(prefix: &str, json: &serde_json::Value, out: &mut BTreeSet<KeyShape>) {
    match json {
        serde_json::Value::Object(map) => {
            for (key, value) in map {
                let path = if prefix.is_empty() {
                    key.clone()
                } else {
                    format!("{prefix}.{key}")
                };
                collect(&path, value, out);
            }
        }
        serde_json::Value::String(text) => {
            out.insert((prefix.to_string(), values_in(text)));
        }
        other => {
            out.insert((format!("{prefix} (not a string: {other})"), BTreeSet::new()));
        }
    }
}

/// The `{{ name }}` placeholders of one sentence.
fn values_in(text: &str) -> BTreeSet<String> {
    let mut names = BTreeSet::new();
    let mut rest = text;
    while let Some(start) = rest.find("{{") {
        let after = &rest[start + 2..];
        let Some(end) = after.find("}}") else { break };
        names.insert(after[..end].trim().to_string());
        rest = &after[end + 2..];
    }
    names
}

/// What one language has that the other lacks, in words; empty when they match.
pub fn differences(
    left_name: &str,
    left: &BTreeSet<KeyShape>,
    right_name: &str,
    right: &BTreeSet<KeyShape>,
) -> Vec<String> {
    let describe = |(key, values): &KeyShape| {
        if values.is_empty() {
            key.clone()
        } else {
            let names: Vec<&str> = values.iter().map(String::as_str).collect();
            format!("{key} {{{{ {} }}}}", names.join(", "))
        }
    };
    let mut out: Vec<String> = left
        .difference(right)
        .map(|shape| {
            format!(
                "{} is in {left_name} but not in {right_name}",
                describe(shape)
            )
        })
        .collect();
    out.extend(right.difference(left).map(|shape| {
        format!(
            "{} is in {right_name} but not in {left_name}",
            describe(shape)
        )
    }));
    out
}
