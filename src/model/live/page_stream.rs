//! One page's live stream, shared by its widgets: which topics the stream
//! carries, where it resumes, which widget gets which event, what a pause
//! holds, and whether the server is catching the stream up from the log.
//!
//! Pure (no browser, no timers): the browser's hub (`crate::ui::live`) opens
//! and closes the `EventSource` this state asks for and calls the widgets
//! with the deliveries it returns.
//!
//! - The stream carries the union of the widgets' topics ([`union_topics`]).
//! - Each widget has its own last-seen sequence number: it gets every event
//!   that matches its topics exactly once, in log order, and nothing at or
//!   below that number. A widget that joins with no `after` of its own starts
//!   where the page's stream is (its join point), when that stream already
//!   carries its topics, and from "now" otherwise.
//! - A reopened stream resumes after the smallest last-seen number among the
//!   widgets ([`resume_after`]); what the others saw already is dropped for
//!   them.
//! - A widget takes events only from streams opened while it was registered
//!   (its topics are in them); an older stream may have skipped some of its
//!   events, so taking them would break log order.
//! - While paused, events are held once each (by sequence number, however
//!   often a reopened stream sends them again) and handed over, oldest
//!   first, on resume, before any newer event.

use crate::model::live::topic::Topic;
use crate::model::order::event::RecordedEvent;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// The union of what the widgets follow: each topic once, in the order first
/// asked for. `orders` carries every event, so it stands for all of them; a
/// union longer than one stream may carry becomes `orders` too.
pub fn union_topics<'a>(wanted: impl IntoIterator<Item = &'a [Topic]>) -> Vec<Topic> {
    let mut union: Vec<Topic> = Vec::new();
    for topic in wanted.into_iter().flatten() {
        if *topic == Topic::Orders {
            return vec![Topic::Orders];
        }
        if !union.contains(topic) {
            union.push(topic.clone());
        }
    }
    if union.len() > Topic::MAX_PER_STREAM {
        return vec![Topic::Orders];
    }
    union
}

/// Whether a stream carrying `carried` delivers every event of `wanted`.
pub fn covers(carried: &[Topic], wanted: &[Topic]) -> bool {
    carried.contains(&Topic::Orders) || wanted.iter().all(|t| carried.contains(t))
}

/// Where a stream shared by widgets with these last-seen sequence numbers
/// resumes: after the smallest one. `None` (from now on) when no widget has
/// seen any.
pub fn resume_after(last_seen: impl IntoIterator<Item = Option<u64>>) -> Option<u64> {
    last_seen.into_iter().flatten().min()
}

/// Whether a widget that has seen up to `last_seen` should get event `seq`.
pub fn is_new(last_seen: Option<u64>, seq: u64) -> bool {
    last_seen.is_none_or(|last| seq > last)
}

/// The data of a `resync` frame: the stream fell behind at `from` and the
/// server replays the log up to `to` before going live again.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Resync {
    pub from: u64,
    pub to: u64,
}

/// The data of a `caught_up` frame: the catch-up announced by a `resync`
/// reached `to`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct CaughtUp {
    pub to: u64,
}

/// A widget registered on the page's stream.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct WidgetId(u64);

/// The stream to open: its generation (each opened stream has a new one, so
/// frames of a closed stream are recognised), its topics and resume point.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StreamPlan {
    pub generation: u64,
    pub topics: Vec<Topic>,
    pub after: Option<u64>,
}

impl StreamPlan {
    /// The address of the stream: `/api/stream?topics=…[&after=…]`, each
    /// value passed through `encode` (percent-encoding in the browser).
    pub fn url(&self, encode: impl Fn(&str) -> String) -> String {
        let mut url = format!("/api/stream?topics={}", encode(&Topic::join(&self.topics)));
        if let Some(after) = self.after {
            url.push_str(&format!("&after={after}"));
        }
        url
    }
}

/// What the page's stream should do after widgets joined or left.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Change {
    /// The open stream (or none) still fits.
    Keep,
    /// Close the open stream, if any, and open this one.
    Open(StreamPlan),
    /// No widget is left: close the stream.
    Close,
}

/// An event for one widget.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Delivery {
    pub widget: WidgetId,
    pub event: RecordedEvent,
}

#[derive(Debug)]
struct Widget {
    topics: Vec<Topic>,
    /// The last sequence number this widget has seen (or skipped as not its own).
    last_seen: Option<u64>,
    /// The first stream generation that carries the widget; `None` until one is opened.
    since: Option<u64>,
}

