//! The order page's "Tracking links" panel, for people who may share tracking
//! (customer service, admin; hidden for everyone else — the server checks
//! again): make a link with its expiry in days, shown once with "Copy"; the
//! order's links by their first characters, when they expire, how often the
//! customer opened them; "Revoke" with a confirmation step. Words in the
//! reader's language.

use super::link_row::LinkRow;
use super::new_link_form::NewLinkForm;
use crate::api::list_tracking_links;
use crate::i18n::*;
use crate::model::Permission;
use crate::ui::auth::Auth;
use crate::ui::kit::ErrorNotice;
use crate::ui::kit::{reloading_list, ReloadingList};
use crate::ui::language::tr;
use leptos::prelude::*;

/// The panel, shown only to people who may share tracking.
#[component]
pub fn TrackingLinksPanel(order_id: String) -> impl IntoView {
    let auth = Auth::current();
    view! {
        <Show when=move || auth.may(Permission::ShareTracking)>
            <LinksSection order_id=order_id.clone()/>
        </Show>
    }
}

#[component]
fn LinksSection(order_id: String) -> impl IntoView {
    let i18n = use_i18n();
    let order = StoredValue::new(order_id);
    let ReloadingList {
        resource: links,
        latest,
        changed,
    } = reloading_list(move || list_tracking_links(order.get_value()));
    let empty = move || latest.read().as_ref().is_some_and(Vec::is_empty);

    view! {
        <section
            class="order-section tracking-links"
            aria-labelledby="tracking-links-heading"
            data-testid="tracking-links"
        >
            <h2 id="tracking-links-heading">{tr(i18n, |l| td_string!(l, orders.links.heading))}</h2>
            <p class="hint">{tr(i18n, |l| td_string!(l, orders.links.hint))}</p>
            <NewLinkForm order_id=order.get_value() on_created=changed/>
            <Transition fallback=move || {
                view! { <p class="loading" role="status">{tr(i18n, |l| td_string!(l, orders.links.loading))}</p> }
            }>
                <ErrorBoundary fallback=move |errors| {
                    let title = td_string!(i18n.get_locale(), orders.links.load_failed);
                    view! { <ErrorNotice errors title/> }
                }>
                    {move || Suspend::new(async move { links.await.map(|_| ()) })}
                    <p class="empty" hidden=move || !empty()>
                        {tr(i18n, |l| td_string!(l, orders.links.empty))}
                    </p>
                    <table
                        class="data-table tracking-links-table"
                        aria-labelledby="tracking-links-heading"
                        hidden=empty
                    >
                        <thead>
                            <tr>
                                <th scope="col">{tr(i18n, |l| td_string!(l, orders.links.col.starts_with))}</th>
                                <th scope="col">{tr(i18n, |l| td_string!(l, orders.links.col.created))}</th>
                                <th scope="col">{tr(i18n, |l| td_string!(l, orders.links.col.expires))}</th>
                                <th scope="col">{tr(i18n, |l| td_string!(l, orders.links.col.opened))}</th>
                                <th scope="col">{tr(i18n, |l| td_string!(l, orders.links.col.status))}</th>
                                <th scope="col">{tr(i18n, |l| td_string!(l, orders.links.col.actions))}</th>
                            </tr>
                        </thead>
                        <tbody>
                            // A row is redrawn when it was opened or revoked.
                            <For
                                each=move || latest.get().unwrap_or_default()
                                key=|l| (l.id.clone(), l.opened, l.revoked_at)
                                let:link
                            >
                                <LinkRow link on_changed=changed/>
                            </For>
                        </tbody>
                    </table>
                </ErrorBoundary>
            </Transition>
        </section>
    }
}
