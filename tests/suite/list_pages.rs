//! The order list's keyset pages and maintained counts, on a store with a
//! written history: under every filter, walking the pages forward from the
//! first and backward from the last gives exactly the orders the filter
//! keeps, newest first, each once; the totals (and those with open exceptions)
//! are what counting the orders gives; page numbers run 1..=M and the last
//! page holds what whole pages leave over; an order's status moving changes
//! the counts in the same append.

use order_control_room::model::views::query::page_count;
use order_control_room::model::{
    Actor, Channel, EventKind, ExceptionCode, ListKey, Order, OrderEvent, OrderQuery, OrderRows,
    PageAt, RecordedEvent, Source, Status,
};
use order_control_room::server::demo::history::{write_history, HistorySettings};
use order_control_room::server::store::{Durability, OrderStore, SqliteStore};
use std::collections::HashMap;

const PER_PAGE: u32 = 7;

fn query(
    status: Option<Status>,
    channel: Option<Channel>,
    flagged: bool,
    at: PageAt,
) -> OrderQuery {
    OrderQuery {
        status,
        channel,
        search: None,
        open_exceptions: flagged,
        page: 1,
        per_page: PER_PAGE,
        at,
    }
}

/// Every order in the store, folded from its log (not read from the list).
async fn every_order(store: &SqliteStore) -> Vec<Order> {
    let mut ids = std::collections::BTreeSet::new();
    let mut after = 0;
    loop {
        let events: Vec<RecordedEvent> = store.events_after(after, None, 1000).await.unwrap();
        let Some(last) = events.last() else { break };
        after = last.seq;
        ids.extend(events.into_iter().map(|e| e.event.order_id));
    }
    let mut orders = Vec::new();
    for id in ids {
        orders.push(store.order(&id).await.unwrap().unwrap());
    }
    orders
}

/// What a filter keeps, newest first, as the list sorts.
fn expected(orders: &[Order], q: &OrderQuery) -> Vec<String> {
    let mut kept: Vec<&Order> = orders
        .iter()
        .filter(|o| {
            q.status.is_none_or(|s| o.status() == s)
                && q.channel.is_none_or(|c| o.channel == c)
                && (!q.open_exceptions || !o.exceptions.is_empty())
        })
        .collect();
    kept.sort_by_key(|o| std::cmp::Reverse(ListKey::of(*o)));
    kept.into_iter().map(|o| o.id.to_string()).collect()
}

fn ids(rows: &OrderRows) -> Vec<String> {
    rows.orders.iter().map(|o| o.id.to_string()).collect()
}

/// Walks every page from the first with "next", checking each page's number
/// and links; returns the orders in the order seen.
async fn forward(store: &SqliteStore, q: &OrderQuery) -> (Vec<String>, OrderRows) {
    let mut seen = Vec::new();
    let mut at = PageAt::First;
    let mut page = 1;
    let first = store.list_orders(&q.clone()).await.unwrap();
    loop {
        let rows = store
            .list_orders(&OrderQuery {
                at: at.clone(),
                page,
                ..q.clone()
            })
            .await
            .unwrap();
        assert_eq!(rows.page, page, "{q:?}");
        assert_eq!(rows.previous.is_some(), page > 1, "{q:?} page {page}");
        seen.extend(ids(&rows));
        match rows.next {
            Some(key) => {
                assert_eq!(
                    rows.orders.len(),
                    PER_PAGE as usize,
                    "a full page before the last"
                );
                at = PageAt::After(key);
                page += 1;
            }
            None => break,
        }
    }
    assert_eq!(page, page_count(first.total, PER_PAGE), "{q:?}");
    (seen, first)
}

/// Walks every page from the last with "previous"; returns the orders newest first.
async fn backward(store: &SqliteStore, q: &OrderQuery, pages: u32) -> Vec<String> {
    let mut seen: Vec<Vec<String>> = Vec::new();
    let mut at = PageAt::Last;
    let mut page = pages;
    loop {
        let rows = store
            .list_orders(&OrderQuery {
                at: at.clone(),
                page,
                ..q.clone()
            })
            .await
            .unwrap();
        assert_eq!(rows.page, page, "{q:?}");
        seen.push(ids(&rows));
        match rows.previous {
            Some(key) => {
                at = PageAt::Before(key);
                page -= 1;
            }
            None => break,
        }
    }
    assert_eq!(page, 1, "{q:?}");
    seen.into_iter().rev().flatten().collect()
}

