//! The warehouses kept, for admins: "Change" fills the form with one's
//! values; "Remove" asks for a second press ("Confirm: remove …") before it
//! removes the warehouse and its stock (its orders stay in the log).

use crate::api::remove_warehouse;
use crate::i18n::*;
use crate::model::views::warehouse_load::WarehouseRow;
use crate::model::warehouse::WarehouseDraft;
use crate::ui::auth::Auth;
use crate::ui::language::tr;
use leptos::prelude::*;
use leptos::task::spawn_local;

/// The list of warehouses with their admin actions.
#[component]
pub fn KeptWarehouses(
    rows: Memo<Vec<WarehouseRow>>,
    editing: RwSignal<Option<WarehouseDraft>>,
    on_removed: Callback<()>,
) -> impl IntoView {
    let i18n = use_i18n();
    let removed = RwSignal::new(None::<String>);
    let failed = RwSignal::new(None::<String>);
    view! {
        <section class="kept-warehouses" aria-labelledby="kept-warehouses-heading">
            <h2 id="kept-warehouses-heading">{tr(i18n, |l| td_string!(l, logistics.warehouses.form.manage))}</h2>
            <ul class="kept-list">
                // Keyed by all it says, so "Change" takes what is kept now.
                <For each=move || rows.get() key=|r| r.warehouse.clone() let:row>
                    <KeptWarehouse row editing removed failed on_removed/>
                </For>
            </ul>
            <p class="form-done" role="status">
                {move || {
                    removed
                        .get()
                        .map(|name| {
                            td_string!(i18n.get_locale(), logistics.warehouses.form.removed, name = name)
                                .to_string()
                        })
                }}
            </p>
            <p class="form-error" role="alert">{move || failed.get()}</p>
        </section>
    }
}

#[component]
fn KeptWarehouse(
    row: WarehouseRow,
    editing: RwSignal<Option<WarehouseDraft>>,
    removed: RwSignal<Option<String>>,
    failed: RwSignal<Option<String>>,
    on_removed: Callback<()>,
) -> impl IntoView {
    let i18n = use_i18n();
    let auth = Auth::current();
    let confirming = RwSignal::new(false);
    let name = StoredValue::new(row.warehouse.name.clone());
    let draft = StoredValue::new(WarehouseDraft::from(&row.warehouse));
    let remove = move |_| {
        if !confirming.get_untracked() {
            confirming.set(true);
            return;
        }
        let name = name.get_value();
        spawn_local(async move {
            match auth.call(remove_warehouse(name.clone())).await {
                Ok(()) => {
                    failed.try_set(None);
                    removed.try_set(Some(name));
                    on_removed.run(());
                }
                Err(e) => {
                    failed.try_set(Some(words::api_error(i18n.get_locale_untracked(), &e)));
                    confirming.try_set(false);
                }
            }
        });
    };
    view! {
        <li>
            <span class="kept-name">{row.warehouse.name.clone()}</span>
            " "
            <button
                type="button"
                class="secondary"
                on:click=move |_| editing.set(Some(draft.get_value()))
            >
                {move || {
                    td_string!(i18n.get_locale(), logistics.warehouses.form.change_label, name = name.get_value())
                        .to_string()
                }}
            </button>
            " "
            <button type="button" class="danger" on:click=remove>
                {move || {
                    let locale = i18n.get_locale();
                    if confirming.get() {
                        td_string!(locale, logistics.warehouses.form.confirm_remove, name = name.get_value())
                            .to_string()
                    } else {
                        td_string!(locale, logistics.warehouses.form.remove_label, name = name.get_value())
                            .to_string()
                    }
                }}
            </button>
        </li>
    }
}
