//! The order page's "Add note" form. Sends the note with `add_order_note`; on
//! success the recorded event goes straight into the page (the live stream's
//! copy is then recognised by its sequence number) and the text is cleared; on
//! refusal the server's message is shown and the text is kept.

use crate::api::add_order_note;
use crate::model::RecordedEvent;
use crate::ui::auth::Auth;
use crate::ui::kit::Submission;
use leptos::prelude::*;
use leptos::task::spawn_local;

/// A textarea and a button that add a note to the order's log.
#[component]
pub fn NoteForm(order_id: String, on_added: Callback<RecordedEvent>) -> impl IntoView {
    let text = RwSignal::new(String::new());
    let form = Submission::<String>::default();
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
                    error.try_set(Some(e.to_string()));
                }
            }
            sending.try_set(false);
        });
    };

    view! {
        <form class="note-form" on:submit=submit data-testid="note-form">
            <label for="note-text">"Add note"</label>
            <textarea
                id="note-text"
                name="note"
                rows="3"
                placeholder="What happened, what you did, what comes next"
                data-testid="note-text"
                prop:value=move || text.get()
                on:input:target=move |ev| text.set(ev.target().value())
                aria-describedby="note-error"
                aria-invalid=move || error.read().is_some().to_string()
            ></textarea>
            <div class="note-actions">
                <button type="submit" data-testid="note-submit" disabled=move || sending.get()>
                    {move || if sending.get() { "Adding…" } else { "Add note" }}
                </button>
                <p id="note-error" class="form-error" role="alert" data-testid="note-error">
                    {move || error.get()}
                </p>
            </div>
        </form>
    }
}
