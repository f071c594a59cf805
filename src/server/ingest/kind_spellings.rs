//! Component kinds as other systems spell them. A timeline API `order_placed`
//! names each component's `kind` as its sender does (`小样`, `试用装`,
//! `体验装`, `sample`); the mapping table's `component.kind` rows say which
//! kind that is, exactly as status rows say what a status means. A spelling
//! the table does not know is refused, naming the field, so no line is
//! guessed into the wrong kind (a gift counted as an item would hide a
//! missing gift at packing).

use crate::model::ingest::mapping::{dialect, MappingIndex};
use crate::model::ComponentKind;
use serde_json::Value;

/// Rewrites every `event.components[i].kind` of an `order_placed` body to
/// the canonical name of the kind the table maps it to. The canonical names
/// (`main`, `gift`, `trial`, `gift_box`) stand for themselves unless an
/// admin's row says otherwise. Anything else in the body is left to the
/// typed parse.
pub fn canonical_kinds(body: &mut Value, mappings: &MappingIndex) -> Result<(), String> {
    let Some(event) = body.get_mut("event") else {
        return Ok(());
    };
    if event.get("type").and_then(Value::as_str) != Some("order_placed") {
        return Ok(());
    }
    let Some(components) = event.get_mut("components").and_then(Value::as_array_mut) else {
        return Ok(());
    };
    for (i, component) in components.iter_mut().enumerate() {
        let Some(kind) = component.get_mut("kind") else {
            continue;
        };
        let Some(spelling) = kind.as_str() else {
            continue;
        };
        let known = mappings
            .component_kind(spelling)
            .or_else(|| serde_json::from_value::<ComponentKind>(kind.clone()).ok());
        let Some(known) = known else {
            return Err(format!(
                "field event.components[{i}].kind is invalid: \"{spelling}\" is not a component kind \
                 the mapping table knows (dialect {}); an admin can map it",
                dialect::COMPONENT_KIND
            ));
        };
        *kind = serde_json::to_value(known).map_err(|e| e.to_string())?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::ingest::mapping::{default_mappings, Mapping, Target};
    use serde_json::json;

    fn placed(kinds: &[&str]) -> Value {
        let components: Vec<Value> = kinds
            .iter()
            .map(|k| json!({"id": "c", "kind": k}))
            .collect();
        json!({"event": {"type": "order_placed", "components": components}})
    }

    fn kinds(body: &Value) -> Vec<&str> {
        body["event"]["components"]
            .as_array()
            .unwrap()
            .iter()
            .map(|c| c["kind"].as_str().unwrap())
            .collect()
    }

    #[test]
    fn every_spelling_of_a_trial_size_becomes_trial() {
        let index = MappingIndex::new(&default_mappings());
        let mut body = placed(&[
            "正品",
            "小样",
            "试用装",
            "体验装",
            "赠品",
            "礼盒",
            "gift_box",
        ]);
        canonical_kinds(&mut body, &index).unwrap();
        assert_eq!(
            kinds(&body),
            ["main", "trial", "trial", "trial", "gift", "gift_box", "gift_box"]
        );
    }

    #[test]
    fn an_unknown_spelling_is_refused_by_its_field_until_an_admin_maps_it() {
        let mut body = placed(&["main", "试吃装"]);
        let before = body.clone();
        let err = canonical_kinds(&mut body, &MappingIndex::new(&default_mappings())).unwrap_err();
        assert!(err.contains("event.components[1].kind"), "{err}");
        assert!(err.contains("试吃装"), "{err}");
        assert_eq!(
            body["event"]["components"][1],
            before["event"]["components"][1]
        );

        let mut rows = vec![Mapping::new(
            dialect::COMPONENT_KIND,
            "试吃装",
            Target::Kind(ComponentKind::Trial),
        )];
        rows.extend(default_mappings());
        canonical_kinds(&mut body, &MappingIndex::new(&rows)).unwrap();
        assert_eq!(kinds(&body), ["main", "trial"]);
    }

    #[test]
    fn other_events_are_left_alone() {
        let mut body = json!({"event": {"type": "order_confirmed", "kind": "小样"}});
        let before = body.clone();
        canonical_kinds(&mut body, &MappingIndex::new(&default_mappings())).unwrap();
        assert_eq!(body, before);
    }
}