#[tokio::test]
async fn every_filter_pages_forward_and_back_over_exactly_its_orders_with_its_counts() {
    let dir = tempfile::tempdir().unwrap();
    let store = SqliteStore::open(dir.path(), Durability::Normal).unwrap();
    let settings = HistorySettings {
        orders: 300,
        days: 3,
        seed: 5,
        batch: 300,
        ..HistorySettings::default()
    };
    write_history(&store, settings, chrono::Utc::now(), |_| {})
        .await
        .unwrap();
    // A history's exceptions mostly clear on the next scan: raise some that stay.
    for order in every_order(&store).await.iter().step_by(5) {
        let raised = OrderEvent {
            order_id: order.id.clone(),
            occurred_at: chrono::Utc::now(),
            source: Source::ControlRoom,
            actor: Actor::System {
                name: "test".into(),
            },
            kind: EventKind::ExceptionRaised {
                code: ExceptionCode::PaidNotShipped,
                parcel: None,
                detail: "test".into(),
                facts: None,
            },
        };
        // Some states refuse it; those stay without.
        let _ = store.append(vec![raised]).await;
    }
    let orders = every_order(&store).await;
    assert_eq!(orders.len(), 300);
    let flagged = orders.iter().filter(|o| !o.exceptions.is_empty()).count();
    assert!(flagged > 0, "the history has open exceptions to filter by");

    // The most common status and channel, so their pages are several.
    let mut by_status = HashMap::<Status, usize>::new();
    for o in &orders {
        *by_status.entry(o.status()).or_default() += 1;
    }
    let common = by_status.iter().max_by_key(|(_, n)| **n).map(|(s, _)| *s);
    let rare = by_status.iter().min_by_key(|(_, n)| **n).map(|(s, _)| *s);
    let filters = [
        (None, None, false),
        (common, None, false),
        (rare, None, false),
        (None, Some(Channel::Douyin), false),
        (common, Some(Channel::Douyin), false),
        (None, None, true),
        (None, Some(Channel::Tmall), true),
        (Some(Status::DeliveryException), None, true),
        (Some(Status::Cancelled), Some(Channel::Pos), true),
    ];
    for (status, channel, open_exceptions) in filters {
        let q = query(status, channel, open_exceptions, PageAt::First);
        let want = expected(&orders, &q);
        let (seen, first) = forward(&store, &q).await;
        assert_eq!(seen, want, "forward, {q:?}");
        assert_eq!(first.total, want.len() as u64, "{q:?}");
        let with_exceptions = expected(
            &orders,
            &OrderQuery {
                open_exceptions: true,
                ..q.clone()
            },
        )
        .len() as u64;
        assert_eq!(first.with_exceptions, with_exceptions, "{q:?}");
        let pages = page_count(first.total, PER_PAGE);
        assert_eq!(backward(&store, &q, pages).await, want, "backward, {q:?}");

        // The last page holds what whole pages from the first leave over.
        let last = store
            .list_orders(&query(status, channel, open_exceptions, PageAt::Last))
            .await
            .unwrap();
        let left = want.len() - (pages as usize - 1) * PER_PAGE as usize;
        assert_eq!(ids(&last), want[want.len() - left..].to_vec(), "{q:?}");
        assert_eq!(last.page, pages);
        assert!(last.next.is_none());
    }
}

#[tokio::test]
async fn a_page_number_is_a_label_corrected_at_either_end() {
    let dir = tempfile::tempdir().unwrap();
    let store = SqliteStore::open(dir.path(), Durability::Normal).unwrap();
    let settings = HistorySettings {
        orders: 30,
        days: 1,
        seed: 8,
        ..HistorySettings::default()
    };
    write_history(&store, settings, chrono::Utc::now(), |_| {})
        .await
        .unwrap();
    // Page 9 asked for at the first page is page 1; the last page is page 5.
    let mut q = query(None, None, false, PageAt::First);
    q.page = 9;
    assert_eq!(store.list_orders(&q).await.unwrap().page, 1);
    q.at = PageAt::Last;
    q.page = 1;
    let last = store.list_orders(&q).await.unwrap();
    assert_eq!((last.page, last.orders.len()), (5, 2));
    // A cursor past the end: an empty last page that still leads back.
    let oldest = last.orders.last().unwrap();
    q.at = PageAt::After(ListKey::of(oldest));
    let beyond = store.list_orders(&q).await.unwrap();
    assert!(beyond.orders.is_empty());
    assert!(beyond.next.is_none());
}

#[tokio::test]
async fn the_counts_follow_an_order_that_moves_in_the_same_append() {
    let dir = tempfile::tempdir().unwrap();
    let store = SqliteStore::open(dir.path(), Durability::Normal).unwrap();
    let total = |status| {
        let store = &store;
        async move {
            store
                .list_orders(&query(Some(status), None, false, PageAt::First))
                .await
                .unwrap()
                .total
        }
    };
    store
        .append(crate::support::placed_and_paid("CR-COUNTS1"))
        .await
        .unwrap();
    assert_eq!(total(Status::Paid).await, 1);
    assert_eq!(total(Status::Placed).await, 0);
    let confirmed = order_control_room::model::OrderEvent {
        order_id: crate::support::order_id("CR-COUNTS1"),
        occurred_at: chrono::Utc::now(),
        source: order_control_room::model::Source::ControlRoom,
        actor: order_control_room::model::Actor::Customer,
        kind: order_control_room::model::EventKind::OrderConfirmed,
    };
    store.append(vec![confirmed]).await.unwrap();
    assert_eq!(total(Status::Paid).await, 0);
    assert_eq!(total(Status::Confirmed).await, 1);
    let all = store
        .list_orders(&query(None, None, false, PageAt::First))
        .await
        .unwrap();
    assert_eq!(all.total, 1);
    assert_eq!(ids(&all), ["CR-COUNTS1"]);
    assert!(all.previous.is_none() && all.next.is_none());
}
