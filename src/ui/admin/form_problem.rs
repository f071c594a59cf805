//! A form's problem kept as what went wrong (typed), and said through the
//! kit's [`Submission`] (whose error is text) in the reader's language: the
//! text is written again whenever the problem or the language changes.

use crate::i18n::*;
use crate::ui::kit::Submission;
use leptos::prelude::*;

/// The problem of one form: set it, and the form's error text follows.
pub struct FormProblem<P: Send + Sync + 'static> {
    problem: RwSignal<Option<P>>,
    form: Submission<String>,
}

impl<P: Send + Sync + 'static> Clone for FormProblem<P> {
    fn clone(&self) -> Self {
        *self
    }
}

impl<P: Send + Sync + 'static> Copy for FormProblem<P> {}

impl<P: Send + Sync + 'static> FormProblem<P> {
    /// Says `form`'s problems with `words`, in the current language.
    pub fn new(form: Submission<String>, words: fn(Locale, &P) -> String) -> Self {
        let i18n = use_i18n();
        let problem = RwSignal::new(None::<P>);
        Effect::new(move |_| {
            let locale = i18n.get_locale();
            let text = problem.with(|p| p.as_ref().map(|p| words(locale, p)));
            form.outcome.set(text);
        });
        FormProblem { problem, form }
    }

    /// Shows `problem` as the form's error.
    pub fn set(self, problem: P) {
        self.problem.try_set(Some(problem));
    }

    /// Starts a submission (see [`Submission::begin`]) and forgets the last problem.
    pub fn begin(self) -> bool {
        if !self.form.begin() {
            return false;
        }
        self.problem.set(None);
        true
    }
}
