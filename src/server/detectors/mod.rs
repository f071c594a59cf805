//! The detectors at work: the control room watching its own log. A task
//! follows the log from a saved cursor and looks at every order whose log
//! grew, and at every order whose next check is due (a schedule keyed by the
//! moment, so an order waiting costs nothing until its time). Looking means
//! running every detector of [`crate::model::detect`] over the order and
//! what is known around it, appending the events they return, and saving the
//! order's next check. Cursor, schedule and settings are kept in the store:
//! a restart carries on where it stopped.
//!
//! Following the log and keeping time are two loops side by side, so a check
//! falling due never waits behind a large pass over a busy log. Each check
//! recorded says how much of its order's log it saw: the loop that saw less
//! never overwrites the other's. A look's findings, checks and cursor go to
//! the store's writer as one request and commit together; the loop following
//! the log works out its next look while the last is being recorded.

mod router;
mod surroundings;

use crate::model::detect::{detect_all, DetectorSettings};
use crate::model::{ExceptionCode, Order, OrderEvent, OrderId};
use crate::server::store::detector_state::{Check, Detectors, SavedSettings};
use crate::server::store::Warehouses;
use crate::server::store::{Store, StoreError};
use chrono::{DateTime, Utc};
use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::sync::{Arc, Mutex, RwLock};
use std::time::Duration;
use tokio::sync::Notify;
use tokio_util::sync::CancellationToken;

/// Events read from the log per pass.
const LOG_BATCH: u32 = 2000;
/// Due checks taken per pass.
const DUE_BATCH: u32 = 2000;
/// The longest the task sleeps without looking at the clock again.
const LONGEST_NAP: Duration = Duration::from_secs(30);

/// What a pass looks at.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Over {
    /// The orders whose log grew after this event.
    Log(u64),
    /// The orders whose check is due.
    Due,
    /// Both, in one look.
    Both(u64),
}

/// What one pass did.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Pass {
    /// Orders looked at.
    pub looked: usize,
    /// Events appended.
    pub appended: usize,
    /// Whether work was left for the next pass (a full batch).
    pub more: bool,
}

/// A look worked out, not yet recorded.
struct Look {
    sights: Vec<Sight>,
    /// The last event of the log it read, if it read the log.
    read_to: Option<u64>,
    /// Whether work was left for the next pass (a full batch).
    more: bool,
}

/// What the detectors made of one order.
struct Sight {
    check: Check,
    /// The events they found to append.
    found: Vec<OrderEvent>,
    /// What the look answers, for its timing (`None`: an order not in the log).
    since: Option<Since>,
}

impl Look {
    /// Leaves out the orders that `before` (the look recorded just before
    /// this one, while this one was worked out) appended to after this one
    /// read them: what this one found there is stale. Their looks are not
    /// lost: the events appended are in the log after this look's reach, so
    /// a later pass looks at those orders again, with all of their log.
    fn without_stale(mut self, before: &Appended) -> Look {
        self.sights.retain(|s| {
            before
                .get(&s.check.order)
                .is_none_or(|&last| s.check.seen >= last)
        });
        self
    }
}

/// Per order, the last event a look appended.
type Appended = HashMap<OrderId, u64>;

/// A look being recorded, in a task of its own.
type Recording = tokio::task::JoinHandle<Result<Appended, StoreError>>;

/// What an order's look answers: its check falling due, or its log growing.
#[derive(Debug, Clone, Copy)]
enum Since {
    Due(DateTime<Utc>),
    Event(DateTime<Utc>),
}

/// The detectors' settings in force, their state and the task's wake-up.
pub struct Watch {
    store: Store,
    state: Detectors,
    warehouses: Warehouses,
    settings: RwLock<Arc<SavedSettings>>,
    /// Told when a check may have come nearer (the loop keeping time wakes).
    rescheduled: Notify,
    /// How long detection took since the last read (for the benchmark), and
    /// when that read was.
    timings: Mutex<(DateTime<Utc>, Timings)>,
}

/// How long the detectors took to look, in seconds, one sample per order
/// looked at (at most [`MAX_SAMPLES`] of each kept between reads).
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Timings {
    /// From a check's due moment to the end of its look (appends included),
    /// for checks falling due since the last read.
    pub after_due: Vec<f64>,
    /// Looks at checks already due at the last read (left from before it:
    /// e.g. due while the server was stopped).
    pub overdue_before: usize,
    /// From the order's last event being recorded to the end of its look.
    pub after_event: Vec<f64>,
}

/// Samples of each kind kept between reads.
const MAX_SAMPLES: usize = 4_000_000;

fn seconds(d: chrono::Duration) -> f64 {
    d.num_microseconds().unwrap_or(i64::MAX) as f64 / 1e6
}

