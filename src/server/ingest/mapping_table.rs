//! The mapping table in force: an admin's rows over the shipped defaults.
//! Translation reads a snapshot; a change swaps it, so the next delivery sees it.

use crate::model::ingest::integration::MappingRow;
use crate::model::ingest::mapping::{default_mappings, Mapping, MappingIndex};
use std::sync::{Arc, RwLock};

/// The live table.
pub struct MappingTable {
    defaults: Vec<Mapping>,
    state: RwLock<State>,
}

struct State {
    overrides: Vec<MappingRow>,
    rows: Arc<MappingIndex>,
}

impl MappingTable {
    /// The defaults with `overrides` (an admin's rows) taking precedence.
    pub fn new(overrides: Vec<MappingRow>) -> MappingTable {
        let defaults = default_mappings();
        let state = RwLock::new(State::build(&defaults, overrides));
        MappingTable { defaults, state }
    }

    /// The rows in force (an admin's row wins over a default).
    pub fn rows(&self) -> Arc<MappingIndex> {
        self.state
            .read()
            .unwrap_or_else(|e| e.into_inner())
            .rows
            .clone()
    }

    /// Adds or replaces an admin's row.
    pub fn set(&self, row: MappingRow) {
        let mut state = self.state.write().unwrap_or_else(|e| e.into_inner());
        let mut overrides = std::mem::take(&mut state.overrides);
        overrides.retain(|r| !(r.dialect == row.dialect && r.value == row.value));
        overrides.push(row);
        *state = State::build(&self.defaults, overrides);
    }

    /// Every row for listing: the admin's rows, then defaults they do not
    /// override, sorted by dialect and value.
    pub fn listing(&self) -> Vec<MappingRow> {
        let state = self.state.read().unwrap_or_else(|e| e.into_inner());
        let mut out = state.overrides.clone();
        for m in &self.defaults {
            let overridden = state
                .overrides
                .iter()
                .any(|r| r.dialect == m.dialect && r.value == m.value);
            if !overridden {
                out.push(MappingRow {
                    dialect: m.dialect.clone(),
                    value: m.value.clone(),
                    target: m.target,
                    changed_by: None,
                    changed_at: None,
                });
            }
        }
        out.sort_by(|a, b| (&a.dialect, &a.value).cmp(&(&b.dialect, &b.value)));
        out
    }

    /// Whether `value` of `dialect` has a row.
    pub fn knows(&self, dialect: &str, value: &str) -> bool {
        self.rows().get(dialect, value).is_some()
    }
}

impl State {
    fn build(defaults: &[Mapping], overrides: Vec<MappingRow>) -> State {
        let rows: Vec<Mapping> = overrides
            .iter()
            .map(|r| Mapping::new(&r.dialect, &r.value, r.target))
            .chain(defaults.iter().cloned())
            .collect();
        State {
            overrides,
            rows: Arc::new(MappingIndex::new(&rows)),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::ingest::mapping::{dialect, Target};
    use crate::model::ScanKind;

    fn row(dialect: &str, value: &str, target: Target) -> MappingRow {
        MappingRow {
            dialect: dialect.into(),
            value: value.into(),
            target,
            changed_by: Some("admin".into()),
            changed_at: Some(chrono::Utc::now()),
        }
    }

    #[test]
    fn an_admins_row_adds_a_value_and_overrides_a_default() {
        let table = MappingTable::new(Vec::new());
        assert!(!table.knows(dialect::KUAIDI100_STATE, "501"));
        table.set(row(
            dialect::KUAIDI100_STATE,
            "501",
            Target::Scan(ScanKind::Delivered),
        ));
        table.set(row(dialect::KUAIDI100_STATE, "0", Target::NoChange));
        let rows = table.rows();
        assert_eq!(
            rows.get(dialect::KUAIDI100_STATE, "501"),
            Some(&Target::Scan(ScanKind::Delivered))
        );
        assert_eq!(
            rows.get(dialect::KUAIDI100_STATE, "0"),
            Some(&Target::NoChange)
        );
        let listed: Vec<_> = table
            .listing()
            .into_iter()
            .filter(|r| r.dialect == dialect::KUAIDI100_STATE && r.value == "0")
            .collect();
        assert_eq!(listed.len(), 1, "an overridden default is listed once");
        assert_eq!(listed[0].changed_by.as_deref(), Some("admin"));
    }

    #[test]
    fn setting_the_same_row_twice_keeps_the_latest() {
        let table = MappingTable::new(Vec::new());
        table.set(row("x.dialect", "v", Target::Paid));
        table.set(row("x.dialect", "v", Target::Cancelled));
        assert_eq!(table.rows().get("x.dialect", "v"), Some(&Target::Cancelled));
        assert_eq!(
            table
                .listing()
                .iter()
                .filter(|r| r.dialect == "x.dialect")
                .count(),
            1
        );
    }
}
