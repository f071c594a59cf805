//! What feeds the log: the integrations, their status mapping tables, and the
//! reasons a delivery is refused.

pub mod delivery_refusal;
pub mod integration;
pub mod mapping;
