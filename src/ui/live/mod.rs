//! The live stream: one `EventSource` per page, shared by all its live widgets.
//!
//! A widget calls [`follow_live`] with the topics it follows (see
//! [`Topic`]) and where it starts; the page-wide hub (provided once at the
//! app root as [`LiveLink`]) opens one `GET /api/stream?topics=…&after=…` for
//! the union of the registered widgets' topics, reopens it once when widgets
//! join or leave, and closes it when none is left. Browsers allow six HTTP/1.1
//! connections per origin across all tabs, so widgets must not open their own.
//!
//! The server sends every accepted event as an SSE `order_event` whose id is
//! the log sequence number, so the browser's own reconnect (with
//! `Last-Event-ID`) resumes exactly, and a reopened stream resumes after the
//! smallest sequence number the widgets have seen. Each widget gets each
//! event that matches its topics once, in log order, one call per event (a
//! latest-value signal would drop events that arrive together). A stream
//! that fell behind is caught up from the log (`resync` … `caught_up`); the
//! shell says "Catching up…" meanwhile.
//!
//! The person can pause live updates for the page ([`LiveLink::toggle_pause`]):
//! the stream stays open and events keep arriving, but they are held (and
//! counted) instead of being handed to the widgets; resuming hands them all
//! over, in log order, before any newer event. So a pause never loses an event.
//!
//! - `hub`: the shared `EventSource`, reconnects and the shell's signals.
//! - `source`: one `EventSource` and the closures it calls.
//! - `link_state`: the states the shell shows ([`LinkState`]).
//! - `coalesce`: one refetch per burst of events ([`coalesce()`]).
//!
//! The routing itself is pure: [`crate::model::page_stream`].

mod coalesce;
mod hub;
mod link_state;
pub(crate) mod source;

pub use self::coalesce::coalesce;
pub use self::link_state::LinkState;

use self::hub::{Hub, LinkSignals};
use crate::model::{RecordedEvent, Topic};
use crate::ui::auth::Auth;
use leptos::prelude::*;
use std::rc::Rc;

/// The page's live stream as widgets, the shell and the pause control see
/// it: the hub widgets join, the connection state, whether the person paused
/// live updates and how many events are held meanwhile. Shared as context,
/// so the page has one stream and one toggle pauses it.
#[derive(Clone, Copy)]
pub struct LiveLink {
    signals: LinkSignals,
    hub: StoredValue<Rc<Hub>, LocalStorage>,
}

impl LiveLink {
    fn new() -> Self {
        let signals = LinkSignals::new();
        LiveLink {
            signals,
            hub: StoredValue::new_local(Hub::new(signals, Auth::try_current())),
        }
    }

    /// Creates the page-wide hub and provides it as context. Call it after
    /// [`Auth::provide`], so a refused stream can ask who is signed in.
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
        self.signals.state.into()
    }

    /// What the shell shows: the connection state, or "Paused" while the person
    /// paused a connected stream (a lost connection or a catch-up is still
    /// shown as such).
    pub fn shown(self) -> Signal<LinkState> {
        let LinkSignals { state, paused, .. } = self.signals;
        Signal::derive(move || match state.get() {
            LinkState::Live | LinkState::Connecting if paused.get() => LinkState::Paused,
            state => state,
        })
    }

    /// Whether the person paused live updates on this page.
    pub fn paused(self) -> Signal<bool> {
        self.signals.paused.into()
    }

    /// How many distinct events arrived while paused and wait to be shown.
    pub fn held(self) -> Signal<usize> {
        self.signals.held.into()
    }

    /// Pauses live updates, or resumes them (showing every held event).
    pub fn toggle_pause(self) {
        let paused = self.signals.paused.get_untracked();
        if let Some(hub) = self.hub() {
            hub.set_paused(!paused);
        }
    }

    /// The hub itself, taken out of the arena before use (a widget it calls
    /// may create reactive values).
    fn hub(self) -> Option<Rc<Hub>> {
        self.hub.try_get_value()
    }
}

/// Follows `topics` on the page's shared stream for as long as the calling
/// component lives, calling `on_event` once per matching event, in log order,
/// starting after `after` (or from now on). While the page is paused the
/// events are held and handed over on resume.
pub fn follow_live(
    topics: Vec<Topic>,
    after: Option<u64>,
    on_event: impl Fn(RecordedEvent) + 'static,
) {
    let link = LiveLink::current();
    let Some(hub) = link.hub() else {
        return;
    };
    let widget = hub.join(topics, after, Rc::new(on_event));
    on_cleanup(move || {
        if let Some(hub) = link.hub() {
            hub.leave(widget);
        }
    });
}
