//! The mappings page's "Unmapped values": status values that arrived with no
//! mapping, most frequent first, each with how often and when it was last
//! seen, an order that carried it, and "Map to" with "Save". A value once
//! mapped leaves this list (the page loads both lists again); deliveries from
//! then on follow the new mapping.

use super::target_choice::TargetChoice;
use crate::api::{list_unmapped, set_mapping, ApiError};
use crate::i18n::words::admin as admin_words;
use crate::i18n::*;
use crate::model::ingest::integration::{MappingRow, UnmappedValue};
use crate::model::ingest::mapping::Target;
use crate::ui::admin::LoadFailed;
use crate::ui::auth::Auth;
use crate::ui::kit::{format, LocalTime, Submission};
use crate::ui::language::tr;
use crate::ui::routes::order_href;
use leptos::prelude::*;
use leptos::task::spawn_local;
use leptos_router::components::A;

/// The unmapped values section. `version` changes whenever either list may have.
#[component]
pub fn UnmappedValues(
    #[prop(into)] version: Signal<u32>,
    /// A value was mapped here.
    on_saved: Callback<()>,
) -> impl IntoView {
    let auth = Auth::current();
    let i18n = use_i18n();
    let unmapped = LocalResource::new(move || {
        version.track();
        auth.call(list_unmapped())
    });
    let latest = Memo::new(move |_| unmapped.get().and_then(Result::ok));
    // What was mapped last: the row itself is gone once the list is loaded again.
    let mapped = RwSignal::new(None::<MappingRow>);
    let saved = Callback::new(move |done: MappingRow| {
        mapped.set(Some(done));
        on_saved.run(());
    });
    let empty = move || latest.read().as_ref().is_some_and(Vec::is_empty);

    view! {
        <section class="unmapped-values" aria-labelledby="unmapped-heading">
            <h2 id="unmapped-heading">{tr(i18n, |l| td_string!(l, admin.unmapped.title))}</h2>
            <p class="hint">{tr(i18n, |l| td_string!(l, admin.unmapped.hint))}</p>
            <p class="form-outcome" role="status" data-testid="unmapped-outcome">
                {move || {
                    mapped
                        .get()
                        .map(|row| {
                            let locale = i18n.get_locale();
                            let done = td_string!(
                                locale,
                                admin.unmapped.mapped,
                                dialect = row.dialect,
                                value = row.value,
                                target = admin_words::target(locale, row.target)
                            )
                            .to_string();
                            view! { <span class="form-success">{done}</span> }
                        })
                }}
            </p>
            <Transition fallback=move || {
                view! { <p class="loading" role="status">{tr(i18n, |l| td_string!(l, admin.unmapped.loading))}</p> }
            }>
                <ErrorBoundary fallback=|errors| {
                    view! { <LoadFailed errors title=|l| td_string!(l, admin.unmapped.load_failed)/> }
                }>
                    {move || Suspend::new(async move { unmapped.await.map(|_| ()) })}
                    <p class="empty" data-testid="no-unmapped" hidden=move || !empty()>
                        {tr(i18n, |l| td_string!(l, admin.unmapped.none))}
                    </p>
                    <table
                        class="data-table unmapped-table"
                        aria-labelledby="unmapped-heading"
                        hidden=move || latest.read().as_ref().is_none_or(Vec::is_empty)
                    >
                        <thead>
                            <tr>
                                <th scope="col">{tr(i18n, |l| td_string!(l, admin.unmapped.col.dialect))}</th>
                                <th scope="col">{tr(i18n, |l| td_string!(l, admin.unmapped.col.value))}</th>
                                <th scope="col" class="num">{tr(i18n, |l| td_string!(l, admin.unmapped.col.times))}</th>
                                <th scope="col">{tr(i18n, |l| td_string!(l, admin.unmapped.col.last_seen))}</th>
                                <th scope="col">{tr(i18n, |l| td_string!(l, admin.unmapped.col.example))}</th>
                                <th scope="col">{tr(i18n, |l| td_string!(l, admin.unmapped.col.map_to))}</th>
                            </tr>
                        </thead>
                        <tbody>
                            <For
                                each=move || latest.get().unwrap_or_default()
                                key=|u| (u.dialect.clone(), u.value.clone(), u.count, u.last_seen)
                                let:value
                            >
                                <UnmappedEntry value on_saved=saved/>
                            </For>
                        </tbody>
                    </table>
                </ErrorBoundary>
            </Transition>
        </section>
    }
}

/// What kept a value from being mapped.
#[derive(Debug, Clone)]
enum Problem {
    /// "Save" before a meaning was chosen.
    Unchosen,
    Server(ApiError),
}

/// The problem in the reader's language.
fn problem_words(locale: Locale, problem: &Problem) -> String {
    match problem {
        Problem::Unchosen => td_string!(locale, admin.unmapped.choose_first).to_string(),
        Problem::Server(e) => words::api_error(locale, e),
    }
}

/// One unmapped value with its "Map to" choice.
#[component]
fn UnmappedEntry(value: UnmappedValue, on_saved: Callback<MappingRow>) -> impl IntoView {
    let auth = Auth::current();
    let i18n = use_i18n();
    let picked = RwSignal::new(None::<Target>);
    let form = Submission::<Problem>::default();
    let Submission {
        busy,
        outcome: error,
    } = form;
    let key = StoredValue::new((value.dialect.clone(), value.value.clone()));

    let save = move |_| {
        if busy.get_untracked() {
            return;
        }
        let Some(target) = picked.get_untracked() else {
            error.set(Some(Problem::Unchosen));
            return;
        };
        if !form.begin() {
            return;
        }
        let (dialect, value) = key.get_value();
        spawn_local(async move {
            match auth.call(set_mapping(dialect, value, target)).await {
                Ok(row) => on_saved.run(row),
                Err(e) => {
                    error.try_set(Some(Problem::Server(e)));
                }
            }
            busy.try_set(false);
        });
    };

    let order = value.example_order.to_string();
    view! {
        <tr data-testid="unmapped-row" data-dialect=value.dialect.clone() data-value=value.value.clone()>
            <td class="dialect">{value.dialect.clone()}</td>
            <th scope="row">
                <code class="dialect-value">{value.value.clone()}</code>
            </th>
            <td class="num" data-testid="unmapped-count">
                {
                    let count = value.count;
                    move || format::number(i18n.get_locale(), count)
                }
            </td>
            <td>
                <LocalTime at=value.last_seen/>
            </td>
            <td>
                <A href=order_href(&order)>{order.clone()}</A>
            </td>
            <td>
                <div class="inline-form">
                    <TargetChoice
                        dialect=Signal::derive(move || key.get_value().0)
                        value=picked
                        on_choose=Callback::new(move |t| picked.set(t))
                        aria_label=Signal::derive(move || {
                            let (dialect, value) = key.get_value();
                            t_string!(i18n, admin.unmapped.map_label, dialect = dialect, value = value).to_string()
                        })
                        placeholder=true
                    />
                    <button type="button" on:click=save disabled=move || busy.get()>
                        {tr(i18n, |l| td_string!(l, admin.unmapped.save))}
                    </button>
                    <p class="form-error inline-message" role="alert">
                        {move || error.read().as_ref().map(|p| problem_words(i18n.get_locale(), p))}
                    </p>
                </div>
            </td>
        </tr>
    }
}
