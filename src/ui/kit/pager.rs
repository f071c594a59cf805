//! Previous / Next links with "Page X of Y", for any paged list whose pages are
//! addresses (so Back and Forward move between pages), in the reader's language.

use crate::i18n::*;
use crate::ui::kit::format::number;
use crate::ui::language::tr;
use leptos::prelude::*;

/// Previous / Next links around "Page X of Y".
#[component]
pub fn Pager(
    current: Signal<u32>,
    page_count: Signal<u32>,
    /// The address of a page (1-based).
    href: Callback<u32, String>,
    /// Shown after the links ("25 per page") when given.
    #[prop(optional)]
    per_page: Option<u32>,
) -> impl IntoView {
    let i18n = use_i18n();
    let count = move |n: u32| number(i18n.get_locale(), u64::from(n));
    view! {
        <nav class="pager" aria-label=tr(i18n, |l| td_string!(l, orders.kit.pager.label)) data-testid="pager">
            <PagerLink
                label=Signal::derive(move || t_string!(i18n, orders.kit.pager.previous))
                rel="prev"
                href=Signal::derive(move || {
                    let current = current.get();
                    (current > 1).then(|| href.run(current - 1))
                })
            />
            <span class="pager-position" data-testid="page-position">
                {t!(
                    i18n,
                    orders.kit.pager.position,
                    page = move || count(current.get()),
                    pages = move || count(page_count.get())
                )}
            </span>
            <PagerLink
                label=Signal::derive(move || t_string!(i18n, orders.kit.pager.next))
                rel="next"
                href=Signal::derive(move || {
                    let current = current.get();
                    (current < page_count.get()).then(|| href.run(current + 1))
                })
            />
            {per_page.map(|n| view! {
                <span class="pager-size">
                    {t!(i18n, orders.kit.pager.per_page, count = move || count(n))}
                </span>
            })}
        </nav>
    }
}

/// A pager link, or its label marked disabled when there is no such page.
#[component]
fn PagerLink(
    label: Signal<&'static str>,
    rel: &'static str,
    href: Signal<Option<String>>,
) -> impl IntoView {
    move || match href.get() {
        Some(href) => view! { <a class="pager-link" href=href rel=rel>{label}</a> }.into_any(),
        None => view! { <span class="pager-link" aria-disabled="true">{label}</span> }.into_any(),
    }
}