#[derive(Debug)]
struct OpenStream {
    generation: u64,
    topics: Vec<Topic>,
    /// The last sequence number received on it (its resume point before any).
    last_seen: Option<u64>,
    /// The log position a `resync` announced, until the catch-up reaches it.
    catching_up_to: Option<u64>,
}

#[derive(Debug)]
struct Held {
    event: RecordedEvent,
    /// The newest stream it arrived on (which carries the most widgets).
    generation: u64,
}

/// The page's stream as its widgets share it. See the module documentation.
#[derive(Debug, Default)]
pub struct PageStream {
    widgets: BTreeMap<WidgetId, Widget>,
    next_widget: u64,
    stream: Option<OpenStream>,
    generations: u64,
    paused: bool,
    held: BTreeMap<u64, Held>,
}

impl PageStream {
    pub fn new() -> Self {
        PageStream::default()
    }

    /// Registers a widget following `topics` after `after` (or from its join
    /// point). Call [`PageStream::reconcile`] once the page's widgets have
    /// joined and left.
    pub fn join(&mut self, topics: Vec<Topic>, after: Option<u64>) -> WidgetId {
        let id = WidgetId(self.next_widget);
        self.next_widget += 1;
        let join_point = || {
            self.stream
                .as_ref()
                .filter(|s| covers(&s.topics, &topics))
                .and_then(|s| s.last_seen)
        };
        let last_seen = after.or_else(join_point);
        self.widgets.insert(
            id,
            Widget {
                topics,
                last_seen,
                since: None,
            },
        );
        id
    }

    /// Unregisters a widget; it gets nothing more.
    pub fn leave(&mut self, widget: WidgetId) {
        self.widgets.remove(&widget);
    }

    /// How many widgets are registered.
    pub fn widgets(&self) -> usize {
        self.widgets.len()
    }

    /// Decides what the stream does after joins and leaves. A page whose
    /// widgets are all new (the person went to another page) starts live:
    /// a pause belongs to the view it was made on.
    pub fn reconcile(&mut self) -> Change {
        if !self.widgets.values().any(|w| w.since.is_some()) {
            self.paused = false;
            self.held.clear();
        }
        if self.widgets.is_empty() {
            return match self.stream.take() {
                Some(_) => Change::Close,
                None => Change::Keep,
            };
        }
        let topics = union_topics(self.widgets.values().map(|w| w.topics.as_slice()));
        if let Some(stream) = &self.stream {
            let fits = stream.topics == topics
                && self
                    .widgets
                    .values()
                    .filter(|w| w.since.is_none())
                    .all(|w| match (w.last_seen, stream.last_seen) {
                        (None, _) => true,
                        (Some(own), Some(stream)) => own >= stream,
                        (Some(_), None) => false,
                    });
            if fits {
                let generation = stream.generation;
                for widget in self.widgets.values_mut() {
                    widget.since.get_or_insert(generation);
                }
                return Change::Keep;
            }
        }
        Change::Open(self.open(topics))
    }

    /// A new stream for the same widgets (the browser gave up on the last
    /// one), or `None` when no widget is registered.
    pub fn reopen(&mut self) -> Option<StreamPlan> {
        if self.widgets.is_empty() {
            self.stream = None;
            return None;
        }
        let topics = union_topics(self.widgets.values().map(|w| w.topics.as_slice()));
        Some(self.open(topics))
    }

    fn open(&mut self, topics: Vec<Topic>) -> StreamPlan {
        self.generations += 1;
        let generation = self.generations;
        let after = resume_after(self.widgets.values().map(|w| w.last_seen));
        for widget in self.widgets.values_mut() {
            widget.since.get_or_insert(generation);
        }
        self.stream = Some(OpenStream {
            generation,
            topics: topics.clone(),
            last_seen: after,
            catching_up_to: None,
        });
        StreamPlan {
            generation,
            topics,
            after,
        }
    }

    fn current(&mut self, generation: u64) -> Option<&mut OpenStream> {
        self.stream.as_mut().filter(|s| s.generation == generation)
    }

    /// The stream of `generation` (re)connected: any catch-up it announced
    /// before is over (a new connection announces its own).
    pub fn connected(&mut self, generation: u64) {
        if let Some(stream) = self.current(generation) {
            stream.catching_up_to = None;
        }
    }

    /// An event arrived on the stream of `generation`: what to hand to which
    /// widget now (nothing while paused; held events first on the way).
    pub fn receive(&mut self, generation: u64, event: RecordedEvent) -> Vec<Delivery> {
        let Some(stream) = self.current(generation) else {
            return Vec::new(); // a stream already closed
        };
        stream.last_seen = stream.last_seen.max(Some(event.seq));
        if stream.catching_up_to.is_some_and(|to| event.seq >= to) {
            stream.catching_up_to = None;
        }
        if self.paused {
            let held = self
                .held
                .entry(event.seq)
                .or_insert(Held { event, generation });
            held.generation = held.generation.max(generation);
            return Vec::new();
        }
        let mut deliveries = self.release_held();
        self.route(generation, event, &mut deliveries);
        deliveries
    }

