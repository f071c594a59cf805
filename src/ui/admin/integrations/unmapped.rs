//! The mappings page's "Unmapped values": status values that arrived with no
//! mapping, most frequent first, each with how often and when it was last
//! seen, an order that carried it, and "Map to" with "Save". A value once
//! mapped leaves this list (the page loads both lists again); deliveries from
//! then on follow the new mapping.

use super::target_choice::TargetChoice;
use crate::api::{list_unmapped, set_mapping};
use crate::model::ingest::integration::UnmappedValue;
use crate::model::ingest::mapping::Target;
use crate::ui::auth::Auth;
use crate::ui::kit::{ErrorNotice, LocalTime, Submission};
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
    let unmapped = LocalResource::new(move || {
        version.track();
        auth.call(list_unmapped())
    });
    let latest = Memo::new(move |_| unmapped.get().and_then(Result::ok));
    // What was mapped last: the row itself is gone once the list is loaded again.
    let mapped = RwSignal::new(None::<String>);
    let saved = Callback::new(move |done: String| {
        mapped.set(Some(done));
        on_saved.run(());
    });
    let empty = move || latest.read().as_ref().is_some_and(Vec::is_empty);

    view! {
        <section class="unmapped-values" aria-labelledby="unmapped-heading">
            <h2 id="unmapped-heading">"Unmapped values"</h2>
            <p class="hint">
                "Values that arrived with no mapping. Each was kept in its order's log as reported, without moving the order."
            </p>
            <p class="form-outcome" role="status" data-testid="unmapped-outcome">
                {move || mapped.get().map(|done| view! { <span class="form-success">{done}</span> })}
            </p>
            <Transition fallback=|| view! { <p class="loading" role="status">"Loading unmapped values…"</p> }>
                <ErrorBoundary fallback=|errors| {
                    view! { <ErrorNotice errors title="The unmapped values could not be loaded"/> }
                }>
                    {move || Suspend::new(async move { unmapped.await.map(|_| ()) })}
                    <p class="empty" data-testid="no-unmapped" hidden=move || !empty()>
                        "Every value received so far has a mapping."
                    </p>
                    <table
                        class="data-table unmapped-table"
                        aria-labelledby="unmapped-heading"
                        hidden=move || latest.read().as_ref().is_none_or(Vec::is_empty)
                    >
                        <thead>
                            <tr>
                                <th scope="col">"Dialect"</th>
                                <th scope="col">"Value"</th>
                                <th scope="col" class="num">"Times received"</th>
                                <th scope="col">"Last seen"</th>
                                <th scope="col">"Example order"</th>
                                <th scope="col">"Map to"</th>
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

/// One unmapped value with its "Map to" choice.
#[component]
fn UnmappedEntry(value: UnmappedValue, on_saved: Callback<String>) -> impl IntoView {
    let auth = Auth::current();
    let picked = RwSignal::new(None::<Target>);
    let form = Submission::<String>::default();
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
            error.set(Some("Choose what the value means first.".to_string()));
            return;
        };
        if !form.begin() {
            return;
        }
        let (dialect, value) = key.get_value();
        spawn_local(async move {
            match auth.call(set_mapping(dialect, value, target)).await {
                Ok(row) => on_saved.run(format!(
                    "Mapped {} {} to “{}”. Deliveries from now on follow it.",
                    row.dialect,
                    row.value,
                    row.target.label()
                )),
                Err(e) => {
                    error.try_set(Some(e.to_string()));
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
            <td class="num" data-testid="unmapped-count">{value.count}</td>
            <td>
                <LocalTime at=value.last_seen/>
            </td>
            <td>
                <A href=order_href(&order)>{order.clone()}</A>
            </td>
            <td>
                <div class="inline-form">
                    <TargetChoice
                        value=picked
                        on_choose=Callback::new(move |t| picked.set(t))
                        aria_label=format!("Map {} {} to", value.dialect, value.value)
                        placeholder=true
                    />
                    <button type="button" on:click=save disabled=move || busy.get()>
                        "Save"
                    </button>
                    <p class="form-error inline-message" role="alert">
                        {move || error.get()}
                    </p>
                </div>
            </td>
        </tr>
    }
}
