//! `/mentions`: the notes that name the signed-in person, newest first —
//! when, who wrote it, on which order (a link), and the note itself (through
//! their lens). Opening the inbox marks what it shows as read; a note that
//! arrives while it is open is added at the top as unread until "Mark all
//! read". Older notes load on request.

use super::Mentions;
use crate::api::{mark_mentions_read, mentions_inbox};
use crate::i18n::*;
use crate::model::views::mentions::MentionInbox;
use crate::model::{EventKind, SeenEvent, Topic};
use crate::ui::auth::Auth;
use crate::ui::kit::{ErrorNotice, LocalTime, PauseToggle};
use crate::ui::language::tr;
use crate::ui::live::follow_live;
use crate::ui::routes::order_href;
use leptos::prelude::*;
use leptos::task::spawn_local;

/// The inbox page.
#[component]
pub fn MentionsPage() -> impl IntoView {
    let i18n = use_i18n();
    crate::ui::kit::use_page_title(move || {
        td_string!(i18n.get_locale(), desk.mentions.title).to_string()
    });
    let auth = Auth::current();
    let first = LocalResource::new(move || auth.call(mentions_inbox(None)));
    view! {
        <h1>{tr(i18n, |l| td_string!(l, desk.mentions.title))}</h1>
        <p class="hint">{tr(i18n, |l| td_string!(l, desk.mentions.hint))}</p>
        <Transition fallback=move || {
            view! { <p class="loading" role="status">{tr(i18n, |l| td_string!(l, desk.mentions.loading))}</p> }
        }>
            <ErrorBoundary fallback=move |errors| {
                let title = td_string!(i18n.get_locale(), desk.mentions.load_failed);
                view! { <ErrorNotice errors title/> }
            }>
                {move || Suspend::new(async move {
                    first.await.map(|inbox| view! { <Inbox inbox/> })
                })}
            </ErrorBoundary>
        </Transition>
    }
}

/// A loaded inbox, followed live.
#[component]
fn Inbox(inbox: MentionInbox) -> impl IntoView {
    let i18n = use_i18n();
    let auth = Auth::current();
    let shell = Mentions::current();
    let MentionInbox {
        notes,
        read_up_to,
        as_of,
        more,
        ..
    } = inbox;
    let notes = RwSignal::new(notes);
    let more = RwSignal::new(more);
    // What this page shows as unread: newer than the read mark when it opened.
    let unread_after = RwSignal::new(read_up_to);
    let mark_read = move |up_to: u64| {
        spawn_local(async move {
            if let Ok(left) = auth.call(mark_mentions_read(up_to)).await {
                if let Some(shell) = shell {
                    shell.set_read(left, up_to);
                }
            }
        });
    };
    // Opening the inbox reads what it shows.
    mark_read(as_of);

    if let Some(me) = auth.me() {
        follow_live(
            vec![Topic::Mentions(me.username)],
            Some(as_of),
            move |note| {
                notes.update(|list| {
                    if !list.iter().any(|n| n.seq == note.seq) {
                        list.insert(0, note);
                    }
                });
            },
        );
    }
    let newest = move || notes.with(|list| list.first().map_or(as_of, |n| n.seq.max(as_of)));
    let any_unread = move || {
        let after = unread_after.get();
        notes.with(|list| list.iter().any(|n| n.seq > after))
    };
    let load_older = move |_| {
        let before = notes.with_untracked(|list| list.last().map(|n| n.seq));
        spawn_local(async move {
            if let Ok(page) = auth.call(mentions_inbox(before)).await {
                more.set(page.more);
                notes.update(|list| list.extend(page.notes));
            }
        });
    };

    view! {
        <div class="page-heading">
            <PauseToggle/>
            <Show when=any_unread>
                <button
                    type="button"
                    class="secondary"
                    on:click=move |_| {
                        let up_to = newest();
                        unread_after.set(up_to);
                        mark_read(up_to);
                    }
                >
                    {tr(i18n, |l| td_string!(l, desk.mentions.mark_all_read))}
                </button>
            </Show>
        </div>
        <Show
            when=move || !notes.read().is_empty()
            fallback=move || view! { <p class="none" data-testid="no-mentions">{tr(i18n, |l| td_string!(l, desk.mentions.empty))}</p> }
        >
            <ol class="mentions-list" data-testid="mentions-list">
                <For each=move || notes.get() key=|n| n.seq let:note>
                    <MentionEntry note read_up_to=unread_after/>
                </For>
            </ol>
        </Show>
        <Show when=move || more.get()>
            <button type="button" class="secondary" on:click=load_older>
                {tr(i18n, |l| td_string!(l, desk.mentions.older))}
            </button>
        </Show>
    }
}

/// One note of the inbox.
#[component]
fn MentionEntry(
    note: SeenEvent,
    /// Notes after this log position show as unread.
    read_up_to: RwSignal<u64>,
) -> impl IntoView {
    let i18n = use_i18n();
    let seq = note.seq;
    let unread = move || seq > read_up_to.get();
    let order = note.event.order_id.to_string();
    let href = order_href(&order);
    let text = match &note.event.kind {
        EventKind::NoteAdded { text } => text.clone(),
        _ => String::new(),
    };
    let actor = note.event.actor.clone();
    view! {
        <li class="mention" data-testid="mention" data-seq=note.seq>
            <p class="mention-head">
                <Show when=unread>
                    <strong class="unread-mark">{tr(i18n, |l| td_string!(l, desk.mentions.unread_mark))}</strong>
                    " "
                </Show>
                <LocalTime at=note.event.occurred_at/>
                " · "
                {move || words::actor(i18n.get_locale(), &actor)}
                " · "
                <a href=href>
                    {move || td_string!(i18n.get_locale(), desk.mentions.on_order, order = order.clone()).to_string()}
                </a>
            </p>
            <blockquote class="mention-text">{text}</blockquote>
        </li>
    }
}
