//! The order list's live part: it hands the live stream's events to the
//! list's model ([`LiveList`]), asks the server only when an event cannot be
//! placed in the browser (at most once per [`CHECK_EVERY`]), and shows what
//! showing the page again would change as a button in a polite live region.

use crate::api::list_orders;
use crate::i18n::use_i18n;
use crate::i18n::words::tally;
use crate::model::views::list_page::{LiveList, Received};
use crate::model::Topic;
use crate::ui::auth::Auth;
use crate::ui::live::{coalesce, follow_live, LiveLink};
use leptos::logging::warn;
use leptos::prelude::*;
use leptos::task::spawn_local;
use std::time::Duration;

/// Longest wait between an event only the server can place (an order off
/// the page may have joined a status filter) and the check it causes; at
/// most one check per this much time.
pub const CHECK_EVERY: Duration = Duration::from_secs(10);

/// Follows every order event after the shown page's log position and folds
/// it into the list. Mounted once the first page is shown.
#[component]
pub fn FollowList(list: RwSignal<LiveList>) -> impl IntoView {
    let auth = Auth::current();
    let paused = LiveLink::current().paused();
    let check = coalesce(CHECK_EVERY, move || {
        if paused.get_untracked() {
            return; // asked again on resume
        }
        let Some((ticket, query)) = list.try_update_untracked(LiveList::check).flatten() else {
            return;
        };
        spawn_local(async move {
            match auth.call(list_orders(query)).await {
                Ok(page) => {
                    list.try_update(|l| l.arrived(ticket, page));
                }
                Err(e) => {
                    warn!("the order list could not check for new orders: {e}");
                    list.try_update_untracked(|l| l.failed(ticket));
                }
            }
        });
    });
    let check_on_resume = check.clone();
    Effect::new(move |_| {
        if !paused.get() && list.with_untracked(LiveList::unsure) {
            check_on_resume();
        }
    });
    let after = list.with_untracked(LiveList::as_of);
    follow_live(vec![Topic::Orders], after, move |event| {
        let (seq, kind) = (event.seq, event.event.kind.name());
        match list.try_update_untracked(|l| l.receive(event)) {
            Some(Received::Row | Received::Tally) => list.notify(),
            Some(Received::Unsure) => check(),
            Some(Received::Refused(refusal)) => {
                warn!("event {seq} ({kind}) was not folded into the order list: {refusal}")
            }
            Some(Received::Ignored) | None => {}
        }
    });
}

/// "3 new orders — show": what showing the page again would change, in
/// words, as a button that does it. The region is always there (empty when
/// nothing changed) so screen readers announce the count as it grows.
#[component]
pub fn NewOrders(list: RwSignal<LiveList>, show: Callback<()>) -> impl IntoView {
    let i18n = use_i18n();
    let words = Memo::new(move |_| list.with(|l| tally(i18n.get_locale(), l.tally())));
    view! {
        <div class="list-news" role="status" aria-live="polite" data-testid="list-news">
            {move || {
                words
                    .get()
                    .map(|words| {
                        view! {
                            <button type="button" on:click=move |_| show.run(())>
                                {words}
                            </button>
                        }
                    })
            }}
        </div>
    }
}
