//! `/admin/audit`: the audit trail, newest first, filtered by kind and paged.
//! The filter and page live in the URL (`?kind=&page=`), so a view of the trail
//! is a deep link and Back/Forward move between pages.

use crate::api::audit_log;
use crate::i18n::words::admin as admin_words;
use crate::i18n::*;
use crate::model::access::account::{AuditEntry, AuditKind, AuditPage};
use crate::model::views::query::page_count;
use crate::ui::admin::LoadFailed;
use crate::ui::auth::Auth;
use crate::ui::kit::{format, LocalTime, Pager};
use crate::ui::language::tr;
use crate::ui::routes::StaffPage;
use leptos::prelude::*;
use leptos_router::hooks::{use_navigate, use_query_map};
use leptos_router::params::ParamsMap;
use leptos_router::NavigateOptions;

/// Which part of the trail is shown. Unknown values in the URL read as "any".
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
struct AuditView {
    kind: Option<AuditKind>,
    /// 1-based.
    page: u32,
}

impl AuditView {
    fn from_query(query: &ParamsMap) -> Self {
        AuditView {
            kind: query.get_str("kind").and_then(kind_named),
            page: query
                .get_str("page")
                .and_then(|p| p.parse().ok())
                .unwrap_or(1)
                .max(1),
        }
    }

    fn href(self) -> String {
        let mut params = Vec::new();
        if let Some(kind) = self.kind {
            params.push(format!("kind={}", kind.as_str()));
        }
        if self.page > 1 {
            params.push(format!("page={}", self.page));
        }
        StaffPage::Audit.href_with(&params)
    }
}

fn kind_named(name: &str) -> Option<AuditKind> {
    AuditKind::ALL.into_iter().find(|k| k.as_str() == name)
}

/// The audit page.
#[component]
pub fn AuditPage() -> impl IntoView {
    let i18n = use_i18n();
    crate::ui::kit::use_page_title(move || t_string!(i18n, admin.audit.page_title).to_string());
    let auth = Auth::current();
    let query = use_query_map();
    let shown = Memo::new(move |_| query.with(AuditView::from_query));
    let trail = LocalResource::new(move || {
        let AuditView { kind, page } = shown.get();
        auth.call(audit_log(page, kind))
    });
    let navigate = use_navigate();

    view! {
        <section class="admin-page audit-page">
            <h1 id="audit-heading">{tr(i18n, |l| td_string!(l, admin.audit.title))}</h1>
            <form class="filter-bar" role="search" aria-label=tr(i18n, |l| td_string!(l, admin.audit.filter)) on:submit=|ev| ev.prevent_default()>
                <label>
                    <span>{tr(i18n, |l| td_string!(l, admin.audit.filter_kind))}</span>
                    <select
                        name="kind"
                        data-testid="filter-kind"
                        on:change:target=move |ev| {
                            let next = AuditView {
                                kind: kind_named(&ev.target().value()),
                                page: 1,
                            };
                            navigate(&next.href(), NavigateOptions::default());
                        }
                    >
                        <option value="" prop:selected=move || shown.read().kind.is_none()>
                            {tr(i18n, |l| td_string!(l, admin.audit.any))}
                        </option>
                        {AuditKind::ALL
                            .into_iter()
                            .map(|kind| {
                                view! {
                                    <option
                                        value=kind.as_str()
                                        prop:selected=move || shown.read().kind == Some(kind)
                                    >
                                        {move || admin_words::audit_kind(i18n.get_locale(), kind)}
                                    </option>
                                }
                            })
                            .collect_view()}
                    </select>
                </label>
            </form>
            <Transition fallback=move || view! { <p class="loading" role="status">{tr(i18n, |l| td_string!(l, admin.audit.loading))}</p> }>
                <ErrorBoundary fallback=|errors| {
                    view! { <LoadFailed errors title=|l| td_string!(l, admin.audit.load_failed)/> }
                }>
                    {move || Suspend::new(async move {
                        trail.await.map(|page| view! { <AuditTable page shown/> })
                    })}
                </ErrorBoundary>
            </Transition>
        </section>
    }
}

/// One page of the trail with its pager.
#[component]
fn AuditTable(page: AuditPage, shown: Memo<AuditView>) -> impl IntoView {
    let i18n = use_i18n();
    let count = page_count(page.total, page.per_page);
    let current = page.page.max(1);
    let total = page.total;
    let empty = page.entries.is_empty();
    let href = Callback::new(move |page: u32| {
        AuditView {
            page,
            ..shown.get_untracked()
        }
        .href()
    });
    view! {
        <p class="list-summary" data-testid="audit-total">
            {move || {
                let locale = i18n.get_locale();
                let n = format::number(locale, total);
                if total == 1 {
                    td_string!(locale, admin.audit.total.singular, count = n).to_string()
                } else {
                    td_string!(locale, admin.audit.total.plural, count = n).to_string()
                }
            }}
        </p>
        <p class="empty" hidden=!empty>
            {tr(i18n, |l| td_string!(l, admin.audit.empty))}
        </p>
        <table class="data-table audit-table" aria-labelledby="audit-heading" hidden=empty>
            <thead>
                <tr>
                    <th scope="col">{tr(i18n, |l| td_string!(l, admin.audit.col.time))}</th>
                    <th scope="col">{tr(i18n, |l| td_string!(l, admin.audit.col.kind))}</th>
                    <th scope="col">{tr(i18n, |l| td_string!(l, admin.audit.col.username))}</th>
                    <th scope="col">{tr(i18n, |l| td_string!(l, admin.audit.col.address))}</th>
                    <th scope="col">{tr(i18n, |l| td_string!(l, admin.audit.col.detail))}</th>
                </tr>
            </thead>
            <tbody>
                {page.entries.into_iter().map(|entry| view! { <AuditRow entry/> }).collect_view()}
            </tbody>
        </table>
        <Pager current=Signal::stored(current) page_count=Signal::stored(count) href/>
    }
}

#[component]
fn AuditRow(entry: AuditEntry) -> impl IntoView {
    let i18n = use_i18n();
    let kind = entry.kind;
    view! {
        <tr data-testid="audit-row" data-kind=entry.kind.as_str()>
            <td>
                <LocalTime at=entry.at/>
            </td>
            <td class="audit-kind">{move || admin_words::audit_kind(i18n.get_locale(), kind)}</td>
            <td>{entry.username.unwrap_or_else(|| "—".to_string())}</td>
            <td class="address">{entry.address}</td>
            <td>{entry.detail}</td>
        </tr>
    }
}
