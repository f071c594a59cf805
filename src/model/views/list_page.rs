//! The order list as the browser keeps it live without reloading it: the
//! page as loaded, each row folded forward with the lifecycle's `evolve` as
//! its events arrive (so a row changes in place and never moves), and what
//! would change the page's membership counted instead of applied
//! ("2 new orders — show").
//!
//! Pure (no browser, no timers): the list page (`crate::ui::order_list`)
//! feeds it the pages it loads and the events of the live stream, and shows
//! what it holds.
//!
//! - A page carries its rows' orders and `as_of`, the log head read before
//!   the rows: every event at or below it is in the page already, and a row
//!   skips events at or below its own `last_seq`.
//! - An event for a row is folded into that row's order with [`evolve`] (the
//!   page and the events are as the viewer's lens shows them, withheld amounts
//!   and all) and the row's summary is made again from it. The row stays where it is, even
//!   when it no longer matches the filters (it is counted as such).
//! - An order placed after the page was read that matches the filters and
//!   would land on this page is counted as new, not inserted. With a status
//!   filter its later events are folded too (it may leave or join the
//!   filter), for up to [`MAX_FOLLOWED`] orders.
//! - Only with a filter that changes as orders move (status, open exceptions)
//!   can an event of an order the browser knows
//!   nothing about (off the page, placed before it was read) bring it onto
//!   the page; such an event makes the page [`LiveList::unsure`], and the list
//!   checks with the server (at most once per few seconds, see the UI) what
//!   joined: [`Purpose::Check`]. Channel, order numbers and placing time never
//!   change, so without such a filter nothing needs the server — but for a
//!   search, whose keys an event can give an order ([`SearchPlan::may_gain`]:
//!   a parcel shipped under the waybill searched for).
//! - A search's page is the orders it found (one page); it is matched here
//!   with the same [`SearchPlan`] the server seeks with, through the same lens.
//! - A load or check in flight records the events that arrive meanwhile, so
//!   the page it brings is brought forward with them on arrival.

use crate::model::access::{Lens, SeenEvent, SeenOrder};
use crate::model::order::event::EventKind;
use crate::model::order::lifecycle::{evolve, Refusal};
use crate::model::order::Order;
use crate::model::views::query::{
    page_count, ListKey, OrderPage, OrderQuery, OrderSummary, SeenSummary,
};
use crate::model::views::search::{Field, SearchAnswer, SearchPlan};
use std::cmp::Reverse;
use std::collections::{BTreeMap, BTreeSet};

/// Orders off the page whose state the list follows at most (with a status
/// filter); beyond it a new order is counted as it is when placed.
pub const MAX_FOLLOWED: usize = 1000;

/// Whether `order` is one the server lists for `query` (status, channel, open
/// exceptions, and what `search` — the query's search as the viewer's lens
/// plans it — finds).
pub fn matches<A>(query: &OrderQuery, search: Option<&SearchPlan>, order: &Order<A>) -> bool {
    query.status.is_none_or(|s| s == order.status())
        && (!query.open_exceptions || !order.exceptions.is_empty())
        && query.channel.is_none_or(|c| c == order.channel)
        && search.is_none_or(|plan| plan.matched(order).is_some())
}

/// Where an order sorts in the list: newest placed first, then by our id
/// (both descending, as the store pages them).
fn sort_key<A>(order: &Order<A>) -> Reverse<ListKey> {
    Reverse(ListKey::of(order))
}

/// What would change if the page were shown again, in distinct orders (in
/// words: `crate::i18n::words::tally`).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Tally {
    /// Orders not on the page that would now be on it.
    pub new: usize,
    /// Orders on the page that no longer match its filters.
    pub gone: usize,
}

/// What an event did to the list.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Received {
    /// Nothing to change (already in the page, or not about it).
    Ignored,
    /// A row was brought forward in place.
    Row,
    /// The tally may have changed (a new order, or one followed off the page).
    Tally,
    /// Only the server can tell whether the event brought an order onto the
    /// page: a check is due.
    Unsure,
    /// The lifecycle refused to fold it into the order it is about (the view
    /// is then behind that event; the next load mends it).
    Refused(Refusal),
}

