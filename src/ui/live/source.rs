//! One `EventSource` with the closures it calls, the only wrapper of it in the
//! app (the staff hub and the customer's tracking page both open theirs
//! here): the frames listened to by name ([`SseEvent`]), its opening and its
//! errors. The closures live as long as the source and are unhooked when it
//! closes. [`Retry`] is the growing delay before opening a new one once the
//! browser has given up.

use crate::model::live::sse::SseEvent;
use leptos::logging::warn;
use leptos::prelude::{set_timeout_with_handle, TimeoutHandle};
use std::cell::Cell;
use std::time::Duration;
use wasm_bindgen::prelude::*;
use web_sys::{Event, EventSource, MessageEvent};

/// A frame listener: the SSE event name and the closure it calls.
type Listener = (SseEvent, Closure<dyn Fn(MessageEvent)>);
/// What a frame of one name calls.
pub type OnFrame = (SseEvent, Box<dyn Fn(MessageEvent)>);

/// What an open source calls.
pub struct Frames {
    /// Per frame name, what a frame of that name calls.
    pub on: Vec<OnFrame>,
    pub opened: Box<dyn Fn()>,
    /// The connection failed; `true` when the browser gave up on it (it will
    /// not reconnect by itself).
    pub failed: Box<dyn Fn(bool)>,
}

/// An open `EventSource` and the closures it calls.
pub struct OpenSource {
    source: EventSource,
    listeners: Vec<Listener>,
    _on_open: Closure<dyn Fn(Event)>,
    _on_error: Closure<dyn Fn(Event)>,
}

impl OpenSource {
    /// Opens `url` and hooks up `frames`.
    pub fn open(url: &str, frames: Frames) -> Result<OpenSource, JsValue> {
        let source = EventSource::new(url)?;
        let Frames { on, opened, failed } = frames;
        let mut listeners = Vec::new();
        for (event, handler) in on {
            let closure = Closure::wrap(handler);
            if let Err(e) = source
                .add_event_listener_with_callback(event.name(), closure.as_ref().unchecked_ref())
            {
                warn!("could not listen to {} on {url}: {e:?}", event.name());
            }
            listeners.push((event, closure));
        }
        let on_open = Closure::<dyn Fn(Event)>::new(move |_| opened());
        let watched = source.clone();
        let on_error = Closure::<dyn Fn(Event)>::new(move |_| {
            failed(watched.ready_state() == EventSource::CLOSED)
        });
        source.set_onopen(Some(on_open.as_ref().unchecked_ref()));
        source.set_onerror(Some(on_error.as_ref().unchecked_ref()));
        Ok(OpenSource {
            source,
            listeners,
            _on_open: on_open,
            _on_error: on_error,
        })
    }

    /// Closes the source; nothing it holds is called any more.
    pub fn close(self) {
        // Unhook everything before the closures are dropped with `self`.
        for (event, closure) in &self.listeners {
            let _ = self.source.remove_event_listener_with_callback(
                event.name(),
                closure.as_ref().unchecked_ref(),
            );
        }
        self.source.set_onopen(None);
        self.source.set_onerror(None);
        self.source.close();
    }
}

/// First delay before reopening a stream the browser gave up on; doubles up
/// to the cap.
const RETRY_FIRST: Duration = Duration::from_secs(1);
const RETRY_CAP: Duration = Duration::from_secs(30);

/// The growing delay before a new source is opened, and the one pending retry.
pub struct Retry {
    due: Cell<Option<TimeoutHandle>>,
    delay: Cell<Duration>,
}

impl Default for Retry {
    fn default() -> Self {
        Retry {
            due: Cell::new(None),
            delay: Cell::new(RETRY_FIRST),
        }
    }
}

impl Retry {
    /// Calls `reopen` after the current delay (which then doubles), replacing
    /// a retry already pending.
    pub fn later(&self, what: &str, reopen: impl FnOnce() + 'static) {
        self.cancel();
        let delay = self.delay.get();
        self.delay.set((delay * 2).min(RETRY_CAP));
        match set_timeout_with_handle(reopen, delay) {
            Ok(handle) => self.due.set(Some(handle)),
            Err(e) => warn!("could not schedule a retry of {what}: {e:?}"),
        }
    }

    /// The stream is open again: the next failure starts from the first delay.
    pub fn reset(&self) {
        self.delay.set(RETRY_FIRST);
    }

    /// Drops the pending retry, if any.
    pub fn cancel(&self) {
        if let Some(handle) = self.due.take() {
            handle.clear();
        }
    }
}
