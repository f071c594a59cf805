//! Our own order ids for orders the control room creates: `CR-`, six
//! characters of the second the order was placed, then seven random ones,
//! from an alphabet without look-alikes (no 0/O, 1/I).
//!
//! The alphabet is in ascending ASCII order, so ids sort by the second they
//! were placed in. That is for the store: every index keyed by order id (the
//! log by order, the order rows, the exception queue, the detectors'
//! schedule) takes the events of the orders of one moment on a few pages,
//! since an order's events come at about the same times after its placing.
//! Random ids spread them over the whole index, one page written per event.
//! The seven random characters (35 bits) keep two orders of the same second
//! apart: at 1,200 orders a second, a repeat comes about once in 13 hours of
//! such a peak, and a repeat is refused as a second placing, not merged.

use crate::model::OrderId;
use chrono::{DateTime, Utc};
use rand::Rng;

const ALPHABET: &[u8] = b"23456789ABCDEFGHJKLMNPQRSTUVWXYZ";
/// Characters of the placing second; 32^6 seconds is about 34 years.
const TIME_CHARS: u32 = 6;
/// Random characters after them.
const RANDOM_CHARS: usize = 7;
/// The second the time characters count from: 2024-01-01T00:00:00Z. Earlier
/// moments all count as this one.
const EPOCH_SECS: i64 = 1_704_067_200;

/// A fresh order id for an order placed at `placed`, its random part drawn
/// from `rng` (seeded in the demo, so it repeats).
pub fn generate(rng: &mut impl Rng, placed: DateTime<Utc>) -> OrderId {
    let top = (ALPHABET.len() as i64).pow(TIME_CHARS) - 1;
    let mut second = (placed.timestamp() - EPOCH_SECS).clamp(0, top) as usize;
    let mut time = [0u8; TIME_CHARS as usize];
    for c in time.iter_mut().rev() {
        *c = ALPHABET[second % ALPHABET.len()];
        second /= ALPHABET.len();
    }
    let random: String = (0..RANDOM_CHARS)
        .map(|_| char::from(ALPHABET[rng.random_range(0..ALPHABET.len())]))
        .collect();
    let time = std::str::from_utf8(&time).expect("the alphabet is ASCII");
    OrderId::parse(format!("CR-{time}{random}")).expect("generated ids are valid")
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;
    use rand::rngs::StdRng;
    use rand::SeedableRng;

    fn at(secs: i64) -> DateTime<Utc> {
        Utc.timestamp_opt(secs, 0).unwrap()
    }

    #[test]
    fn ids_sort_by_the_second_their_order_was_placed() {
        let mut rng = StdRng::seed_from_u64(1);
        let moments = [
            EPOCH_SECS,
            EPOCH_SECS + 1,
            EPOCH_SECS + 31,
            EPOCH_SECS + 32,
            EPOCH_SECS + 86_400 * 365,
            EPOCH_SECS + 86_400 * 365 * 30,
        ];
        let ids: Vec<OrderId> = moments.iter().map(|&s| generate(&mut rng, at(s))).collect();
        let mut sorted = ids.clone();
        sorted.sort();
        assert_eq!(ids, sorted);
        for id in &ids {
            assert_eq!(id.as_str().len(), 3 + TIME_CHARS as usize + RANDOM_CHARS);
            assert!(id.as_str()[3..].bytes().all(|b| ALPHABET.contains(&b)));
        }
    }

    #[test]
    fn orders_of_one_second_share_the_time_and_differ_in_the_rest() {
        let mut rng = StdRng::seed_from_u64(2);
        let ids: Vec<OrderId> = (0..1000)
            .map(|_| generate(&mut rng, at(EPOCH_SECS + 7_777)))
            .collect();
        let time = &ids[0].as_str()[..9];
        assert!(ids.iter().all(|id| &id.as_str()[..9] == time));
        let distinct: std::collections::HashSet<_> = ids.iter().collect();
        assert_eq!(distinct.len(), ids.len());
    }

    #[test]
    fn moments_outside_the_range_count_as_its_ends() {
        let mut rng = StdRng::seed_from_u64(3);
        let before = generate(&mut rng, at(0));
        assert_eq!(&before.as_str()[..9], "CR-222222");
        let after = generate(&mut rng, at(i64::from(i32::MAX) * 4));
        assert_eq!(&after.as_str()[..9], "CR-ZZZZZZ");
    }
}
