//! The read models of the order list and the order page. What crosses the
//! wire ([`OrderPage`], [`OrderDetail`]) is made by the caller's lens from
//! what the store holds ([`OrderRows`], orders and events in [`Money`]); see
//! [`crate::model::access::seen`].

use crate::model::access::{Lens, SeenEvent, SeenMoney, SeenOrder};
use crate::model::order::channel::Channel;
use crate::model::order::event::RecordedEvent;
use crate::model::order::exceptions::ExceptionCode;
use crate::model::order::ids::ParcelId;
use crate::model::order::money::Money;
use crate::model::order::status::Status;
use crate::model::order::Order;
use crate::model::views::progress::Progress;
use crate::model::views::search::SearchAnswer;
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

/// Largest page the list serves.
pub const MAX_PER_PAGE: u32 = 100;

/// Where an order sorts in the list: newest placed first (to the
/// microsecond, as the store keeps it), then by our order id, descending. A
/// page of the list is the orders after (or before) one such key: keyset
/// pages, which the store seeks in an index however deep they are.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub struct ListKey {
    /// When the order was placed, microseconds since the Unix epoch.
    pub placed_micros: i64,
    pub order_id: String,
}

impl ListKey {
    /// The key `order` sorts at.
    pub fn of<A>(order: &Order<A>) -> ListKey {
        ListKey {
            placed_micros: order.placed_at.timestamp_micros(),
            order_id: order.id.to_string(),
        }
    }

    /// As written in the list's address: `micros.order-id`.
    pub fn param(&self) -> String {
        format!("{}.{}", self.placed_micros, self.order_id)
    }

    /// From [`ListKey::param`]; `None` when it is not one.
    pub fn parse(param: &str) -> Option<ListKey> {
        let (micros, id) = param.split_once('.')?;
        let id = crate::model::order::ids::OrderId::parse(id).ok()?;
        Some(ListKey {
            placed_micros: micros.parse().ok()?,
            order_id: id.to_string(),
        })
    }
}

/// Which page of the list: the first, the one after or before a key (the
/// last row of the page shown, or its first), or the last.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", content = "key", rename_all = "snake_case")]
pub enum PageAt {
    #[default]
    First,
    /// The orders sorting after this key (older).
    After(ListKey),
    /// The orders sorting before this key (newer).
    Before(ListKey),
    /// The oldest orders: what is left over after whole pages from the first.
    Last,
}

/// Which orders to list.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct OrderQuery {
    pub status: Option<Status>,
    pub channel: Option<Channel>,
    /// What the customer gave: an order number (ours or the channel's), a
    /// waybill, a phone number, its last four digits with a name, or a name
    /// (see [`crate::model::views::search`]). A search answers one page, the
    /// newest orders found, within the other filters.
    pub search: Option<String>,
    /// Only orders with an open exception.
    #[serde(default)]
    pub open_exceptions: bool,
    /// The number of the page asked for, as the pager counts it (1-based):
    /// a label for the page at [`OrderQuery::at`], which the store corrects
    /// at either end (no newer orders: page 1; no older: the last).
    pub page: u32,
    pub per_page: u32,
    /// Where the page is.
    #[serde(default)]
    pub at: PageAt,
}

impl OrderQuery {
    /// The page and page size, clamped to what the server serves.
    pub fn bounds(&self) -> (u32, u32) {
        (self.page.max(1), self.per_page.clamp(1, MAX_PER_PAGE))
    }

    /// The search text, trimmed; `None` when blank.
    pub fn search_text(&self) -> Option<&str> {
        self.search
            .as_deref()
            .map(str::trim)
            .filter(|s| !s.is_empty())
    }
}

/// One row of the order list; its total a [`Money`] as stored, a
/// [`crate::model::access::Seen`] amount through a lens.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct OrderSummary<A = Money> {
    pub id: String,
    pub channel: Channel,
    pub channel_order_id: String,
    pub customer_name: String,
    pub status: Status,
    pub total: A,
    pub components: u32,
    /// How far shipping has come (words made where shown).
    pub progress: Progress,
    /// The open exceptions, by code and parcel (their causes stay on the order page).
    pub exceptions: Vec<ExceptionMark>,
    pub placed_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

/// A row of the order list through a lens.
pub type SeenSummary = OrderSummary<SeenMoney>;

impl OrderSummary {
    /// The row as `lens` shows it.
    pub fn through(&self, lens: Lens) -> SeenSummary {
        self.map_amounts(&|m| lens.amount(m))
    }
}

impl<A: Clone> From<&Order<A>> for OrderSummary<A> {
    fn from(o: &Order<A>) -> Self {
        OrderSummary {
            id: o.id.to_string(),
            channel: o.channel,
            channel_order_id: o.channel_order_id.clone(),
            customer_name: o.customer.name.clone(),
            status: o.status(),
            total: o.total.clone(),
            components: o.components.len() as u32,
            progress: Progress::of(o),
            exceptions: o
                .exceptions
                .iter()
                .map(|e| ExceptionMark {
                    code: e.code,
                    parcel: e.parcel.clone(),
                })
                .collect(),
            placed_at: o.placed_at,
            updated_at: o.updated_at,
        }
    }
}

