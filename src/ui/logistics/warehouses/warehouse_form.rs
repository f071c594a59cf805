//! "Add or change a warehouse" (admins): name, province, daily capacity and
//! carriers. The draft is parsed in the browser with the model's own parser
//! (the server parses it again), so a missing name is said at once, in the
//! reader's language; saving a name that exists changes that warehouse.
//! "Change" on a kept warehouse fills the form with its values.

use crate::api::{save_warehouse, ApiError};
use crate::i18n::*;
use crate::model::warehouse::{WarehouseDraft, WarehouseError};
use crate::ui::admin::FormProblem;
use crate::ui::auth::Auth;
use crate::ui::kit::{Submission, SubmitRow};
use crate::ui::language::tr;
use leptos::prelude::*;
use leptos::task::spawn_local;

/// What kept the form from saving.
#[derive(Debug, Clone)]
enum Problem {
    Draft(WarehouseError),
    Server(ApiError),
}

fn problem_words(locale: Locale, problem: &Problem) -> String {
    match problem {
        Problem::Draft(e) => words::warehouse_error(locale, e).to_string(),
        Problem::Server(e) => words::api_error(locale, e),
    }
}

/// The form; `editing` is set by "Change" on a kept warehouse.
#[component]
pub fn WarehouseForm(
    editing: RwSignal<Option<WarehouseDraft>>,
    on_saved: Callback<()>,
) -> impl IntoView {
    let auth = Auth::current();
    let i18n = use_i18n();
    let name = RwSignal::new(String::new());
    let province = RwSignal::new(String::new());
    let capacity = RwSignal::new(String::new());
    let carriers = RwSignal::new(String::new());
    let saved = RwSignal::new(None::<String>);
    let form = Submission::<String>::default();
    let busy = form.busy;
    let problem = FormProblem::new(form, problem_words);

    Effect::new(move |_| {
        if let Some(draft) = editing.get() {
            name.set(draft.name);
            province.set(draft.province);
            capacity.set(draft.daily_capacity.to_string());
            carriers.set(draft.carriers.join(", "));
            saved.set(None);
        }
    });

    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        if busy.get_untracked() {
            return;
        }
        let draft = WarehouseDraft {
            name: name.get_untracked(),
            province: province.get_untracked(),
            daily_capacity: capacity.get_untracked().trim().parse().unwrap_or(0),
            carriers: vec![carriers.get_untracked()],
        };
        if let Err(e) = draft.parse() {
            problem.set(Problem::Draft(e));
            return;
        }
        if !problem.begin() {
            return;
        }
        saved.set(None);
        spawn_local(async move {
            match auth.call(save_warehouse(draft)).await {
                Ok(warehouse) => {
                    for field in [name, province, capacity, carriers] {
                        field.try_set(String::new());
                    }
                    editing.try_set(None);
                    saved.try_set(Some(warehouse.name));
                    on_saved.run(());
                }
                Err(e) => problem.set(Problem::Server(e)),
            }
            busy.try_set(false);
        });
    };

    let field = move |label: fn(Locale) -> &'static str,
                      value: RwSignal<String>,
                      input_name: &'static str,
                      kind: &'static str| {
        view! {
            <div class="field">
                <label>
                    <span>{tr(i18n, label)}</span>
                    <input
                        name=input_name
                        type=kind
                        min=(kind == "number").then_some("1")
                        autocomplete="off"
                        prop:value=move || value.get()
                        on:input:target=move |ev| value.set(ev.target().value())
                    />
                </label>
            </div>
        }
    };

    view! {
        <form class="admin-form" on:submit=submit aria-labelledby="warehouse-form-heading" data-testid="warehouse-form">
            <h2 id="warehouse-form-heading">{tr(i18n, |l| td_string!(l, logistics.warehouses.form.title))}</h2>
            <p class="hint">{tr(i18n, |l| td_string!(l, logistics.warehouses.form.hint))}</p>
            <div class="admin-form-fields">
                {field(|l| td_string!(l, logistics.warehouses.form.name), name, "name", "text")}
                {field(|l| td_string!(l, logistics.warehouses.form.province), province, "province", "text")}
                {field(|l| td_string!(l, logistics.warehouses.form.capacity), capacity, "daily_capacity", "number")}
                {field(|l| td_string!(l, logistics.warehouses.form.carriers), carriers, "carriers", "text")}
            </div>
            {move || view! { <SubmitRow label=t_string!(i18n, logistics.warehouses.form.save) form/> }}
            <p class="form-done" role="status" data-testid="warehouse-saved">
                {move || {
                    saved
                        .get()
                        .map(|name| {
                            td_string!(i18n.get_locale(), logistics.warehouses.form.saved, name = name)
                                .to_string()
                        })
                }}
            </p>
        </form>
    }
}
