//! Who may do what and see what: staff roles and their permissions, the lens
//! each role sees orders through, and accounts, sessions and the audit trail.

pub mod account;
pub mod lens;
pub mod role;

pub use lens::{mask_phone, Lens, Reveal};
pub use role::{granting_role, Permission, Role, UnknownRole};
