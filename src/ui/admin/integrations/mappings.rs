//! `/admin/mappings`: what each status value a system sends means for our
//! orders. First the values that arrived with no mapping (see
//! [`UnmappedValues`]), then the mapping table, filtered by dialect (kept in the
//! URL, `?dialect=`), with a target choice and "Save" per row, then the form
//! that adds a row. Any change loads both lists again; rows are keyed by
//! dialect and value and follow the list, so focus stays where it was.

use super::new_mapping_form::NewMappingForm;
use super::target_choice::TargetChoice;
use super::unmapped::UnmappedValues;
use crate::api::{list_mappings, set_mapping, ApiError};
use crate::i18n::words::admin as admin_words;
use crate::i18n::*;
use crate::model::ingest::integration::MappingRow;
use crate::model::ingest::mapping::{dialect, Target};
use crate::ui::admin::LoadFailed;
use crate::ui::auth::Auth;
use crate::ui::kit::{format, LocalTime, Submission};
use crate::ui::language::tr;
use crate::ui::routes::StaffPage;
use leptos::prelude::*;
use leptos::task::spawn_local;
use leptos_router::hooks::{use_navigate, use_query_map};
use leptos_router::NavigateOptions;

/// A dialect the tables know, by name; anything else in the URL reads as "all".
fn dialect_named(name: &str) -> Option<&'static str> {
    dialect::ALL.into_iter().find(|d| *d == name)
}

/// The page's address showing `dialect` (all when `None`).
fn href(dialect: Option<&str>) -> String {
    let params: Vec<String> = dialect
        .map(|d| format!("dialect={d}"))
        .into_iter()
        .collect();
    StaffPage::Mappings.href_with(&params)
}

/// The mappings page.
#[component]
pub fn MappingsPage() -> impl IntoView {
    let i18n = use_i18n();
    crate::ui::kit::use_page_title(move || t_string!(i18n, admin.mappings.title).to_string());
    let auth = Auth::current();
    let query = use_query_map();
    let shown = Memo::new(move |_| query.with(|q| q.get_str("dialect").and_then(dialect_named)));
    // Bumped after every change, to load both lists again.
    let version = RwSignal::new(0_u32);
    let changed = Callback::new(move |()| version.update(|v| *v += 1));
    let mappings = LocalResource::new(move || {
        version.track();
        let dialect = shown.get().map(str::to_string);
        auth.call(list_mappings(dialect))
    });
    let latest = Memo::new(move |_| mappings.get().and_then(Result::ok));
    let navigate = use_navigate();

    view! {
        <section class="admin-page mappings-page">
            <h1>{tr(i18n, |l| td_string!(l, admin.mappings.title))}</h1>
            <p class="hint">{tr(i18n, |l| td_string!(l, admin.mappings.hint))}</p>
            <UnmappedValues version on_saved=changed/>
            <h2 id="mapping-table-heading">{tr(i18n, |l| td_string!(l, admin.mappings.table))}</h2>
            <form
                class="filter-bar"
                role="search"
                aria-label=tr(i18n, |l| td_string!(l, admin.mappings.filter))
                on:submit=|ev| ev.prevent_default()
            >
                <label>
                    <span>{tr(i18n, |l| td_string!(l, admin.mappings.filter_dialect))}</span>
                    <select
                        name="dialect"
                        data-testid="filter-dialect"
                        on:change:target=move |ev| {
                            let next = href(dialect_named(&ev.target().value()));
                            navigate(&next, NavigateOptions::default());
                        }
                    >
                        <option value="" prop:selected=move || shown.get().is_none()>
                            {tr(i18n, |l| td_string!(l, admin.mappings.all))}
                        </option>
                        {dialect::ALL
                            .into_iter()
                            .map(|d| {
                                view! {
                                    <option value=d prop:selected=move || shown.get() == Some(d)>
                                        {d}
                                    </option>
                                }
                            })
                            .collect_view()}
                    </select>
                </label>
            </form>
            <Transition fallback=move || {
                view! { <p class="loading" role="status">{tr(i18n, |l| td_string!(l, admin.mappings.loading))}</p> }
            }>
                <ErrorBoundary fallback=|errors| {
                    view! { <LoadFailed errors title=|l| td_string!(l, admin.mappings.load_failed)/> }
                }>
                    {move || Suspend::new(async move { mappings.await.map(|_| ()) })}
                    <MappingTable rows=latest on_saved=changed/>
                </ErrorBoundary>
            </Transition>
            <NewMappingForm on_added=changed/>
        </section>
    }
}

