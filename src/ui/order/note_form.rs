//! The order page's "Add note" form. Sends the note with `add_order_note`; on
//! success the recorded event goes straight into the page (the live stream's
//! copy is then recognised by its sequence number) and the text is cleared; on
//! refusal the server's message is shown (in the reader's language, following
//! a switch) and the text is kept.

use crate::api::{add_order_note, ApiError};
use crate::i18n::*;
use crate::model::SeenEvent;
use crate::ui::auth::Auth;
use crate::ui::kit::Submission;
use crate::ui::language::tr;
use leptos::prelude::*;
use leptos::task::spawn_local;

/// A textarea and a button that add a note to the order's log.
#[component]
pub fn NoteForm(order_id: String, on_added: Callback<SeenEvent>) -> impl IntoView {
    let i18n = use_i18n();
    let text = RwSignal::new(String::new());
    let form = Submission::<ApiError>::default();
    let Submission {
        busy: sending,
        outcome: error,
    } = form;
    let order_id = StoredValue::new(order_id);
    let auth = Auth::current();

    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        if !form.begin() {
            return;
        }
        let note = text.get_untracked();
        let order_id = order_id.get_value();
        spawn_local(async move {
            match auth.call(add_order_note(order_id, note)).await {
                Ok(recorded) => {
                    text.set(String::new());
                    on_added.run(recorded);
                }
                Err(e) => {
                    error.try_set(Some(e));
                }
            }
            sending.try_set(false);
        });
    };

    view! {
        <form class="note-form" on:submit=submit data-testid="note-form">
            <label for="note-text">{tr(i18n, |l| td_string!(l, orders.note.label))}</label>
            <textarea
                id="note-text"
                name="note"
                rows="3"
                placeholder=tr(i18n, |l| td_string!(l, orders.note.placeholder))
                data-testid="note-text"
                prop:value=move || text.get()
                on:input:target=move |ev| text.set(ev.target().value())
                aria-describedby="note-hint note-error"
                aria-invalid=move || error.read().is_some().to_string()
            ></textarea>
            <p id="note-hint" class="hint">{tr(i18n, |l| td_string!(l, desk.mentions.note_hint))}</p>
            <div class="note-actions">
                <button type="submit" data-testid="note-submit" disabled=move || sending.get()>
                    {move || {
                        if sending.get() {
                            t_string!(i18n, orders.note.adding)
                        } else {
                            t_string!(i18n, orders.note.submit)
                        }
                    }}
                </button>
                <p id="note-error" class="form-error" role="alert" data-testid="note-error">
                    {move || error.read().as_ref().map(|e| words::api_error(i18n.get_locale(), e))}
                </p>
            </div>
        </form>
    }
}