impl Watch {
    /// The watch over `store`, with the saved settings or `initial`.
    pub async fn load(
        store: Store,
        state: Detectors,
        warehouses: Warehouses,
        initial: DetectorSettings,
    ) -> Result<Arc<Watch>, StoreError> {
        let saved = state.settings().await?.unwrap_or(SavedSettings {
            version: 0,
            settings: initial,
            saved_by: String::new(),
            saved_at: Utc::now(),
        });
        Ok(Arc::new(Watch {
            store,
            state,
            warehouses,
            settings: RwLock::new(Arc::new(saved)),
            rescheduled: Notify::new(),
            timings: Mutex::new((Utc::now(), Timings::default())),
        }))
    }

    /// The settings in force.
    pub fn settings(&self) -> Arc<SavedSettings> {
        self.settings
            .read()
            .map(|s| s.clone())
            .unwrap_or_else(|p| p.into_inner().clone())
    }

    /// Saves new settings and puts them in force; every order waiting for a
    /// check is looked at again under them.
    pub async fn save(&self, settings: DetectorSettings, by: &str) -> Result<u32, StoreError> {
        let version = self.state.save_settings(&settings, by).await?;
        let saved = Arc::new(SavedSettings {
            version,
            settings,
            saved_by: by.to_string(),
            saved_at: Utc::now(),
        });
        match self.settings.write() {
            Ok(mut s) => *s = saved,
            Err(p) => *p.into_inner() = saved,
        }
        self.state.recheck_all(Utc::now()).await?;
        self.rescheduled.notify_one();
        Ok(version)
    }

    /// How many orders wait for a check.
    pub async fn waiting(&self) -> Result<u64, StoreError> {
        self.state.waiting().await
    }

    /// The timings since the last call.
    pub fn take_timings(&self) -> Timings {
        self.timings
            .lock()
            .map(|mut t| {
                t.0 = Utc::now();
                std::mem::take(&mut t.1)
            })
            .unwrap_or_default()
    }

    /// The sequence number of the last event the detectors have looked at.
    pub async fn cursor(&self) -> Result<u64, StoreError> {
        self.state.cursor().await
    }

    /// Takes the log up to `seq` as looked at (never moves the cursor back).
    pub async fn start_at(&self, seq: u64) -> Result<(), StoreError> {
        self.state.record(Vec::new(), Some(seq)).await
    }

    /// One pass at `now`: the log since the cursor (a batch), then the
    /// checks due (a batch), in one look.
    pub async fn pass(&self, now: DateTime<Utc>) -> Result<Pass, StoreError> {
        let cursor = self.state.cursor().await?;
        self.pass_over(now, Over::Both(cursor)).await
    }

    async fn pass_over(&self, now: DateTime<Utc>, over: Over) -> Result<Pass, StoreError> {
        let look = self.work_out(now, over).await?;
        Ok(self.record(look).await?.0)
    }

    /// Works out a look at `now` without recording it: the orders whose log
    /// grew (a batch), those whose check is due, those raised over capacity
    /// in a warehouse back within it; each order's findings and next check.
    async fn work_out(&self, now: DateTime<Utc>, over: Over) -> Result<Look, StoreError> {
        let (mut orders, read_to, log_more) = match over {
            Over::Log(from) | Over::Both(from) => {
                let changed = self.store.orders_changed_after(from, LOG_BATCH).await?;
                let read_to = changed.last().map(|(seq, _)| *seq);
                let orders: BTreeSet<OrderId> = changed.into_iter().map(|(_, id)| id).collect();
                let more = read_to.is_some_and(|seq| self.store.head() > seq);
                (orders, read_to, more)
            }
            Over::Due => (BTreeSet::new(), None, false),
        };
        let due: BTreeMap<OrderId, DateTime<Utc>> = match over {
            Over::Log(_) => BTreeMap::new(),
            Over::Due | Over::Both(_) => {
                self.state.due(now, DUE_BATCH).await?.into_iter().collect()
            }
        };
        let due_more = due.len() == DUE_BATCH as usize;
        orders.extend(due.keys().cloned());
        orders.extend(self.back_within_capacity().await?);
        let sights = self.see(orders, &due, now).await?;
        Ok(Look {
            sights,
            read_to,
            more: log_more || due_more,
        })
    }

