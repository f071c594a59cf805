//! `/admin/api-keys`: keys for programs that write to order timelines through
//! the timeline API. Each is listed by name and its first characters (never
//! the key), who made it and when, when it was last used, and whether it is
//! active or revoked. A new key is shown once (see [`NewApiKeyForm`]); "Revoke"
//! asks for a second click, "Confirm revoke", before it acts.

use super::new_api_key_form::NewApiKeyForm;
use crate::api::{list_api_keys, revoke_api_key};
use crate::i18n::*;
use crate::model::ingest::integration::ApiKeySummary;
use crate::ui::admin::LoadFailed;
use crate::ui::auth::Auth;
use crate::ui::kit::{reloading_list, ReloadingList};
use crate::ui::kit::{LocalTime, RevokeCell};
use crate::ui::language::tr;
use leptos::prelude::*;

/// The API keys page.
#[component]
pub fn ApiKeysPage() -> impl IntoView {
    let i18n = use_i18n();
    crate::ui::kit::use_page_title(move || t_string!(i18n, admin.api_keys.title).to_string());
    let ReloadingList {
        resource: keys,
        latest,
        changed,
    } = reloading_list(list_api_keys);
    let empty = move || latest.read().as_ref().is_some_and(Vec::is_empty);

    view! {
        <section class="admin-page api-keys-page">
            <h1>{tr(i18n, |l| td_string!(l, admin.api_keys.title))}</h1>
            <p class="hint">{tr(i18n, |l| td_string!(l, admin.api_keys.hint))}</p>
            <NewApiKeyForm on_created=changed/>
            <h2 id="api-keys-heading">{tr(i18n, |l| td_string!(l, admin.api_keys.keys))}</h2>
            <Transition fallback=move || view! { <p class="loading" role="status">{tr(i18n, |l| td_string!(l, admin.api_keys.loading))}</p> }>
                <ErrorBoundary fallback=|errors| {
                    view! { <LoadFailed errors title=|l| td_string!(l, admin.api_keys.load_failed)/> }
                }>
                    {move || Suspend::new(async move { keys.await.map(|_| ()) })}
                    <p class="empty" hidden=move || !empty()>
                        {tr(i18n, |l| td_string!(l, admin.api_keys.empty))}
                    </p>
                    <table class="data-table api-keys-table" aria-labelledby="api-keys-heading" hidden=empty>
                        <thead>
                            <tr>
                                <th scope="col">{tr(i18n, |l| td_string!(l, admin.api_keys.col.name))}</th>
                                <th scope="col">{tr(i18n, |l| td_string!(l, admin.api_keys.col.prefix))}</th>
                                <th scope="col">{tr(i18n, |l| td_string!(l, admin.api_keys.col.created))}</th>
                                <th scope="col">{tr(i18n, |l| td_string!(l, admin.api_keys.col.last_used))}</th>
                                <th scope="col">{tr(i18n, |l| td_string!(l, admin.api_keys.col.status))}</th>
                                <th scope="col">{tr(i18n, |l| td_string!(l, admin.api_keys.col.actions))}</th>
                            </tr>
                        </thead>
                        <tbody>
                            // A row is redrawn when its key was used or revoked.
                            <For
                                each=move || latest.get().unwrap_or_default()
                                key=|k| (k.id.clone(), k.last_used_at, k.revoked_at)
                                let:key
                            >
                                <ApiKeyRow key on_changed=changed/>
                            </For>
                        </tbody>
                    </table>
                </ErrorBoundary>
            </Transition>
        </section>
    }
}

#[component]
fn ApiKeyRow(key: ApiKeySummary, on_changed: Callback<()>) -> impl IntoView {
    let auth = Auth::current();
    let i18n = use_i18n();
    let id = StoredValue::new(key.id.clone());
    // The failure is said in the language of the moment it happens (the
    // revoke cell keeps text).
    let revoke = move || async move {
        auth.call(revoke_api_key(id.get_value()))
            .await
            .map(|_| ())
            .map_err(|e| words::api_error(i18n.get_locale_untracked(), &e))
    };
    let active = key.revoked_at.is_none();
    let name = key.name.clone();
    view! {
        <tr
            data-testid="api-key-row"
            data-name=key.name.clone()
            data-state=if active { "active" } else { "revoked" }
        >
            <th scope="row">{key.name.clone()}</th>
            <td>
                <code class="key-prefix">{format!("{}…", key.prefix.trim_end_matches('…'))}</code>
            </td>
            <td>
                {
                    let by = key.created_by.clone();
                    move || t_string!(i18n, admin.api_keys.created_by, name = by.clone())
                }
                <LocalTime at=key.created_at/>
            </td>
            <td>
                {match key.last_used_at {
                    Some(at) => view! { <LocalTime at/> }.into_any(),
                    None => view! { <span class="none">{tr(i18n, |l| td_string!(l, admin.api_keys.never))}</span> }.into_any(),
                }}
            </td>
            <td data-testid="api-key-status">
                {match key.revoked_at {
                    None => view! { <span class="account-active">{tr(i18n, |l| td_string!(l, admin.api_keys.active))}</span> }.into_any(),
                    Some(at) => {
                        view! {
                            <span class="account-disabled">{tr(i18n, |l| td_string!(l, admin.api_keys.revoked))}</span>
                            " "
                            <LocalTime at/>
                        }
                            .into_any()
                    }
                }}
            </td>
            // Drawn again in the other language when it changes.
            {move || {
                let locale = i18n.get_locale();
                view! {
                    <RevokeCell
                        active
                        question=td_string!(locale, admin.api_keys.revoke_question, name = name.clone())
                            .to_string()
                        group_label=td_string!(locale, admin.api_keys.revoke_group)
                        revoke
                        on_changed
                    />
                }
            }}
        </tr>
    }
}
