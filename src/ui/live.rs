//! The live stream: one `EventSource` per page over `GET /api/stream`.
//!
//! The server sends every accepted event as an SSE `order_event` whose id is the
//! log sequence number, so the browser's own reconnect (with `Last-Event-ID`)
//! resumes exactly. This wrapper parses each message into a [`RecordedEvent`]
//! and hands it to the page's callback, one call per event (a latest-value
//! signal would drop events that arrive together), and reports the connection
//! state to the shell through [`LiveLink`].
//!
//! The person can pause live updates for the page ([`LiveLink::toggle_pause`]):
//! the stream stays open and events keep arriving, but they are held (and
//! counted) instead of being handed to the page; resuming hands them all over,
//! in log order, before any newer event. So a pause never loses an event.
//!
//! If the browser gives up (the server answered with an error, so the
//! `EventSource` is closed for good), the wrapper opens a new one after a short,
//! growing delay, resuming after the last sequence number it delivered. An
//! `EventSource` cannot tell why it was refused, so the app also asks the server
//! again who is signed in: if the session has ended, the page's guard sends the
//! person to the sign-in page.

use crate::model::RecordedEvent;
use crate::ui::auth::Auth;
use leptos::logging::warn;
use leptos::prelude::*;
use send_wrapper::SendWrapper;
use std::cell::{Cell, RefCell};
use std::rc::{Rc, Weak};
use std::time::Duration;
use wasm_bindgen::prelude::*;
use web_sys::{EventSource, MessageEvent};

/// The SSE event name the server uses for log events.
const EVENT_NAME: &str = "order_event";
/// First delay before reopening a stream the browser gave up on; doubles up to the cap.
const RETRY_FIRST: Duration = Duration::from_secs(1);
const RETRY_CAP: Duration = Duration::from_secs(30);

/// The state of the current page's connection to the live stream.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LinkState {
    /// The page has no live stream.
    Idle,
    /// Opening for the first time.
    Connecting,
    /// Open: events arrive as they are recorded.
    Live,
    /// Lost; the browser or this wrapper is reconnecting and will resume where it left off.
    Reconnecting,
    /// Connected, but the person paused live updates: events are held, not shown.
    Paused,
}

impl LinkState {
    /// The words the shell shows.
    pub fn label(self) -> &'static str {
        match self {
            LinkState::Idle => "Not live",
            LinkState::Connecting => "Connecting…",
            LinkState::Live => "Live",
            LinkState::Reconnecting => "Reconnecting…",
            LinkState::Paused => "Paused",
        }
    }

    /// A stable name for CSS and tests.
    pub fn as_str(self) -> &'static str {
        match self {
            LinkState::Idle => "idle",
            LinkState::Connecting => "connecting",
            LinkState::Live => "live",
            LinkState::Reconnecting => "reconnecting",
            LinkState::Paused => "paused",
        }
    }
}

/// The page's live stream as the shell and the pause control see it: the
/// connection state, whether the person paused live updates, and how many
/// events are held meanwhile. Shared as context, so one toggle pauses the page.
#[derive(Debug, Clone, Copy)]
pub struct LiveLink {
    state: RwSignal<LinkState>,
    paused: RwSignal<bool>,
    held: RwSignal<usize>,
    /// Which stream currently owns `state`, so a page's late cleanup does not
    /// overwrite the state of the next page's stream.
    holder: StoredValue<u64>,
}

impl LiveLink {
    fn new() -> Self {
        LiveLink {
            state: RwSignal::new(LinkState::Idle),
            paused: RwSignal::new(false),
            held: RwSignal::new(0),
            holder: StoredValue::new(0),
        }
    }

    /// Creates the shared state and provides it as context.
    pub fn provide() -> Self {
        let link = LiveLink::new();
        provide_context(link);
        link
    }

    /// The link provided by the app, or a private one outside it.
    pub fn current() -> Self {
        use_context::<LiveLink>().unwrap_or_else(LiveLink::new)
    }

    /// The connection state of the page's stream (never [`LinkState::Paused`]).
    pub fn state(self) -> Signal<LinkState> {
        self.state.into()
    }

    /// What the shell shows: the connection state, or "Paused" while the person
    /// paused a connected stream (a lost connection is still shown as such).
    pub fn shown(self) -> Signal<LinkState> {
        Signal::derive(move || match self.state.get() {
            LinkState::Live | LinkState::Connecting if self.paused.get() => LinkState::Paused,
            state => state,
        })
    }

    /// Whether the person paused live updates on this page.
    pub fn paused(self) -> Signal<bool> {
        self.paused.into()
    }

    /// How many events arrived while paused and wait to be shown.
    pub fn held(self) -> Signal<usize> {
        self.held.into()
    }

