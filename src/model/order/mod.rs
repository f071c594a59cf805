//! The order as an event log: identifiers, channels, money, the events, the
//! canonical lifecycle and the state one pure `evolve` folds from the log.

pub mod channel;
pub mod event;
pub mod ids;
pub mod lifecycle;
pub mod money;
pub mod state;
pub mod status;

pub use state::{
    lines_total, Address, Component, ComponentKind, Customer, OpenException, Order, Parcel,
};
