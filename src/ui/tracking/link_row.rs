//! One tracking link in the order page's list: its first characters (never
//! the token), who made it and when, when it expires, how often the customer
//! opened it and when last, its state, and "Revoke" — which asks for a second
//! click, "Confirm revoke", before it acts.

use crate::api::revoke_tracking_link;
use crate::model::tracking_link::{LinkState, TrackingLinkSummary};
use crate::ui::auth::Auth;
use crate::ui::components::{LocalTime, Submission};
use chrono::Utc;
use leptos::prelude::*;
use leptos::task::spawn_local;

/// "never", "once", "3 times".
fn times(n: u64) -> String {
    match n {
        0 => "Never".into(),
        1 => "Once".into(),
        n => format!("{n} times"),
    }
}

#[component]
pub fn LinkRow(link: TrackingLinkSummary, on_changed: Callback<()>) -> impl IntoView {
    let auth = Auth::current();
    let confirming = RwSignal::new(false);
    let form = Submission::<String>::default();
    let Submission {
        busy,
        outcome: error,
    } = form;
    let id = StoredValue::new(link.id.clone());
    let confirm_button = NodeRef::<leptos::html::Button>::new();
    // The confirmation takes the place of "Revoke": focus follows it.
    Effect::new(move || {
        if let Some(button) = confirm_button.get() {
            let _ = button.focus();
        }
    });

    let revoke = move |_| {
        if !form.begin() {
            return;
        }
        spawn_local(async move {
            match auth.call(revoke_tracking_link(id.get_value())).await {
                Ok(_) => on_changed.run(()),
                Err(e) => {
                    error.try_set(Some(e.to_string()));
                }
            }
            confirming.try_set(false);
            busy.try_set(false);
        });
    };

    let state = link.state(Utc::now());
    let hint = format!("{}…", link.hint);
    view! {
        <tr data-testid="tracking-link-row" data-state=state.as_str()>
            <th scope="row">
                <code class="key-prefix">{hint.clone()}</code>
            </th>
            <td>
                {format!("by {}, ", link.created_by)}
                <LocalTime at=link.created_at/>
            </td>
            <td>
                <LocalTime at=link.expires_at/>
            </td>
            <td data-testid="tracking-link-opened">
                {times(link.opened)}
                {link
                    .last_opened_at
                    .map(|at| view! { ", last " <LocalTime at/> })}
            </td>
            <td data-testid="tracking-link-status">
                {match (state, link.revoked_at) {
                    (LinkState::Revoked, Some(at)) => {
                        view! {
                            <span class="account-disabled">"Revoked"</span>
                            " "
                            <LocalTime at/>
                        }
                            .into_any()
                    }
                    (LinkState::Active, _) => {
                        view! { <span class="account-active">"Active"</span> }.into_any()
                    }
                    (other, _) => {
                        view! { <span class="account-disabled">{other.label()}</span> }.into_any()
                    }
                }}
            </td>
            <td>
                {(state == LinkState::Active)
                    .then(|| {
                        view! {
                            <Show
                                when=move || confirming.get()
                                fallback=move || {
                                    view! {
                                        <button type="button" class="secondary" on:click=move |_| confirming.set(true)>
                                            "Revoke"
                                        </button>
                                    }
                                }
                            >
                                <div class="confirm-step" role="group" aria-label="Confirm revoking the tracking link">
                                    <p class="confirm-question">
                                        {format!("Revoke the link {hint}? The customer's page stops working at once.")}
                                    </p>
                                    <button
                                        type="button"
                                        class="danger"
                                        node_ref=confirm_button
                                        on:click=revoke
                                        disabled=move || busy.get()
                                    >
                                        "Confirm revoke"
                                    </button>
                                    <button type="button" class="secondary" on:click=move |_| confirming.set(false)>
                                        "Cancel"
                                    </button>
                                </div>
                            </Show>
                        }
                    })}
                <p class="form-error" role="alert">
                    {move || error.get()}
                </p>
            </td>
        </tr>
    }
}
