//! The pure domain: orders as event logs, the canonical lifecycle, money and time.
//!
//! No Leptos, no I/O. Compiled into both the server and the WebAssembly client, so
//! the browser folds live events with exactly the code the server uses.

pub mod access;
pub mod account;
pub mod channel;
pub mod event;
pub mod ids;
pub mod integration;
pub mod lifecycle;
pub mod mapping;
pub mod meaning;
pub mod money;
pub mod order;
pub mod page_stream;
pub mod query;
pub mod redaction;
pub mod refusal;
pub mod status;
pub mod timeline_groups;
pub mod topic;
pub mod tracking;
pub mod tracking_link;

pub use access::{Lens, Permission, Reveal, Role};
pub use channel::{Channel, Source, CHINA_TIME};
pub use event::{Actor, EventKind, ExceptionCode, OrderEvent, RecordedEvent, ScanKind};
pub use ids::{ComponentId, IdError, OrderId, ParcelId};
pub use integration::Integration;
pub use lifecycle::{evolve, Refusal};
pub use money::{Currency, Money, MoneyError};
pub use order::{Address, Component, ComponentKind, Customer, Order, Parcel};
pub use query::{OrderDetail, OrderPage, OrderQuery, OrderSummary};
pub use status::{Branch, Stage, Status};
pub use topic::{Topic, TopicError};
