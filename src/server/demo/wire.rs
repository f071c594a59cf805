//! Demo traffic on the wire: one scripted step of an order rendered as the
//! delivery the real sending system would make, in its own format and signed
//! as it signs, so demo traffic takes the same path as production traffic
//! (`POST /hooks/{integration}` or the timeline write API).
//!
//! Which format carries which step (the most faithful one whose adapter and
//! default mapping table say what the step says):
//!
//! | step | Shopify order | Douyin order | WeChat Channels order | Tmall, Xiaohongshu, POS |
//! |---|---|---|---|---|
//! | order placed | `orders/create`, `financial_status` `pending` | timeline API¹ | timeline API¹ | timeline API |
//! | payment captured | `orders/updated`, `paid`² | message tag `101` with `pay_amount` | `channels_ec_order_pay`² | timeline API |
//! | cancelled before payment | `orders/cancelled` | tag `106` | `channels_ec_order_cancel` | timeline API |
//! | refund requested | timeline API³ | tag `200` with `refund_amount` | after-sale `MERCHANT_PROCESSING`⁴ | timeline API |
//! | refunded | `orders/updated`, `refunded`⁵ | tag `206` with `refund_amount` | after-sale `MERCHANT_REFUND_SUCCESS`⁴ | timeline API |
//! | allocated, picking, packed, shipped | our WMS feed (`docs/wms-feed.md`) | WMS | WMS | WMS |
//! | carrier scan | Kuaidi100 push⁶ | Kuaidi100 | Kuaidi100 | Kuaidi100 |
//! | anything else (confirmation, returns, holds, notes, exceptions) | timeline API | timeline API | timeline API | timeline API |
//!
//! 1. Douyin's and WeChat's order messages carry only the order id (no buyer,
//!    lines or total), so the order is placed through the timeline API under
//!    our own order id; their later messages find it by the channel's order id.
//! 2. Neither carries the amount paid (Shopify restates `total_price`, WeChat
//!    nothing), so only a payment of the whole total goes this way; any other
//!    amount, and a cancellation after payment, goes through the timeline API.
//! 3. Shopify has no "refund requested" state.
//! 4. WeChat's after-sale event carries no amount: ingest takes what is still
//!    refundable (request) or what was asked (refund), so only those amounts go
//!    this way; a partial request (a missing gift) goes through the timeline
//!    API and its refund then follows as an after-sale event.
//! 5. Only a full refund: `partially_refunded` changes no status in the
//!    mapping table, so a partial refund goes through the timeline API.
//! 6. Every waybill, UPS included (Kuaidi100 tracks it as `ups`): EasyPost has
//!    no picked-up status, and a 17TRACK push restates a pickup as `InTransit`
//!    in its summary, so both would tell a different story than the script.
//!    A push carries the waybill's whole track so far, newest first, each entry
//!    at the time it happened, so a late scan arrives with its own, older time.
//!
//! Shopify names its order by a numeric `id` (the channel order id ingest
//! keeps) and its lines by line-item ids (components `item-<line id>`, all of
//! kind main: Shopify lines say nothing of gifts or shipping later). Both are
//! derived from our order id; the script's `#1234` is the order's `name`. The
//! control room gives a Shopify order its own id when `orders/create` arrives;
//! whoever sends learns it and calls [`OrderWire::adopt`] so that timeline API
//! calls name it. Every Shopify webhook restates both `financial_status` and
//! `fulfillment_status`; ingest keeps the one that changes nothing as a
//! `status_reported` event, so a Shopify order's log holds a few more events
//! than the script has steps.
//!
//! Every delivery is unique (webhook ids, message ids, event ids are derived
//! from our order id and a per-order counter; Kuaidi100 and WeChat dedupe on
//! content that changes with every push) and a pure function of the script and
//! the occurrence times.

//! What decides a step's format, and what each format restates of the order
//! (Shopify's whole order object, Kuaidi100's whole track), is the order as
//! the steps sent so far make it: each step is folded into a real
//! [`Order`](crate::model::Order) with the control room's own lifecycle
//! ([`evolve`](crate::model::evolve)) before it is rendered, so the demo and
//! the server cannot disagree about it, and a step the lifecycle refuses is
//! not sent.
//!
//! - [`order_wire`]: one order on the wire, its ids and the order folded so far;
//! - [`route`]: which format carries which step (the table above);
//! - [`shopify`], [`douyin`], [`wechat`], [`wms`], [`kuaidi100`], [`timeline`]:
//!   the formats;
//! - [`delivery`], [`keys`], [`ids`], [`json`]: the POST they make, what signs
//!   it, the ids derived from our order id, and JSON they write alike.

mod delivery;
mod douyin;
mod error;
mod ids;
mod json;
mod keys;
mod kuaidi100;
mod order_wire;
mod route;
mod shopify;
mod timeline;
mod wechat;
mod wms;

pub use delivery::WireDelivery;
pub use error::WireError;
pub use keys::WireKeys;
pub use order_wire::OrderWire;

#[cfg(test)]
mod tests;
