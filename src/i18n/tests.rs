//! The shipped language files have the same keys, and the check that says so
//! notices a key (or a sentence value) one language lacks.

use super::key_parity::{differences, shapes};
use std::path::Path;

fn namespace(language: &str, namespace: &str) -> serde_json::Value {
    let path = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("locales")
        .join(language)
        .join(format!("{namespace}.json"));
    serde_json::from_str(&std::fs::read_to_string(&path).unwrap()).unwrap()
}

#[test]
fn every_key_of_english_is_in_chinese_and_back() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("locales/en");
    let mut checked = 0;
    for file in std::fs::read_dir(dir).unwrap() {
        let name = file.unwrap().file_name().into_string().unwrap();
        let ns = name.trim_end_matches(".json");
        let en = shapes(ns, &namespace("en", ns));
        let zh = shapes(ns, &namespace("zh-CN", ns));
        checked += en.len();
        assert_eq!(differences("en", &en, "zh-CN", &zh), Vec::<String>::new());
    }
    assert!(checked > 0, "no keys were read");
}

#[test]
fn a_key_missing_in_one_language_is_named() {
    let en = shapes(
        "orders",
        &serde_json::json!({ "title": "Orders", "empty": "No orders" }),
    );
    let zh = shapes("orders", &serde_json::json!({ "title": "订单" }));
    assert_eq!(
        differences("en", &en, "zh-CN", &zh),
        vec!["orders.empty is in en but not in zh-CN".to_string()]
    );
}

#[test]
fn a_sentence_value_missing_in_one_language_is_named() {
    let en = shapes("o", &serde_json::json!({ "paid": "Paid {{ amount }}" }));
    let zh = shapes("o", &serde_json::json!({ "paid": "已付款" }));
    let found = differences("en", &en, "zh-CN", &zh);
    assert_eq!(found.len(), 2, "{found:?}");
    assert!(
        found[0].contains("o.paid {{ amount }} is in en"),
        "{found:?}"
    );
}
