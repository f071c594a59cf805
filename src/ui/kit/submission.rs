//! What every form (and action button) shares while it sends: whether a request
//! is under way — a second submit is ignored — and the outcome to show.

use leptos::prelude::*;

/// A form's sending state and its last outcome (an error message, or a
/// success/error result).
#[derive(Debug)]
pub struct Submission<T: Send + Sync + 'static> {
    pub busy: RwSignal<bool>,
    pub outcome: RwSignal<Option<T>>,
}

impl<T: Send + Sync + 'static> Clone for Submission<T> {
    fn clone(&self) -> Self {
        *self
    }
}

impl<T: Send + Sync + 'static> Copy for Submission<T> {}

impl<T: Send + Sync + 'static> Default for Submission<T> {
    fn default() -> Self {
        Submission {
            busy: RwSignal::new(false),
            outcome: RwSignal::new(None),
        }
    }
}

impl<T: Send + Sync + 'static> Submission<T> {
    /// Starts a submission and clears the last outcome; `false` when one is
    /// already under way (the caller then does nothing).
    pub fn begin(self) -> bool {
        if self.busy.get_untracked() {
            return false;
        }
        self.busy.set(true);
        self.outcome.set(None);
        true
    }
}
