//! One entry of a timeline: when (local and relative time), which system, who,
//! which parcel it concerns, what it means in one sentence, and the raw event.
//!
//! When the viewer's lens withholds money, the amounts in events are absent:
//! the events that carry amounts then read as a sentence without one.
//! The source system, who acted and the parcel tag are in the reader's
//! language (channel and role through [`words`]).

use crate::i18n::*;
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
    let i18n = use_i18n();
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
                {let source = event.source.clone(); move || words::source(i18n.get_locale(), &source)}
            </span>
            <span class="timeline-actor" data-actor=actor_kind(&event.actor)>
                {let actor = event.actor.clone(); move || words::actor(i18n.get_locale(), &actor)}
            </span>
            <p class="timeline-meaning">
                {parcel.map(|p| view! {
                    <span class="parcel-tag" data-testid="parcel-tag">
                        {t!(i18n, orders.timeline.parcel_tag, parcel = move || p.clone())}
                    </span>
                })}
                {let kind = event.kind.clone(); move || { let locale = i18n.get_locale(); words::meaning(locale, &kind, &|m| crate::ui::kit::format::money(locale, m)) }}
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
