//! Opens of tracking links, counted in memory and written in batches: an
//! open costs no write of its own (a customer's page, or anyone with a link,
//! cannot make the store write per request). The counts are written every
//! few seconds and when the server stops; until then the staff list adds the
//! ones not written yet, so it is current either way.

use crate::server::store::CountedOpens;
use chrono::{DateTime, Utc};
use std::collections::HashMap;
use std::sync::Mutex;

/// Opens counted since the last write, per link id.
#[derive(Default)]
pub struct OpenCounts {
    pending: Mutex<HashMap<String, Pending>>,
}

#[derive(Debug, Clone, Copy)]
struct Pending {
    opens: u64,
    last_at: DateTime<Utc>,
}

impl OpenCounts {
    /// Counts one open of link `id` at `at`.
    pub fn count(&self, id: &str, at: DateTime<Utc>) {
        let mut pending = self.lock();
        match pending.get_mut(id) {
            Some(p) => {
                p.opens += 1;
                p.last_at = p.last_at.max(at);
            }
            None => {
                pending.insert(
                    id.to_string(),
                    Pending {
                        opens: 1,
                        last_at: at,
                    },
                );
            }
        }
    }

    /// Opens of link `id` not written yet, and the last one's time.
    pub fn unwritten(&self, id: &str) -> Option<(u64, DateTime<Utc>)> {
        self.lock().get(id).map(|p| (p.opens, p.last_at))
    }

    /// Takes every count not written yet (to write them).
    pub fn take(&self) -> Vec<CountedOpens> {
        std::mem::take(&mut *self.lock())
            .into_iter()
            .map(|(id, p)| CountedOpens {
                id,
                opens: p.opens,
                last_at: p.last_at,
            })
            .collect()
    }

    /// Puts back counts whose write failed, to be written next time.
    pub fn put_back(&self, counts: Vec<CountedOpens>) {
        let mut pending = self.lock();
        for c in counts {
            let p = pending.entry(c.id).or_insert(Pending {
                opens: 0,
                last_at: c.last_at,
            });
            p.opens += c.opens;
            p.last_at = p.last_at.max(c.last_at);
        }
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, HashMap<String, Pending>> {
        self.pending.lock().unwrap_or_else(|e| e.into_inner())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn opens_add_up_per_link_until_taken_and_failed_writes_come_back() {
        let counts = OpenCounts::default();
        let t0 = Utc::now();
        for _ in 0..5 {
            counts.count("t_a", t0);
        }
        counts.count("t_b", t0);
        assert_eq!(counts.unwritten("t_a"), Some((5, t0)));
        let mut taken = counts.take();
        taken.sort_by(|a, b| a.id.cmp(&b.id));
        assert_eq!(taken.len(), 2);
        assert_eq!((taken[0].id.as_str(), taken[0].opens), ("t_a", 5));
        assert_eq!(counts.unwritten("t_a"), None);

        // The write failed meanwhile another open came: nothing is lost.
        let t1 = t0 + chrono::Duration::seconds(1);
        counts.count("t_a", t1);
        counts.put_back(taken);
        assert_eq!(counts.unwritten("t_a"), Some((6, t1)));
        assert_eq!(counts.unwritten("t_b"), Some((1, t0)));
    }
}
