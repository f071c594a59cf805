//! Server functions for admins running the integrations: signing secrets
//! (rotated with an overlap, shown once), the mapping tables and the values
//! nobody has mapped yet, the delivery log with replay, and API keys for the
//! timeline write API.

use super::ApiError;
use crate::model::ingest::delivery_refusal::RefusalCount;
use crate::model::ingest::integration::{
    ApiKeyCreated, ApiKeySummary, DeliveryDetail, DeliveryPage, DeliveryQuery, DeliverySummary,
    Integration, IntegrationSummary, MappingRow, NewSecret, SecretShown, UnmappedValue,
};
use crate::model::ingest::mapping::Target;
use leptos::prelude::*;
use leptos::server_fn::codec::Json;

#[cfg(feature = "ssr")]
use {
    super::access::{request, require, state},
    crate::model::Permission,
};

/// Every integration with the state of its secrets.
#[server(endpoint = "admin/integrations/list", input = Json)]
pub async fn list_integrations() -> Result<Vec<IntegrationSummary>, ApiError> {
    require(Permission::ManageIntegrations).await?;
    Ok(state()?.integrations.summaries().await?)
}

/// Sets a new signing secret for `integration`; the replaced one is still
/// accepted for `overlap_hours` (0 ends it now). The answer shows the new
/// secret once; it is never shown again.
#[server(endpoint = "admin/integrations/secret", input = Json)]
pub async fn rotate_secret(
    integration: Integration,
    secret: NewSecret,
    overlap_hours: u32,
) -> Result<SecretShown, ApiError> {
    let admin = require(Permission::ManageIntegrations).await?;
    Ok(state()?
        .integrations
        .rotate(integration, secret, overlap_hours, &admin, &request()?)
        .await?)
}

/// Stops accepting the previous secret of `integration` now.
#[server(endpoint = "admin/integrations/end-overlap", input = Json)]
pub async fn end_overlap(integration: Integration) -> Result<IntegrationSummary, ApiError> {
    let admin = require(Permission::ManageIntegrations).await?;
    Ok(state()?
        .integrations
        .end_overlap(integration, &admin, &request()?)
        .await?)
}

/// The mapping table, one dialect or all, sorted by dialect and value.
#[server(endpoint = "admin/mappings/list", input = Json)]
pub async fn list_mappings(dialect: Option<String>) -> Result<Vec<MappingRow>, ApiError> {
    require(Permission::ManageIntegrations).await?;
    Ok(state()?.integrations.mappings(dialect.as_deref()).await?)
}

/// Maps `value` of `dialect` to `target` (adding or changing the row). Applies
/// to deliveries from now on; events already in the log stay as they were.
#[server(endpoint = "admin/mappings/set", input = Json)]
pub async fn set_mapping(
    dialect: String,
    value: String,
    target: Target,
) -> Result<MappingRow, ApiError> {
    let admin = require(Permission::ManageIntegrations).await?;
    Ok(state()?
        .integrations
        .set_mapping(&dialect, &value, target, &admin, &request()?)
        .await?)
}

/// Values that arrived with no mapping, most frequent first.
#[server(endpoint = "admin/mappings/unmapped", input = Json)]
pub async fn list_unmapped() -> Result<Vec<UnmappedValue>, ApiError> {
    require(Permission::ManageIntegrations).await?;
    Ok(state()?.integrations.unmapped().await?)
}

/// A page of the delivery log, newest first.
#[server(endpoint = "admin/deliveries/list", input = Json)]
pub async fn list_deliveries(query: DeliveryQuery) -> Result<DeliveryPage, ApiError> {
    require(Permission::ManageIntegrations).await?;
    Ok(state()?.integrations.deliveries(&query).await?)
}

/// Deliveries answered without a row of their own (refused: bad signature,
/// unknown integration, unreadable, stale; and duplicates), counted per
/// integration and reason: in the last hour, how many of those the delivery
/// log lists (a sample), and since the server started.
#[server(endpoint = "admin/deliveries/refusals", input = Json)]
pub async fn list_refusals() -> Result<Vec<RefusalCount>, ApiError> {
    require(Permission::ManageIntegrations).await?;
    Ok(state()?.integrations.refusal_counts())
}

/// One delivery with its headers and body.
#[server(endpoint = "admin/deliveries/get", input = Json)]
pub async fn get_delivery(id: i64) -> Result<DeliveryDetail, ApiError> {
    require(Permission::ManageIntegrations).await?;
    Ok(state()?.integrations.delivery(id).await?)
}

/// Processes a stored delivery again with today's mappings: a pending one is
/// linked if its order is known now; an accepted one appends what it says that
/// the log does not already have. The answer is the delivery as it stands after.
#[server(endpoint = "admin/deliveries/replay", input = Json)]
pub async fn replay_delivery(id: i64) -> Result<DeliverySummary, ApiError> {
    let admin = require(Permission::ManageIntegrations).await?;
    Ok(state()?
        .integrations
        .replay(id, &admin, &request()?)
        .await?)
}

/// Every API key, revoked ones included.
#[server(endpoint = "admin/api-keys/list", input = Json)]
pub async fn list_api_keys() -> Result<Vec<ApiKeySummary>, ApiError> {
    require(Permission::ManageIntegrations).await?;
    Ok(state()?.integrations.api_keys().await?)
}

/// Creates an API key named `name`; the key is shown this once.
#[server(endpoint = "admin/api-keys/create", input = Json)]
pub async fn create_api_key(name: String) -> Result<ApiKeyCreated, ApiError> {
    let admin = require(Permission::ManageIntegrations).await?;
    Ok(state()?
        .integrations
        .create_api_key(&name, &admin, &request()?)
        .await?)
}

/// Revokes an API key at once.
#[server(endpoint = "admin/api-keys/revoke", input = Json)]
pub async fn revoke_api_key(id: String) -> Result<ApiKeySummary, ApiError> {
    let admin = require(Permission::ManageIntegrations).await?;
    Ok(state()?
        .integrations
        .revoke_api_key(&id, &admin, &request()?)
        .await?)
}
