//! Turning a burst of calls into one delayed call (a live list refetches at
//! most once per burst of events).

use leptos::logging::warn;
use leptos::prelude::*;
use send_wrapper::SendWrapper;
use std::cell::Cell;
use std::rc::Rc;
use std::time::Duration;

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
