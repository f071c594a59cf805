//! `/admin/api-keys`: keys for programs that write to order timelines through
//! the timeline API. Each is listed by name and its first characters (never
//! the key), who made it and when, when it was last used, and whether it is
//! active or revoked. A new key is shown once (see [`NewApiKeyForm`]); "Revoke"
//! asks for a second click, "Confirm revoke", before it acts.

use super::new_api_key_form::NewApiKeyForm;
use crate::api::{list_api_keys, revoke_api_key};
use crate::model::ingest::integration::ApiKeySummary;
use crate::ui::auth::Auth;
use crate::ui::kit::{reloading_list, ReloadingList};
use crate::ui::kit::{ErrorNotice, LocalTime, RevokeCell};
use leptos::prelude::*;

/// The API keys page.
#[component]
pub fn ApiKeysPage() -> impl IntoView {
    crate::ui::kit::use_page_title(|| "API keys".into());
    let ReloadingList {
        resource: keys,
        latest,
        changed,
    } = reloading_list(list_api_keys);
    let empty = move || latest.read().as_ref().is_some_and(Vec::is_empty);

    view! {
        <section class="admin-page api-keys-page">
            <h1>"API keys"</h1>
            <p class="hint">
                "Keys for programs that add to order timelines through the timeline API. Revoke a key that is lost or no longer used: requests with it are refused at once."
            </p>
            <NewApiKeyForm on_created=changed/>
            <h2 id="api-keys-heading">"Keys"</h2>
            <Transition fallback=|| view! { <p class="loading" role="status">"Loading API keys…"</p> }>
                <ErrorBoundary fallback=|errors| {
                    view! { <ErrorNotice errors title="The API keys could not be loaded"/> }
                }>
                    {move || Suspend::new(async move { keys.await.map(|_| ()) })}
                    <p class="empty" hidden=move || !empty()>
                        "No API keys yet."
                    </p>
                    <table class="data-table api-keys-table" aria-labelledby="api-keys-heading" hidden=empty>
                        <thead>
                            <tr>
                                <th scope="col">"Name"</th>
                                <th scope="col">"Key starts with"</th>
                                <th scope="col">"Created"</th>
                                <th scope="col">"Last used"</th>
                                <th scope="col">"Status"</th>
                                <th scope="col">"Actions"</th>
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
    let id = StoredValue::new(key.id.clone());
    let revoke = move || async move {
        auth.call(revoke_api_key(id.get_value()))
            .await
            .map(|_| ())
            .map_err(|e| e.to_string())
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
                {format!("by {}, ", key.created_by)}
                <LocalTime at=key.created_at/>
            </td>
            <td>
                {match key.last_used_at {
                    Some(at) => view! { <LocalTime at/> }.into_any(),
                    None => view! { <span class="none">"Never"</span> }.into_any(),
                }}
            </td>
            <td data-testid="api-key-status">
                {match key.revoked_at {
                    None => view! { <span class="account-active">"Active"</span> }.into_any(),
                    Some(at) => {
                        view! {
                            <span class="account-disabled">"Revoked"</span>
                            " "
                            <LocalTime at/>
                        }
                            .into_any()
                    }
                }}
            </td>
            <RevokeCell
                active
                question=format!("Revoke “{name}”? Programs using it are refused at once.")
                group_label="Confirm revoking the key"
                revoke
                on_changed
            />
        </tr>
    }
}
