//! What the order page's action forms share: sending one [`DeskAction`] with
//! `act_on_order` (a second submit while one is under way is ignored), putting
//! the recorded events straight into the page, and saying what came of it in a
//! polite live region — what was recorded, in the timeline's own sentences,
//! or why not (the lifecycle's refusal, or a problem with what was typed), in
//! the reader's language, following a switch.

use crate::api::{act_on_order, ApiError};
use crate::i18n::*;
use crate::model::order::desk_action::{ActionError, DeskAction};
use crate::model::order::lifecycle::MAX_TEXT;
use crate::model::SeenEvent;
use crate::ui::auth::Auth;
use crate::ui::kit::format::money;
use leptos::prelude::*;
use leptos::task::spawn_local;

/// Something typed that cannot be sent as it is.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Problem {
    /// A value the action's types refuse (blank reason, a phone that is not digits).
    Typed(ActionError),
    /// Some parts of a new address and not others.
    AddressIncomplete,
    /// A failed outcome without the other system's words.
    DetailMissing,
}

/// What came of the last action.
#[derive(Debug, Clone, PartialEq)]
pub enum Said {
    Recorded(Vec<SeenEvent>),
    NotDone(ApiError),
    Problem(Problem),
}

/// One panel's sending state and last outcome (`Copy`).
#[derive(Clone, Copy)]
pub struct Desk {
    order_id: StoredValue<String>,
    pub busy: RwSignal<bool>,
    pub said: RwSignal<Option<Said>>,
    on_recorded: Callback<SeenEvent>,
    auth: Auth,
}

impl Desk {
    pub fn new(order_id: String, on_recorded: Callback<SeenEvent>) -> Desk {
        Desk {
            order_id: StoredValue::new(order_id),
            busy: RwSignal::new(false),
            said: RwSignal::new(None),
            on_recorded,
            auth: Auth::current(),
        }
    }

    /// Says what is wrong with what was typed; nothing is sent.
    pub fn problem(self, problem: Problem) {
        self.said.set(Some(Said::Problem(problem)));
    }

    /// Sends `action`; `done` runs once it is recorded (to clear the form).
    pub fn act(self, action: DeskAction, done: impl FnOnce() + 'static) {
        if self.busy.get_untracked() {
            return;
        }
        self.busy.set(true);
        self.said.set(None);
        spawn_local(async move {
            let answer = self
                .auth
                .call(act_on_order(self.order_id.get_value(), action))
                .await;
            match answer {
                Ok(events) => {
                    for event in &events {
                        self.on_recorded.run(event.clone());
                    }
                    done();
                    self.said.try_set(Some(Said::Recorded(events)));
                }
                Err(e) => {
                    self.said.try_set(Some(Said::NotDone(e)));
                }
            }
            self.busy.try_set(false);
        });
    }
}

/// A problem in the reader's language.
pub fn problem_words(locale: Locale, problem: &Problem) -> String {
    match problem {
        Problem::Typed(ActionError::Blank(_)) => {
            td_string!(locale, orders.actions.problem.reason_blank).to_string()
        }
        Problem::Typed(ActionError::TooLong(_)) => {
            td_string!(locale, orders.actions.problem.too_long, max = MAX_TEXT).to_string()
        }
        Problem::Typed(ActionError::BadPhone) => {
            td_string!(locale, orders.actions.problem.phone).to_string()
        }
        Problem::Typed(ActionError::NothingChanged) => {
            td_string!(locale, orders.actions.problem.nothing).to_string()
        }
        Problem::AddressIncomplete => {
            td_string!(locale, orders.actions.problem.address).to_string()
        }
        Problem::DetailMissing => td_string!(locale, orders.actions.problem.detail).to_string(),
    }
}

/// What came of it, in words: `已记录：已请仓库为包裹 P1 改标（…）`, `未执行：…`.
fn said_words(locale: Locale, said: &Said) -> String {
    match said {
        Said::Recorded(events) => {
            let what: Vec<String> = events
                .iter()
                .map(|e| words::meaning(locale, &e.event.kind, &|m| money(locale, m)))
                .collect();
            td_string!(locale, orders.actions.done, what = what.join(" · ")).to_string()
        }
        Said::NotDone(e) => words::api_error(locale, e),
        Said::Problem(p) => problem_words(locale, p),
    }
}

/// The polite live region a panel's outcomes are said in.
#[component]
pub fn DeskOutcome(desk: Desk, testid: &'static str) -> impl IntoView {
    let i18n = use_i18n();
    let class = move || match desk.said.read().as_ref() {
        Some(Said::Recorded(_)) => "desk-outcome desk-outcome--done",
        Some(_) => "desk-outcome desk-outcome--not-done",
        None => "desk-outcome",
    };
    view! {
        <p class=class role="status" aria-live="polite" data-testid=testid>
            {move || desk.said.read().as_ref().map(|s| said_words(i18n.get_locale(), s))}
        </p>
    }
}
