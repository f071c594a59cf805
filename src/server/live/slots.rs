//! The cap on open live streams per session (or per tracking link).

use std::collections::HashMap;
use std::sync::{Arc, Mutex};

/// Open streams per session, so one session cannot hold the server's
/// connections (browsers allow six per origin anyway: pages share one).
pub struct StreamCount {
    max_per_session: usize,
    open: Mutex<HashMap<String, usize>>,
}

/// Held while a stream is open; dropping it releases the slot.
pub struct StreamSlot {
    count: Arc<StreamCount>,
    session: String,
}

impl StreamCount {
    pub fn new(max_per_session: usize) -> Arc<StreamCount> {
        Arc::new(StreamCount {
            max_per_session,
            open: Mutex::new(HashMap::new()),
        })
    }

    /// A slot for one more stream of `session`, if it has one left.
    pub fn take(self: &Arc<Self>, session: &str) -> Option<StreamSlot> {
        let mut open = self.open.lock().unwrap_or_else(|e| e.into_inner());
        let n = open.entry(session.to_string()).or_default();
        if *n >= self.max_per_session {
            return None;
        }
        *n += 1;
        Some(StreamSlot {
            count: self.clone(),
            session: session.to_string(),
        })
    }
}

impl Drop for StreamSlot {
    fn drop(&mut self) {
        let mut open = self.count.open.lock().unwrap_or_else(|e| e.into_inner());
        if let Some(n) = open.get_mut(&self.session) {
            *n -= 1;
            if *n == 0 {
                open.remove(&self.session);
            }
        }
    }
}