    /// The orders standing raised over capacity in a warehouse whose backlog
    /// has fallen back within its capacity (a shipment left, the admin raised
    /// the capacity): looked at now, they are cleared now, not at their next
    /// event. A seek per warehouse; a load is read only where one stands raised.
    async fn back_within_capacity(&self) -> Result<Vec<OrderId>, StoreError> {
        let mut back = Vec::new();
        for warehouse in self.warehouses.warehouses().await? {
            let raised = self
                .store
                .raised_in_warehouse(
                    &warehouse.name,
                    ExceptionCode::WarehouseOverCapacity,
                    DUE_BATCH,
                )
                .await?;
            if raised.is_empty() {
                continue;
            }
            let load = self.store.warehouse_load(&warehouse.name).await?;
            if load.is_some_and(|l| l.backlog <= l.daily_capacity) {
                back.extend(raised);
            }
        }
        Ok(back)
    }

    /// Runs the detectors over each order at `now`: what each finds, and
    /// when to look again (`due`: the orders looked at because their check
    /// fell due, with its moment).
    async fn see(
        &self,
        orders: BTreeSet<OrderId>,
        due: &BTreeMap<OrderId, DateTime<Utc>>,
        now: DateTime<Utc>,
    ) -> Result<Vec<Sight>, StoreError> {
        let settings = self.settings();
        let rules = &settings.settings;
        // Every order, then what is around them, in a few batched reads.
        let ids: Vec<OrderId> = orders.into_iter().collect();
        let read = self.store.orders_by_id(ids.clone()).await?;
        let known: Vec<&Order> = read.iter().flatten().collect();
        let around = surroundings::gather(&self.store, &known, rules, now).await?;
        let mut sights = Vec::with_capacity(ids.len());
        let mut book = None;
        let mut i = 0;
        for (id, order) in ids.into_iter().zip(&read) {
            let Some(order) = order else {
                sights.push(Sight {
                    check: Check {
                        order: id,
                        next: None,
                        seen: 0,
                    },
                    found: Vec::new(),
                    since: None,
                });
                continue;
            };
            let (mut found, next) = detect_all(order, &around.context(i, order, rules), now);
            i += 1;
            if order.warehouse.is_none() && order.route.is_none() {
                if book.is_none() {
                    book = Some(router::Book::load(&self.store, &self.warehouses).await?);
                }
                if let Some(book) = book.as_mut() {
                    found.extend(
                        book.route(order, rules, now)
                            .into_iter()
                            .map(|kind| router::event(order, now, kind)),
                    );
                }
            }
            let since = due
                .get(&id)
                .map_or(Since::Event(order.updated_at), |&at| Since::Due(at));
            sights.push(Sight {
                check: Check {
                    order: id,
                    next,
                    seen: order.last_seq,
                },
                found,
                since: Some(since),
            });
        }
        Ok(sights)
    }

    /// Records a look: appends what it found (each order's events an append
    /// of its own, so a refusal stays with its order) and its checks and
    /// cursor, in one request the store commits together. Returns what the
    /// pass did and, per order, the last event appended.
    async fn record(&self, look: Look) -> Result<(Pass, Appended), StoreError> {
        let mut pass = Pass {
            looked: look.sights.iter().filter(|s| s.since.is_some()).count(),
            appended: 0,
            more: look.more,
        };
        let mut checks = Vec::with_capacity(look.sights.len());
        let (mut finding, mut findings) = (Vec::new(), Vec::new());
        let mut timed = Vec::with_capacity(look.sights.len());
        for sight in look.sights {
            if let Some(since) = sight.since {
                timed.push(since);
            }
            if !sight.found.is_empty() {
                finding.push(sight.check.order.clone());
                findings.push(sight.found);
            }
            checks.push(sight.check);
        }
        let outcomes = self
            .state
            .record_look(findings, checks, look.read_to)
            .await?;
        let mut appended = Appended::new();
        for (id, outcome) in finding.into_iter().zip(outcomes) {
            match outcome {
                Ok(events) => {
                    pass.appended += events.len();
                    if let Some(last) = events.last() {
                        appended.insert(id, last.seq);
                    }
                }
                // The order moved on meanwhile: its next look decides.
                Err(StoreError::Refused(r)) => tracing::debug!(order = %id, %r, "not appended"),
                Err(e) => return Err(e),
            }
        }
        for since in timed {
            self.time(since);
        }
        Ok((pass, appended))
    }

    /// Follows the log and keeps time until `shutdown`.
    pub async fn run(self: Arc<Self>, shutdown: CancellationToken) {
        tokio::join!(
            self.clone().follow_log(shutdown.clone()),
            self.keep_time(shutdown)
        );
    }

