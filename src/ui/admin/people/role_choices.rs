//! The roles of an account as a group of labelled checkboxes, shared by the
//! new-user form and the roles form of each user.

use crate::i18n::*;
use crate::model::Role;
use leptos::prelude::*;

/// One checkbox per role under `legend`, kept in `chosen`.
#[component]
pub fn RoleChoices(
    #[prop(into)] legend: Signal<String>,
    chosen: RwSignal<Vec<Role>>,
) -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <fieldset class="role-choices">
            <legend>{move || legend.get()}</legend>
            {Role::ALL
                .into_iter()
                .map(|role| {
                    view! {
                        <label class="role-choice">
                            <input
                                type="checkbox"
                                name="roles"
                                value=role.as_str()
                                prop:checked=move || chosen.read().contains(&role)
                                on:change:target=move |ev| {
                                    let on = ev.target().checked();
                                    chosen.update(|list| {
                                        list.retain(|r| *r != role);
                                        if on {
                                            list.push(role);
                                        }
                                    });
                                }
                            />
                            {move || words::role(i18n.get_locale(), role)}
                        </label>
                    }
                })
                .collect_view()}
        </fieldset>
    }
}
