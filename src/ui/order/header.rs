//! The order page's header: who, where from, what state, how much money, which
//! warehouse, how far shipping has come, and what needs attention (the status
//! and the open exceptions read the same derived list, so they always agree). What the viewer's role may not see is
//! marked: amounts as "Withheld", masked contact details with a note on hover.
//! Words in the reader's language; the address in its order (Chinese:
//! province, city, street, without commas or country; English: street, city,
//! province, country).

use crate::i18n::*;
use crate::model::views::progress::Progress;
use crate::model::{Branch, Lens, Reveal, Seen, SeenMoney, SeenOrder};
use crate::ui::kit::format::money as money_words;
use crate::ui::kit::{Amount, LocalTime, StatusBadge};
use crate::ui::language::tr;
use leptos::prelude::*;

/// The header of the order page; every field follows the live order.
#[component]
pub fn OrderHeader(#[prop(into)] order: Signal<SeenOrder>, lens: Lens) -> impl IntoView {
    let status = Signal::derive(move || order.read().status());
    let money = move |f: fn(&SeenOrder) -> SeenMoney| Signal::derive(move || order.with(f));
    let i18n = use_i18n();
    let masked = move |reveal: Reveal| {
        move || (reveal == Reveal::Masked).then(|| t_string!(i18n, orders.header.masked))
    };
    view! {
        <header class="order-header" data-testid="order-header">
            <div class="order-title">
                <h1>
                    <span class="visually-hidden">{tr(i18n, |l| td_string!(l, orders.header.order))}</span>
                    {move || order.read().id.to_string()}
                </h1>
                <StatusBadge status testid="order-status"/>
            </div>
            <dl class="order-facts">
                <div>
                    <dt>{tr(i18n, |l| td_string!(l, orders.header.channel))}</dt>
                    <dd>
                        {move || words::channel(i18n.get_locale(), order.read().channel)} " · "
                        <span class="channel-order-id">
                            {move || order.read().channel_order_id.clone()}
                        </span>
                    </dd>
                </div>
                <div>
                    <dt>{tr(i18n, |l| td_string!(l, orders.header.customer))}</dt>
                    <dd>{move || order.read().customer.name.clone()}</dd>
                </div>
                <div>
                    <dt>{tr(i18n, |l| td_string!(l, orders.header.phone))}</dt>
                    <dd data-testid="order-phone" title=masked(lens.phone)>
                        {move || order.read().customer.phone.clone()}
                    </dd>
                </div>
                <div class="fact-wide">
                    <dt>{tr(i18n, |l| td_string!(l, orders.header.address))}</dt>
                    <dd data-testid="order-address" title=masked(lens.address)>
                        {move || words::address(i18n.get_locale(), &order.read().customer.address)}
                    </dd>
                </div>
                <div>
                    <dt>{tr(i18n, |l| td_string!(l, orders.header.total))}</dt>
                    <dd data-testid="order-amount">
                        <Amount money=money(|o| o.total)/>
                    </dd>
                </div>
                <div>
                    <dt>{tr(i18n, |l| td_string!(l, orders.header.paid))}</dt>
                    <dd data-testid="order-paid">
                        <Amount money=money(|o| o.paid)/>
                    </dd>
                </div>
                <div>
                    <dt>{tr(i18n, |l| td_string!(l, orders.header.refunded))}</dt>
                    <dd data-testid="order-refunded">
                        <Amount money=money(|o| o.refunded)/>
                        {move || {
                            let locale = i18n.get_locale();
                            let o = order.read();
                            match &o.refund_requested {
                                Some(Seen::Shown(r)) => Some(
                                    td_string!(
                                        locale,
                                        orders.header.refund_amount_requested,
                                        amount = money_words(locale, r)
                                    )
                                    .to_string(),
                                ),
                                // A withheld request is absent, the branch says it all.
                                _ if o.branch == Some(Branch::RefundRequested) => {
                                    Some(td_string!(locale, orders.header.refund_requested).to_string())
                                }
                                _ => None,
                            }
                        }}
                    </dd>
                </div>
                <div>
                    <dt>{tr(i18n, |l| td_string!(l, orders.header.warehouse))}</dt>
                    <dd>
                        {move || {
                            order
                                .read()
                                .warehouse
                                .clone()
                                .unwrap_or_else(|| t_string!(i18n, orders.header.not_allocated).to_string())
                        }}
                    </dd>
                </div>
                <div class="fact-wide">
                    <dt>{tr(i18n, |l| td_string!(l, orders.header.shipping))}</dt>
                    <dd data-testid="order-progress">
                        {move || words::progress(i18n.get_locale(), &Progress::of(&order.read()))}
                    </dd>
                </div>
                <div>
                    <dt>{tr(i18n, |l| td_string!(l, orders.header.placed))}</dt>
                    <dd>{move || view! { <LocalTime at=order.read().placed_at/> }}</dd>
                </div>
                <div>
                    <dt>{tr(i18n, |l| td_string!(l, orders.header.last_change))}</dt>
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
    let i18n = use_i18n();
    view! {
        <div class="open-exceptions" data-testid="order-exceptions">
            <h2 class="facts-heading">{tr(i18n, |l| td_string!(l, orders.header.open_exceptions))}</h2>
            {move || {
                let exceptions = order.read().exceptions.clone();
                if exceptions.is_empty() {
                    view! { <p class="none">{tr(i18n, |l| td_string!(l, orders.header.none))}</p> }.into_any()
                } else {
                    view! {
                        <ul>
                            {exceptions
                                .into_iter()
                                .map(|e| {
                                    let parcel = e.parcel.map(|p| p.to_string());
                                    view! {
                                        <li class="exception" data-testid="open-exception">
                                            <strong>{let code = e.code; move || words::exception_code(i18n.get_locale(), code)}</strong>
                                            {parcel.map(|p| {
                                                move || {
                                                    td_string!(i18n.get_locale(), orders.header.on_parcel, parcel = p.clone())
                                                        .to_string()
                                                }
                                            })}
                                            {tr(i18n, |l| td_string!(l, orders.header.cause_separator))}
                                            {let cause = e.cause.clone(); move || words::cause(i18n.get_locale(), &cause)}
                                            {tr(i18n, |l| td_string!(l, orders.header.since_before))}
                                            <LocalTime at=e.since/>
                                            {tr(i18n, |l| td_string!(l, orders.header.since_after))}
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