    /// Looks at every order whose log grew, as it grows. Passes overlap:
    /// the next is worked out (reads and detectors) while the one before is
    /// recorded (by the store's writer), and is recorded after it, without
    /// the orders it made stale ([`Look::without_stale`]).
    async fn follow_log(self: Arc<Self>, shutdown: CancellationToken) {
        let mut tail = self.store.subscribe();
        // Where the next pass reads the log from (`None`: the recorded cursor).
        let mut from: Option<u64> = None;
        let mut recording: Option<Recording> = None;
        loop {
            let look = match from {
                Some(seq) => Ok(seq),
                None => self.state.cursor().await,
            };
            let look = match look {
                Ok(seq) => self.work_out(Utc::now(), Over::Log(seq)).await,
                Err(e) => Err(e),
            };
            let more = match (look, self.recorded(recording.take()).await) {
                (Ok(look), Ok(before)) => {
                    let look = look.without_stale(&before);
                    let more = look.more;
                    if look.read_to.is_some() || !look.sights.is_empty() {
                        from = look.read_to.or(from);
                        let watch = self.clone();
                        recording = Some(tokio::spawn(async move {
                            watch.record(look).await.map(|(_, appended)| appended)
                        }));
                    }
                    more
                }
                (Err(e), _) | (_, Err(e)) => {
                    tracing::warn!(error = %e, "detector pass over the log failed");
                    from = None;
                    false
                }
            };
            if more {
                continue;
            }
            // The log is read to its end: the pass under way is recorded first.
            if let Err(e) = self.recorded(recording.take()).await {
                tracing::warn!(error = %e, "detector pass over the log failed");
                from = None;
            }
            tokio::select! {
                got = tail.recv() => {
                    if matches!(got, Err(tokio::sync::broadcast::error::RecvError::Closed)) {
                        return;
                    }
                    // Whatever else arrived is read from the log by the next pass.
                    while tail.try_recv().is_ok() {}
                }
                _ = shutdown.cancelled() => return,
            }
        }
    }

    /// Waits for a pass being recorded; returns what it appended.
    async fn recorded(&self, recording: Option<Recording>) -> Result<Appended, StoreError> {
        let Some(recording) = recording else {
            return Ok(Appended::new());
        };
        let appended = recording.await??;
        // The checks just recorded may be nearer than the one awaited.
        self.rescheduled.notify_one();
        Ok(appended)
    }

    /// Looks at every order whose check falls due, at its moment.
    async fn keep_time(self: Arc<Self>, shutdown: CancellationToken) {
        loop {
            let more = match self.pass_over(Utc::now(), Over::Due).await {
                Ok(pass) => pass.more,
                Err(e) => {
                    tracing::warn!(error = %e, "detector pass over due checks failed");
                    false
                }
            };
            if more {
                continue;
            }
            let nap = match self.state.next_due().await {
                Ok(Some(at)) => (at - Utc::now()).to_std().unwrap_or(Duration::ZERO),
                _ => LONGEST_NAP,
            }
            .min(LONGEST_NAP);
            tokio::select! {
                _ = tokio::time::sleep(nap) => {}
                _ = self.rescheduled.notified() => {}
                _ = shutdown.cancelled() => return,
            }
        }
    }

    /// Records how long an order's look took to come: from its check's
    /// moment, or from its last event's recording.
    fn time(&self, since: Since) {
        let done = Utc::now();
        if let Ok(mut guard) = self.timings.lock() {
            let (read_at, t) = &mut *guard;
            let (list, since) = match since {
                Since::Due(at) if at < *read_at => {
                    t.overdue_before += 1;
                    return;
                }
                Since::Due(at) => (&mut t.after_due, at),
                Since::Event(at) => (&mut t.after_event, at),
            };
            if list.len() < MAX_SAMPLES {
                list.push(seconds(done - since).max(0.0));
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sight(order: &str, seen: u64) -> Sight {
        Sight {
            check: Check {
                order: OrderId::parse(order).unwrap(),
                next: None,
                seen,
            },
            found: Vec::new(),
            since: Some(Since::Event(Utc::now())),
        }
    }

    /// A look worked out while the one before was recorded keeps the orders
    /// it read with the earlier look's findings in them, and the orders the
    /// earlier look left alone; it drops those it read before them.
    #[test]
    fn a_look_leaves_out_the_orders_it_read_before_the_look_before_appended() {
        let look = Look {
            sights: vec![
                sight("CR-BEHIND", 10),
                sight("CR-CAUGHT", 12),
                sight("CR-ALONE", 5),
            ],
            read_to: Some(20),
            more: false,
        };
        let before: Appended = [
            (OrderId::parse("CR-BEHIND").unwrap(), 11),
            (OrderId::parse("CR-CAUGHT").unwrap(), 12),
        ]
        .into_iter()
        .collect();
        let kept: Vec<String> = look
            .without_stale(&before)
            .sights
            .into_iter()
            .map(|s| s.check.order.to_string())
            .collect();
        assert_eq!(kept, ["CR-CAUGHT", "CR-ALONE"]);
    }
}
