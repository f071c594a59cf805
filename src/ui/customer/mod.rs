//! What a customer sees (no sign-in, outside the staff shell):
//! - [`page`]: `/track/:token`, the page a link opens.
//! - [`tracked_order`]: the order, masked, kept current by the live stream.
//! - [`order_contents`], [`customer_timeline`]: what was ordered and how it
//!   travels; the updates, newest first.
//! - [`step_stream`]: the page's own `EventSource` and its state in words.
//! - [`view_request`]: loads the view from `GET /api/track/<token>`.
//! - [`link_not_valid`]: what an unknown, expired or revoked link shows.

mod customer_timeline;
mod link_not_valid;
mod order_contents;
mod page;
mod step_stream;
mod tracked_order;
mod view_request;

pub use page::TrackingPage;