    /// A `resync` frame on the stream of `generation`.
    pub fn resync(&mut self, generation: u64, resync: Resync) {
        if let Some(stream) = self.current(generation) {
            let behind = stream.last_seen.is_none_or(|seen| seen < resync.to);
            stream.catching_up_to = behind.then_some(resync.to);
        }
    }

    /// A `caught_up` frame on the stream of `generation`.
    pub fn caught_up(&mut self, generation: u64, caught_up: CaughtUp) {
        if let Some(stream) = self.current(generation) {
            if stream.catching_up_to.is_some_and(|to| caught_up.to >= to) {
                stream.catching_up_to = None;
            }
        }
    }

    /// Whether the open stream is being caught up from the log.
    pub fn catching_up(&self) -> bool {
        self.stream
            .as_ref()
            .is_some_and(|s| s.catching_up_to.is_some())
    }

    /// Pauses (events are held) or resumes (the held ones are returned).
    pub fn set_paused(&mut self, paused: bool) -> Vec<Delivery> {
        self.paused = paused;
        if paused {
            Vec::new()
        } else {
            self.release_held()
        }
    }

    pub fn paused(&self) -> bool {
        self.paused
    }

    /// How many distinct events are held.
    pub fn held(&self) -> usize {
        self.held.len()
    }

    fn release_held(&mut self) -> Vec<Delivery> {
        let mut deliveries = Vec::new();
        for held in std::mem::take(&mut self.held).into_values() {
            self.route(held.generation, held.event, &mut deliveries);
        }
        deliveries
    }

