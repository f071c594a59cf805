//! Why an account operation failed.

use super::MAX_USERNAME_INPUT;
use crate::server::store::StoreError;
use std::time::Duration;

/// Why an account operation failed.
#[derive(Debug, thiserror::Error)]
pub enum AuthError {
    /// Also the answer for a disabled account: the right password for one
    /// reveals nothing.
    #[error("wrong username or password")]
    WrongCredentials,
    #[error("the username is longer than {MAX_USERNAME_INPUT} characters")]
    UsernameTooLong,
    #[error("too many failed sign-ins")]
    Throttled(Duration),
    #[error("{0} is the last enabled admin account; enable or create another admin first")]
    LastAdmin(String),
    #[error(
        "{0} is the last enabled admin account and keeps the Admin role; \
         give another enabled account the Admin role first"
    )]
    LastAdminRole(String),
    #[error("{0} was not found")]
    NotFound(String),
    #[error("the username {0} is taken")]
    UsernameTaken(String),
    #[error(transparent)]
    Store(#[from] StoreError),
}
