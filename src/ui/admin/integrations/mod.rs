//! The systems that feed the log: each integration's card (signing secret,
//! health), its mapping table and the values nobody has mapped yet, the
//! delivery log, and API keys for the timeline write API.

mod api_keys;
mod cards;
mod deliveries;
mod delivery_detail;
mod mappings;
mod new_api_key_form;
mod new_mapping_form;
mod new_secret_form;
mod refusal_summary;
mod target_choice;
mod unmapped;

pub use api_keys::ApiKeysPage;
pub use cards::IntegrationsPage;
pub use deliveries::DeliveriesPage;
pub use mappings::MappingsPage;