#[component]
fn MappingTable(rows: Memo<Option<Vec<MappingRow>>>, on_saved: Callback<()>) -> impl IntoView {
    let i18n = use_i18n();
    let empty = move || rows.read().as_ref().is_some_and(Vec::is_empty);
    view! {
        <p class="list-summary" data-testid="mapping-total">
            {move || {
                let n = rows.read().as_ref().map_or(0, Vec::len) as u64;
                let locale = i18n.get_locale();
                let count = format::number(locale, n);
                if n == 1 {
                    td_string!(locale, admin.mappings.rows.singular, count = count).to_string()
                } else {
                    td_string!(locale, admin.mappings.rows.plural, count = count).to_string()
                }
            }}
        </p>
        <p class="empty" hidden=move || !empty()>
            {tr(i18n, |l| td_string!(l, admin.mappings.empty))}
        </p>
        <table class="data-table mappings-table" aria-labelledby="mapping-table-heading" hidden=empty>
            <thead>
                <tr>
                    <th scope="col">{tr(i18n, |l| td_string!(l, admin.mappings.col.dialect))}</th>
                    <th scope="col">{tr(i18n, |l| td_string!(l, admin.mappings.col.value))}</th>
                    <th scope="col">{tr(i18n, |l| td_string!(l, admin.mappings.col.means))}</th>
                    <th scope="col">{tr(i18n, |l| td_string!(l, admin.mappings.col.changed))}</th>
                    <th scope="col">{tr(i18n, |l| td_string!(l, admin.mappings.col.change_to))}</th>
                </tr>
            </thead>
            <tbody>
                <For
                    each=move || rows.get().unwrap_or_default()
                    key=|r| (r.dialect.clone(), r.value.clone())
                    let:row
                >
                    <MappingEntry first=row rows on_saved/>
                </For>
            </tbody>
        </table>
    }
}

/// One row of the table, as first listed; follows the list as it is loaded again.
#[component]
fn MappingEntry(
    first: MappingRow,
    rows: Memo<Option<Vec<MappingRow>>>,
    on_saved: Callback<()>,
) -> impl IntoView {
    let auth = Auth::current();
    let i18n = use_i18n();
    let key = StoredValue::new((first.dialect.clone(), first.value.clone()));
    let row = Memo::new(move |previous: Option<&MappingRow>| {
        let (dialect, value) = key.get_value();
        rows.with(|rows| {
            rows.as_ref().and_then(|rows| {
                rows.iter()
                    .find(|r| r.dialect == dialect && r.value == value)
                    .cloned()
            })
        })
        .or_else(|| previous.cloned())
        .unwrap_or_else(|| first.clone())
    });
    // The admin's pick, until it is saved; the row's own target otherwise.
    let picked = RwSignal::new(None::<Target>);
    let form = Submission::<Result<(), ApiError>>::default();
    let Submission { busy, outcome } = form;

    let save = move |_| {
        let target = picked.get_untracked().unwrap_or(row.get_untracked().target);
        if !form.begin() {
            return;
        }
        let (dialect, value) = key.get_value();
        spawn_local(async move {
            let result = auth.call(set_mapping(dialect, value, target)).await;
            if result.is_ok() {
                picked.try_set(None);
                on_saved.run(());
            }
            outcome.try_set(Some(result.map(|_| ())));
            busy.try_set(false);
        });
    };

    let (dialect, value) = key.get_value();
    let target_label = Signal::derive(move || {
        let (dialect, value) = key.get_value();
        t_string!(
            i18n,
            admin.mappings.target_for,
            dialect = dialect,
            value = value
        )
        .to_string()
    });
    view! {
        <tr data-testid="mapping-row" data-dialect=dialect.clone() data-value=value.clone()>
            <td class="dialect">{dialect.clone()}</td>
            <th scope="row">
                <code class="dialect-value">{value.clone()}</code>
            </th>
            <td data-testid="mapping-target">{move || admin_words::target(i18n.get_locale(), row.read().target)}</td>
            <td>
                {move || {
                    let row = row.read();
                    let locale = i18n.get_locale();
                    match (row.changed_by.clone(), row.changed_at) {
                        (Some(by), Some(at)) => {
                            view! {
                                {td_string!(locale, admin.mappings.changed_by, name = by).to_string()}
                                <LocalTime at/>
                            }
                                .into_any()
                        }
                        (Some(by), None) => {
                            td_string!(locale, admin.mappings.changed_by_only, name = by).to_string().into_any()
                        }
                        _ => view! { <span class="none">{tr(i18n, |l| td_string!(l, admin.mappings.as_shipped))}</span> }.into_any(),
                    }
                }}
            </td>
            <td>
                <div class="inline-form">
                    <TargetChoice
                        dialect=Signal::derive(move || row.read().dialect.clone())
                        value=Signal::derive(move || picked.get().or(Some(row.read().target)))
                        on_choose=Callback::new(move |t| picked.set(t))
                        aria_label=target_label
                    />
                    <button type="button" class="secondary" on:click=save disabled=move || busy.get()>
                        {tr(i18n, |l| td_string!(l, admin.mappings.save))}
                    </button>
                    <p class="inline-message" role="status">
                        {move || match outcome.get() {
                            Some(Ok(())) => {
                                view! { <span class="form-success">{tr(i18n, |l| td_string!(l, admin.mappings.saved))}</span> }.into_any()
                            }
                            Some(Err(e)) => {
                                view! { <span class="form-error">{words::api_error(i18n.get_locale(), &e)}</span> }
                                    .into_any()
                            }
                            None => ().into_any(),
                        }}
                    </p>
                </div>
            </td>
        </tr>
    }
}
