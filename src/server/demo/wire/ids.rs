//! Ids, numbers and nonces derived from our order id: a pure function of the
//! order and what they are for, so a rendering repeats exactly.

use crate::model::OrderId;
use sha2::{Digest, Sha256};

/// `n` decimal digits that are a pure function of `key` and `what`.
pub(super) fn digits_of(key: &OrderId, what: &str, n: usize) -> String {
    let digest = Sha256::digest(format!("{key}:{what}").as_bytes());
    digest
        .iter()
        .cycle()
        .take(n)
        .map(|b| char::from(b'0' + b % 10))
        .collect()
}

/// Lower-case hex of SHA-256 over `key` and `what`.
pub(super) fn hex_of(key: &OrderId, what: &str) -> String {
    hex::encode(Sha256::digest(format!("{key}:{what}").as_bytes()))
}
