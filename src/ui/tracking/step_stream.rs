//! The tracking page's own live connection: one `EventSource` on
//! `/api/track/<token>/stream`, which sends each step a customer may see as a
//! `tracking_step` frame (SSE id = the step's number in the order's customer
//! timeline, never a log sequence number, so the browser's own reconnect
//! resumes with `Last-Event-ID` exactly).
//!
//! If the browser gives up (the server refused: the link was revoked or
//! expired, or the server is away), the page is told (`on_refused`, so it can
//! ask whether the link still opens) and a new stream is opened after a
//! growing delay, resuming after the last step received. The connection state
//! is kept in a signal the page shows in words.

use crate::model::tracking::CustomerStep;
use leptos::logging::warn;
use leptos::prelude::*;
use send_wrapper::SendWrapper;
use std::cell::{Cell, RefCell};
use std::rc::{Rc, Weak};
use std::time::Duration;
use wasm_bindgen::prelude::*;
use web_sys::{EventSource, MessageEvent};

/// The SSE event name of customer steps.
const EVENT_NAME: &str = "tracking_step";
/// First delay before reopening a refused stream; doubles up to the cap.
const RETRY_FIRST: Duration = Duration::from_secs(1);
const RETRY_CAP: Duration = Duration::from_secs(30);

/// The state of the page's live connection.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum StreamState {
    Connecting,
    Live,
    Reconnecting,
}

impl StreamState {
    /// The words the page shows.
    pub fn label(self) -> &'static str {
        match self {
            StreamState::Connecting => "Connecting…",
            StreamState::Live => "Live",
            StreamState::Reconnecting => "Reconnecting…",
        }
    }

    /// A stable name for CSS and tests.
    pub fn as_str(self) -> &'static str {
        match self {
            StreamState::Connecting => "connecting",
            StreamState::Live => "live",
            StreamState::Reconnecting => "reconnecting",
        }
    }
}

/// Follows the link's steps for as long as the calling component lives:
/// `on_step` once per step, in order, after step number `after`. The stream closes
/// when the component is cleaned up.
pub fn follow_steps(
    token: String,
    after: u64,
    state: RwSignal<StreamState>,
    on_step: impl Fn(CustomerStep) + 'static,
    on_refused: impl Fn() + 'static,
) {
    state.set(StreamState::Connecting);
    let stream = Rc::new(StepStream {
        token,
        state,
        on_step: Box::new(on_step),
        on_refused: Box::new(on_refused),
        source: RefCell::new(None),
        last_step: Cell::new(after),
        retry: Cell::new(None),
        retry_delay: Cell::new(RETRY_FIRST),
        closed: Cell::new(false),
    });
    stream.open();
    let stream = SendWrapper::new(stream);
    on_cleanup(move || stream.close());
}

/// An open `EventSource` with the closures it calls (kept alive with it).
struct OpenSource {
    source: EventSource,
    on_step: Closure<dyn Fn(MessageEvent)>,
    _on_open: Closure<dyn Fn(web_sys::Event)>,
    _on_error: Closure<dyn Fn(web_sys::Event)>,
}

impl OpenSource {
    fn close(self) {
        let _ = self
            .source
            .remove_event_listener_with_callback(EVENT_NAME, self.on_step.as_ref().unchecked_ref());
        self.source.set_onopen(None);
        self.source.set_onerror(None);
        self.source.close();
    }
}

struct StepStream {
    token: String,
    state: RwSignal<StreamState>,
    on_step: Box<dyn Fn(CustomerStep)>,
    on_refused: Box<dyn Fn()>,
    source: RefCell<Option<OpenSource>>,
    /// The number of the last step received, to resume from after a fresh open.
    last_step: Cell<u64>,
    retry: Cell<Option<TimeoutHandle>>,
    retry_delay: Cell<Duration>,
    closed: Cell<bool>,
}

impl StepStream {
    fn url(&self) -> String {
        let token = String::from(js_sys::encode_uri_component(&self.token));
        format!("/api/track/{token}/stream?after={}", self.last_step.get())
    }

    fn open(self: &Rc<Self>) {
        if self.closed.get() {
            return;
        }
        let url = self.url();
        let source = match EventSource::new(&url) {
            Ok(source) => source,
            Err(e) => {
                warn!("could not open the tracking stream: {e:?}");
                self.retry_later();
                return;
            }
        };
        let weak = Rc::downgrade(self);
        let on_step = Closure::<dyn Fn(MessageEvent)>::new(move |msg: MessageEvent| {
            if let Some(stream) = Weak::upgrade(&weak) {
                stream.deliver(msg);
            }
        });
        let weak = Rc::downgrade(self);
        let on_open = Closure::<dyn Fn(web_sys::Event)>::new(move |_| {
            if let Some(stream) = Weak::upgrade(&weak) {
                stream.retry_delay.set(RETRY_FIRST);
                stream.state.try_set(StreamState::Live);
            }
        });
        let weak = Rc::downgrade(self);
        let on_error = Closure::<dyn Fn(web_sys::Event)>::new(move |_| {
            if let Some(stream) = Weak::upgrade(&weak) {
                stream.lost();
            }
        });
        if let Err(e) =
            source.add_event_listener_with_callback(EVENT_NAME, on_step.as_ref().unchecked_ref())
        {
            warn!("could not listen to the tracking stream: {e:?}");
        }
        source.set_onopen(Some(on_open.as_ref().unchecked_ref()));
        source.set_onerror(Some(on_error.as_ref().unchecked_ref()));
        *self.source.borrow_mut() = Some(OpenSource {
            source,
            on_step,
            _on_open: on_open,
            _on_error: on_error,
        });
    }

    fn deliver(&self, msg: MessageEvent) {
        if self.closed.get() {
            return;
        }
        let Some(data) = msg.data().as_string() else {
            return;
        };
        match serde_json::from_str::<CustomerStep>(&data) {
            Ok(step) if step.number > self.last_step.get() => {
                self.last_step.set(step.number);
                (self.on_step)(step);
            }
            Ok(_) => {}
            Err(e) => warn!("could not read a tracking step: {e}"),
        }
    }

    /// The connection failed. While the browser reconnects by itself the state
    /// is only shown; once it has given up, the page is told and a new stream
    /// is opened later.
    fn lost(self: &Rc<Self>) {
        if self.closed.get() {
            return;
        }
        self.state.try_set(StreamState::Reconnecting);
        let gave_up = self
            .source
            .borrow()
            .as_ref()
            .is_some_and(|open| open.source.ready_state() == EventSource::CLOSED);
        if gave_up {
            if let Some(open) = self.source.borrow_mut().take() {
                open.close();
            }
            (self.on_refused)();
            self.retry_later();
        }
    }

    fn retry_later(self: &Rc<Self>) {
        let delay = self.retry_delay.get();
        self.retry_delay.set((delay * 2).min(RETRY_CAP));
        let weak = Rc::downgrade(self);
        match set_timeout_with_handle(
            move || {
                if let Some(stream) = Weak::upgrade(&weak) {
                    stream.retry.set(None);
                    stream.open();
                }
            },
            delay,
        ) {
            Ok(handle) => self.retry.set(Some(handle)),
            Err(e) => warn!("could not schedule a tracking stream retry: {e:?}"),
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