/// One row: the order as folded so far and the summary shown for it.
#[derive(Debug, Clone, PartialEq)]
struct Row {
    order: SeenOrder,
    summary: SeenSummary,
    /// The field a search found it by.
    matched: Option<Field>,
}

/// The page as shown, brought forward by the live stream.
#[derive(Debug, Clone, PartialEq)]
pub struct ShownPage {
    query: OrderQuery,
    lens: Lens,
    rows: Vec<Row>,
    total: u64,
    with_exceptions: u64,
    page: u32,
    per_page: u32,
    previous: Option<ListKey>,
    next: Option<ListKey>,
    /// The query's search as the viewer's lens plans it.
    plan: Option<SearchPlan>,
    search: Option<SearchAnswer>,
    as_of: u64,
    /// Off-page orders whose state is followed: placed since, or found by a check.
    followed: BTreeMap<String, SeenOrder>,
    /// Off-page orders counted as new whose state is not followed.
    joining: BTreeSet<String>,
    /// An event arrived that only the server can place.
    unsure: bool,
}

impl ShownPage {
    fn new(query: OrderQuery, page: OrderPage) -> Self {
        let lens = page.lens;
        let matched = page.search.as_ref().map(|s| s.matched.clone());
        let rows = page
            .orders
            .into_iter()
            .enumerate()
            .map(|(n, order)| Row {
                summary: OrderSummary::from(&order),
                order,
                matched: matched.as_ref().and_then(|m| m.get(n).copied()),
            })
            .collect();
        let plan = plan_of(&query, lens);
        ShownPage {
            query,
            lens,
            rows,
            total: page.total,
            with_exceptions: page.with_exceptions,
            page: page.page,
            per_page: page.per_page,
            previous: page.previous,
            next: page.next,
            plan,
            search: page.search,
            as_of: page.as_of,
            followed: BTreeMap::new(),
            joining: BTreeSet::new(),
            unsure: false,
        }
    }

    /// Whether an order sorting at `order` would be shown on this page: after
    /// its first row (for a later page) and before its last (or the page has room).
    fn lands(&self, order: &SeenOrder) -> bool {
        let key = sort_key(order);
        let has_room = self.rows.len() < self.per_page as usize;
        let before_last = self
            .rows
            .last()
            .is_none_or(|last| key < sort_key(&last.order));
        let after_first = self.previous.is_none()
            || self
                .rows
                .first()
                .is_some_and(|first| key > sort_key(&first.order));
        after_first && (before_last || has_room)
    }

    fn receive(&mut self, event: &SeenEvent) -> Received {
        if event.seq <= self.as_of {
            return Received::Ignored;
        }
        let id = event.event.order_id.as_str();
        if let Some(at) = self.rows.iter().position(|r| r.order.id.as_str() == id) {
            let row = &self.rows[at];
            if event.seq <= row.order.last_seq {
                return Received::Ignored;
            }
            return match evolve(Some(&row.order), event) {
                Ok(order) => {
                    self.rows[at].summary = OrderSummary::from(&order);
                    self.rows[at].order = order;
                    Received::Row
                }
                Err(refusal) => Received::Refused(refusal),
            };
        }
        if let Some(known) = self.followed.get(id) {
            if event.seq <= known.last_seq {
                return Received::Ignored;
            }
            return match evolve(Some(known), event) {
                Ok(order) => {
                    self.followed.insert(id.to_string(), order);
                    Received::Tally
                }
                Err(refusal) => Received::Refused(refusal),
            };
        }
        if self.joining.contains(id) {
            return Received::Ignored;
        }
        if let EventKind::OrderPlaced { .. } = event.event.kind {
            return match evolve(None, event) {
                Ok(order) => self.arrived(order),
                Err(refusal) => Received::Refused(refusal),
            };
        }
        let may_join = (self.moves_with_orders()
            && !matches!(event.event.kind, EventKind::NoteAdded { .. }))
            || self
                .plan
                .as_ref()
                .is_some_and(|plan| plan.may_gain(&event.event.kind));
        if may_join {
            self.unsure = true;
            Received::Unsure
        } else {
            Received::Ignored
        }
    }

