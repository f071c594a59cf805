//! The order page's header: who, where from, what state, how much money, which
//! warehouse, how far shipping has come, and what needs attention (the status
//! and the open exceptions read the same derived list, so they always agree). What the viewer's role may not see is
//! marked: amounts as "Withheld", masked contact details with a note on hover.

use crate::model::views::progress::Progress;
use crate::model::{Branch, Lens, Reveal, Seen, SeenMoney, SeenOrder};
use crate::ui::kit::{Amount, LocalTime, StatusBadge};
use leptos::prelude::*;

/// What a masked contact detail says on hover.
const MASKED_TITLE: &str = "partly hidden for your role";

/// The header of the order page; every field follows the live order.
#[component]
pub fn OrderHeader(#[prop(into)] order: Signal<SeenOrder>, lens: Lens) -> impl IntoView {
    let status = Signal::derive(move || order.read().status());
    let money = move |f: fn(&SeenOrder) -> SeenMoney| Signal::derive(move || order.with(f));
    let masked = |reveal: Reveal| (reveal == Reveal::Masked).then_some(MASKED_TITLE);
    view! {
        <header class="order-header" data-testid="order-header">
            <div class="order-title">
                <h1>
                    <span class="visually-hidden">"Order "</span>
                    {move || order.read().id.to_string()}
                </h1>
                <StatusBadge status testid="order-status"/>
            </div>
            <dl class="order-facts">
                <div>
                    <dt>"Channel"</dt>
                    <dd>
                        {move || order.read().channel.label()} " · "
                        <span class="channel-order-id">
                            {move || order.read().channel_order_id.clone()}
                        </span>
                    </dd>
                </div>
                <div>
                    <dt>"Customer"</dt>
                    <dd>{move || order.read().customer.name.clone()}</dd>
                </div>
                <div>
                    <dt>"Phone"</dt>
                    <dd data-testid="order-phone" title=masked(lens.phone)>
                        {move || order.read().customer.phone.clone()}
                    </dd>
                </div>
                <div class="fact-wide">
                    <dt>"Address"</dt>
                    <dd data-testid="order-address" title=masked(lens.address)>
                        {move || {
                            let o = order.read();
                            let a = &o.customer.address;
                            format!("{}, {}, {}, {}", a.line, a.city, a.province, a.country)
                        }}
                    </dd>
                </div>
                <div>
                    <dt>"Total"</dt>
                    <dd data-testid="order-amount">
                        <Amount money=money(|o| o.total)/>
                    </dd>
                </div>
                <div>
                    <dt>"Paid"</dt>
                    <dd data-testid="order-paid">
                        <Amount money=money(|o| o.paid)/>
                    </dd>
                </div>
                <div>
                    <dt>"Refunded"</dt>
                    <dd data-testid="order-refunded">
                        <Amount money=money(|o| o.refunded)/>
                        {move || {
                            let o = order.read();
                            match o.refund_requested {
                                Some(Seen::Shown(r)) => Some(format!(" ({r} requested)")),
                                // A withheld request is absent, the branch says it all.
                                _ if o.branch == Some(Branch::RefundRequested) => {
                                    Some(" (refund requested)".to_string())
                                }
                                _ => None,
                            }
                        }}
                    </dd>
                </div>
                <div>
                    <dt>"Warehouse"</dt>
                    <dd>
                        {move || {
                            order.read().warehouse.clone().unwrap_or_else(|| "Not allocated yet".into())
                        }}
                    </dd>
                </div>
                <div class="fact-wide">
                    <dt>"Shipping"</dt>
                    <dd data-testid="order-progress">
                        {let i18n = crate::i18n::use_i18n(); move || crate::i18n::words::progress(i18n.get_locale(), &Progress::of(&order.read()))}
                    </dd>
                </div>
                <div>
                    <dt>"Placed"</dt>
                    <dd>{move || view! { <LocalTime at=order.read().placed_at/> }}</dd>
                </div>
                <div>
                    <dt>"Last change"</dt>
                    <dd>{move || view! { <LocalTime at=order.read().updated_at/> }}</dd>
                </div>
            </dl>
            <OpenExceptions order/>
        </header>
    }
}

/// The exceptions open on the order and its parcels, with what raised them.
#[component]
fn OpenExceptions(order: Signal<SeenOrder>) -> impl IntoView {
    view! {
        <div class="open-exceptions" data-testid="order-exceptions">
            <h2 class="facts-heading">"Open exceptions"</h2>
            {move || {
                let exceptions = order.read().exceptions.clone();
                if exceptions.is_empty() {
                    view! { <p class="none">"None"</p> }.into_any()
                } else {
                    view! {
                        <ul>
                            {exceptions
                                .into_iter()
                                .map(|e| {
                                    view! {
                                        <li class="exception" data-testid="open-exception">
                                            <strong>{let (i18n, code) = (crate::i18n::use_i18n(), e.code); move || crate::i18n::words::exception_code(i18n.get_locale(), code)}</strong>
                                            {e.parcel.map(|p| format!(" on parcel {p}"))}
                                            ": "
                                            {let (i18n, cause) = (crate::i18n::use_i18n(), e.cause.clone()); move || crate::i18n::words::cause(i18n.get_locale(), &cause)}
                                            " (since "
                                            <LocalTime at=e.since/>
                                            ")"
                                        </li>
                                    }
                                })
                                .collect_view()}
                        </ul>
                    }
                        .into_any()
                }
            }}
        </div>
    }
}
