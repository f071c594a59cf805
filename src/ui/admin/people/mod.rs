//! The people who use the control room: accounts and their roles, signed-in
//! sessions, and the audit trail of what they did.

mod audit;
mod new_user_form;
mod role_choices;
mod roles_form;
mod sessions;
mod users;

pub use audit::AuditPage;
pub use sessions::SessionsPage;
pub use users::UsersPage;