    /// Whether the filters can let an order in or out as it moves (status,
    /// open exceptions); channel and order numbers never change.
    fn moves_with_orders(&self) -> bool {
        self.query.status.is_some() || self.query.open_exceptions
    }

    /// Whether `order` is one the server lists for this page's query.
    fn matches<A>(&self, order: &Order<A>) -> bool {
        matches(&self.query, self.plan.as_ref(), order)
    }

    /// Whether `order` is on the list for what never changes as an order
    /// moves (its channel), and is found by the search, if any.
    fn matches_fixed<A>(&self, order: &Order<A>) -> bool {
        self.query.channel.is_none_or(|c| c == order.channel)
            && self
                .plan
                .as_ref()
                .is_none_or(|plan| plan.matched(order).is_some())
    }

    /// An order off the page the list now knows in full (placed after the
    /// page was read, or found by a check).
    fn arrived(&mut self, order: SeenOrder) -> Received {
        if !self.matches_fixed(&order) || !self.lands(&order) {
            return Received::Ignored;
        }
        let id = order.id.to_string();
        if !self.moves_with_orders() {
            self.joining.insert(id);
        } else if self.followed.len() < MAX_FOLLOWED {
            self.followed.insert(id, order);
        } else if self.matches(&order) {
            self.joining.insert(id);
        } else {
            return Received::Ignored;
        }
        Received::Tally
    }

    /// A check's answer: the page as the server would show it now. Orders on
    /// it that are not shown are counted as new; the events recorded while it
    /// was asked for bring them forward.
    fn checked(&mut self, fresh: OrderPage, since: &[SeenEvent]) {
        self.unsure = false;
        for order in fresh.orders {
            let id = order.id.as_str();
            let shown = self.rows.iter().any(|r| r.order.id.as_str() == id);
            if shown || self.joining.contains(id) {
                continue;
            }
            let newer = self
                .followed
                .get(id)
                .is_none_or(|known| known.last_seq < order.last_seq);
            if !newer {
                continue;
            }
            if self.followed.contains_key(id) || self.followed.len() < MAX_FOLLOWED {
                self.followed.insert(id.to_string(), order);
            } else {
                self.joining.insert(id.to_string());
            }
        }
        for event in since {
            if self.followed.contains_key(event.event.order_id.as_str()) {
                let _ = self.receive(event);
            }
        }
    }

    fn tally(&self) -> Tally {
        let followed_new = self
            .followed
            .values()
            .filter(|o| self.matches(o) && self.lands(o))
            .count();
        Tally {
            new: self.joining.len() + followed_new,
            gone: self.rows.iter().filter(|r| !self.matches(&r.order)).count(),
        }
    }
}

/// The search of `query` as `lens` may make it.
fn plan_of(query: &OrderQuery, lens: Lens) -> Option<SearchPlan> {
    query
        .search_text()
        .and_then(|text| SearchPlan::new(text, lens))
}

/// Why a page is asked for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Purpose {
    /// To show it (the first load, a change of filters, "show").
    Show,
    /// To learn which orders joined the shown page; nothing shown moves.
    Check,
}

/// A request for a page, answered by [`LiveList::arrived`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Ticket(u64);

#[derive(Debug, Clone, PartialEq)]
struct InFlight {
    ticket: Ticket,
    purpose: Purpose,
    query: OrderQuery,
    /// Events that arrived since it was asked for.
    since: Vec<SeenEvent>,
}

/// The live order list: the page shown, and the one request in flight.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct LiveList {
    shown: Option<ShownPage>,
    in_flight: Option<InFlight>,
    tickets: u64,
}

impl LiveList {
    pub fn new() -> Self {
        LiveList::default()
    }

    /// Asks for a page of `query` to show; replaces any request in flight.
    pub fn load(&mut self, query: OrderQuery) -> Ticket {
        self.ask(Purpose::Show, query)
    }

