//! A recorded event as the server sent it, pretty-printed JSON behind a
//! `<details>` disclosure, for staff who need the exact fields. The JSON is
//! shown as sent; only the disclosure's words follow the reader's language.

use crate::i18n::*;
use crate::model::SeenEvent;
use crate::ui::language::tr;
use leptos::prelude::*;

/// The event's JSON, collapsed until the person opens it.
#[component]
pub fn RawPayload(event: SeenEvent) -> impl IntoView {
    let i18n = use_i18n();
    let json = serde_json::to_string_pretty(&event);
    let seq = event.seq;
    view! {
        <details class="raw-payload" data-testid="raw-payload">
            <summary>
                {tr(i18n, |l| td_string!(l, orders.kit.raw.summary))}
                <span class="visually-hidden">{format!(" #{seq}")}</span>
            </summary>
            <pre tabindex="0" aria-label=move || td_string!(i18n.get_locale(), orders.kit.raw.label, seq = seq).to_string()>
                <code>
                    {match json {
                        Ok(json) => json.into_any(),
                        Err(e) => {
                            let error = e.to_string();
                            (move || {
                                td_string!(i18n.get_locale(), orders.kit.raw.unreadable, error = error.clone())
                                    .to_string()
                            })
                                .into_any()
                        }
                    }}
                </code>
            </pre>
        </details>
    }
}
