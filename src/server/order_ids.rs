//! Our own order ids for orders the control room creates: `CR-` and eight
//! characters from an alphabet without look-alikes (no 0/O, 1/I).

use crate::model::OrderId;
use rand::Rng;

const ALPHABET: &[u8] = b"23456789ABCDEFGHJKLMNPQRSTUVWXYZ";

/// A fresh order id drawn from `rng` (seeded in the demo, so it repeats).
pub fn generate(rng: &mut impl Rng) -> OrderId {
    let suffix: String = (0..8)
        .map(|_| char::from(ALPHABET[rng.random_range(0..ALPHABET.len())]))
        .collect();
    OrderId::parse(format!("CR-{suffix}")).expect("generated ids are valid")
}
