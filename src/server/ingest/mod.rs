//! Ingest: what channels, warehouses, carriers and other systems send us, and
//! the settings that govern it.
//!
//! - [`adapters`]: pure parsers, bytes → dialect-level facts;
//! - [`signature`], [`keyring`]: verifying deliveries with the secrets in force;
//! - [`translate`], [`mapping_table`]: facts → events through the mapping table;
//! - [`pipeline`], [`linker`]: a delivery's way into the log, and linking
//!   deliveries that arrived before their order;
//! - [`hooks`], [`timeline_api`]: the HTTP endpoints;
//! - [`integrations`], [`settings`], [`api_keys`]: the service and what admins
//!   change.

pub mod adapters;
pub mod api_keys;
pub mod hooks;
pub mod integrations;
pub mod keyring;
pub mod linker;
pub mod mapping_table;
pub mod pipeline;
pub mod settings;
pub mod signature;
pub mod timeline_api;
pub mod translate;

pub use integrations::{IntegrationError, Integrations};
