//! The page-wide hub: the one `EventSource` all live widgets share.
//!
//! Widgets join and leave ([`Hub::join`], [`Hub::leave`]); the hub reconciles
//! once per tick (a 0 ms timeout), so a page mounting several widgets opens
//! one stream, and a page change closes the old stream before the new one
//! opens. Which topics the stream carries, where it resumes, which widget gets
//! which event, what a pause holds and whether the server is catching the
//! stream up are decided by the pure [`PageStream`]; the hub does the I/O and
//! keeps the shell's signals ([`LinkSignals`]) current.
//!
//! If the browser gives up on the stream (the server answered with an error,
//! so the `EventSource` is closed for good), the hub opens a new one after a
//! short, growing delay, resuming where the widgets are. An `EventSource`
//! cannot tell why it was refused, so the hub also asks the server again who
//! is signed in: if the session has ended, the page's guard sends the person
//! to the sign-in page.

use super::link_state::LinkState;
use super::source::{Frames, OpenSource, Retry};
use crate::model::live::page_stream::{
    CaughtUp, Change, Delivery, PageStream, Resync, StreamPlan, WidgetId,
};
use crate::model::live::sse::SseEvent;
use crate::model::{RecordedEvent, Topic};
use crate::ui::auth::Auth;
use leptos::logging::warn;
use leptos::prelude::*;
use serde::de::DeserializeOwned;
use std::cell::{Cell, RefCell};
use std::collections::HashMap;
use std::rc::{Rc, Weak};
use std::time::Duration;
use web_sys::MessageEvent;

/// What the shell and the pause control read.
#[derive(Debug, Clone, Copy)]
pub(super) struct LinkSignals {
    /// The connection state (never [`LinkState::Paused`]).
    pub state: RwSignal<LinkState>,
    pub paused: RwSignal<bool>,
    /// How many distinct events are held while paused.
    pub held: RwSignal<usize>,
}

impl LinkSignals {
    pub fn new() -> Self {
        LinkSignals {
            state: RwSignal::new(LinkState::Idle),
            paused: RwSignal::new(false),
            held: RwSignal::new(0),
        }
    }
}

/// A widget's callback: one call per event, in log order.
pub(super) type OnEvent = Rc<dyn Fn(RecordedEvent)>;

/// The open stream and the generation [`PageStream`] gave it.
struct Connection {
    generation: u64,
    source: OpenSource,
}

pub(super) struct Hub {
    page: RefCell<PageStream>,
    widgets: RefCell<HashMap<WidgetId, OnEvent>>,
    connection: RefCell<Option<Connection>>,
    /// Idle, Connecting, Live or Reconnecting; the shell is told more.
    link: Cell<LinkState>,
    reconcile_due: Cell<Option<TimeoutHandle>>,
    retry: Retry,
    /// Asked again who is signed in when the server refuses the stream.
    auth: Option<Auth>,
    signals: LinkSignals,
}

impl Hub {
    pub fn new(signals: LinkSignals, auth: Option<Auth>) -> Rc<Hub> {
        Rc::new(Hub {
            page: RefCell::new(PageStream::new()),
            widgets: RefCell::new(HashMap::new()),
            connection: RefCell::new(None),
            link: Cell::new(LinkState::Idle),
            reconcile_due: Cell::new(None),
            retry: Retry::default(),
            auth,
            signals,
        })
    }

    /// Registers a widget; the stream follows its topics from the next tick.
    pub fn join(
        self: &Rc<Self>,
        topics: Vec<Topic>,
        after: Option<u64>,
        on_event: OnEvent,
    ) -> WidgetId {
        let widget = self.page.borrow_mut().join(topics, after);
        self.widgets.borrow_mut().insert(widget, on_event);
        self.reconcile_soon();
        widget
    }

    /// Unregisters a widget; it is not called any more.
    pub fn leave(self: &Rc<Self>, widget: WidgetId) {
        self.page.borrow_mut().leave(widget);
        self.widgets.borrow_mut().remove(&widget);
        self.reconcile_soon();
    }

    /// Pauses live updates, or resumes them (handing over every held event).
    pub fn set_paused(&self, paused: bool) {
        let deliveries = self.page.borrow_mut().set_paused(paused);
        self.show();
        self.hand_over(deliveries);
    }

    /// Reconciles at the end of this tick, once for all joins and leaves in it.
    fn reconcile_soon(self: &Rc<Self>) {
        if self.reconcile_due.get().is_some() {
            return;
        }
        let hub = Rc::downgrade(self);
        let due = set_timeout_with_handle(
            move || {
                if let Some(hub) = hub.upgrade() {
                    hub.reconcile_due.set(None);
                    hub.reconcile();
                }
            },
            Duration::ZERO,
        );
        match due {
            Ok(handle) => self.reconcile_due.set(Some(handle)),
            Err(e) => {
                warn!("could not schedule the live stream update: {e:?}");
                self.reconcile();
            }
        }
    }

    fn reconcile(self: &Rc<Self>) {
        let change = self.page.borrow_mut().reconcile();
        match change {
            Change::Keep => {}
            Change::Close => {
                self.retry.cancel();
                self.close_connection();
                self.retry.reset();
                self.link.set(LinkState::Idle);
            }
            Change::Open(plan) => {
                self.retry.cancel();
                self.close_connection();
                self.open(plan);
            }
        }
        self.show();
    }

