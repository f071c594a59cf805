//! Who is calling: staff accounts, sign-in with throttling, sessions in
//! HttpOnly SameSite=Strict cookies (`__Host-` and `Secure` over TLS) with idle
//! and absolute expiry and a cap per account, and the audit trail of sign-ins,
//! sign-outs, denials and admin actions (lengths capped, refusals summed,
//! old entries pruned). Expiry and throttling read the policy's clock.
//!
//! - `service`: the [`Auth`] value everything hangs off;
//! - `staff`: who a request is from ([`Caller`], [`Staff`]);
//! - `policy`, `error`: configuration and failures;
//! - `sign_in`, `throttle`, `refusals`, `password`: signing in;
//! - `sessions`, `session_cookie`, `tokens`: sessions after sign-in;
//! - `session_watch`, `revocation`: live streams end with their session;
//! - `accounts`, `roles`: accounts as admins manage them;
//! - `audit`: the audit trail and its upkeep.

mod accounts;
mod audit;
mod error;
pub mod password;
mod policy;
pub mod refusals;
mod revocation;
mod roles;
mod service;
mod session_cookie;
pub mod session_watch;
mod sessions;
mod sign_in;
mod staff;
pub mod throttle;
mod tokens;

pub use error::AuthError;
pub use policy::Policy;
pub use revocation::Revoked;
pub use service::Auth;
pub use session_cookie::{session_token, set_cookie, COOKIE, SECURE_COOKIE};
pub use staff::{Caller, RequestInfo, Staff};
pub use tokens::random_password;
pub(crate) use tokens::{random_token, token_hash};

/// A sign-in with a longer username is refused before anything else (real
/// usernames are at most 32 characters).
pub const MAX_USERNAME_INPUT: usize = 64;
