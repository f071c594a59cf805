//! One tracking link in the order page's list: its first characters (never
//! the token), who made it and when, when it expires, how often the customer
//! opened it and when last, its state, and "Revoke" — which asks for a second
//! click, "Confirm revoke", before it acts. Words in the reader's language.

use crate::api::revoke_tracking_link;
use crate::i18n::*;
use crate::model::views::tracking_link::{LinkState, TrackingLinkSummary};
use crate::ui::auth::Auth;
use crate::ui::kit::format::number;
use crate::ui::kit::{LocalTime, RevokeCell};
use crate::ui::language::tr;
use chrono::Utc;
use leptos::prelude::*;

/// "Never", "Once", "3 times".
fn times(locale: Locale, n: u64) -> String {
    match n {
        0 => td_string!(locale, orders.links.opened_never).to_string(),
        1 => td_string!(locale, orders.links.opened_once).to_string(),
        n => td_string!(locale, orders.links.opened_times, count = number(locale, n)).to_string(),
    }
}

#[component]
pub fn LinkRow(link: TrackingLinkSummary, on_changed: Callback<()>) -> impl IntoView {
    let i18n = use_i18n();
    let auth = Auth::current();
    let id = StoredValue::new(link.id.clone());
    let revoke = move || async move {
        auth.call(revoke_tracking_link(id.get_value()))
            .await
            .map(|_| ())
            .map_err(|e| words::api_error(i18n.get_locale_untracked(), &e))
    };
    let state = link.state(Utc::now());
    let hint = format!("{}…", link.hint);
    let question_hint = hint.clone();
    let (created_by, opened) = (link.created_by.clone(), link.opened);
    view! {
        <tr data-testid="tracking-link-row" data-state=state.as_str()>
            <th scope="row">
                <code class="key-prefix">{hint.clone()}</code>
            </th>
            <td>
                {move || {
                    td_string!(i18n.get_locale(), orders.links.created_by, name = created_by.clone())
                        .to_string()
                }}
                <LocalTime at=link.created_at/>
            </td>
            <td>
                <LocalTime at=link.expires_at/>
            </td>
            <td data-testid="tracking-link-opened">
                {move || times(i18n.get_locale(), opened)}
                {link
                    .last_opened_at
                    .map(|at| view! { {tr(i18n, |l| td_string!(l, orders.links.last_opened))} <LocalTime at/> })}
            </td>
            <td data-testid="tracking-link-status">
                {match (state, link.revoked_at) {
                    (LinkState::Revoked, Some(at)) => {
                        view! {
                            <span class="account-disabled">{tr(i18n, |l| td_string!(l, orders.links.revoked))}</span>
                            " "
                            <LocalTime at/>
                        }
                            .into_any()
                    }
                    (LinkState::Active, _) => {
                        view! { <span class="account-active">{tr(i18n, |l| td_string!(l, orders.links.active))}</span> }
                            .into_any()
                    }
                    (LinkState::Revoked, None) => {
                        view! { <span class="account-disabled">{tr(i18n, |l| td_string!(l, orders.links.revoked))}</span> }
                            .into_any()
                    }
                    (LinkState::Expired, _) => {
                        view! { <span class="account-disabled">{tr(i18n, |l| td_string!(l, orders.links.expired))}</span> }
                            .into_any()
                    }
                }}
            </td>
            <RevokeCell
                active=state == LinkState::Active
                question=move || {
                    td_string!(i18n.get_locale(), orders.links.revoke_question, hint = question_hint.clone())
                        .to_string()
                }
                group_label=tr(i18n, |l| td_string!(l, orders.links.revoke_group))
                revoke
                on_changed
            />
        </tr>
    }
}