    fn open(self: &Rc<Self>, plan: StreamPlan) {
        let url = plan.url(|value| js_sys::encode_uri_component(value).into());
        if self.link.get() != LinkState::Reconnecting {
            self.link.set(LinkState::Connecting);
        }
        let generation = plan.generation;
        let frames = Frames {
            on: vec![
                (
                    SseEvent::OrderEvent,
                    self.callback(move |hub, msg: MessageEvent| hub.on_event(generation, msg)),
                ),
                (
                    SseEvent::Resync,
                    self.callback(move |hub, msg: MessageEvent| {
                        if let Some(resync) = frame_data::<Resync>(&msg) {
                            hub.page.borrow_mut().resync(generation, resync);
                            hub.show();
                        }
                    }),
                ),
                (
                    SseEvent::CaughtUp,
                    self.callback(move |hub, msg: MessageEvent| {
                        if let Some(caught_up) = frame_data::<CaughtUp>(&msg) {
                            hub.page.borrow_mut().caught_up(generation, caught_up);
                            hub.show();
                        }
                    }),
                ),
            ],
            opened: {
                let opened = self.callback(move |hub, ()| hub.on_open(generation));
                Box::new(move || opened(()))
            },
            failed: self.callback(move |hub, gave_up| hub.on_error(generation, gave_up)),
        };
        match OpenSource::open(&url, frames) {
            Ok(source) => *self.connection.borrow_mut() = Some(Connection { generation, source }),
            Err(e) => {
                warn!("could not open the live stream {url}: {e:?}");
                self.link.set(LinkState::Reconnecting);
                self.retry_later();
            }
        }
    }

    /// A closure for the source that reaches the hub while it lives.
    fn callback<A: 'static>(self: &Rc<Self>, f: impl Fn(&Rc<Hub>, A) + 'static) -> Box<dyn Fn(A)> {
        let hub: Weak<Hub> = Rc::downgrade(self);
        Box::new(move |a| {
            if let Some(hub) = hub.upgrade() {
                f(&hub, a);
            }
        })
    }

    fn is_current(&self, generation: u64) -> bool {
        self.connection
            .borrow()
            .as_ref()
            .is_some_and(|c| c.generation == generation)
    }

    fn on_open(&self, generation: u64) {
        if !self.is_current(generation) {
            return;
        }
        self.retry.reset();
        self.link.set(LinkState::Live);
        self.page.borrow_mut().connected(generation);
        self.show();
    }

    fn on_event(&self, generation: u64, msg: MessageEvent) {
        let Some(event) = frame_data::<RecordedEvent>(&msg) else {
            return;
        };
        let deliveries = self.page.borrow_mut().receive(generation, event);
        self.show();
        self.hand_over(deliveries);
    }

    /// The connection failed. While the browser is reconnecting by itself the
    /// state is only reported; once it has given up, a new stream is opened later.
    fn on_error(self: &Rc<Self>, generation: u64, gave_up: bool) {
        if !self.is_current(generation) {
            return;
        }
        self.link.set(LinkState::Reconnecting);
        self.show();
        if gave_up {
            self.close_connection();
            if let Some(auth) = self.auth {
                auth.refresh();
            }
            self.retry_later();
        }
    }

    fn retry_later(self: &Rc<Self>) {
        let hub = Rc::downgrade(self);
        self.retry.later("the live stream", move || {
            if let Some(hub) = hub.upgrade() {
                let plan = hub.page.borrow_mut().reopen();
                match plan {
                    Some(plan) => hub.open(plan),
                    None => hub.link.set(LinkState::Idle),
                }
                hub.show();
            }
        });
    }

    fn close_connection(&self) {
        if let Some(connection) = self.connection.borrow_mut().take() {
            connection.source.close();
        }
    }

    /// Calls each widget with its events. Nothing is borrowed meanwhile, so a
    /// widget may mount or unmount widgets; one that left is skipped.
    fn hand_over(&self, deliveries: Vec<Delivery>) {
        for Delivery { widget, event } in deliveries {
            let on_event = self.widgets.borrow().get(&widget).cloned();
            if let Some(on_event) = on_event {
                on_event(event);
            }
        }
    }

    /// Brings the shell's signals up to date.
    fn show(&self) {
        let (catching_up, paused, held) = {
            let page = self.page.borrow();
            (page.catching_up(), page.paused(), page.held())
        };
        let state = match self.link.get() {
            LinkState::Live if catching_up => LinkState::CatchingUp,
            state => state,
        };
        set_if_changed(self.signals.state, state);
        set_if_changed(self.signals.paused, paused);
        set_if_changed(self.signals.held, held);
    }
}

impl Drop for Hub {
    fn drop(&mut self) {
        if let Some(handle) = self.reconcile_due.take() {
            handle.clear();
        }
        self.retry.cancel();
        self.close_connection();
    }
}

/// A frame's JSON data, or `None` (with a warning) when it is not readable.
fn frame_data<T: DeserializeOwned>(msg: &MessageEvent) -> Option<T> {
    let Some(data) = msg.data().as_string() else {
        warn!("live stream frame {} without text data", msg.type_());
        return None;
    };
    serde_json::from_str(&data)
        .inspect_err(|e| warn!("could not read a live stream {} frame: {e}", msg.type_()))
        .ok()
}

fn set_if_changed<T: PartialEq + Send + Sync + 'static>(signal: RwSignal<T>, value: T) {
    if signal.try_with_untracked(|now| *now != value) == Some(true) {
        signal.try_set(value);
    }
}
