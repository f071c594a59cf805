//! `control-room bench-desk --data-dir DIR`: how fast the customer-service
//! desk's reads answer on a store (made with `demo-history`, e.g. a million
//! orders). Each read is called through the [`OrderStore`] boundary the server
//! functions use (the hop to the read pool included; no HTTP), many times with
//! values drawn from the store itself, after a warm-up, and reported as p50 /
//! p99 / max:
//!
//! - the order list's first page (25, with its totals);
//! - a filtered deep page: status + channel, [`DEEP_PAGES`] pages in through
//!   the cursor, with its totals;
//! - a search of each kind: our order number, the channel's, a waybill, a
//!   phone number, its last four digits with the name, a name;
//! - the order page's read: the order and its whole log;
//! - the customer's orders of the last 30 days (by phone).
//!
//! Read-only: the store is opened as the server opens it (a store of another
//! version is brought up to date first) and nothing is appended.

use crate::model::views::search::{phone_key, SearchPlan};
use crate::model::{Channel, Lens, Order, OrderQuery, PageAt, Status};
use crate::server::store::{OrderStore, StoreError};
use rand::rngs::StdRng;
use rand::{Rng, SeedableRng};
use std::future::Future;
use std::path::Path;
use std::time::{Duration, Instant};

/// How deep the filtered page is, in pages of the list.
pub const DEEP_PAGES: u32 = 200;
/// Orders per page, as the list shows them.
const PER_PAGE: u32 = 25;
/// Calls before the measured ones.
const WARM_UP: usize = 20;

/// One read's timings.
#[derive(Debug, Clone, PartialEq)]
pub struct Measured {
    pub what: String,
    pub calls: usize,
    /// Orders (or events, for the order page) answered per call, on average.
    pub rows: f64,
    pub p50: Duration,
    pub p99: Duration,
    pub max: Duration,
}

/// What the benchmark found.
#[derive(Debug, Clone, PartialEq)]
pub struct BenchReport {
    pub orders: u64,
    pub events: u64,
    /// The files of the store directory, bytes.
    pub store_bytes: u64,
    pub reads: Vec<Measured>,
}

/// The `q`-quantile of sorted timings (nearest rank).
fn quantile(sorted: &[Duration], q: f64) -> Duration {
    if sorted.is_empty() {
        return Duration::ZERO;
    }
    let rank = (q * sorted.len() as f64).ceil() as usize;
    sorted[rank.clamp(1, sorted.len()) - 1]
}

/// Times `calls` calls of `read` (the `n`th gets `n`; each answers how
/// many rows it read), after a warm-up.
async fn measure<F, Fut>(what: &str, calls: usize, mut read: F) -> Result<Measured, StoreError>
where
    F: FnMut(usize) -> Fut,
    Fut: Future<Output = Result<usize, StoreError>>,
{
    for n in 0..WARM_UP {
        read(n).await?;
    }
    let mut took = Vec::with_capacity(calls);
    let mut rows = 0;
    for n in 0..calls {
        let started = Instant::now();
        rows += read(n).await?;
        took.push(started.elapsed());
    }
    took.sort();
    Ok(Measured {
        what: what.to_string(),
        calls,
        rows: rows as f64 / calls.max(1) as f64,
        p50: quantile(&took, 0.50),
        p99: quantile(&took, 0.99),
        max: took.last().copied().unwrap_or_default(),
    })
}

/// Orders drawn evenly from the log (by sequence number), to take search
/// values and order pages from.
async fn sample(
    store: &dyn OrderStore,
    n: usize,
    rng: &mut StdRng,
) -> Result<Vec<Order>, StoreError> {
    let head = store.head();
    let mut orders = Vec::with_capacity(n);
    let mut tries = 0;
    while orders.len() < n && head > 0 && tries < n * 10 {
        tries += 1;
        let seq = rng.random_range(0..head);
        let Some(event) = store.events_after(seq, None, 1).await?.pop() else {
            continue;
        };
        if let Some(order) = store.order(&event.event.order_id).await? {
            orders.push(order);
        }
    }
    Ok(orders)
}

/// The bytes of the files directly in `dir`.
fn dir_bytes(dir: &Path) -> u64 {
    std::fs::read_dir(dir)
        .map(|entries| {
            entries
                .filter_map(Result::ok)
                .filter_map(|e| e.metadata().ok())
                .filter(|m| m.is_file())
                .map(|m| m.len())
                .sum()
        })
        .unwrap_or(0)
}

/// The cursor `pages` pages into the list filtered by `query`, walking there
/// page by page (not timed); `None` when the list is shorter.
async fn deep_cursor(
    store: &dyn OrderStore,
    query: &OrderQuery,
    pages: u32,
) -> Result<Option<PageAt>, StoreError> {
    let mut at = PageAt::First;
    for page in 1..=pages {
        let rows = store
            .list_orders(&OrderQuery {
                at: at.clone(),
                page,
                ..query.clone()
            })
            .await?;
        match rows.next {
            Some(key) => at = PageAt::After(key),
            None => return Ok(None),
        }
    }
    Ok(Some(at))
}

