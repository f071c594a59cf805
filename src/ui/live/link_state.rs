//! The state of the page's live stream as the shell shows it, in words (with
//! a stable name for CSS and tests), never in colour alone.

/// The state of the current page's connection to the live stream.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LinkState {
    /// The page has no live stream.
    Idle,
    /// Opening for the first time.
    Connecting,
    /// Open: events arrive as they are recorded.
    Live,
    /// Open, but the stream fell behind and the server is replaying the log
    /// to it; live again once the replay reached where the log was.
    CatchingUp,
    /// Lost; the browser or the hub is reconnecting and will resume where it left off.
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
            LinkState::CatchingUp => "Catching up…",
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
            LinkState::CatchingUp => "catching-up",
            LinkState::Reconnecting => "reconnecting",
            LinkState::Paused => "paused",
        }
    }
}
