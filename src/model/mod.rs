//! The pure domain: orders as event logs, the canonical lifecycle, money and time.
//!
//! No Leptos, no I/O. Compiled into both the server and the WebAssembly client, so
//! the browser folds live events with exactly the code the server uses.
//!
//! - [`order`]: the log and what it folds into (events, lifecycle, money, state).
//! - [`access`]: roles, permissions, lenses, accounts.
//! - [`detect`]: the detectors: conditions found on an order's log and the clock.
//! - [`ingest`]: integrations, mapping tables, refused deliveries.
//! - [`route`]: the router: where an order ships from, and why.
//! - [`views`]: the read models people see, and free text through a lens.
//! - [`live`]: topics and the page's shared stream.
//! - [`warehouse`]: warehouses, their stock and the hours they ship in.

pub mod access;
pub mod detect;
pub mod ingest;
pub mod live;
pub mod order;
pub mod route;
pub mod views;
pub mod warehouse;

pub use access::{Lens, Permission, Reveal, Role, Seen, SeenEvent, SeenMoney, SeenOrder};
pub use ingest::integration::Integration;
pub use live::topic::{Topic, TopicError};
pub use order::channel::{Channel, Source, CHINA_TIME};
pub use order::event::{Actor, EventKind, OrderEvent, RecordedEvent, ScanKind};
pub use order::exceptions::ExceptionCode;
pub use order::ids::{ComponentId, IdError, OrderId, ParcelId};
pub use order::lifecycle::{evolve, Refusal};
pub use order::money::{Currency, Money, MoneyError};
pub use order::status::{Branch, Stage, Status};
pub use order::{Address, Amount, Component, ComponentKind, Customer, Order, Parcel};
pub use views::query::{
    ListKey, OrderDetail, OrderPage, OrderQuery, OrderRows, OrderSummary, PageAt,
};