/// Runs the benchmark on `store` (whose files are in `dir`), `calls` timed
/// calls per read.
pub async fn bench_desk(
    store: &dyn OrderStore,
    dir: &Path,
    calls: usize,
    seed: u64,
) -> Result<BenchReport, StoreError> {
    let mut rng = StdRng::seed_from_u64(seed);
    let orders = sample(store, 500, &mut rng).await?;
    let pick = |n: usize| &orders[n % orders.len().max(1)];
    let all = OrderQuery {
        per_page: PER_PAGE,
        page: 1,
        ..OrderQuery::default()
    };
    let first = store.list_orders(&all).await?;
    let mut reads = Vec::new();

    reads.push(
        measure("list: first page (25) with totals", calls, |_| async {
            store.list_orders(&all).await.map(|r| r.orders.len())
        })
        .await?,
    );

    // The deepest-reaching (status, channel) pairs of the common kind: the
    // delivered orders of each Chinese channel, 200 pages in.
    let mut deep = Vec::new();
    for channel in [Channel::Douyin, Channel::Tmall, Channel::Wechat] {
        let query = OrderQuery {
            status: Some(Status::Delivered),
            channel: Some(channel),
            ..all.clone()
        };
        if let Some(at) = deep_cursor(store, &query, DEEP_PAGES).await? {
            deep.push(OrderQuery {
                at,
                page: DEEP_PAGES + 1,
                ..query
            });
        }
    }
    if !deep.is_empty() {
        let what = format!(
            "list: status + channel, page {} via cursor, with totals",
            DEEP_PAGES + 1
        );
        reads.push(
            measure(&what, calls, |n| {
                let q = deep[n % deep.len()].clone();
                async move { store.list_orders(&q).await.map(|r| r.orders.len()) }
            })
            .await?,
        );
    }
    let flagged = OrderQuery {
        open_exceptions: true,
        ..all.clone()
    };
    reads.push(
        measure(
            "list: open exceptions, first page, with totals",
            calls,
            |_| async { store.list_orders(&flagged).await.map(|r| r.orders.len()) },
        )
        .await?,
    );
    let last = OrderQuery {
        at: PageAt::Last,
        ..all.clone()
    };
    reads.push(
        measure("list: last page", calls, |_| async {
            store.list_orders(&last).await.map(|r| r.orders.len())
        })
        .await?,
    );

    // One search of each kind, each call with another sampled order's value.
    type Value = fn(&Order) -> Option<String>;
    let kinds: [(&str, Value); 6] = [
        ("search: our order number", |o| Some(o.id.to_string())),
        ("search: channel order number", |o| {
            Some(o.channel_order_id.clone())
        }),
        ("search: waybill", |o| {
            o.parcels.iter().find_map(|p| p.waybill.clone())
        }),
        ("search: phone number", |o| {
            (phone_key(&o.customer.phone).len() == 11).then(|| o.customer.phone.clone())
        }),
        ("search: last 4 digits + name", |o| {
            let phone = phone_key(&o.customer.phone);
            (phone.len() >= 4 && o.channel != Channel::Shopify)
                .then(|| format!("{} {}", &phone[phone.len() - 4..], o.customer.name))
        }),
        ("search: name", |o| Some(o.customer.name.clone())),
    ];
    for (what, value) in kinds {
        let texts: Vec<String> = orders.iter().filter_map(value).collect();
        if texts.is_empty() {
            continue;
        }
        let plans: Vec<SearchPlan> = texts
            .iter()
            .filter_map(|t| SearchPlan::new(t, Lens::FULL))
            .collect();
        reads.push(
            measure(what, calls, |n| {
                let plan = plans[n % plans.len()].clone();
                let all = &all;
                async move {
                    store
                        .search_orders(&plan, all)
                        .await
                        .map(|r| r.orders.len())
                }
            })
            .await?,
        );
    }

    reads.push(
        measure("order page: the order and its log", calls, |n| {
            let id = pick(n).id.clone();
            async move {
                store.order(&id).await?;
                store.order_events(&id).await.map(|events| events.len())
            }
        })
        .await?,
    );
    // Customers who ordered in the last 30 days (others' answer is empty).
    let since = chrono::Utc::now() - chrono::Duration::days(30);
    let recent: Vec<&Order> = orders.iter().filter(|o| o.placed_at >= since).collect();
    if !recent.is_empty() {
        reads.push(
            measure("customer: orders of the last 30 days", calls, |n| {
                let phone = recent[n % recent.len()].customer.phone.clone();
                async move {
                    store
                        .customer_orders(&phone, since, 100)
                        .await
                        .map(|orders| orders.len())
                }
            })
            .await?,
        );
    }

    Ok(BenchReport {
        orders: first.total,
        events: store.head(),
        store_bytes: dir_bytes(dir),
        reads,
    })
}

impl BenchReport {
    /// The report as a Markdown table (for the README).
    pub fn table(&self) -> String {
        let ms = |d: Duration| format!("{:.2}", d.as_secs_f64() * 1000.0);
        let mut out = format!(
            "{} orders, {} events, store {:.1} GB on disk\n\n\
             | read | calls | rows per call | p50 ms | p99 ms | max ms |\n\
             |---|---:|---:|---:|---:|---:|\n",
            self.orders,
            self.events,
            self.store_bytes as f64 / 1e9
        );
        for m in &self.reads {
            out.push_str(&format!(
                "| {} | {} | {:.1} | {} | {} | {} |\n",
                m.what,
                m.calls,
                m.rows,
                ms(m.p50),
                ms(m.p99),
                ms(m.max)
            ));
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn quantiles_are_nearest_rank() {
        let ms: Vec<Duration> = (1..=100).map(Duration::from_millis).collect();
        assert_eq!(quantile(&ms, 0.5), Duration::from_millis(50));
        assert_eq!(quantile(&ms, 0.99), Duration::from_millis(99));
        assert_eq!(quantile(&ms[..1], 0.99), Duration::from_millis(1));
        assert_eq!(quantile(&[], 0.5), Duration::ZERO);
    }
}
