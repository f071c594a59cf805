//! The admin screens: staff accounts, signed-in sessions and the audit trail.
//! Each is a plain table in the order list's style; each sits behind a guard
//! (see [`crate::ui::auth::Guard`]) and every call it makes is checked again
//! on the server.

mod audit;
mod new_user_form;
mod sessions;
mod users;

pub use audit::AuditPage;
pub use sessions::SessionsPage;
pub use users::UsersPage;
