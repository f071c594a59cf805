//! Demo traffic: realistic omnichannel orders. Each order follows a scripted
//! fate (normal delivery, a later-shipping gift box, split parcels, refund
//! interception, a carrier exception, a paid order that never ships, …).
//! Scripts are a pure function of the seed, so a run from an empty store is
//! reproducible.
//!
//! - [`script`]: the script of one order, written from its [`placement`], its
//!   [`fate`], its [`shipping`] and any [`after_sale`], out of the
//!   [`catalogue`];
//! - [`pacing`]: when orders arrive and their steps fall due;
//! - [`feed`]: where each step is sent: straight into the store, or rendered
//!   by [`wire`] as the real, signed delivery of the system the step comes
//!   from (a Shopify webhook, a Douyin message, our WMS feed, a Kuaidi100
//!   push, the timeline write API) through the control room's own routes;
//! - [`history`]: a merchant-sized past written at once (`demo-history`);
//! - [`seed_warehouses`]: the warehouses orders are allocated to, as data.

mod after_sale;
mod catalogue;
mod fate;
pub mod feed;
pub mod history;
mod pacing;
mod placement;
mod script;
mod shipping;
mod warehouses;
pub mod wire;

pub use feed::Feed;
pub use pacing::{run, Settings};
pub use script::{next_script, Script, Step};
pub use warehouses::seed_warehouses;
