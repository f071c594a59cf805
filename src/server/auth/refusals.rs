//! Throttled sign-ins are counted in memory, not written one by one: the
//! first refusal of a key (an account from an address, or an address) is
//! written at once, later ones are added up and written as one summary row per
//! key each time the tally is drained (every minute). A flood of refused
//! attempts so costs a few audit rows, not one each.

use super::throttle::HeldBy;
use std::collections::HashMap;
use std::sync::Mutex;

/// Most keys counted at once; refusals of further keys are added to one
/// overflow count.
const MAX_KEYS: usize = 10_000;

/// What a refusal is counted under.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum TallyKey {
    /// One account from one address.
    AccountAddress { account: String, address: String },
    /// One address, whatever accounts it tried.
    Address(String),
    /// Keys beyond [`MAX_KEYS`].
    Overflow,
}

impl TallyKey {
    pub fn new(held: HeldBy, account: &str, address: &str) -> Self {
        match held {
            HeldBy::AccountAddress => TallyKey::AccountAddress {
                account: account.to_string(),
                address: address.to_string(),
            },
            HeldBy::Address => TallyKey::Address(address.to_string()),
        }
    }
}

/// Refusals not yet written, per key.
#[derive(Default)]
pub struct RefusalTally {
    counts: Mutex<HashMap<TallyKey, u64>>,
}

impl RefusalTally {
    /// Counts a refusal. `true` when the key was not being counted: the
    /// caller writes this refusal to the audit trail now; later ones are
    /// summed until [`RefusalTally::drain`].
    pub fn count(&self, key: TallyKey) -> bool {
        let mut counts = self.counts.lock().unwrap_or_else(|e| e.into_inner());
        if let Some(n) = counts.get_mut(&key) {
            *n += 1;
            return false;
        }
        if counts.len() >= MAX_KEYS {
            *counts.entry(TallyKey::Overflow).or_default() += 1;
            return false;
        }
        counts.insert(key, 0);
        true
    }

    /// The refusals counted since the last drain, one per key that had any.
    /// Keys with none are forgotten (their next refusal is written at once);
    /// keys with some stay, counting from zero.
    pub fn drain(&self) -> Vec<(TallyKey, u64)> {
        let mut counts = self.counts.lock().unwrap_or_else(|e| e.into_inner());
        counts.retain(|_, n| *n > 0);
        let out = counts.iter().map(|(k, n)| (k.clone(), *n)).collect();
        counts.values_mut().for_each(|n| *n = 0);
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn pair() -> TallyKey {
        TallyKey::new(HeldBy::AccountAddress, "lina", "10.0.0.1")
    }

    #[test]
    fn the_first_refusal_is_written_and_the_rest_summed() {
        let tally = RefusalTally::default();
        assert!(tally.count(pair()));
        for _ in 0..999 {
            assert!(!tally.count(pair()));
        }
        assert_eq!(tally.drain(), vec![(pair(), 999)]);
        // Still counting: the next refusal is summed, not written.
        assert!(!tally.count(pair()));
        assert_eq!(tally.drain(), vec![(pair(), 1)]);
        // A quiet period forgets the key.
        assert!(tally.drain().is_empty());
        assert!(tally.count(pair()));
    }

    #[test]
    fn addresses_are_counted_apart_from_accounts() {
        let tally = RefusalTally::default();
        assert!(tally.count(TallyKey::new(HeldBy::Address, "a", "10.0.0.1")));
        assert!(!tally.count(TallyKey::new(HeldBy::Address, "b", "10.0.0.1")));
        assert!(tally.count(pair()));
    }
}
