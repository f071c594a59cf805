//! The error every server function returns: a clean message for people, the
//! detail in the server log.

use leptos::prelude::{FromServerFnError, ServerFnErrorErr};
use leptos::server_fn::codec::JsonEncoding;
use serde::{Deserialize, Serialize};

/// What went wrong, as the caller may know it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, thiserror::Error)]
pub enum ApiError {
    /// The request itself is wrong (bad id, bad field).
    #[error("{0}")]
    BadRequest(String),
    /// The thing asked for does not exist.
    #[error("{0} was not found")]
    NotFound(String),
    /// The change is not allowed in the order's current state; nothing was written.
    #[error("{0}")]
    Refused(String),
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
            ApiError::BadRequest(_) => 400,
            ApiError::NotFound(_) => 404,
            ApiError::Refused(_) => 409,
            ApiError::Internal => 500,
            ApiError::Transport(_) => 502,
        }
    }
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
    use super::ApiError;
    use crate::model::Refusal;
    use crate::server::store::StoreError;

    impl From<StoreError> for ApiError {
        fn from(e: StoreError) -> Self {
            match e {
                StoreError::Refused(r @ Refusal::UnknownOrder(_)) => {
                    ApiError::NotFound(r.to_string().replace(" does not exist", ""))
                }
                StoreError::Refused(Refusal::Invalid(m)) => ApiError::BadRequest(m),
                StoreError::Refused(r) => ApiError::Refused(r.to_string()),
                StoreError::Closed | StoreError::Database(_) => ApiError::Internal,
            }
        }
    }
}
