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

use crate::i18n::*;
use crate::model::live::sse::SseEvent;
use crate::model::views::tracking::CustomerStep;
use crate::ui::live::source::{Frames, OpenSource, Retry};
use leptos::logging::warn;
use leptos::prelude::*;
use send_wrapper::SendWrapper;
use std::cell::{Cell, RefCell};
use std::rc::{Rc, Weak};
use web_sys::MessageEvent;

/// The state of the page's live connection.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum StreamState {
    Connecting,
    Live,
    Reconnecting,
}

impl StreamState {
    /// The words the page shows, as the staff pages say them.
    pub fn words(self, locale: Locale) -> &'static str {
        match self {
            StreamState::Connecting => td_string!(locale, common.live.connecting),
            StreamState::Live => td_string!(locale, common.live.live),
            StreamState::Reconnecting => td_string!(locale, common.live.reconnecting),
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
        retry: Retry::default(),
        closed: Cell::new(false),
    });
    stream.open();
    let stream = SendWrapper::new(stream);
    on_cleanup(move || stream.close());
}

struct StepStream {
    token: String,
    state: RwSignal<StreamState>,
    on_step: Box<dyn Fn(CustomerStep)>,
    on_refused: Box<dyn Fn()>,
    source: RefCell<Option<OpenSource>>,
    /// The number of the last step received, to resume from after a fresh open.
    last_step: Cell<u64>,
    retry: Retry,
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
        let frames = Frames {
            on: vec![(
                SseEvent::TrackingStep,
                self.callback(|stream, msg: MessageEvent| stream.deliver(msg)),
            )],
            opened: {
                let opened = self.callback(|stream, ()| {
                    stream.retry.reset();
                    stream.state.try_set(StreamState::Live);
                });
                Box::new(move || opened(()))
            },
            failed: self.callback(|stream, gave_up| stream.lost(gave_up)),
        };
        match OpenSource::open(&url, frames) {
            Ok(source) => *self.source.borrow_mut() = Some(source),
            Err(e) => {
                warn!("could not open the tracking stream: {e:?}");
                self.retry_later();
            }
        }
    }

    /// A closure for the source that reaches the stream while it lives.
    fn callback<A: 'static>(
        self: &Rc<Self>,
        f: impl Fn(&Rc<StepStream>, A) + 'static,
    ) -> Box<dyn Fn(A)> {
        let stream: Weak<StepStream> = Rc::downgrade(self);
        Box::new(move |a| {
            if let Some(stream) = stream.upgrade() {
                f(&stream, a);
            }
        })
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
    /// is only shown; once it has given up (`gave_up`), the page is told and a
    /// new stream is opened later.
    fn lost(self: &Rc<Self>, gave_up: bool) {
        if self.closed.get() {
            return;
        }
        self.state.try_set(StreamState::Reconnecting);
        if gave_up {
            if let Some(open) = self.source.borrow_mut().take() {
                open.close();
            }
            (self.on_refused)();
            self.retry_later();
        }
    }

    fn retry_later(self: &Rc<Self>) {
        let weak = Rc::downgrade(self);
        self.retry.later("the tracking stream", move || {
            if let Some(stream) = Weak::upgrade(&weak) {
                stream.open();
            }
        });
    }

    fn close(&self) {
        self.closed.set(true);
        self.retry.cancel();
        if let Some(open) = self.source.borrow_mut().take() {
            open.close();
        }
    }
}
