//! The "Revoke" cell of a list row (API keys, tracking links): "Revoke" asks
//! for a second click, "Confirm revoke" (focus moves to it), before it acts;
//! a failure is shown in the cell. Nothing is offered for a row that is no
//! longer active. The cell's words are in the reader's language.

use super::Submission;
use crate::i18n::*;
use crate::ui::language::tr;
use leptos::prelude::*;
use leptos::task::spawn_local;
use std::future::Future;

/// The revoke control of one row.
#[component]
pub fn RevokeCell<F, Fut>(
    /// Whether there is anything left to revoke.
    active: bool,
    /// The confirmation question, naming what is revoked and what follows
    /// (a closure follows the language).
    #[prop(into)]
    question: TextProp,
    /// The accessible name of the confirmation group.
    #[prop(into)]
    group_label: TextProp,
    /// Revokes it on the server; the error's text is shown.
    revoke: F,
    /// Called after a successful revoke (to reload the list).
    on_changed: Callback<()>,
) -> impl IntoView
where
    F: Fn() -> Fut + Clone + Send + Sync + 'static,
    Fut: Future<Output = Result<(), String>> + 'static,
{
    let i18n = use_i18n();
    let (question, group_label) = (StoredValue::new(question), StoredValue::new(group_label));
    let confirming = RwSignal::new(false);
    let form = Submission::<String>::default();
    let Submission {
        busy,
        outcome: error,
    } = form;
    let confirm_button = NodeRef::<leptos::html::Button>::new();
    // The confirmation takes the place of "Revoke": focus follows it.
    Effect::new(move || {
        if let Some(button) = confirm_button.get() {
            let _ = button.focus();
        }
    });
    let confirm = move |_| {
        if !form.begin() {
            return;
        }
        let revoke = revoke.clone();
        spawn_local(async move {
            match revoke().await {
                Ok(()) => on_changed.run(()),
                Err(e) => {
                    error.try_set(Some(e));
                }
            }
            confirming.try_set(false);
            busy.try_set(false);
        });
    };
    view! {
        <td>
            {active
                .then(|| {
                    view! {
                        <Show
                            when=move || confirming.get()
                            fallback=move || {
                                view! {
                                    <button type="button" class="secondary" on:click=move |_| confirming.set(true)>
                                        {tr(i18n, |l| td_string!(l, orders.kit.revoke.revoke))}
                                    </button>
                                }
                            }
                        >
                            <div class="confirm-step" role="group" aria-label=move || group_label.with_value(TextProp::get)>
                                <p class="confirm-question">
                                    {move || question.with_value(TextProp::get)}
                                </p>
                                <button
                                    type="button"
                                    class="danger"
                                    node_ref=confirm_button
                                    on:click=confirm.clone()
                                    disabled=move || busy.get()
                                >
                                    {tr(i18n, |l| td_string!(l, orders.kit.revoke.confirm))}
                                </button>
                                <button type="button" class="secondary" on:click=move |_| confirming.set(false)>
                                    {tr(i18n, |l| td_string!(l, orders.kit.revoke.cancel))}
                                </button>
                            </div>
                        </Show>
                    }
                })}
            <p class="form-error" role="alert">
                {move || error.get()}
            </p>
        </td>
    }
}
