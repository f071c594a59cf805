//! `/admin/mappings`: what each status value a system sends means for our
//! orders. First the values that arrived with no mapping (see
//! [`UnmappedValues`]), then the mapping table, filtered by dialect (kept in the
//! URL, `?dialect=`), with a target choice and "Save" per row, then the form
//! that adds a row. Any change loads both lists again; rows are keyed by
//! dialect and value and follow the list, so focus stays where it was.

use super::new_mapping_form::NewMappingForm;
use super::target_choice::TargetChoice;
use super::unmapped::UnmappedValues;
use crate::api::{list_mappings, set_mapping};
use crate::model::ingest::integration::MappingRow;
use crate::model::ingest::mapping::{dialect, Target};
use crate::ui::auth::Auth;
use crate::ui::kit::{ErrorNotice, LocalTime, Submission};
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
    crate::ui::kit::use_page_title(|| "Mappings".into());
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
            <h1>"Mappings"</h1>
            <p class="hint">
                "What each status value a system sends means for our orders. A change applies to deliveries from now on; events already in the log stay as they were."
            </p>
            <UnmappedValues version on_saved=changed/>
            <h2 id="mapping-table-heading">"Mapping table"</h2>
            <form
                class="filter-bar"
                role="search"
                aria-label="Filter the mapping table"
                on:submit=|ev| ev.prevent_default()
            >
                <label>
                    <span>"Filter by dialect"</span>
                    <select
                        name="dialect"
                        data-testid="filter-dialect"
                        on:change:target=move |ev| {
                            let next = href(dialect_named(&ev.target().value()));
                            navigate(&next, NavigateOptions::default());
                        }
                    >
                        <option value="" prop:selected=move || shown.get().is_none()>
                            "All"
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
            <Transition fallback=|| view! { <p class="loading" role="status">"Loading the mapping table…"</p> }>
                <ErrorBoundary fallback=|errors| {
                    view! { <ErrorNotice errors title="The mapping table could not be loaded"/> }
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
    let empty = move || rows.read().as_ref().is_some_and(Vec::is_empty);
    view! {
        <p class="list-summary" data-testid="mapping-total">
            {move || {
                let n = rows.read().as_ref().map_or(0, Vec::len);
                format!("{n} {}", if n == 1 { "row" } else { "rows" })
            }}
        </p>
        <p class="empty" hidden=move || !empty()>
            "No mappings for this dialect."
        </p>
        <table class="data-table mappings-table" aria-labelledby="mapping-table-heading" hidden=empty>
            <thead>
                <tr>
                    <th scope="col">"Dialect"</th>
                    <th scope="col">"Value"</th>
                    <th scope="col">"Means"</th>
                    <th scope="col">"Changed"</th>
                    <th scope="col">"Change to"</th>
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
    let form = Submission::<Result<(), String>>::default();
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
            outcome.try_set(Some(result.map(|_| ()).map_err(|e| e.to_string())));
            busy.try_set(false);
        });
    };

    let (dialect, value) = key.get_value();
    view! {
        <tr data-testid="mapping-row" data-dialect=dialect.clone() data-value=value.clone()>
            <td class="dialect">{dialect.clone()}</td>
            <th scope="row">
                <code class="dialect-value">{value.clone()}</code>
            </th>
            <td data-testid="mapping-target">{move || row.read().target.label()}</td>
            <td>
                {move || {
                    let row = row.read();
                    match (row.changed_by.clone(), row.changed_at) {
                        (Some(by), Some(at)) => {
                            view! {
                                {format!("by {by}, ")}
                                <LocalTime at/>
                            }
                                .into_any()
                        }
                        (Some(by), None) => format!("by {by}").into_any(),
                        _ => view! { <span class="none">"As shipped"</span> }.into_any(),
                    }
                }}
            </td>
            <td>
                <div class="inline-form">
                    <TargetChoice
                        value=Signal::derive(move || picked.get().or(Some(row.read().target)))
                        on_choose=Callback::new(move |t| picked.set(t))
                        aria_label=format!("Target for {dialect} {value}")
                    />
                    <button type="button" class="secondary" on:click=save disabled=move || busy.get()>
                        "Save"
                    </button>
                    <p class="inline-message" role="status">
                        {move || match outcome.get() {
                            Some(Ok(())) => view! { <span class="form-success">"Saved."</span> }.into_any(),
                            Some(Err(e)) => view! { <span class="form-error">{e}</span> }.into_any(),
                            None => ().into_any(),
                        }}
                    </p>
                </div>
            </td>
        </tr>
    }
}
