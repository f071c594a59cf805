//! The error every server function returns: a clean message for people, the
//! detail in the server log.

use crate::model::Refusal;
use leptos::prelude::{FromServerFnError, ServerFnErrorErr};
use leptos::server_fn::codec::JsonEncoding;
use serde::{Deserialize, Serialize};

/// What went wrong, as the caller may know it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, thiserror::Error)]
pub enum ApiError {
    /// The request itself is wrong (bad id, bad field).
    #[error("{0}")]
    BadRequest(String),
    /// Nobody is signed in, or the session ended or expired.
    #[error("please sign in")]
    Unauthenticated,
    /// Sign-in refused: wrong username or password, or a disabled account
    /// (answered alike).
    #[error("{0}")]
    SignInRefused(String),
    /// Signed in, but the caller's roles do not allow this; nothing was done.
    #[error("{0}")]
    Forbidden(String),
    /// Too many failed sign-ins; try again after the given number of seconds.
    #[error("too many failed sign-ins; try again in {retry_after_secs} s")]
    TooManyAttempts { retry_after_secs: u64 },
    /// The thing asked for does not exist.
    #[error("{0} was not found")]
    NotFound(String),
    /// The change is not allowed in the order's current state; nothing was
    /// written. Typed, so the browser words it in the reader's language.
    #[error("{0}")]
    Refused(Refusal),
    /// The account's details are not acceptable (username, name, roles,
    /// password); nothing was written.
    #[error("{0}")]
    InvalidAccount(crate::model::access::account::AccountError),
    /// The detectors' settings as typed are not acceptable; nothing was saved.
    #[error("{0}")]
    InvalidSettings(crate::model::detect::settings_form::FormError),
    /// The account change would break a rule about accounts; nothing was written.
    #[error("{0}")]
    AccountRefused(AccountRefusal),
    /// The server failed; the detail is in its log.
    #[error("the server could not complete the request; please try again")]
    Internal,
    /// The request did not reach the server or its answer could not be read.
    #[error("{0}")]
    Transport(String),
}

impl ApiError {
    /// The HTTP status the server answers with (set by the server's handler).
    pub fn status(&self) -> u16 {
        match self {
            ApiError::BadRequest(_)
            | ApiError::InvalidAccount(_)
            | ApiError::InvalidSettings(_) => 400,
            ApiError::Unauthenticated | ApiError::SignInRefused(_) => 401,
            ApiError::Forbidden(_) => 403,
            ApiError::TooManyAttempts { .. } => 429,
            ApiError::NotFound(_) => 404,
            ApiError::Refused(_) | ApiError::AccountRefused(_) => 409,
            ApiError::Internal => 500,
            ApiError::Transport(_) => 502,
        }
    }
}

/// Why an account change was refused (the account's username in each).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, thiserror::Error)]
pub enum AccountRefusal {
    #[error("{0} is the last enabled admin account; enable or create another admin first")]
    LastAdmin(String),
    #[error(
        "{0} is the last enabled admin account and keeps the Admin role; \
         give another enabled account the Admin role first"
    )]
    LastAdminRole(String),
    #[error("the username {0} is taken")]
    UsernameTaken(String),
}

impl FromServerFnError for ApiError {
    type Encoder = JsonEncoding;

    fn from_server_fn_error(value: ServerFnErrorErr) -> Self {
        match value {
            ServerFnErrorErr::Args(m) | ServerFnErrorErr::MissingArg(m) => {
                ApiError::BadRequest(format!("bad arguments: {m}"))
            }
            // On the server a body that does not decode is the caller's mistake;
            // in the browser it means the answer could not be read.
            ServerFnErrorErr::Deserialization(m) if cfg!(feature = "ssr") => {
                ApiError::BadRequest(format!("the request body is not valid: {m}"))
            }
            other => ApiError::Transport(other.to_string()),
        }
    }
}

#[cfg(feature = "ssr")]
mod server_side {
    use super::{AccountRefusal, ApiError};
    use crate::model::Refusal;
    use crate::server::auth::AuthError;

    impl From<AuthError> for ApiError {
        fn from(e: AuthError) -> Self {
            match e {
                AuthError::WrongCredentials => ApiError::SignInRefused(e.to_string()),
                AuthError::UsernameTooLong => ApiError::BadRequest(e.to_string()),
                AuthError::LastAdmin(who) => {
                    ApiError::AccountRefused(AccountRefusal::LastAdmin(who))
                }
                AuthError::LastAdminRole(who) => {
                    ApiError::AccountRefused(AccountRefusal::LastAdminRole(who))
                }
                // Rounded up: a client that waits this long is let in.
                AuthError::Throttled(wait) => ApiError::TooManyAttempts {
                    retry_after_secs: (wait.as_millis().div_ceil(1000) as u64).max(1),
                },
                AuthError::NotFound(what) => ApiError::NotFound(what),
                AuthError::UsernameTaken(who) => {
                    ApiError::AccountRefused(AccountRefusal::UsernameTaken(who))
                }
                AuthError::Store(s) => s.into(),
            }
        }
    }
    use crate::server::store::StoreError;

    impl From<crate::server::ingest::IntegrationError> for ApiError {
        fn from(e: crate::server::ingest::IntegrationError) -> Self {
            use crate::server::ingest::IntegrationError;
            match e {
                IntegrationError::BadRequest(m) => ApiError::BadRequest(m),
                IntegrationError::NotFound(m) => ApiError::NotFound(m),
                IntegrationError::Store(s) => s.into(),
            }
        }
    }

    impl From<StoreError> for ApiError {
        fn from(e: StoreError) -> Self {
            match e {
                StoreError::Refused(r @ Refusal::UnknownOrder(_)) => {
                    ApiError::NotFound(r.to_string().replace(" does not exist", ""))
                }
                StoreError::Refused(Refusal::Invalid(m)) => ApiError::BadRequest(m),
                StoreError::Refused(r) => ApiError::Refused(r),
                StoreError::Closed => ApiError::Internal,
                // Logged here, once: the store logs none of its errors.
                e => {
                    tracing::error!(error = %e, "store failed");
                    ApiError::Internal
                }
            }
        }
    }
}
