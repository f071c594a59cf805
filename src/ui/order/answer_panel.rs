//! "Where is my gift box?" answered on the order page: each component with
//! where it is (parcel, carrier, waybill), the carrier's latest scan and what
//! happens next, and a suggested reply to the customer in Chinese or English,
//! written from the same facts ([`Whereabouts`]), editable, with "Copy".
//!
//! Both follow the order live: they are derived from the page's order and
//! events signals. Once the agent edits the reply, news on the order no longer
//! replaces it (they may regenerate it from the latest state).

use crate::i18n::words::reply;
use crate::i18n::*;
use crate::model::views::whereabouts::Whereabouts;
use crate::model::{Channel, ComponentId, SeenEvent, SeenOrder};
use crate::ui::kit::clipboard::{copy, Copied};
use crate::ui::language::tr;
use leptos::prelude::*;

/// The language a reply to this order's customer starts in: English for the
/// overseas storefront, Chinese for the rest.
fn customer_locale(channel: Channel) -> Locale {
    match channel {
        Channel::Shopify => Locale::en,
        _ => Locale::zh_CN,
    }
}

fn locale_of(tag: &str) -> Locale {
    if tag == "en" {
        Locale::en
    } else {
        Locale::zh_CN
    }
}

fn tag_of(locale: Locale) -> &'static str {
    match locale {
        Locale::en => "en",
        Locale::zh_CN => "zh-CN",
    }
}

/// The answer panel of one order.
#[component]
pub fn AnswerPanel(
    #[prop(into)] order: Signal<SeenOrder>,
    #[prop(into)] events: Signal<Vec<SeenEvent>>,
) -> impl IntoView {
    let i18n = use_i18n();
    let whereabouts = Memo::new(move |_| order.with(|o| events.with(|e| Whereabouts::of(o, e))));
    let reply_locale = RwSignal::new(order.with_untracked(|o| customer_locale(o.channel)));
    let asked = RwSignal::new(None::<ComponentId>);
    let generated = Memo::new(move |_| {
        whereabouts
            .with(|w| asked.with(|a| reply::suggested_reply(reply_locale.get(), w, a.as_ref())))
    });
    // The agent's own version once they type; `None` follows the generated one.
    let edited = RwSignal::new(None::<String>);
    let text = move || edited.get().unwrap_or_else(|| generated.get());
    let copied = RwSignal::new(None::<Copied>);
    let regenerate = move || {
        edited.set(None);
        copied.set(None);
    };

    view! {
        <section class="order-section answer-panel" aria-labelledby="whereabouts-heading">
            <h2 id="whereabouts-heading">{tr(i18n, |l| td_string!(l, desk.whereabouts.heading))}</h2>
            <table class="data-table" data-testid="whereabouts-table">
                <thead>
                    <tr>
                        <th scope="col">{tr(i18n, |l| td_string!(l, desk.whereabouts.component))}</th>
                        <th scope="col">{tr(i18n, |l| td_string!(l, desk.whereabouts.place))}</th>
                        <th scope="col">{tr(i18n, |l| td_string!(l, desk.whereabouts.last_scan))}</th>
                        <th scope="col">{tr(i18n, |l| td_string!(l, desk.whereabouts.next))}</th>
                    </tr>
                </thead>
                <tbody>
                    {move || {
                        let locale = i18n.get_locale();
                        whereabouts.with(|w| {
                            w.items
                                .iter()
                                .map(|item| {
                                    view! {
                                        <tr data-testid="whereabouts-row" data-component-id=item.component.to_string()>
                                            <th scope="row">
                                                {item.name.clone()}
                                                <span class="sku">{words::component_kind(locale, item.kind)}</span>
                                            </th>
                                            <td>{reply::place(locale, item)}</td>
                                            <td>
                                                {reply::latest_scan(locale, item)
                                                    .unwrap_or_else(|| td_string!(locale, desk.whereabouts.none).to_string())}
                                            </td>
                                            <td>{reply::next_step(locale, item, w.standing)}</td>
                                        </tr>
                                    }
                                })
                                .collect_view()
                        })
                    }}
                </tbody>
            </table>
        </section>
        <section class="order-section answer-panel" aria-labelledby="reply-heading">
            <h2 id="reply-heading">{tr(i18n, |l| td_string!(l, desk.reply.heading))}</h2>
            <p class="hint">{tr(i18n, |l| td_string!(l, desk.reply.hint))}</p>
            <div class="reply-options">
                <label>
                    {tr(i18n, |l| td_string!(l, desk.reply.asked))}
                    <select
                        data-testid="reply-asked"
                        on:change=move |ev| {
                            let value = event_target_value(&ev);
                            asked.set(ComponentId::parse(&value).ok());
                            regenerate();
                        }
                    >
                        <option value="" selected=move || asked.read().is_none()>
                            {tr(i18n, |l| td_string!(l, desk.reply.asked_all))}
                        </option>
                        {move || {
                            let locale = i18n.get_locale();
                            whereabouts.with(|w| {
                                w.items
                                    .iter()
                                    .map(|item| {
                                        let id = item.component.clone();
                                        let label = format!(
                                            "{} ({})",
                                            item.name,
                                            words::component_kind(locale, item.kind)
                                        );
                                        let chosen = id.clone();
                                        view! {
                                            <option
                                                value=id.to_string()
                                                selected=move || asked.read().as_ref() == Some(&chosen)
                                            >
                                                {label}
                                            </option>
                                        }
                                    })
                                    .collect_view()
                            })
                        }}
                    </select>
                </label>
                <label>
                    {tr(i18n, |l| td_string!(l, desk.reply.language))}
                    <select
                        data-testid="reply-language"
                        on:change=move |ev| {
                            reply_locale.set(locale_of(&event_target_value(&ev)));
                            regenerate();
                        }
                    >
                        <option value="zh-CN" selected=move || reply_locale.get() == Locale::zh_CN lang="zh-CN">
                            "中文"
                        </option>
                        <option value="en" selected=move || reply_locale.get() == Locale::en lang="en">
                            "English"
                        </option>
                    </select>
                </label>
            </div>
            <label class="reply-text">
                {tr(i18n, |l| td_string!(l, desk.reply.text_label))}
                <textarea
                    data-testid="suggested-reply"
                    rows="7"
                    lang=move || tag_of(reply_locale.get())
                    prop:value=text
                    on:input=move |ev| {
                        edited.set(Some(event_target_value(&ev)));
                        copied.set(None);
                    }
                ></textarea>
            </label>
            <div class="reply-actions">
                <button type="button" on:click=move |_| copy(&text(), copied)>
                    {tr(i18n, |l| td_string!(l, desk.reply.copy))}
                </button>
                <Show when=move || edited.read().is_some()>
                    <button type="button" class="secondary" on:click=move |_| regenerate()>
                        {tr(i18n, |l| td_string!(l, desk.reply.regenerate))}
                    </button>
                </Show>
                <span role="status" aria-live="polite" data-testid="reply-copied">
                    {move || match copied.get() {
                        Some(Copied::Yes) => t_string!(i18n, desk.reply.copied),
                        Some(Copied::Refused) => t_string!(i18n, desk.reply.copy_failed),
                        None if edited.read().is_some() => t_string!(i18n, desk.reply.edited),
                        None => "",
                    }}
                </span>
            </div>
        </section>
    }
}
