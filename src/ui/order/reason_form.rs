//! A desk action that needs nothing but a reason (cancel, intercept for a
//! refund, hold, release): a labelled reason field and one button. A blank
//! reason is said in the panel's live region and nothing is sent; once the
//! action is recorded the field is cleared.

use super::desk::{Desk, Problem};
use crate::i18n::*;
use crate::model::order::desk_action::{DeskAction, Reason};
use crate::ui::language::tr;
use leptos::prelude::*;

/// The form for one reason-only action.
#[component]
pub fn ReasonForm(
    desk: Desk,
    /// Names the form's fields and test ids (`cancel` → `cancel-form`,
    /// `action-cancel-reason`).
    name: &'static str,
    /// The button's words.
    submit: fn(Locale) -> &'static str,
    /// The action, given the reason.
    make: fn(Reason) -> DeskAction,
) -> impl IntoView {
    let i18n = use_i18n();
    let reason = RwSignal::new(String::new());
    let input_id = format!("action-{name}-reason");
    let hint_id = format!("action-{name}-reason-hint");
    let on_submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        match Reason::parse(reason.get_untracked()) {
            Ok(r) => desk.act(make(r), move || reason.set(String::new())),
            Err(e) => desk.problem(Problem::Typed(e)),
        }
    };
    view! {
        <form class="desk-form" on:submit=on_submit data-testid=format!("{name}-form")>
            <div class="field">
                <label for=input_id.clone()>{tr(i18n, |l| td_string!(l, orders.actions.reason))}</label>
                <input
                    id=input_id
                    name="reason"
                    type="text"
                    autocomplete="off"
                    aria-required="true"
                    aria-describedby=hint_id.clone()
                    prop:value=move || reason.get()
                    on:input:target=move |ev| reason.set(ev.target().value())
                />
                <small id=hint_id class="field-hint">
                    {tr(i18n, |l| td_string!(l, orders.actions.reason_hint))}
                </small>
            </div>
            <button type="submit" disabled=move || desk.busy.get()>
                {move || submit(i18n.get_locale())}
            </button>
        </form>
    }
}
