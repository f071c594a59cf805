//! The state of the page's live stream as the shell shows it, in words (with
//! a stable name for CSS and tests), never in colour alone.

use crate::i18n::*;

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
    pub fn label(self, locale: Locale) -> &'static str {
        match self {
            LinkState::Idle => td_string!(locale, common.live.idle),
            LinkState::Connecting => td_string!(locale, common.live.connecting),
            LinkState::Live => td_string!(locale, common.live.live),
            LinkState::CatchingUp => td_string!(locale, common.live.catching_up),
            LinkState::Reconnecting => td_string!(locale, common.live.reconnecting),
            LinkState::Paused => td_string!(locale, common.live.paused),
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
