//! The signed-in person's unread mentions, for the shell: loaded once when
//! they are signed in, then counted up live from the page's stream (the
//! `mentions:<username>` topic, after the position the count was read at),
//! and set again when the inbox marks them read.

use crate::api::mentions_inbox;
use crate::i18n::*;
use crate::model::access::account::Me;
use crate::model::Topic;
use crate::ui::auth::Auth;
use crate::ui::live::follow_live;
use leptos::prelude::*;
use leptos::task::spawn_local;

/// The shell's count of unread mentions, shared with the inbox.
#[derive(Debug, Clone, Copy)]
pub struct Mentions {
    /// How many notes naming the person are unread; `None` until loaded.
    pub unread: RwSignal<Option<u64>>,
    /// The newest mention counted so far (a live event at or before it is
    /// not counted twice).
    counted_up_to: RwSignal<u64>,
}

impl Mentions {
    /// The count the shell provides.
    pub fn current() -> Option<Mentions> {
        use_context::<Mentions>()
    }

    /// The inbox has marked them read: `unread` are left, as of `up_to`.
    pub fn set_read(self, unread: u64, up_to: u64) {
        self.unread.set(Some(unread));
        self.counted_up_to.update(|c| *c = (*c).max(up_to));
    }
}

/// Provides the shell's count (call once, in the shell).
pub fn provide_mentions() -> Mentions {
    let mentions = Mentions {
        unread: RwSignal::new(None),
        counted_up_to: RwSignal::new(0),
    };
    provide_context(mentions);
    mentions
}

/// Loads and follows `me`'s unread mentions while mounted; shows the count.
#[component]
pub fn MentionsCount(me: Me) -> impl IntoView {
    let i18n = use_i18n();
    let auth = Auth::current();
    let Some(mentions) = Mentions::current() else {
        return ().into_any();
    };
    let topic = Topic::Mentions(me.username.clone());
    // The stream is joined once the count is known, under this component's
    // owner (so it is left when the person signs out).
    let owner = Owner::current();
    spawn_local(async move {
        let Ok(inbox) = auth.call(mentions_inbox(None)).await else {
            return;
        };
        mentions.counted_up_to.set(inbox.as_of);
        mentions.unread.set(Some(inbox.unread));
        let follow = move || {
            follow_live(vec![topic], Some(inbox.as_of), move |note| {
                if note.seq > mentions.counted_up_to.get_untracked() {
                    mentions.counted_up_to.set(note.seq);
                    mentions.unread.update(|n| *n = Some(n.unwrap_or(0) + 1));
                }
            })
        };
        match owner {
            Some(owner) => owner.with(follow),
            None => follow(),
        }
    });
    // Always in the page, so a change is announced (politely).
    view! {
        <span class="unread-count" role="status" data-testid="mentions-unread">
            {move || match mentions.unread.get() {
                Some(n) if n > 0 => {
                    td_string!(i18n.get_locale(), desk.mentions.unread, count = n).to_string()
                }
                _ => String::new(),
            }}
        </span>
    }
    .into_any()
}
