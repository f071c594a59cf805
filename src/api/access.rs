//! The caller of a server function, and the permission check every function
//! makes before any work.

use super::ApiError;
use crate::model::Permission;
use crate::server::auth::{Caller, RequestInfo, Staff};
use crate::server::AppState;
use leptos::prelude::use_context;

/// The server's state, provided to every server function.
pub fn state() -> Result<AppState, ApiError> {
    use_context::<AppState>().ok_or_else(|| {
        tracing::error!("AppState missing from server function context");
        ApiError::Internal
    })
}

/// The request's caller and address, resolved by the server before the call.
pub fn request() -> Result<RequestInfo, ApiError> {
    use_context::<RequestInfo>().ok_or_else(|| {
        tracing::error!("RequestInfo missing from server function context");
        ApiError::Internal
    })
}

/// Refuses the call unless the caller is signed in and holds `permission`.
/// Refusals are recorded in the audit trail.
pub async fn require(permission: Permission) -> Result<Staff, ApiError> {
    let state = state()?;
    let request = request()?;
    match &request.caller {
        Caller::Anonymous => Err(ApiError::Unauthenticated),
        Caller::Staff(staff) if staff.may(permission) => Ok(staff.clone()),
        Caller::Staff(staff) => {
            state
                .auth
                .record_denial(staff, permission, &request.address)
                .await;
            Err(ApiError::Forbidden(format!(
                "not available for your role ({})",
                staff.roles_label()
            )))
        }
    }
}
