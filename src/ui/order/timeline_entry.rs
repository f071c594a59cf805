//! One entry of a timeline: when (local and relative time), which system, who,
//! which parcel it concerns, what it means in one sentence, and the raw event.
//!
//! When the viewer's lens withholds money, the amounts in events are absent:
//! the events that carry amounts then read as a sentence without one.
//! The source system, who acted and the parcel tag are in the reader's
//! language (channel and role through [`words`]).

use crate::i18n::*;
use crate::model::{Actor, SeenEvent, Source};
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
    let (source, actor) = (event.source.clone(), event.actor.clone());
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
                {move || source_words(i18n.get_locale(), &source)}
            </span>
            <span class="timeline-actor" data-actor=actor_kind(&event.actor)>
                {move || actor_words(i18n.get_locale(), &actor)}
            </span>
            <p class="timeline-meaning">
                {parcel.map(|p| view! {
                    <span class="parcel-tag" data-testid="parcel-tag">
                        {t!(i18n, orders.timeline.parcel_tag, parcel = move || p.clone())}
                    </span>
                })}
                {event.kind.meaning()}
            </p>
            <RawPayload event=raw/>
        </li>
    }
}

/// The system an event came from: `抖店`, `Warehouse · Hangzhou DC`.
fn source_words(locale: Locale, source: &Source) -> String {
    match source {
        Source::Channel(c) => words::channel(locale, *c).to_string(),
        Source::Warehouse(name) => {
            td_string!(locale, orders.timeline.source.warehouse, name = name).to_string()
        }
        Source::Carrier(name) => {
            td_string!(locale, orders.timeline.source.carrier, name = name).to_string()
        }
        Source::Finance => td_string!(locale, orders.timeline.source.finance).to_string(),
        Source::Staff => td_string!(locale, orders.timeline.source.staff).to_string(),
        Source::ControlRoom => td_string!(locale, orders.timeline.source.control_room).to_string(),
    }
}

/// Who acted: `Customer`, `Li Na (Customer service)`, `demo (automatic)`.
fn actor_words(locale: Locale, actor: &Actor) -> String {
    match actor {
        Actor::Customer => td_string!(locale, orders.timeline.actor.customer).to_string(),
        Actor::System { name } => {
            td_string!(locale, orders.timeline.actor.system, name = name).to_string()
        }
        Actor::Staff { name, role, .. } => td_string!(
            locale,
            orders.timeline.actor.staff,
            name = name,
            role = words::role(locale, *role)
        )
        .to_string(),
        Actor::Anonymous => td_string!(locale, orders.timeline.actor.anonymous).to_string(),
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