    /// Asks for the shown page again to learn what joined it, when an event
    /// made that unsure and nothing is in flight; `None` otherwise.
    pub fn check(&mut self) -> Option<(Ticket, OrderQuery)> {
        if !self.unsure() || self.in_flight.is_some() {
            return None;
        }
        let query = self.shown.as_ref()?.query.clone();
        Some((self.ask(Purpose::Check, query.clone()), query))
    }

    fn ask(&mut self, purpose: Purpose, query: OrderQuery) -> Ticket {
        self.tickets += 1;
        let ticket = Ticket(self.tickets);
        self.in_flight = Some(InFlight {
            ticket,
            purpose,
            query,
            since: Vec::new(),
        });
        ticket
    }

    /// The answer to `ticket`: shown (brought forward with the events that
    /// arrived meanwhile), or merged as a check. An answer to a request that
    /// was replaced is dropped.
    pub fn arrived(&mut self, ticket: Ticket, page: OrderPage) {
        let Some(asked) = self.in_flight.take_if(|f| f.ticket == ticket) else {
            return;
        };
        match (asked.purpose, self.shown.as_mut()) {
            (Purpose::Check, Some(shown)) if shown.query == asked.query => {
                shown.checked(page, &asked.since);
            }
            (Purpose::Check, _) => {}
            (Purpose::Show, _) => {
                let mut shown = ShownPage::new(asked.query, page);
                for event in &asked.since {
                    let _ = shown.receive(event);
                }
                self.shown = Some(shown);
            }
        }
    }

    /// The request `ticket` failed: nothing is in flight any more.
    pub fn failed(&mut self, ticket: Ticket) {
        self.in_flight.take_if(|f| f.ticket == ticket);
    }

    /// An event from the live stream, in log order.
    pub fn receive(&mut self, event: SeenEvent) -> Received {
        let received = match self.shown.as_mut() {
            Some(shown) => shown.receive(&event),
            None => Received::Ignored,
        };
        if let Some(in_flight) = self.in_flight.as_mut() {
            in_flight.since.push(event);
        }
        received
    }

    /// Whether an event arrived that only a check can place.
    pub fn unsure(&self) -> bool {
        self.shown.as_ref().is_some_and(|s| s.unsure)
    }

    /// The log position the shown page reflects (the first page's is where
    /// the live stream starts); `None` until a page is shown.
    pub fn as_of(&self) -> Option<u64> {
        self.shown.as_ref().map(|s| s.as_of)
    }

    /// The shown rows' order ids, in their places.
    pub fn row_ids(&self) -> Vec<String> {
        self.shown.as_ref().map_or_else(Vec::new, |s| {
            s.rows.iter().map(|r| r.summary.id.clone()).collect()
        })
    }

    /// The summary shown for the row of order `id`.
    pub fn row(&self, id: &str) -> Option<&SeenSummary> {
        self.shown
            .as_ref()?
            .rows
            .iter()
            .find(|r| r.summary.id == id)
            .map(|r| &r.summary)
    }

    /// What showing the page again would change.
    pub fn tally(&self) -> Tally {
        self.shown
            .as_ref()
            .map_or_else(Tally::default, ShownPage::tally)
    }

    /// Orders matching the filters when the page was read.
    pub fn total(&self) -> u64 {
        self.shown.as_ref().map_or(0, |s| s.total)
    }

    /// Of the orders matching the filters (but open exceptions) when the
    /// page was read, those with an open exception.
    pub fn with_exceptions(&self) -> u64 {
        self.shown.as_ref().map_or(0, |s| s.with_exceptions)
    }

    /// The shown page's number (1-based).
    pub fn page(&self) -> u32 {
        self.shown.as_ref().map_or(1, |s| s.page)
    }

    /// How many pages the list had when the page was read.
    pub fn page_count(&self) -> u32 {
        self.shown
            .as_ref()
            .map_or(1, |s| page_count(s.total, s.per_page))
    }

