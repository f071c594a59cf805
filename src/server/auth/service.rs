//! [`Auth`]: what sign-in, sessions, accounts and the audit trail share (the
//! account store, the throttle, the policy and its clock, the announcements
//! of ended sessions), and how it is built.

use super::refusals::RefusalTally;
use super::revocation::Revoked;
use super::throttle::Throttle;
use super::Policy;
use crate::server::clock::Clock;
use crate::server::public_origin::PublicOrigins;
use crate::server::store::Accounts;
use std::sync::atomic::{AtomicU64, Ordering};

/// Sign-in, sessions, accounts and the audit trail.
pub struct Auth {
    pub(super) accounts: Accounts,
    pub(super) throttle: Throttle,
    pub(super) refusals: RefusalTally,
    /// Passwords checked against a hash (argon2 runs) since start.
    pub(super) password_checks: AtomicU64,
    pub(super) policy: Policy,
    pub(super) revoked: tokio::sync::broadcast::Sender<Revoked>,
}

impl Auth {
    pub fn new(accounts: Accounts, policy: Policy) -> Self {
        Auth {
            accounts,
            throttle: Throttle::new(policy.limits),
            refusals: RefusalTally::default(),
            password_checks: AtomicU64::new(0),
            policy,
            revoked: tokio::sync::broadcast::channel(256).0,
        }
    }

    /// The origins the app is served from.
    pub fn public_origins(&self) -> &PublicOrigins {
        &self.policy.origins
    }

    /// The clock sessions and sign-ins are timed by.
    pub fn clock(&self) -> &Clock {
        &self.policy.clock
    }

    /// How many passwords have been checked against a hash since start (each
    /// one argon2 verification): what the sign-in throttle bounds.
    pub fn password_checks(&self) -> u64 {
        self.password_checks.load(Ordering::Relaxed)
    }

    pub fn demo(&self) -> bool {
        self.policy.demo
    }
}
