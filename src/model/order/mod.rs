//! The order as an event log: identifiers, channels, money, the events, the
//! canonical lifecycle and the state one pure `evolve` folds from the log.

pub mod amount;
pub mod channel;
pub mod desk_action;
pub mod event;
pub mod exception_action;
pub mod exceptions;
pub mod ids;
pub mod lifecycle;
pub mod mentions;
pub mod money;
pub mod refusal;
pub mod request;
#[cfg(test)]
pub mod sample_log;
pub mod state;
pub mod status;

pub use amount::Amount;
pub use exceptions::{Cause, ExceptionFacts, OpenException};
pub use state::{lines_total, Address, Component, ComponentKind, Customer, Order, Parcel};
