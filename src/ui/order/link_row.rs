//! One tracking link in the order page's list: its first characters (never
//! the token), who made it and when, when it expires, how often the customer
//! opened it and when last, its state, and "Revoke" — which asks for a second
//! click, "Confirm revoke", before it acts.

use crate::api::revoke_tracking_link;
use crate::model::views::tracking_link::{LinkState, TrackingLinkSummary};
use crate::ui::auth::Auth;
use crate::ui::kit::{LocalTime, RevokeCell};
use chrono::Utc;
use leptos::prelude::*;

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
    let id = StoredValue::new(link.id.clone());
    let revoke = move || async move {
        auth.call(revoke_tracking_link(id.get_value()))
            .await
            .map(|_| ())
            .map_err(|e| e.to_string())
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
            <RevokeCell
                active=state == LinkState::Active
                question=format!("Revoke the link {hint}? The customer's page stops working at once.")
                group_label="Confirm revoking the tracking link"
                revoke
                on_changed
            />
        </tr>
    }
}