    /// Where the page before the shown one ends, when there are newer orders.
    pub fn previous(&self) -> Option<ListKey> {
        self.shown.as_ref()?.previous.clone()
    }

    /// Where the page after the shown one starts, when there are older orders.
    pub fn next(&self) -> Option<ListKey> {
        self.shown.as_ref()?.next.clone()
    }

    /// What the shown page's search answered besides its orders.
    pub fn search(&self) -> Option<&SearchAnswer> {
        self.shown.as_ref()?.search.as_ref()
    }

    /// The field the search found the row of order `id` by.
    pub fn matched(&self, id: &str) -> Option<Field> {
        self.shown
            .as_ref()?
            .rows
            .iter()
            .find(|r| r.summary.id == id)
            .and_then(|r| r.matched)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::access::Reveal;
    use crate::model::order::channel::{Channel, Source};
    use crate::model::order::event::RecordedEvent;
    use crate::model::order::event::{Actor, OrderEvent};
    use crate::model::order::ids::{ComponentId, OrderId};
    use crate::model::order::money::{Currency, Money};
    use crate::model::order::status::Status;
    use crate::model::order::{Address, Component, ComponentKind, Customer};
    use chrono::{DateTime, Duration, TimeZone, Utc};

    fn t(minutes: i64) -> DateTime<Utc> {
        Utc.with_ymd_and_hms(2026, 11, 1, 8, 0, 0).unwrap() + Duration::minutes(minutes)
    }

    fn cny(minor: i64) -> Money {
        Money::new(minor, Currency::CNY)
    }

    /// An event as the full lens shows it (what the stream sends).
    fn event(seq: u64, order: &str, kind: EventKind) -> SeenEvent {
        Lens::FULL.event(&RecordedEvent {
            seq,
            recorded_at: t(seq as i64),
            event: OrderEvent {
                order_id: OrderId::parse(order).unwrap(),
                occurred_at: t(seq as i64),
                source: Source::ControlRoom,
                actor: Actor::System {
                    name: "test".into(),
                },
                kind,
            },
        })
    }

    /// `order` placed on `channel` at minute `placed` (as event `seq`).
    fn placed(seq: u64, order: &str, channel: Channel, placed: i64) -> SeenEvent {
        let mut e = event(
            seq,
            order,
            EventKind::OrderPlaced {
                channel,
                channel_order_id: format!("CH-{order}"),
                customer: Customer {
                    name: "王小明".into(),
                    phone: "13800138000".into(),
                    address: Address {
                        country: "CN".into(),
                        province: "上海".into(),
                        city: "上海".into(),
                        line: "浦东新区 1 号".into(),
                    },
                },
                components: vec![Component {
                    id: ComponentId::parse("item").unwrap(),
                    sku: "SKU-1".into(),
                    name: "Serum".into(),
                    kind: ComponentKind::Main,
                    quantity: 1,
                    unit_price: cny(10000),
                    ships_later: false,
                }],
                total: cny(10000),
            },
        );
        e.event.occurred_at = t(placed);
        e
    }

    fn paid(seq: u64, order: &str) -> SeenEvent {
        event(
            seq,
            order,
            EventKind::PaymentCaptured { amount: cny(10000) },
        )
    }

    fn note(seq: u64, order: &str) -> SeenEvent {
        event(seq, order, EventKind::NoteAdded { text: "hi".into() })
    }

    fn folded(events: &[SeenEvent]) -> SeenOrder {
        events
            .iter()
            .fold(None, |o: Option<SeenOrder>, e| {
                Some(evolve(o.as_ref(), e).unwrap())
            })
            .unwrap()
    }

    fn query(status: Option<Status>, channel: Option<Channel>) -> OrderQuery {
        OrderQuery {
            status,
            channel,
            search: None,
            open_exceptions: false,
            page: 1,
            per_page: 25,
            at: Default::default(),
        }
    }

    fn page_of(orders: Vec<SeenOrder>, total: u64, as_of: u64) -> OrderPage {
        OrderPage {
            lens: Lens::FULL,
            orders,
            total,
            with_exceptions: 0,
            page: 1,
            per_page: 25,
            previous: None,
            next: None,
            search: None,
            as_of,
        }
    }

    /// Three placed orders, newest first (as the server lists them), read at seq 3.
    fn three() -> Vec<SeenOrder> {
        vec![
            folded(&[placed(3, "CR-C", Channel::Douyin, 30)]),
            folded(&[placed(2, "CR-B", Channel::Douyin, 20)]),
            folded(&[placed(1, "CR-A", Channel::Shopify, 10)]),
        ]
    }

    /// A list showing `orders` for `q`, read at `as_of`.
    fn shown(q: OrderQuery, orders: Vec<SeenOrder>, as_of: u64) -> LiveList {
        let mut list = LiveList::new();
        let ticket = list.load(q);
        let total = orders.len() as u64;
        list.arrived(ticket, page_of(orders, total, as_of));
        list
    }

    #[test]
    fn an_event_for_a_row_changes_that_row_in_place() {
        let mut list = shown(query(None, None), three(), 3);
        assert_eq!(list.row("CR-B").unwrap().status, Status::Placed);

        assert_eq!(list.receive(paid(4, "CR-B")), Received::Row);

        assert_eq!(list.row("CR-B").unwrap().status, Status::Paid);
        assert_eq!(list.row("CR-B").unwrap().updated_at, t(4));
        assert_eq!(list.row_ids(), ["CR-C", "CR-B", "CR-A"], "no row moved");
        assert_eq!(list.tally(), Tally::default());
    }

    #[test]
    fn events_the_page_already_reflects_are_not_folded_twice() {
        let mut orders = three();
        // CR-A was read after its payment (seq 5), though the head read was 4.
        orders[2] = folded(&[placed(1, "CR-A", Channel::Shopify, 10), paid(5, "CR-A")]);
        let mut list = shown(query(None, None), orders, 4);

        assert_eq!(
            list.receive(paid(4, "CR-B")),
            Received::Ignored,
            "at or below as_of"
        );
        assert_eq!(list.row("CR-B").unwrap().status, Status::Placed);
        assert_eq!(
            list.receive(paid(5, "CR-A")),
            Received::Ignored,
            "in the row already"
        );
        assert_eq!(list.row("CR-A").unwrap().status, Status::Paid);
        assert_eq!(list.receive(note(6, "CR-A")), Received::Row);
    }

    #[test]
    fn a_new_order_is_counted_once_and_not_inserted() {
        let mut list = shown(query(None, None), three(), 3);

        assert_eq!(
            list.receive(placed(4, "CR-D", Channel::Douyin, 40)),
            Received::Tally
        );
        assert_eq!(list.tally(), Tally { new: 1, gone: 0 });
        assert_eq!(list.tally(), Tally { new: 1, gone: 0 });
        assert_eq!(list.row_ids(), ["CR-C", "CR-B", "CR-A"]);
        assert!(list.row("CR-D").is_none());

        // Its later events change nothing; a second new order counts.
        assert_eq!(list.receive(paid(5, "CR-D")), Received::Ignored);
        list.receive(placed(6, "CR-E", Channel::Shopify, 41));
        assert_eq!(list.tally(), Tally { new: 2, gone: 0 });
        assert!(!list.unsure(), "nothing needed the server");
        assert_eq!(list.check(), None);
    }

    #[test]
    fn a_new_order_outside_the_filters_or_the_page_is_not_counted() {
        let mut list = shown(query(None, Some(Channel::Douyin)), three()[..2].to_vec(), 3);
        assert_eq!(
            list.receive(placed(4, "CR-D", Channel::Shopify, 40)),
            Received::Ignored
        );
        assert_eq!(list.tally().new, 0);

        // Page 2 of a full list: an order newer than its first row lands on page 1.
        let mut q = query(None, None);
        q.page = 2;
        q.per_page = 3;
        let mut list = LiveList::new();
        let ticket = list.load(q);
        let mut page = page_of(three(), 9, 3);
        (page.page, page.per_page) = (2, 3);
        page.previous = Some(ListKey::of(&three()[0]));
        list.arrived(ticket, page);
        assert_eq!(
            list.receive(placed(4, "CR-D", Channel::Douyin, 40)),
            Received::Ignored
        );
        // One placed (late) between its rows does land on it.
        assert_eq!(
            list.receive(placed(5, "CR-BB", Channel::Douyin, 15)),
            Received::Tally
        );
        assert_eq!(list.tally().new, 1);
    }

    #[test]
    fn a_row_that_leaves_the_status_filter_stays_and_is_counted() {
        let mut list = shown(query(Some(Status::Placed), None), three(), 3);
        list.receive(paid(4, "CR-B"));
        assert_eq!(list.row_ids(), ["CR-C", "CR-B", "CR-A"]);
        assert_eq!(list.row("CR-B").unwrap().status, Status::Paid);
        assert_eq!(list.tally(), Tally { new: 0, gone: 1 });
    }

    #[test]
    fn a_new_order_is_followed_into_and_out_of_a_status_filter() {
        let paid_orders = vec![folded(&[
            placed(1, "CR-A", Channel::Shopify, 10),
            paid(2, "CR-A"),
        ])];
        let mut list = shown(query(Some(Status::Paid), None), paid_orders, 2);

        list.receive(placed(3, "CR-D", Channel::Douyin, 40));
        assert_eq!(list.tally().new, 0, "placed, not paid yet");
        assert_eq!(list.receive(paid(4, "CR-D")), Received::Tally);
        assert_eq!(list.tally().new, 1, "now paid: it joins");
        list.receive(event(5, "CR-D", EventKind::OrderConfirmed));
        assert_eq!(list.tally().new, 0, "confirmed: no longer paid");
        assert!(!list.unsure());
    }

    #[test]
    fn an_unknown_order_under_a_status_filter_asks_the_server_once() {
        let mut list = shown(query(Some(Status::Paid), None), vec![], 10);
        assert_eq!(
            list.receive(note(11, "CR-OLD")),
            Received::Ignored,
            "a note moves nothing"
        );
        assert_eq!(list.receive(paid(12, "CR-OLD")), Received::Unsure);
        assert!(list.unsure());

        let (ticket, q) = list.check().expect("a check is due");
        assert_eq!(q.status, Some(Status::Paid));
        assert_eq!(list.check(), None, "one at a time");
        // Confirmed while the check was on its way.
        list.receive(event(13, "CR-OLD", EventKind::OrderConfirmed));
        let old = folded(&[placed(1, "CR-OLD", Channel::Douyin, 5), paid(12, "CR-OLD")]);
        list.arrived(ticket, page_of(vec![old], 1, 12));

        assert!(!list.unsure());
        assert_eq!(
            list.tally().new,
            0,
            "the confirmation that came meanwhile is folded"
        );
        assert!(list.row_ids().is_empty(), "a check shows nothing");

        // Without a status filter no event needs the server.
        let mut list = shown(query(None, None), vec![], 10);
        assert_eq!(list.receive(paid(12, "CR-OLD")), Received::Ignored);
        assert_eq!(list.check(), None);
    }

    #[test]
    fn a_page_arriving_is_brought_forward_with_the_events_that_came_meanwhile() {
        let mut list = shown(query(None, None), three(), 3);
        let ticket = list.load(query(None, None));
        list.receive(paid(4, "CR-B")); // read into the new page (as_of 4)
        list.receive(paid(5, "CR-C")); // committed after the new page was read
        list.arrived(ticket, page_of(three_after_b_paid(), 3, 4));

        assert_eq!(list.row("CR-B").unwrap().status, Status::Paid);
        assert_eq!(list.row("CR-C").unwrap().status, Status::Paid);
        assert_eq!(list.tally(), Tally::default(), "the tally starts again");
    }

    fn three_after_b_paid() -> Vec<SeenOrder> {
        let mut orders = three();
        orders[1] = folded(&[placed(2, "CR-B", Channel::Douyin, 20), paid(4, "CR-B")]);
        orders
    }

    #[test]
    fn an_answer_to_a_replaced_request_is_dropped() {
        let mut list = LiveList::new();
        let first = list.load(query(None, None));
        let second = list.load(query(Some(Status::Paid), None));
        list.arrived(first, page_of(three(), 3, 3));
        assert!(list.row_ids().is_empty());
        list.arrived(second, page_of(vec![], 0, 3));
        assert_eq!(list.as_of(), Some(3));
        assert_eq!(list.total(), 0);
    }

    #[test]
    fn withheld_amounts_fold_as_withheld() {
        use crate::model::access::Seen;
        let logistics = Lens {
            money: false,
            phone: Reveal::Full,
            address: Reveal::Full,
        };
        // The log's own events, as the server holds them.
        let stored = |e: &SeenEvent| -> RecordedEvent {
            e.map_amounts(&|m: Seen<Money>| match m {
                Seen::Shown(m) => m,
                Seen::Withheld => unreachable!("the full lens shows every amount"),
            })
        };
        let order = evolve(None, &stored(&placed(1, "CR-A", Channel::Douyin, 10))).unwrap();
        let mut list = LiveList::new();
        let ticket = list.load(query(None, None));
        let mut page = page_of(vec![logistics.order(&order)], 1, 1);
        page.lens = logistics;
        list.arrived(ticket, page);

        let payment = logistics.event(&stored(&paid(2, "CR-A")));
        assert_eq!(list.receive(payment), Received::Row);
        let row = list.row("CR-A").unwrap();
        assert_eq!(row.status, Status::Paid);
        assert_eq!(row.total, Seen::Withheld);
    }

    #[test]
    fn the_search_matches_as_the_server_finds_through_the_same_lens() {
        let order = folded(&[placed(1, "CR-AB12", Channel::Douyin, 10)]);
        let finance = Lens {
            money: true,
            phone: Reveal::Masked,
            address: Reveal::Masked,
        };
        let found = |text: &str, lens: Lens| {
            let mut q = query(None, None);
            q.search = Some(text.into());
            matches(&q, plan_of(&q, lens).as_ref(), &order)
        };
        assert!(found(" cr-ab12 ", Lens::FULL));
        assert!(found("CH-CR-AB12", Lens::FULL), "the channel's number");
        assert!(found("13800138000", Lens::FULL));
        assert!(found("8000 王小明", Lens::FULL));
        assert!(found("王小明", Lens::FULL));
        assert!(!found("AB1", Lens::FULL), "a part is not enough");
        assert!(
            !found("13800138000", finance),
            "not by phone through finance's lens"
        );
        assert!(!found("王小明8000", finance));
        assert!(found("王小明", finance));
    }

    #[test]
    fn a_new_order_of_the_customer_searched_for_is_counted() {
        let mut q = query(None, None);
        q.search = Some("13800138000".into());
        let mut list = shown(q, three()[..1].to_vec(), 3);
        assert_eq!(
            list.receive(placed(4, "CR-D", Channel::Douyin, 40)),
            Received::Tally
        );
        assert_eq!(list.tally().new, 1);
        assert!(!list.unsure(), "a placing event says who the customer is");
    }

    #[test]
    fn a_shipment_of_an_unknown_order_makes_a_waybill_search_unsure() {
        let mut q = query(None, None);
        q.search = Some("SF1234567890123".into());
        let mut list = shown(q.clone(), vec![], 3);
        assert_eq!(list.receive(paid(4, "CR-OLD")), Received::Ignored);
        let shipped = event(
            5,
            "CR-OLD",
            EventKind::ParcelShipped {
                parcel: crate::model::order::ids::ParcelId::parse("P1").unwrap(),
                carrier: "SF Express".into(),
                waybill: "SF1234567890123".into(),
            },
        );
        assert_eq!(list.receive(shipped.clone()), Received::Unsure);
        // A name search does not care about shipments.
        q.search = Some("王小明".into());
        let mut list = shown(q, vec![], 3);
        assert_eq!(list.receive(shipped), Received::Ignored);
    }
}
