//! Random tokens (session tokens, ids, demo passwords) and the hash a session
//! token is stored under (the token itself is never stored).

use base64::Engine;
use rand::RngCore;
use sha2::{Digest, Sha256};

/// `bytes` random bytes, URL-safe base64 without padding.
pub(crate) fn random_token(bytes: usize) -> String {
    let mut buf = vec![0u8; bytes];
    rand::rng().fill_bytes(&mut buf);
    base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(buf)
}

/// The SHA-256 of a session token, in hex: what the sessions table keeps.
pub(crate) fn token_hash(token: &str) -> String {
    Sha256::digest(token.as_bytes())
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

/// A random password for demo accounts.
pub fn random_password() -> String {
    random_token(12)
}
