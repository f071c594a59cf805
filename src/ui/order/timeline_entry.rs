//! One entry of a timeline: when (local and relative time), which system, who,
//! which parcel it concerns, what it means in one sentence, and the raw event.
//!
//! When the viewer's lens withholds money, the amounts in events are absent:
//! the events that carry amounts then read as a sentence without one.

use crate::model::{Actor, SeenEvent};
use crate::ui::kit::{LocalTime, RawPayload, RelativeTime};
use chrono::{DateTime, Utc};
use leptos::prelude::*;

/// One event of the log.
#[component]
pub fn TimelineEntry(
    entry: SeenEvent,
    /// Arrived live: briefly highlighted.
    is_new: bool,
    /// The parcel the event concerns (`P1`), if any.
    parcel: Option<String>,
    /// Hidden by the timeline's source filter.
    #[prop(into)]
    hidden: Signal<bool>,
    /// The clock relative times are measured against.
    now: Signal<DateTime<Utc>>,
) -> impl IntoView {
    let raw = entry.clone();
    let parcel_attr = parcel.clone();
    let event = entry.event;
    let class = if is_new {
        "timeline-entry timeline-entry--new"
    } else {
        "timeline-entry"
    };
    view! {
        <li
            class=class
            hidden=hidden
            data-testid="timeline-entry"
            data-seq=entry.seq
            data-kind=event.kind.name()
            data-family=event.source.family()
            data-parcel=parcel_attr
        >
            <span class="timeline-when">
                <LocalTime at=event.occurred_at/>
                <RelativeTime at=event.occurred_at now/>
            </span>
            <span class="timeline-source" data-family=event.source.family()>
                {let (i18n, source) = (crate::i18n::use_i18n(), event.source.clone()); move || crate::i18n::words::source(i18n.get_locale(), &source)}
            </span>
            <span class="timeline-actor" data-actor=actor_kind(&event.actor)>
                {let (i18n, actor) = (crate::i18n::use_i18n(), event.actor.clone()); move || crate::i18n::words::actor(i18n.get_locale(), &actor)}
            </span>
            <p class="timeline-meaning">
                {parcel.map(|p| view! { <span class="parcel-tag" data-testid="parcel-tag">{format!("Parcel {p}")}</span> })}
                {let (i18n, kind) = (crate::i18n::use_i18n(), event.kind.clone()); move || { let locale = i18n.get_locale(); crate::i18n::words::meaning(locale, &kind, &|m| crate::ui::kit::format::money(locale, m)) }}
            </p>
            <RawPayload event=raw/>
        </li>
    }
}

/// A stable name for who acted, for styling.
fn actor_kind(actor: &Actor) -> &'static str {
    match actor {
        Actor::Customer => "customer",
        Actor::System { .. } => "system",
        Actor::Staff { .. } => "staff",
        Actor::Anonymous => "anonymous",
    }
}
