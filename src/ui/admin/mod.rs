//! The admin screens, each a plain table in the order list's style behind a
//! guard (see [`crate::ui::auth::Guard`]); every call they make is checked
//! again on the server.
//!
//! - [`people`]: staff accounts and their roles, signed-in sessions, the audit trail.
//! - [`detectors`]: the detectors' thresholds, time to act, the router's threshold.
//! - [`integrations`]: each feed's signing secret and health, mapping tables,
//!   the delivery log and API keys.
//! - [`LoadFailed`]: a list that could not be loaded, said in that language;
//!   [`FormProblem`]: a form's problem, said in that language.

pub mod detectors;
mod form_problem;
pub mod integrations;
mod load_failed;
pub mod people;

pub use form_problem::FormProblem;
pub use load_failed::LoadFailed;
