//! The end of a form that makes something: its submit button (disabled while
//! the submission is under way) and the submission's error, announced.

use super::Submission;
use leptos::prelude::*;

/// The submit button and error of a form driven by a [`Submission`].
#[component]
pub fn SubmitRow(
    /// The button's words ("Create key"); a closure follows the language.
    #[prop(into)]
    label: TextProp,
    /// The form's submission: busy while under way, the error if it failed.
    form: Submission<String>,
) -> impl IntoView {
    let Submission {
        busy,
        outcome: error,
    } = form;
    view! {
        <div class="admin-form-actions">
            <button type="submit" disabled=move || busy.get()>
                {move || label.get()}
            </button>
            <p class="form-error" role="alert">
                {move || error.get()}
            </p>
        </div>
    }
}
