//! Who may do what and see what: staff roles and their permissions, the lens
//! each role sees orders through (and [`Seen`], what it lets through), and accounts, sessions and the audit trail.

pub mod account;
pub mod lens;
pub mod role;
pub mod seen;

pub use lens::{Lens, Reveal};
pub use role::{granting_role, Permission, Role, UnknownRole};
pub use seen::{Seen, SeenEvent, SeenMoney, SeenOrder};
