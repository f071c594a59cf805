//! `/admin/integrations`: every system that sends us webhooks, with the address
//! to give it, whether deliveries from it can be verified at all, how its feed
//! is doing (its last signed delivery, refusals in the last hour), which secret
//! signs them now (only its last characters), the replaced secret still accepted
//! during a rotation, and a form to set a new secret (closed until asked). Cards are keyed by
//! integration and follow the list as it is loaded again, so a secret shown once
//! stays on screen while the facts around it are refreshed.

use super::new_secret_form::NewSecretForm;
use crate::api::{end_overlap, list_integrations};
use crate::model::ingest::integration::{IntegrationSummary, SecretInfo};
use crate::model::Integration;
use crate::ui::auth::Auth;
use crate::ui::kit::{reloading_list, ReloadingList};
use crate::ui::kit::{ErrorNotice, LocalTime, Submission};
use crate::ui::routes::StaffPage;
use chrono::Utc;
use leptos::prelude::*;
use leptos::task::spawn_local;

/// The integrations page.
#[component]
pub fn IntegrationsPage() -> impl IntoView {
    crate::ui::kit::use_page_title(|| "Integrations".into());
    let ReloadingList {
        resource: integrations,
        latest,
        changed,
    } = reloading_list(list_integrations);

    view! {
        <section class="admin-page integrations-page">
            <h1>"Integrations"</h1>
            <p class="hint">
                "Each system signs what it sends with a secret we share with it. Give the sender its address and its secret; a delivery whose signature does not match is refused."
            </p>
            <Transition fallback=|| view! { <p class="loading" role="status">"Loading integrations…"</p> }>
                <ErrorBoundary fallback=|errors| {
                    view! { <ErrorNotice errors title="The integrations could not be loaded"/> }
                }>
                    {move || Suspend::new(async move { integrations.await.map(|_| ()) })}
                    <div class="integration-list">
                        <For each=move || latest.get().unwrap_or_default() key=|s| s.integration let:summary>
                            <IntegrationCard first=summary integrations=latest on_changed=changed/>
                        </For>
                    </div>
                </ErrorBoundary>
            </Transition>
        </section>
    }
}

/// One integration, as first listed; follows the list as it is loaded again.
#[component]
fn IntegrationCard(
    first: IntegrationSummary,
    integrations: Memo<Option<Vec<IntegrationSummary>>>,
    on_changed: Callback<()>,
) -> impl IntoView {
    let integration = first.integration;
    let summary = Memo::new(move |previous: Option<&IntegrationSummary>| {
        integrations
            .with(|list| {
                list.as_ref()
                    .and_then(|list| list.iter().find(|s| s.integration == integration).cloned())
            })
            .or_else(|| previous.cloned())
            .unwrap_or_else(|| first.clone())
    });
    let origin = window().location().origin().unwrap_or_default();
    let heading_id = format!("integration-{}", integration.as_str());
    let labelled_by = heading_id.clone();
    let env_var = format!("CONTROL_ROOM_{}_SECRET", integration.env_name());

    view! {
        <article
            class="integration-card"
            data-testid="integration"
            data-integration=integration.as_str()
            data-configured=move || summary.read().configured().to_string()
            aria-labelledby=labelled_by
        >
            <h2 id=heading_id>{integration.label()}</h2>
            <p class="hint">{format!("Its secret is {}.", integration.secret_meaning())}</p>
            <dl class="integration-facts">
                <div>
                    <dt>"Address to give the sender"</dt>
                    <dd>
                        <code class="endpoint" data-testid="integration-endpoint">
                            {move || format!("{origin}{}", summary.read().endpoint)}
                        </code>
                    </dd>
                </div>
                <div>
                    <dt>"Set up"</dt>
                    <dd data-testid="integration-configured">
                        {
                            let env_var = env_var.clone();
                            move || configured_words(&summary.read(), &env_var)
                        }
                    </dd>
                </div>
                <div>
                    <dt>"Last signed delivery"</dt>
                    <dd data-testid="last-verified">
                        {move || match summary.read().health.last_verified_at {
                            Some(at) => view! { <LocalTime at/> }.into_any(),
                            None => view! { <span class="none">"None yet"</span> }.into_any(),
                        }}
                    </dd>
                </div>
                <div>
                    <dt>"Refused in the last hour"</dt>
                    <dd data-testid="refused-last-hour">
                        {move || refused_words(summary.read().health.refused_last_hour)}
                        " · "
                        <a href=StaffPage::Deliveries
                            .href_with(&[format!("integration={}", integration.as_str())])>"Show its deliveries"</a>
                    </dd>
                </div>
                <div>
                    <dt>"Current secret"</dt>
                    <dd data-testid="current-secret">
                        {move || match summary.read().current.clone() {
                            Some(info) => view! { <CurrentSecret info/> }.into_any(),
                            None => view! { <span class="none">"None set here"</span> }.into_any(),
                        }}
                    </dd>
                </div>
                <div>
                    <dt>"Previous secret"</dt>
                    <dd data-testid="previous-secret">
                        {move || match summary.read().previous.clone() {
                            Some(info) => {
                                view! {
                                    <PreviousSecret info/>
                                    <EndOverlapButton integration on_changed/>
                                }
                                    .into_any()
                            }
                            None => view! { <span class="none">"None accepted"</span> }.into_any(),
                        }}
                    </dd>
                </div>
            </dl>
            <Show when=move || summary.read().from_env>
                <p class="env-note" data-testid="env-secret-note">
                    "The server also has " <code>{env_var.clone()}</code>
                    " set: deliveries signed with that secret are accepted too, whatever is set here."
                </p>
            </Show>
            // Closed until asked: a page of seven open forms invites a wrong
            // click, and most visits only read the facts above.
            <details class="secret-details" data-testid="secret-details">
                <summary>"Set a new secret…"</summary>
                <NewSecretForm integration on_rotated=on_changed/>
            </details>
        </article>
    }
}

