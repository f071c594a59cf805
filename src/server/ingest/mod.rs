//! Ingest: what channels, warehouses, carriers and other systems send us, and
//! the settings that govern it.
//!
//! - [`adapters`]: pure parsers, bytes → dialect-level facts;
//! - [`signature`], [`keyring`], [`wechat_safe_mode`], [`secret_forms`]:
//!   verifying deliveries with the secrets in force, and the form of those;
//! - [`freshness`], [`refusals`], [`delivery_retention`]: what a signature does
//!   not prove (when, which body in WeChat plain-text mode), refusals counted
//!   rather than each written, and how long the delivery log keeps rows;
//! - [`translate`], [`mapping_table`]: facts → events through the mapping table;
//! - [`pipeline`], [`linker`]: a delivery's way into the log, and linking
//!   deliveries that arrived before their order;
//! - [`hooks`], [`timeline_api`], [`timeline_bounds`], [`answer`]: the HTTP
//!   endpoints and the JSON they answer with;
//! - [`integrations`], [`settings`], [`api_keys`]: the service and what admins
//!   change.

pub mod adapters;
mod answer;
pub mod api_keys;
pub mod delivery_retention;
pub mod freshness;
pub mod hooks;
pub mod integrations;
pub mod keyring;
mod kind_spellings;
pub mod linker;
pub mod mapping_table;
pub mod pipeline;
pub mod refusals;
pub mod secret_forms;
pub mod settings;
pub mod signature;
pub mod timeline_api;
pub mod timeline_bounds;
pub mod translate;
pub mod wechat_safe_mode;

pub use integrations::{IngestPolicy, IntegrationError, Integrations};
