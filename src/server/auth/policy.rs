//! How sessions and sign-ins behave, as configured (see
//! `ServeArgs::auth_policy`), and the clock their expiry and throttling read.

use super::throttle::Limits;
use crate::server::clock::Clock;
use crate::server::public_origin::PublicOrigins;
use std::time::Duration;

/// How sessions and sign-ins behave.
#[derive(Debug, Clone)]
pub struct Policy {
    /// A session unused this long ends.
    pub idle: Duration,
    /// A session ends this long after sign-in, used or not.
    pub absolute: Duration,
    /// How often an open live stream re-reads its session (see
    /// [`super::session_watch`]).
    pub stream_check: Duration,
    /// Mark cookies `Secure` and name them `__Host-` (the server is reached
    /// over TLS).
    pub secure_cookies: bool,
    pub limits: Limits,
    /// Sessions one account may hold; signing in beyond it ends the oldest.
    pub max_sessions_per_user: usize,
    /// Audit entries older than this are pruned (`None`: kept forever).
    pub audit_retention: Option<Duration>,
    /// The origins the app is served from.
    pub origins: PublicOrigins,
    pub demo: bool,
    /// Where expiry, idleness and throttle windows take the time from.
    pub clock: Clock,
}
