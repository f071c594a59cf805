//! Ingest: what channels, warehouses and carriers send us, turned into facts.

pub mod adapters;
pub mod hooks;
pub mod signature;
pub mod translate;
