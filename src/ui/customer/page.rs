//! `/track/:token`: the customer's page, outside the staff shell — no staff
//! navigation, no sign-in. It loads the masked view of the one order the link
//! opens, or says plainly that the link is not valid (unknown, expired or
//! revoked alike). Its header has the language switch (the customer has no
//! account: the first visit follows the browser's languages, a choice is
//! remembered on the device), and every word follows it.

use super::link_not_valid::LinkNotValid;
use super::tracked_order::TrackedOrder;
use super::view_request::{load_view, ViewError};
use crate::i18n::*;
use crate::ui::language::tr;
use crate::ui::language::LanguageSwitch;
use leptos::prelude::*;
use leptos_router::hooks::use_params_map;

/// The customer's tracking page.
#[component]
pub fn TrackingPage() -> impl IntoView {
    let i18n = use_i18n();
    crate::ui::kit::use_page_title(move || t_string!(i18n, customer.title).to_string());
    let params = use_params_map();
    let token = Memo::new(move |_| params.read().get("token").unwrap_or_default());
    let loaded = LocalResource::new(move || {
        let token = token.get();
        async move { load_view(&token, false).await }
    });

    view! {
        <div class="tracking-page">
            <header class="tracking-header">
                <img src="/favicon.svg" alt="" width="24" height="24"/>
                <span class="tracking-brand">{tr(i18n, |l| td_string!(l, customer.brand))}</span>
                <LanguageSwitch/>
            </header>
            <main id="main" tabindex="-1" class="tracking-main">
                <Transition fallback=move || {
                    view! { <p class="loading" role="status">{tr(i18n, |l| td_string!(l, customer.loading))}</p> }
                }>
                    {move || Suspend::new(async move {
                        match loaded.await {
                            Ok(order) => {
                                view! { <TrackedOrder order token=token.get_untracked()/> }
                                    .into_any()
                            }
                            Err(ViewError::NotValid) => view! { <LinkNotValid/> }.into_any(),
                            Err(e) => {
                                view! {
                                    <div class="error-notice" role="alert" data-testid="error">
                                        <h1>{tr(i18n, |l| td_string!(l, customer.load_failed))}</h1>
                                        <p>{move || e.words(i18n.get_locale())}</p>
                                    </div>
                                }
                                    .into_any()
                            }
                        }
                    })}
                </Transition>
            </main>
        </div>
    }
}
