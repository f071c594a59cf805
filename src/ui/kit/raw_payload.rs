//! A recorded event as the server sent it, pretty-printed JSON behind a
//! `<details>` disclosure, for staff who need the exact fields.

use crate::model::RecordedEvent;
use leptos::prelude::*;

/// The event's JSON, collapsed until the person opens it.
#[component]
pub fn RawPayload(event: RecordedEvent) -> impl IntoView {
    let json = serde_json::to_string_pretty(&event)
        .unwrap_or_else(|e| format!("The event could not be shown: {e}"));
    view! {
        <details class="raw-payload" data-testid="raw-payload">
            <summary>
                "Raw event"
                <span class="visually-hidden">{format!(" #{}", event.seq)}</span>
            </summary>
            <pre tabindex="0" aria-label=format!("Raw event #{} as JSON", event.seq)>
                <code>{json}</code>
            </pre>
        </details>
    }
}