    /// Pauses live updates, or resumes them (showing every held event).
    pub fn toggle_pause(self) {
        self.paused.update(|p| *p = !*p);
    }

    fn claim(self, stream: u64) {
        self.holder.set_value(stream);
        self.state.set(LinkState::Connecting);
        // A new page starts live: a pause belongs to the view it was made on.
        self.paused.set(false);
        self.held.set(0);
    }

    fn report(self, stream: u64, state: LinkState) {
        if self.holder.try_get_value() == Some(stream) {
            self.state.try_set(state);
        }
    }

    fn report_held(self, stream: u64, held: usize) {
        if self.holder.try_get_value() == Some(stream) {
            self.held.try_set(held);
        }
    }

    fn is_paused(self) -> bool {
        self.paused.try_get_untracked().unwrap_or(false)
    }
}

/// Which part of the log a page follows.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct StreamRequest {
    /// Only this order's events.
    pub order: Option<String>,
    /// Start after this sequence number; `None` means from now on.
    pub after: Option<u64>,
}

impl StreamRequest {
    fn url(&self, resume_after: Option<u64>) -> String {
        let mut params = Vec::new();
        if let Some(order) = &self.order {
            params.push(format!("order={}", encode(order)));
        }
        if let Some(after) = resume_after.or(self.after) {
            params.push(format!("after={after}"));
        }
        if params.is_empty() {
            "/api/stream".to_string()
        } else {
            format!("/api/stream?{}", params.join("&"))
        }
    }
}

fn encode(value: &str) -> String {
    js_sys::encode_uri_component(value).into()
}

/// Follows the live stream for as long as the calling component lives, calling
/// `on_event` once per recorded event, in log order. While the page is paused
/// the events are held and handed over on resume. The stream is closed when
/// the component is cleaned up.
pub fn follow_live(request: StreamRequest, on_event: impl Fn(RecordedEvent) + 'static) {
    let link = LiveLink::current();
    let id = next_stream_id();
    link.claim(id);
    let stream = Rc::new(LiveStream {
        id,
        request,
        link,
        auth: Auth::try_current(),
        on_event: Box::new(on_event),
        source: RefCell::new(None),
        last_seq: Cell::new(None),
        held: RefCell::new(Vec::new()),
        retry: Cell::new(None),
        retry_delay: Cell::new(RETRY_FIRST),
        closed: Cell::new(false),
    });
    stream.open();
    // Resuming hands over everything held meanwhile.
    let on_resume = SendWrapper::new(Rc::clone(&stream));
    Effect::new(move |_| {
        if !link.paused.get() {
            on_resume.release_held();
        }
    });
    let stream = SendWrapper::new(stream);
    on_cleanup(move || {
        stream.close();
        link.report(stream.id, LinkState::Idle);
    });
}

fn next_stream_id() -> u64 {
    thread_local! {
        static NEXT: Cell<u64> = const { Cell::new(1) };
    }
    NEXT.with(|n| {
        let id = n.get();
        n.set(id + 1);
        id
    })
}

/// An open `EventSource` with the closures it calls (kept alive with it).
struct OpenSource {
    source: EventSource,
    on_event: Closure<dyn Fn(MessageEvent)>,
    _on_open: Closure<dyn Fn(web_sys::Event)>,
    _on_error: Closure<dyn Fn(web_sys::Event)>,
}

impl OpenSource {
    fn close(self) {
        // Unhook everything before the closures are dropped with `self`.
        let _ = self.source.remove_event_listener_with_callback(
            EVENT_NAME,
            self.on_event.as_ref().unchecked_ref(),
        );
        self.source.set_onopen(None);
        self.source.set_onerror(None);
        self.source.close();
    }
}

struct LiveStream {
    id: u64,
    request: StreamRequest,
    link: LiveLink,
    /// Asked again who is signed in when the server refuses the stream.
    auth: Option<Auth>,
    on_event: Box<dyn Fn(RecordedEvent)>,
    source: RefCell<Option<OpenSource>>,
    /// The last sequence number delivered, to resume from after a fresh open.
    last_seq: Cell<Option<u64>>,
    /// Events received while the page is paused, in log order.
    held: RefCell<Vec<RecordedEvent>>,
    retry: Cell<Option<TimeoutHandle>>,
    retry_delay: Cell<Duration>,
    closed: Cell<bool>,
}