/// "None", or how many, in words (a count alone would not say what it is).
fn refused_words(refused: u64) -> String {
    match refused {
        0 => "None".to_string(),
        1 => "1 delivery".to_string(),
        n => format!("{n} deliveries"),
    }
}

/// "Configured…" or "Not configured…", in words (the mark beside it only adds emphasis).
fn configured_words(summary: &IntegrationSummary, env_var: &str) -> impl IntoView {
    let (class, words) = if summary.current.is_some() {
        (
            "integration-ready",
            "Configured: deliveries are checked against the secret set here.".to_string(),
        )
    } else if summary.from_env {
        (
            "integration-ready",
            format!("Configured on the server only ({env_var})."),
        )
    } else {
        (
            "integration-unset",
            "Not configured: every delivery is refused until a secret is set.".to_string(),
        )
    };
    view! { <span class=class>{words}</span> }
}

/// "ending in …ab12" (the hint may come with its ellipsis or without).
fn hint_words(info: &SecretInfo) -> String {
    format!("ending in …{}", info.hint.trim_start_matches('…'))
}

/// The secret signing deliveries now: its last characters, who set it and when.
#[component]
fn CurrentSecret(info: SecretInfo) -> impl IntoView {
    view! {
        <span class="secret-hint" data-testid="secret-hint">
            {hint_words(&info)}
        </span>
        ", set by "
        {info.set_by}
        ", "
        <LocalTime at=info.set_at/>
    }
}

/// The replaced secret and until when it is still accepted.
#[component]
fn PreviousSecret(info: SecretInfo) -> impl IntoView {
    let until = info.expires_at.map(|at| {
        let words = if at > Utc::now() {
            ", accepted until "
        } else {
            ", no longer accepted since "
        };
        view! {
            {words}
            <LocalTime at/>
        }
    });
    view! {
        <span class="secret-hint">{hint_words(&info)}</span>
        {until}
    }
}

/// "Stop accepting the previous secret": ends the rotation overlap now.
#[component]
fn EndOverlapButton(integration: Integration, on_changed: Callback<()>) -> impl IntoView {
    let auth = Auth::current();
    let form = Submission::<String>::default();
    let Submission {
        busy,
        outcome: error,
    } = form;
    let end = move |_| {
        if !form.begin() {
            return;
        }
        spawn_local(async move {
            match auth.call(end_overlap(integration)).await {
                Ok(_) => on_changed.run(()),
                Err(e) => {
                    error.try_set(Some(e.to_string()));
                }
            }
            busy.try_set(false);
        });
    };
    view! {
        <div class="end-overlap">
            <button type="button" class="secondary" on:click=end disabled=move || busy.get()>
                "Stop accepting the previous secret"
            </button>
            <p class="form-error" role="alert">
                {move || error.get()}
            </p>
        </div>
    }
}
