//! `/admin/integrations`: every system that sends us webhooks, with the address
//! to give it, whether deliveries from it can be verified at all, how its feed
//! is doing (its last signed delivery, refusals in the last hour), which secret
//! signs them now (only its last characters), the replaced secret still accepted
//! during a rotation, and a form to set a new secret (closed until asked). Cards are keyed by
//! integration and follow the list as it is loaded again, so a secret shown once
//! stays on screen while the facts around it are refreshed.

use super::new_secret_form::NewSecretForm;
use crate::api::{end_overlap, list_integrations, ApiError};
use crate::i18n::words::admin as admin_words;
use crate::i18n::*;
use crate::model::ingest::integration::{IntegrationSummary, SecretInfo};
use crate::model::Integration;
use crate::ui::admin::LoadFailed;
use crate::ui::auth::Auth;
use crate::ui::kit::{format, LocalTime, Submission};
use crate::ui::kit::{reloading_list, ReloadingList};
use crate::ui::language::tr;
use crate::ui::routes::StaffPage;
use chrono::Utc;
use leptos::prelude::*;
use leptos::task::spawn_local;

/// The integrations page.
#[component]
pub fn IntegrationsPage() -> impl IntoView {
    let i18n = use_i18n();
    crate::ui::kit::use_page_title(move || t_string!(i18n, admin.integrations.title).to_string());
    let ReloadingList {
        resource: integrations,
        latest,
        changed,
    } = reloading_list(list_integrations);

    view! {
        <section class="admin-page integrations-page">
            <h1>{tr(i18n, |l| td_string!(l, admin.integrations.title))}</h1>
            <p class="hint">{tr(i18n, |l| td_string!(l, admin.integrations.hint))}</p>
            <Transition fallback=move || view! { <p class="loading" role="status">{tr(i18n, |l| td_string!(l, admin.integrations.loading))}</p> }>
                <ErrorBoundary fallback=|errors| {
                    view! { <LoadFailed errors title=|l| td_string!(l, admin.integrations.load_failed)/> }
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
    let i18n = use_i18n();
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
            <h2 id=heading_id>{move || admin_words::integration(i18n.get_locale(), integration)}</h2>
            <p class="hint">
                {move || {
                    let meaning = admin_words::secret_meaning(i18n.get_locale(), integration);
                    t_string!(i18n, admin.integrations.secret_is, meaning = meaning)
                }}
            </p>
            <dl class="integration-facts">
                <div>
                    <dt>{tr(i18n, |l| td_string!(l, admin.integrations.address))}</dt>
                    <dd>
                        <code class="endpoint" data-testid="integration-endpoint">
                            {move || format!("{origin}{}", summary.read().endpoint)}
                        </code>
                    </dd>
                </div>
                <div>
                    <dt>{tr(i18n, |l| td_string!(l, admin.integrations.set_up))}</dt>
                    <dd data-testid="integration-configured">
                        {
                            let env_var = env_var.clone();
                            move || configured_words(i18n.get_locale(), &summary.read(), &env_var)
                        }
                    </dd>
                </div>
                <div>
                    <dt>{tr(i18n, |l| td_string!(l, admin.integrations.last_signed))}</dt>
                    <dd data-testid="last-verified">
                        {move || match summary.read().health.last_verified_at {
                            Some(at) => view! { <LocalTime at/> }.into_any(),
                            None => view! { <span class="none">{tr(i18n, |l| td_string!(l, admin.integrations.none_yet))}</span> }.into_any(),
                        }}
                    </dd>
                </div>
                <div>
                    <dt>{tr(i18n, |l| td_string!(l, admin.integrations.refused_last_hour))}</dt>
                    <dd data-testid="refused-last-hour">
                        {move || refused_words(i18n.get_locale(), summary.read().health.refused_last_hour)}
                        " · "
                        <a href=StaffPage::Deliveries
                            .href_with(
                            &[format!("integration={}", integration.as_str())],
                        )>{tr(i18n, |l| td_string!(l, admin.integrations.show_deliveries))}</a>
                    </dd>
                </div>
                <div>
                    <dt>{tr(i18n, |l| td_string!(l, admin.integrations.current_secret))}</dt>
                    <dd data-testid="current-secret">
                        {move || match summary.read().current.clone() {
                            Some(info) => view! { <CurrentSecret info/> }.into_any(),
                            None => view! { <span class="none">{tr(i18n, |l| td_string!(l, admin.integrations.none_set))}</span> }.into_any(),
                        }}
                    </dd>
                </div>
                <div>
                    <dt>{tr(i18n, |l| td_string!(l, admin.integrations.previous_secret))}</dt>
                    <dd data-testid="previous-secret">
                        {move || match summary.read().previous.clone() {
                            Some(info) => {
                                view! {
                                    <PreviousSecret info/>
                                    <EndOverlapButton integration on_changed/>
                                }
                                    .into_any()
                            }
                            None => view! { <span class="none">{tr(i18n, |l| td_string!(l, admin.integrations.none_accepted))}</span> }.into_any(),
                        }}
                    </dd>
                </div>
            </dl>
            <Show when=move || summary.read().from_env>
                <p class="env-note" data-testid="env-secret-note">
                    {tr(i18n, |l| td_string!(l, admin.integrations.env_note_before))}
                    <code>{env_var.clone()}</code>
                    {tr(i18n, |l| td_string!(l, admin.integrations.env_note_after))}
                </p>
            </Show>
            // Closed until asked: a page of seven open forms invites a wrong
            // click, and most visits only read the facts above.
            <details class="secret-details" data-testid="secret-details">
                <summary>{tr(i18n, |l| td_string!(l, admin.integrations.set_new))}</summary>
                <NewSecretForm integration on_rotated=on_changed/>
            </details>
        </article>
    }
}

/// "None", or how many, in words (a count alone would not say what it is).
fn refused_words(locale: Locale, refused: u64) -> String {
    let n = format::number(locale, refused);
    match refused {
        0 => td_string!(locale, admin.integrations.refused.none).to_string(),
        1 => td_string!(locale, admin.integrations.refused.singular, count = n).to_string(),
        _ => td_string!(locale, admin.integrations.refused.plural, count = n).to_string(),
    }
}

/// "Configured…" or "Not configured…", in words (the mark beside it only adds emphasis).
fn configured_words(locale: Locale, summary: &IntegrationSummary, env_var: &str) -> impl IntoView {
    let (class, words) = if summary.current.is_some() {
        (
            "integration-ready",
            td_string!(locale, admin.integrations.configured).to_string(),
        )
    } else if summary.from_env {
        (
            "integration-ready",
            td_string!(
                locale,
                admin.integrations.configured_env,
                variable = env_var
            )
            .to_string(),
        )
    } else {
        (
            "integration-unset",
            td_string!(locale, admin.integrations.not_configured).to_string(),
        )
    };
    view! { <span class=class>{words}</span> }
}

/// "ending in …ab12" (the hint may come with its ellipsis or without).
fn hint_words(locale: Locale, info: &SecretInfo) -> String {
    let hint = info.hint.trim_start_matches('…');
    td_string!(locale, admin.integrations.ending_in, hint = hint).to_string()
}

/// The secret signing deliveries now: its last characters, who set it and when.
#[component]
fn CurrentSecret(info: SecretInfo) -> impl IntoView {
    let i18n = use_i18n();
    let hint = info.clone();
    let set_by = info.set_by;
    view! {
        <span class="secret-hint" data-testid="secret-hint">
            {move || hint_words(i18n.get_locale(), &hint)}
        </span>
        {move || t_string!(i18n, admin.integrations.set_by, name = set_by.clone())}
        <LocalTime at=info.set_at/>
    }
}

/// The replaced secret and until when it is still accepted.
#[component]
fn PreviousSecret(info: SecretInfo) -> impl IntoView {
    let i18n = use_i18n();
    let until = info.expires_at.map(|at| {
        let still = at > Utc::now();
        let before = move || match still {
            true => t_string!(i18n, admin.integrations.accepted_until.before),
            false => t_string!(i18n, admin.integrations.no_longer_accepted.before),
        };
        let after = move || match still {
            true => t_string!(i18n, admin.integrations.accepted_until.after),
            false => t_string!(i18n, admin.integrations.no_longer_accepted.after),
        };
        view! {
            {before}
            <LocalTime at/>
            {after}
        }
    });
    view! {
        <span class="secret-hint">{move || hint_words(i18n.get_locale(), &info)}</span>
        {until}
    }
}

/// "Stop accepting the previous secret": ends the rotation overlap now.
#[component]
fn EndOverlapButton(integration: Integration, on_changed: Callback<()>) -> impl IntoView {
    let auth = Auth::current();
    let i18n = use_i18n();
    let form = Submission::<ApiError>::default();
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
                    error.try_set(Some(e));
                }
            }
            busy.try_set(false);
        });
    };
    view! {
        <div class="end-overlap">
            <button type="button" class="secondary" on:click=end disabled=move || busy.get()>
                {tr(i18n, |l| td_string!(l, admin.integrations.stop_previous))}
            </button>
            <p class="form-error" role="alert">
                {move || error.read().as_ref().map(|e| words::api_error(i18n.get_locale(), e))}
            </p>
        </div>
    }
}