impl LiveStream {
    fn open(self: &Rc<Self>) {
        if self.closed.get() {
            return;
        }
        let url = self.request.url(self.last_seq.get());
        let source = match EventSource::new(&url) {
            Ok(source) => source,
            Err(e) => {
                warn!("could not open the live stream {url}: {e:?}");
                self.retry_later();
                return;
            }
        };

        let weak = Rc::downgrade(self);
        let on_event = Closure::<dyn Fn(MessageEvent)>::new(move |msg: MessageEvent| {
            if let Some(stream) = Weak::upgrade(&weak) {
                stream.deliver(msg);
            }
        });
        let weak = Rc::downgrade(self);
        let on_open = Closure::<dyn Fn(web_sys::Event)>::new(move |_| {
            if let Some(stream) = Weak::upgrade(&weak) {
                stream.retry_delay.set(RETRY_FIRST);
                stream.link.report(stream.id, LinkState::Live);
            }
        });
        let weak = Rc::downgrade(self);
        let on_error = Closure::<dyn Fn(web_sys::Event)>::new(move |_| {
            if let Some(stream) = Weak::upgrade(&weak) {
                stream.lost();
            }
        });

        if let Err(e) =
            source.add_event_listener_with_callback(EVENT_NAME, on_event.as_ref().unchecked_ref())
        {
            warn!("could not listen to the live stream: {e:?}");
        }
        source.set_onopen(Some(on_open.as_ref().unchecked_ref()));
        source.set_onerror(Some(on_error.as_ref().unchecked_ref()));
        *self.source.borrow_mut() = Some(OpenSource {
            source,
            on_event,
            _on_open: on_open,
            _on_error: on_error,
        });
    }

    fn deliver(&self, msg: MessageEvent) {
        if self.closed.get() {
            return;
        }
        let Some(data) = msg.data().as_string() else {
            warn!("live stream message without text data");
            return;
        };
        match serde_json::from_str::<RecordedEvent>(&data) {
            Ok(event) => {
                self.last_seq.set(Some(event.seq));
                if self.link.is_paused() {
                    let held = {
                        let mut held = self.held.borrow_mut();
                        held.push(event);
                        held.len()
                    };
                    self.link.report_held(self.id, held);
                } else {
                    // Anything still held goes first, so the page sees log order.
                    self.release_held();
                    (self.on_event)(event);
                }
            }
            Err(e) => warn!("could not read a live event: {e}"),
        }
    }

    /// Hands every held event to the page, oldest first.
    fn release_held(&self) {
        let held = self.held.take();
        if held.is_empty() || self.closed.get() {
            return;
        }
        self.link.report_held(self.id, 0);
        for event in held {
            (self.on_event)(event);
        }
    }

    /// The connection failed. While the browser is reconnecting by itself the
    /// state is only reported; once it has given up, a new stream is opened later.
    fn lost(self: &Rc<Self>) {
        if self.closed.get() {
            return;
        }
        self.link.report(self.id, LinkState::Reconnecting);
        let gave_up = self
            .source
            .borrow()
            .as_ref()
            .is_some_and(|open| open.source.ready_state() == EventSource::CLOSED);
        if gave_up {
            if let Some(open) = self.source.borrow_mut().take() {
                open.close();
            }
            if let Some(auth) = self.auth {
                auth.refresh();
            }
            self.retry_later();
        }
    }

    fn retry_later(self: &Rc<Self>) {
        let delay = self.retry_delay.get();
        self.retry_delay.set((delay * 2).min(RETRY_CAP));
        let weak = Rc::downgrade(self);
        let handle = set_timeout_with_handle(
            move || {
                if let Some(stream) = Weak::upgrade(&weak) {
                    stream.retry.set(None);
                    stream.open();
                }
            },
            delay,
        );
        match handle {
            Ok(handle) => self.retry.set(Some(handle)),
            Err(e) => warn!("could not schedule a live stream retry: {e:?}"),
        }
    }

    fn close(&self) {
        self.closed.set(true);
        if let Some(handle) = self.retry.take() {
            handle.clear();
        }
        if let Some(open) = self.source.borrow_mut().take() {
            open.close();
        }
    }
}

/// Turns a burst of calls into one: the first call schedules `action` after
/// `delay`; calls until then are absorbed. So `action` runs at most once per
/// `delay`, and always after the latest burst began. The pending run is
/// cancelled when the calling component is cleaned up.
pub fn coalesce(delay: Duration, action: impl Fn() + 'static) -> impl Fn() + Clone + 'static {
    let pending: Rc<Cell<Option<TimeoutHandle>>> = Rc::new(Cell::new(None));
    let action = Rc::new(action);
    let on_cleanup_pending = SendWrapper::new(Rc::clone(&pending));
    on_cleanup(move || {
        if let Some(handle) = on_cleanup_pending.as_ref().take() {
            handle.clear();
        }
    });
    move || {
        if pending.get().is_some() {
            return;
        }
        let pending_in_timer = Rc::clone(&pending);
        let action = Rc::clone(&action);
        match set_timeout_with_handle(
            move || {
                pending_in_timer.set(None);
                action();
            },
            delay,
        ) {
            Ok(handle) => pending.set(Some(handle)),
            Err(e) => warn!("could not schedule a refresh: {e:?}"),
        }
    }
}
