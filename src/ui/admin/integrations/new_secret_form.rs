//! An integration card's "Set new secret" form: generate one, or type in the
//! secret the platform issued (checked here with the same rule as on the
//! server, and said in the reader's language), and how many hours the
//! replaced secret keeps working. The answer
//! carries the new secret, which is shown this once (see [`ShownOnce`]); the
//! card's facts are loaded again.

use crate::api::{rotate_secret, ApiError};
use crate::i18n::words::admin::{self as admin_words, SecretRefusal};
use crate::i18n::*;
use crate::model::ingest::integration::{
    NewSecret, SecretShown, MAX_OVERLAP_HOURS, MIN_SECRET_LEN,
};
use crate::model::Integration;
use crate::ui::admin::FormProblem;
use crate::ui::auth::Auth;
use crate::ui::kit::ShownOnce;
use crate::ui::kit::{format, LocalTime, Submission, SubmitRow};
use crate::ui::language::tr;
use leptos::prelude::*;
use leptos::task::spawn_local;

/// The overlap offered unless the admin changes it.
const DEFAULT_OVERLAP_HOURS: u32 = 24;

/// Where the new secret comes from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Origin {
    Generate,
    Issued,
}

/// The usual way for `integration`: platforms that issue their own secret
/// (app secrets, API keys) are typed in; secrets we choose are generated.
fn usual_origin(integration: Integration) -> Origin {
    match integration {
        Integration::Shopify | Integration::Douyin | Integration::Track17 => Origin::Issued,
        Integration::Wechat | Integration::Kuaidi100 | Integration::EasyPost | Integration::Wms => {
            Origin::Generate
        }
    }
}

/// What kept the form from setting the secret.
#[derive(Debug, Clone)]
enum Problem {
    Secret(SecretRefusal),
    /// The overlap is not a whole number of hours in range.
    Overlap,
    Server(ApiError),
}

/// The problem in the reader's language.
fn problem_words(locale: Locale, problem: &Problem) -> String {
    match problem {
        Problem::Secret(refusal) => admin_words::secret_refusal(locale, *refusal),
        Problem::Overlap => td_string!(
            locale,
            admin.new_secret.bad_overlap,
            max = MAX_OVERLAP_HOURS
        )
        .to_string(),
        Problem::Server(e) => words::api_error(locale, e),
    }
}

/// The overlap field as hours, when it is acceptable.
fn overlap_hours(text: &str) -> Option<u32> {
    text.trim()
        .parse::<u32>()
        .ok()
        .filter(|hours| *hours <= MAX_OVERLAP_HOURS)
}

