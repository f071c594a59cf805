//! What one delivery brought, opened from its row in the delivery log: the
//! headers the adapter reads (topic, message id) and the body exactly as
//! received, when it was stored.

use crate::api::get_delivery;
use crate::i18n::*;
use crate::model::ingest::integration::DeliveryDetail as Received;
use crate::ui::admin::LoadFailed;
use crate::ui::auth::Auth;
use crate::ui::language::tr;
use leptos::prelude::*;

/// The headers and body of delivery `id`, loaded when shown.
#[component]
pub fn DeliveryDetail(id: i64) -> impl IntoView {
    let auth = Auth::current();
    let i18n = use_i18n();
    let detail = LocalResource::new(move || auth.call(get_delivery(id)));
    view! {
        <div class="delivery-detail" data-testid="delivery-detail">
            <Suspense fallback=move || {
                view! { <p class="loading" role="status">{tr(i18n, |l| td_string!(l, admin.delivery_detail.loading))}</p> }
            }>
                <ErrorBoundary fallback=|errors| {
                    view! { <LoadFailed errors title=|l| td_string!(l, admin.delivery_detail.load_failed)/> }
                }>
                    {move || Suspend::new(async move {
                        detail.await.map(|received| view! { <ReceivedContent received/> })
                    })}
                </ErrorBoundary>
            </Suspense>
        </div>
    }
}

#[component]
fn ReceivedContent(received: Received) -> impl IntoView {
    let i18n = use_i18n();
    let id = received.summary.id;
    let headers_id = format!("delivery-{id}-headers");
    let no_headers = received.headers.is_empty();
    view! {
        <h3 id=headers_id.clone()>{move || t_string!(i18n, admin.delivery_detail.headers, id = id)}</h3>
        <p class="none" hidden=!no_headers>
            {tr(i18n, |l| td_string!(l, admin.delivery_detail.no_headers))}
        </p>
        <table class="data-table headers-table" aria-labelledby=headers_id hidden=no_headers>
            <thead>
                <tr>
                    <th scope="col">{tr(i18n, |l| td_string!(l, admin.delivery_detail.header))}</th>
                    <th scope="col">{tr(i18n, |l| td_string!(l, admin.delivery_detail.value))}</th>
                </tr>
            </thead>
            <tbody>
                {received
                    .headers
                    .into_iter()
                    .map(|(name, value)| {
                        view! {
                            <tr>
                                <th scope="row">
                                    <code>{name}</code>
                                </th>
                                <td>
                                    <code>{value}</code>
                                </td>
                            </tr>
                        }
                    })
                    .collect_view()}
            </tbody>
        </table>
        <h3>{tr(i18n, |l| td_string!(l, admin.delivery_detail.body))}</h3>
        {match received.body {
            Some(body) => {
                view! {
                    <pre class="delivery-body" data-testid="delivery-body" tabindex="0">
                        {body}
                    </pre>
                }
                    .into_any()
            }
            None => view! { <p class="none">{tr(i18n, |l| td_string!(l, admin.delivery_detail.no_body))}</p> }.into_any(),
        }}
    }
}
