//! First / Previous / Next / Last links around "Page X of Y", for any paged
//! list whose pages are addresses (so Back and Forward move between pages),
//! in the reader's language. Numbered lists give the address of a page
//! number (`href`); keyset lists (the order list) give the four addresses
//! themselves (`links`), since a page there is "after this order", not an offset.

use crate::i18n::*;
use crate::ui::kit::format::number;
use crate::ui::language::tr;
use leptos::prelude::*;

/// Where the pager's links go; `None` where there is no such page (the link
/// is then shown disabled).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct PageLinks {
    pub first: Option<String>,
    pub previous: Option<String>,
    pub next: Option<String>,
    pub last: Option<String>,
}

impl PageLinks {
    /// The links of page `current` of `count` numbered pages, whose
    /// addresses `href` makes.
    pub fn numbered(current: u32, count: u32, href: impl Fn(u32) -> String) -> PageLinks {
        let back = current > 1;
        let on = current < count;
        PageLinks {
            first: back.then(|| href(1)),
            previous: back.then(|| href(current - 1)),
            next: on.then(|| href(current + 1)),
            last: on.then(|| href(count)),
        }
    }
}

/// First / Previous / Next / Last links around "Page X of Y".
#[component]
pub fn Pager(
    current: Signal<u32>,
    page_count: Signal<u32>,
    /// The address of a numbered page (1-based).
    #[prop(optional)]
    href: Option<Callback<u32, String>>,
    /// The links themselves, for lists whose pages are not numbered addresses.
    #[prop(optional)]
    links: Option<Signal<PageLinks>>,
    /// Shown after the links ("25 per page") when given.
    #[prop(optional)]
    per_page: Option<u32>,
) -> impl IntoView {
    let i18n = use_i18n();
    let count = move |n: u32| number(i18n.get_locale(), u64::from(n));
    let links = links.unwrap_or_else(|| {
        Signal::derive(move || {
            href.map_or_else(PageLinks::default, |href| {
                PageLinks::numbered(current.get(), page_count.get(), |p| href.run(p))
            })
        })
    });
    let link = move |pick: fn(&PageLinks) -> &Option<String>| {
        Signal::derive(move || links.with(|l| pick(l).clone()))
    };
    view! {
        <nav class="pager" aria-label=tr(i18n, |l| td_string!(l, orders.kit.pager.label)) data-testid="pager">
            <PagerLink
                label=Signal::derive(move || t_string!(i18n, orders.kit.pager.first))
                href=link(|l| &l.first)
            />
            <PagerLink
                label=Signal::derive(move || t_string!(i18n, orders.kit.pager.previous))
                rel="prev"
                href=link(|l| &l.previous)
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
                href=link(|l| &l.next)
            />
            <PagerLink
                label=Signal::derive(move || t_string!(i18n, orders.kit.pager.last))
                href=link(|l| &l.last)
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
    #[prop(optional)] rel: Option<&'static str>,
    href: Signal<Option<String>>,
) -> impl IntoView {
    move || match href.get() {
        Some(href) => view! { <a class="pager-link" href=href rel=rel>{label}</a> }.into_any(),
        None => view! { <span class="pager-link" aria-disabled="true">{label}</span> }.into_any(),
    }
}