/// The form that sets a new signing secret for `integration`.
#[component]
pub fn NewSecretForm(integration: Integration, on_rotated: Callback<()>) -> impl IntoView {
    let auth = Auth::current();
    let i18n = use_i18n();
    let origin = RwSignal::new(usual_origin(integration));
    let issued = RwSignal::new(String::new());
    let overlap = RwSignal::new(DEFAULT_OVERLAP_HOURS.to_string());
    let shown = RwSignal::new(None::<SecretShown>);
    let form = Submission::<String>::default();
    let busy = form.busy;
    let problem = FormProblem::new(form, problem_words);

    let name = integration.as_str();
    let heading_id = format!("new-secret-{name}");
    let labelled_by = heading_id.clone();
    let radio_name = format!("secret-origin-{name}");
    let issued_hint_id = format!("issued-secret-hint-{name}");
    let overlap_hint_id = format!("overlap-hint-{name}");

    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        if busy.get_untracked() {
            return;
        }
        let secret = match origin.get_untracked() {
            Origin::Generate => NewSecret::Generate,
            Origin::Issued => {
                let typed = issued.get_untracked();
                if let Some(refusal) = SecretRefusal::of(&typed) {
                    problem.set(Problem::Secret(refusal));
                    return;
                }
                NewSecret::Given(typed)
            }
        };
        let Some(hours) = overlap_hours(&overlap.get_untracked()) else {
            problem.set(Problem::Overlap);
            return;
        };
        if !problem.begin() {
            return;
        }
        shown.set(None);
        spawn_local(async move {
            match auth.call(rotate_secret(integration, secret, hours)).await {
                Ok(answer) => {
                    issued.try_set(String::new());
                    shown.try_set(Some(answer));
                    on_rotated.run(());
                }
                Err(e) => {
                    problem.set(Problem::Server(e));
                }
            }
            busy.try_set(false);
        });
    };

    let choice = move |value: Origin, label: fn(Locale) -> &'static str| {
        let radio_name = radio_name.clone();
        view! {
            <label class="choice">
                <input
                    type="radio"
                    name=radio_name
                    prop:checked=move || origin.get() == value
                    on:change=move |_| origin.set(value)
                />
                {move || label(i18n.get_locale())}
            </label>
        }
    };

    view! {
        <form
            class="admin-form secret-form"
            on:submit=submit
            aria-labelledby=labelled_by
            data-testid="new-secret-form"
        >
            <h3 id=heading_id>{tr(i18n, |l| td_string!(l, admin.new_secret.title))}</h3>
            <div class="admin-form-fields">
                <fieldset class="choices">
                    <legend>{tr(i18n, |l| td_string!(l, admin.new_secret.legend))}</legend>
                    {integration
                        .secret_can_be_generated()
                        .then(|| choice(Origin::Generate, |l| td_string!(l, admin.new_secret.generate)))}
                    {choice(Origin::Issued, |l| td_string!(l, admin.new_secret.issued))}
                </fieldset>
                <Show when=move || origin.get() == Origin::Issued>
                    <div class="field">
                        <label>
                            <span>
                                {move || {
                                    let name = admin_words::integration(i18n.get_locale(), integration);
                                    t_string!(i18n, admin.new_secret.secret_from, integration = name)
                                }}
                            </span>
                            <input
                                type="password"
                                autocomplete="off"
                                spellcheck="false"
                                aria-describedby=issued_hint_id.clone()
                                prop:value=move || issued.get()
                                on:input:target=move |ev| issued.set(ev.target().value())
                            />
                        </label>
                        <small id=issued_hint_id.clone() class="field-hint">
                            {move || {
                                let locale = i18n.get_locale();
                                td_string!(
                                    locale,
                                    admin.new_secret.issued_hint,
                                    integration = admin_words::integration(locale, integration),
                                    count = format::number(locale, MIN_SECRET_LEN as u64)
                                )
                                .to_string()
                            }}
                        </small>
                    </div>
                </Show>
                <div class="field">
                    <label>
                        <span>{tr(i18n, |l| td_string!(l, admin.new_secret.overlap))}</span>
                        <input
                            type="number"
                            class="hours"
                            min="0"
                            max=MAX_OVERLAP_HOURS
                            step="1"
                            inputmode="numeric"
                            aria-describedby=overlap_hint_id.clone()
                            prop:value=move || overlap.get()
                            on:input:target=move |ev| overlap.set(ev.target().value())
                        />
                    </label>
                    <small id=overlap_hint_id class="field-hint">
                        {move || {
                            let max = format::number(i18n.get_locale(), u64::from(MAX_OVERLAP_HOURS));
                            t_string!(i18n, admin.new_secret.overlap_hint, max = max)
                        }}
                    </small>
                </div>
            </div>
            {move || view! { <SubmitRow label=t_string!(i18n, admin.new_secret.submit) form/> }}
        </form>
        {move || {
            // Drawn again in the other language when it changes.
            let locale = i18n.get_locale();
            shown
                .get()
                .map(|answer| {
                    let previous_until = answer.previous_until;
                    let name = admin_words::integration(locale, integration);
                    view! {
                        <ShownOnce
                            value=answer.secret
                            noun=td_string!(locale, admin.new_secret.noun)
                            instruction=td_string!(locale, admin.new_secret.instruction, integration = name)
                                .to_string()
                            testid="secret-shown"
                            on_done=Callback::new(move |()| shown.set(None))
                        >
                            {previous_until
                                .map(|at| {
                                    view! {
                                        <p>
                                            {td_string!(locale, admin.new_secret.previous_until.before)}
                                            <LocalTime at/>
                                            {td_string!(locale, admin.new_secret.previous_until.after)}
                                        </p>
                                    }
                                })}
                        </ShownOnce>
                    }
                })
        }}
    }
}