impl<A: Clone> OrderSummary<A> {
    /// The same row with its amount mapped by `f` (how a lens shows it).
    pub fn map_amounts<B>(&self, f: &impl Fn(A) -> B) -> OrderSummary<B> {
        OrderSummary {
            id: self.id.clone(),
            channel: self.channel,
            channel_order_id: self.channel_order_id.clone(),
            customer_name: self.customer_name.clone(),
            status: self.status,
            total: f(self.total.clone()),
            components: self.components,
            progress: self.progress.clone(),
            exceptions: self.exceptions.clone(),
            placed_at: self.placed_at,
            updated_at: self.updated_at,
        }
    }
}

/// An open exception as the order list shows it: what, and on which parcel
/// (in words: `crate::i18n::words::exception_mark`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ExceptionMark {
    pub code: ExceptionCode,
    pub parcel: Option<ParcelId>,
}

/// A page of the order list as the store holds it; the server function shows
/// it through the caller's lens ([`OrderRows::through`]).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OrderRows {
    pub orders: Vec<Order>,
    /// Orders matching the query (of a search: found, at most
    /// [`crate::model::views::search::MAX_FOUND`]).
    pub total: u64,
    /// Of the orders matching the query without its `open_exceptions`, those
    /// with an open exception.
    pub with_exceptions: u64,
    /// The page's number (1-based), as the query labelled it, corrected at either end.
    pub page: u32,
    pub per_page: u32,
    /// Where the page before this one ends (this page's first row), when
    /// there are newer orders.
    pub previous: Option<ListKey>,
    /// Where the page after this one starts (this page's last row), when
    /// there are older orders.
    pub next: Option<ListKey>,
    /// What a search answered besides the orders; `None` for the plain list.
    pub search: Option<SearchAnswer>,
    /// The log head read before the rows: every event up to it is in them.
    pub as_of: u64,
}

impl OrderRows {
    /// The page as `lens` shows it.
    pub fn through(&self, lens: Lens) -> OrderPage {
        OrderPage {
            lens,
            orders: self.orders.iter().map(|o| lens.order(o)).collect(),
            total: self.total,
            with_exceptions: self.with_exceptions,
            page: self.page,
            per_page: self.per_page,
            previous: self.previous.clone(),
            next: self.next.clone(),
            search: self.search.clone(),
            as_of: self.as_of,
        }
    }
}

/// A page of the order list as the viewer sees it: each row's order in full,
/// so the browser folds live events into it (see
/// [`crate::model::views::list_page`]).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct OrderPage {
    /// What the viewer sees: withheld amounts are absent (`null`).
    pub lens: Lens,
    pub orders: Vec<SeenOrder>,
    /// Orders matching the query.
    pub total: u64,
    /// Of the orders matching the query without its `open_exceptions`, those
    /// with an open exception.
    pub with_exceptions: u64,
    pub page: u32,
    pub per_page: u32,
    /// Where the page before ends, when there are newer orders.
    pub previous: Option<ListKey>,
    /// Where the page after starts, when there are older orders.
    pub next: Option<ListKey>,
    /// What a search answered besides the orders; `None` for the plain list.
    pub search: Option<SearchAnswer>,
    /// The log head read before the rows: every event up to it is in them.
    pub as_of: u64,
}

impl OrderPage {
    pub fn page_count(&self) -> u32 {
        page_count(self.total, self.per_page)
    }
}

/// Pages of `per_page` that `total` orders fill (at least one).
pub fn page_count(total: u64, per_page: u32) -> u32 {
    let per = u64::from(per_page.max(1));
    total.div_ceil(per).max(1).try_into().unwrap_or(u32::MAX)
}

/// One order with its whole log as the viewer sees them.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct OrderDetail {
    /// What the viewer sees: withheld amounts are absent (`null`).
    pub lens: Lens,
    pub order: SeenOrder,
    pub events: Vec<SeenEvent>,
}

impl OrderDetail {
    /// `order` and its log as `lens` shows them; free text is masked knowing
    /// whom the order goes to.
    pub fn through(lens: Lens, order: &Order, events: &[RecordedEvent]) -> OrderDetail {
        OrderDetail {
            lens,
            order: lens.order(order),
            events: events
                .iter()
                .map(|e| lens.event_about(e, Some(&order.customer)))
                .collect(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bounds_are_clamped() {
        let q = OrderQuery {
            page: 0,
            per_page: 10_000,
            ..Default::default()
        };
        assert_eq!(q.bounds(), (1, MAX_PER_PAGE));
        let q = OrderQuery {
            search: Some("   ".into()),
            ..Default::default()
        };
        assert_eq!(q.search_text(), None);
    }

    #[test]
    fn page_count_rounds_up() {
        let page = OrderPage {
            lens: Lens::FULL,
            orders: vec![],
            total: 51,
            with_exceptions: 0,
            page: 1,
            per_page: 25,
            previous: None,
            next: None,
            search: None,
            as_of: 0,
        };
        assert_eq!(page.page_count(), 3);
    }

    #[test]
    fn a_list_key_goes_through_the_address_and_back() {
        let key = ListKey {
            placed_micros: 1_764_316_800_123_456,
            order_id: "CR-AB23CD45".into(),
        };
        assert_eq!(key.param(), "1764316800123456.CR-AB23CD45");
        assert_eq!(ListKey::parse(&key.param()), Some(key));
        assert_eq!(ListKey::parse("x.CR-1"), None);
        assert_eq!(ListKey::parse("12.CR 1"), None);
        assert_eq!(ListKey::parse("12"), None);
    }
}
