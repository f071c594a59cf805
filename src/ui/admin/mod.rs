//! The admin screens: staff accounts, signed-in sessions and the audit trail;
//! and for the integrations: signing secrets, mapping tables, the delivery log
//! and API keys.
//! Each is a plain table in the order list's style; each sits behind a guard
//! (see [`crate::ui::auth::Guard`]) and every call it makes is checked again
//! on the server.

mod api_keys;
mod audit;
mod deliveries;
mod delivery_detail;
mod integrations;
mod mappings;
mod new_api_key_form;
mod new_mapping_form;
mod new_secret_form;
mod new_user_form;
mod refusal_summary;
mod reloading_list;
mod roles_form;
mod sessions;
mod shown_once;
mod target_choice;
mod unmapped;
mod users;

pub use api_keys::ApiKeysPage;
pub use audit::AuditPage;
pub use deliveries::DeliveriesPage;
pub use integrations::IntegrationsPage;
pub use mappings::MappingsPage;
pub use sessions::SessionsPage;
pub use users::UsersPage;
// Shared with the order page's tracking links panel.
pub use reloading_list::{reloading_list, ReloadingList};
pub use shown_once::ShownOnce;
