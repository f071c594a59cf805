//! An integration card's "Set new secret" form: generate one, or type in the
//! secret the platform issued (checked here with the same rule as on the
//! server), and how many hours the replaced secret keeps working. The answer
//! carries the new secret, which is shown this once (see [`ShownOnce`]); the
//! card's facts are loaded again.

use crate::api::rotate_secret;
use crate::model::ingest::integration::{check_secret, NewSecret, SecretShown, MAX_OVERLAP_HOURS};
use crate::model::Integration;
use crate::ui::auth::Auth;
use crate::ui::kit::ShownOnce;
use crate::ui::kit::{LocalTime, Submission, SubmitRow};
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

/// The overlap field as hours, or why it is not acceptable.
fn overlap_hours(text: &str) -> Result<u32, String> {
    match text.trim().parse::<u32>() {
        Ok(hours) if hours <= MAX_OVERLAP_HOURS => Ok(hours),
        _ => Err(format!(
            "the overlap must be a whole number of hours from 0 to {MAX_OVERLAP_HOURS}"
        )),
    }
}

/// The form that sets a new signing secret for `integration`.
#[component]
pub fn NewSecretForm(integration: Integration, on_rotated: Callback<()>) -> impl IntoView {
    let auth = Auth::current();
    let origin = RwSignal::new(usual_origin(integration));
    let issued = RwSignal::new(String::new());
    let overlap = RwSignal::new(DEFAULT_OVERLAP_HOURS.to_string());
    let shown = RwSignal::new(None::<SecretShown>);
    let form = Submission::<String>::default();
    let Submission {
        busy,
        outcome: error,
    } = form;

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
                if let Err(e) = check_secret(&typed) {
                    error.set(Some(e));
                    return;
                }
                NewSecret::Given(typed)
            }
        };
        let hours = match overlap_hours(&overlap.get_untracked()) {
            Ok(hours) => hours,
            Err(e) => {
                error.set(Some(e));
                return;
            }
        };
        if !form.begin() {
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
                    error.try_set(Some(e.to_string()));
                }
            }
            busy.try_set(false);
        });
    };

    let choice = move |value: Origin, label: &'static str| {
        let radio_name = radio_name.clone();
        view! {
            <label class="choice">
                <input
                    type="radio"
                    name=radio_name
                    prop:checked=move || origin.get() == value
                    on:change=move |_| origin.set(value)
                />
                {label}
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
            <h3 id=heading_id>"Set new secret"</h3>
            <div class="admin-form-fields">
                <fieldset class="choices">
                    <legend>"New secret"</legend>
                    {integration
                        .secret_can_be_generated()
                        .then(|| choice(Origin::Generate, "Generate one"))}
                    {choice(Origin::Issued, "Use the secret the platform issued")}
                </fieldset>
                <Show when=move || origin.get() == Origin::Issued>
                    <div class="field">
                        <label>
                            <span>{format!("Secret from {}", integration.label())}</span>
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
                            {format!("Exactly as {} shows it; at least 8 characters.", integration.label())}
                        </small>
                    </div>
                </Show>
                <div class="field">
                    <label>
                        <span>"Hours the old secret keeps working"</span>
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
                        {format!(
                            "Deliveries signed with the replaced secret are still accepted this long, while the sender switches over (0 stops them now; at most {MAX_OVERLAP_HOURS})."
                        )}
                    </small>
                </div>
            </div>
            <SubmitRow label="Set new secret" form/>
        </form>
        {move || {
            shown
                .get()
                .map(|answer| {
                    let previous_until = answer.previous_until;
                    view! {
                        <ShownOnce
                            value=answer.secret
                            noun="secret"
                            instruction=format!("Set it in {} now.", integration.label())
                            testid="secret-shown"
                            on_done=Callback::new(move |()| shown.set(None))
                        >
                            {previous_until
                                .map(|at| {
                                    view! {
                                        <p>"The previous secret is accepted until " <LocalTime at/> "."</p>
                                    }
                                })}
                        </ShownOnce>
                    }
                })
        }}
    }
}
