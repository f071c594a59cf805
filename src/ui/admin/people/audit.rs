//! `/admin/audit`: the audit trail, newest first, filtered by kind and paged.
//! The filter and page live in the URL (`?kind=&page=`), so a view of the trail
//! is a deep link and Back/Forward move between pages.

use crate::api::audit_log;
use crate::model::access::account::{AuditEntry, AuditKind, AuditPage};
use crate::model::views::query::page_count;
use crate::ui::auth::Auth;
use crate::ui::kit::{ErrorNotice, LocalTime, Pager};
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
    crate::ui::kit::use_page_title(|| "Audit trail".into());
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
            <h1 id="audit-heading">"Audit"</h1>
            <form class="filter-bar" role="search" aria-label="Filter the audit trail" on:submit=|ev| ev.prevent_default()>
                <label>
                    <span>"Kind"</span>
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
                            "Any"
                        </option>
                        {AuditKind::ALL
                            .into_iter()
                            .map(|kind| {
                                view! {
                                    <option
                                        value=kind.as_str()
                                        prop:selected=move || shown.read().kind == Some(kind)
                                    >
                                        {kind.label()}
                                    </option>
                                }
                            })
                            .collect_view()}
                    </select>
                </label>
            </form>
            <Transition fallback=|| view! { <p class="loading" role="status">"Loading the audit trail…"</p> }>
                <ErrorBoundary fallback=|errors| {
                    view! { <ErrorNotice errors title="The audit trail could not be loaded"/> }
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
            {format!("{total} {}", if total == 1 { "entry" } else { "entries" })}
        </p>
        <p class="empty" hidden=!empty>
            "No entries."
        </p>
        <table class="data-table audit-table" aria-labelledby="audit-heading" hidden=empty>
            <thead>
                <tr>
                    <th scope="col">"Time"</th>
                    <th scope="col">"Kind"</th>
                    <th scope="col">"Username"</th>
                    <th scope="col">"Address"</th>
                    <th scope="col">"Detail"</th>
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
    view! {
        <tr data-testid="audit-row" data-kind=entry.kind.as_str()>
            <td>
                <LocalTime at=entry.at/>
            </td>
            <td class="audit-kind">{entry.kind.label()}</td>
            <td>{entry.username.unwrap_or_else(|| "—".to_string())}</td>
            <td class="address">{entry.address}</td>
            <td>{entry.detail}</td>
        </tr>
    }
}