    /// Hands `event` (from the stream of `generation`) to every widget that
    /// stream carries and that has not seen it, if it matches the widget's
    /// topics; every such widget has now seen it.
    fn route(&mut self, generation: u64, event: RecordedEvent, out: &mut Vec<Delivery>) {
        for (id, widget) in &mut self.widgets {
            let carried = widget.since.is_some_and(|since| since <= generation);
            if !carried || !is_new(widget.last_seen, event.seq) {
                continue;
            }
            widget.last_seen = Some(event.seq);
            if widget.topics.iter().any(|t| t.matches(&event)) {
                out.push(Delivery {
                    widget: *id,
                    event: event.clone(),
                });
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{Actor, EventKind, OrderEvent, OrderId, Source};
    use chrono::{TimeZone, Utc};

    fn order(id: &str) -> Topic {
        Topic::Order(OrderId::parse(id).unwrap())
    }

    fn event(seq: u64, order: &str) -> RecordedEvent {
        let at = Utc.timestamp_opt(1_700_000_000 + seq as i64, 0).unwrap();
        RecordedEvent {
            seq,
            recorded_at: at,
            event: OrderEvent {
                order_id: OrderId::parse(order).unwrap(),
                occurred_at: at,
                source: Source::ControlRoom,
                actor: Actor::System {
                    name: "test".into(),
                },
                kind: EventKind::NoteAdded {
                    text: format!("event {seq}"),
                },
            },
        }
    }

    /// `(widget, seq)` of each delivery, in order.
    fn seqs(deliveries: &[Delivery]) -> Vec<(WidgetId, u64)> {
        deliveries.iter().map(|d| (d.widget, d.event.seq)).collect()
    }

    fn opened(change: Change) -> StreamPlan {
        match change {
            Change::Open(plan) => plan,
            other => panic!("expected a new stream, got {other:?}"),
        }
    }

    #[test]
    fn the_union_names_each_topic_once_and_orders_stands_for_all() {
        let a = [order("CR-1"), Topic::Exceptions];
        let b = [Topic::Exceptions, order("CR-2"), order("CR-1")];
        assert_eq!(
            union_topics([&a[..], &b[..]]),
            vec![order("CR-1"), Topic::Exceptions, order("CR-2")]
        );
        let all = [Topic::Orders];
        assert_eq!(union_topics([&a[..], &all[..]]), vec![Topic::Orders]);
        assert_eq!(union_topics([]), Vec::<Topic>::new());

        let many: Vec<Topic> = (1..=Topic::MAX_PER_STREAM + 1)
            .map(|n| order(&format!("CR-{n}")))
            .collect();
        assert_eq!(union_topics([&many[..]]), vec![Topic::Orders]);
    }

    #[test]
    fn a_stream_covers_its_topics_and_orders_covers_everything() {
        assert!(covers(&[Topic::Orders], &[order("CR-1"), Topic::Money]));
        assert!(covers(
            &[order("CR-1"), Topic::Exceptions],
            &[order("CR-1")]
        ));
        assert!(!covers(&[order("CR-1")], &[Topic::Orders]));
        assert!(!covers(&[order("CR-1")], &[order("CR-2")]));
    }

    #[test]
    fn the_stream_resumes_after_the_smallest_last_seen_number() {
        assert_eq!(resume_after([Some(40), None, Some(12), Some(90)]), Some(12));
        assert_eq!(resume_after([None, None]), None);
        assert_eq!(resume_after([]), None);
        assert!(is_new(None, 1));
        assert!(is_new(Some(4), 5));
        assert!(!is_new(Some(5), 5));
    }

    #[test]
    fn the_url_names_the_topics_and_the_resume_point() {
        let plan = StreamPlan {
            generation: 1,
            topics: vec![order("CR-7"), Topic::Exceptions],
            after: Some(42),
        };
        assert_eq!(
            plan.url(|s| s.to_string()),
            "/api/stream?topics=order:CR-7,exceptions&after=42"
        );
        let plan = StreamPlan {
            after: None,
            ..plan
        };
        assert_eq!(
            plan.url(|s| s.replace(':', "%3A").replace(',', "%2C")),
            "/api/stream?topics=order%3ACR-7%2Cexceptions"
        );
    }

    #[test]
    fn widgets_joining_in_one_tick_share_one_stream_from_the_smallest_point() {
        let mut page = PageStream::new();
        let list = page.join(vec![Topic::Orders], None);
        let detail = page.join(vec![order("CR-1")], Some(10));
        let plan = opened(page.reconcile());
        assert_eq!(plan.topics, vec![Topic::Orders]);
        assert_eq!(plan.after, Some(10));
        assert_eq!(page.reconcile(), Change::Keep);

        let g = plan.generation;
        let mut got = Vec::new();
        got.extend(page.receive(g, event(11, "CR-2")));
        got.extend(page.receive(g, event(12, "CR-1")));
        assert_eq!(seqs(&got), vec![(list, 11), (list, 12), (detail, 12)]);
    }

    #[test]
    fn each_widget_gets_each_event_once_even_when_a_reopened_stream_repeats_it() {
        let mut page = PageStream::new();
        let a = page.join(vec![order("CR-1")], Some(5));
        let g1 = opened(page.reconcile()).generation;
        assert_eq!(seqs(&page.receive(g1, event(6, "CR-1"))), vec![(a, 6)]);
        assert_eq!(seqs(&page.receive(g1, event(8, "CR-1"))), vec![(a, 8)]);

        // A second widget asks for older events: the stream reopens from
        // there, and the first widget is not given 6 and 8 again.
        let b = page.join(vec![order("CR-2")], Some(3));
        let plan = opened(page.reconcile());
        assert_eq!(plan.after, Some(3));
        assert_eq!(plan.topics, vec![order("CR-1"), order("CR-2")]);
        let g2 = plan.generation;
        let mut got = Vec::new();
        for (seq, id) in [
            (4, "CR-2"),
            (6, "CR-1"),
            (7, "CR-2"),
            (8, "CR-1"),
            (9, "CR-1"),
        ] {
            got.extend(page.receive(g2, event(seq, id)));
        }
        assert_eq!(seqs(&got), vec![(b, 4), (b, 7), (a, 9)]);
        // The closed stream's late frames are ignored.
        assert!(page.receive(g1, event(10, "CR-1")).is_empty());
    }

    #[test]
    fn a_widget_takes_nothing_from_a_stream_that_did_not_carry_it() {
        let mut page = PageStream::new();
        let a = page.join(vec![order("CR-1")], None);
        let g1 = opened(page.reconcile()).generation;
        let b = page.join(vec![order("CR-2")], Some(1));
        // Before the coalesced reopen, the old stream still delivers.
        assert_eq!(seqs(&page.receive(g1, event(5, "CR-1"))), vec![(a, 5)]);
        let plan = opened(page.reconcile());
        assert_eq!(plan.after, Some(1));
        let got: Vec<_> = [(2, "CR-2"), (5, "CR-1"), (6, "CR-2")]
            .into_iter()
            .flat_map(|(seq, id)| page.receive(plan.generation, event(seq, id)))
            .collect();
        assert_eq!(seqs(&got), vec![(b, 2), (b, 6)]);
    }

    #[test]
    fn a_widget_joining_a_stream_that_carries_it_keeps_the_stream() {
        let mut page = PageStream::new();
        let list = page.join(vec![Topic::Orders], None);
        let g = opened(page.reconcile()).generation;
        page.receive(g, event(20, "CR-1"));
        // Joins at the stream's position: no reopen, nothing older.
        let detail = page.join(vec![order("CR-1")], None);
        assert_eq!(page.reconcile(), Change::Keep);
        assert_eq!(
            seqs(&page.receive(g, event(21, "CR-1"))),
            vec![(list, 21), (detail, 21)]
        );
        // One that needs older events than the stream has passed reopens it.
        page.join(vec![order("CR-1")], Some(15));
        assert_eq!(opened(page.reconcile()).after, Some(15));
    }

    #[test]
    fn leaving_narrows_the_stream_and_the_last_leaving_closes_it() {
        let mut page = PageStream::new();
        let a = page.join(vec![order("CR-1")], Some(1));
        let b = page.join(vec![order("CR-2")], Some(1));
        let g = opened(page.reconcile()).generation;
        page.receive(g, event(3, "CR-2"));
        page.leave(b);
        let plan = opened(page.reconcile());
        assert_eq!(plan.topics, vec![order("CR-1")]);
        assert_eq!(plan.after, Some(3), "a has seen (and skipped) up to 3");
        page.leave(a);
        assert_eq!(page.reconcile(), Change::Close);
        assert_eq!(page.reconcile(), Change::Keep);
        assert_eq!(page.reopen(), None);
    }

    #[test]
    fn a_pause_holds_distinct_events_and_resume_hands_them_over_first() {
        let mut page = PageStream::new();
        let a = page.join(vec![Topic::Orders], Some(0));
        let g1 = opened(page.reconcile()).generation;
        assert!(page.set_paused(true).is_empty());
        assert!(page.receive(g1, event(1, "CR-1")).is_empty());
        assert!(page.receive(g1, event(2, "CR-1")).is_empty());
        // The browser gave up; the new stream resumes where the widget was
        // (before the pause) and sends 1 and 2 again: still two held.
        let g2 = page.reopen().unwrap();
        assert_eq!(g2.after, Some(0));
        for seq in [1, 2, 3] {
            assert!(page.receive(g2.generation, event(seq, "CR-1")).is_empty());
        }
        assert_eq!(page.held(), 3);

        let got = page.set_paused(false);
        assert_eq!(seqs(&got), vec![(a, 1), (a, 2), (a, 3)]);
        assert_eq!(page.held(), 0);
        assert_eq!(
            seqs(&page.receive(g2.generation, event(4, "CR-1"))),
            vec![(a, 4)]
        );
    }

    #[test]
    fn another_page_starts_live() {
        let mut page = PageStream::new();
        let list = page.join(vec![Topic::Orders], None);
        let g = opened(page.reconcile()).generation;
        page.set_paused(true);
        page.receive(g, event(1, "CR-1"));
        // Navigating: the list leaves and the order page joins in one tick.
        page.leave(list);
        let detail = page.join(vec![order("CR-1")], Some(1));
        let plan = opened(page.reconcile());
        assert!(!page.paused());
        assert_eq!(page.held(), 0);
        assert_eq!(
            seqs(&page.receive(plan.generation, event(2, "CR-1"))),
            vec![(detail, 2)]
        );
    }

    #[test]
    fn catching_up_lasts_from_resync_to_caught_up_or_an_event_at_its_end() {
        let mut page = PageStream::new();
        page.join(vec![Topic::Orders], None);
        let g = opened(page.reconcile()).generation;
        page.receive(g, event(10, "CR-1"));
        assert!(!page.catching_up());

        page.resync(g, Resync { from: 10, to: 50 });
        assert!(page.catching_up());
        page.receive(g, event(30, "CR-1"));
        assert!(page.catching_up());
        page.caught_up(g, CaughtUp { to: 50 });
        assert!(!page.catching_up());

        page.resync(g, Resync { from: 50, to: 60 });
        page.receive(g, event(60, "CR-1"));
        assert!(!page.catching_up(), "an event at the target ends it too");

        page.resync(g, Resync { from: 60, to: 70 });
        page.connected(g);
        assert!(!page.catching_up(), "a new connection announces its own");

        // Frames read back as the server writes them.
        let r: Resync = serde_json::from_str(r#"{"from":3,"to":9}"#).unwrap();
        assert_eq!(r, Resync { from: 3, to: 9 });
        let c: CaughtUp = serde_json::from_str(r#"{"to":9}"#).unwrap();
        assert_eq!(c, CaughtUp { to: 9 });
    }
}
