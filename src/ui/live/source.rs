//! One `EventSource` with the closures it calls: the three frames the server
//! sends (`order_event`, `resync`, `caught_up`), its opening and its errors.
//! The closures live as long as the source and are unhooked when it closes.

use leptos::logging::warn;
use wasm_bindgen::prelude::*;
use web_sys::{Event, EventSource, MessageEvent};

/// The SSE event name of log events (id = log sequence number).
const ORDER_EVENT: &str = "order_event";
/// The stream fell behind; data `{"from":F,"to":T}`.
const RESYNC: &str = "resync";
/// The catch-up announced by `resync` is done; data `{"to":T}`.
const CAUGHT_UP: &str = "caught_up";

/// A frame listener: the SSE event name and the closure it calls.
type Listener = (&'static str, Closure<dyn Fn(MessageEvent)>);

/// What an open source calls.
pub(super) struct Frames {
    pub order_event: Box<dyn Fn(MessageEvent)>,
    pub resync: Box<dyn Fn(MessageEvent)>,
    pub caught_up: Box<dyn Fn(MessageEvent)>,
    pub opened: Box<dyn Fn()>,
    /// The connection failed; `true` when the browser gave up on it (it will
    /// not reconnect by itself).
    pub failed: Box<dyn Fn(bool)>,
}

/// An open `EventSource` and the closures it calls.
pub(super) struct OpenSource {
    source: EventSource,
    listeners: Vec<Listener>,
    _on_open: Closure<dyn Fn(Event)>,
    _on_error: Closure<dyn Fn(Event)>,
}

impl OpenSource {
    /// Opens `url` and hooks up `frames`.
    pub fn open(url: &str, frames: Frames) -> Result<OpenSource, JsValue> {
        let source = EventSource::new(url)?;
        let Frames {
            order_event,
            resync,
            caught_up,
            opened,
            failed,
        } = frames;
        let mut listeners = Vec::new();
        for (name, handler) in [
            (ORDER_EVENT, order_event),
            (RESYNC, resync),
            (CAUGHT_UP, caught_up),
        ] {
            let closure = Closure::wrap(handler);
            if let Err(e) =
                source.add_event_listener_with_callback(name, closure.as_ref().unchecked_ref())
            {
                warn!("could not listen to {name} on the live stream: {e:?}");
            }
            listeners.push((name, closure));
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
        for (name, closure) in &self.listeners {
            let _ = self
                .source
                .remove_event_listener_with_callback(name, closure.as_ref().unchecked_ref());
        }
        self.source.set_onopen(None);
        self.source.set_onerror(None);
        self.source.close();
    }
}
