//! What one delivery brought, opened from its row in the delivery log: the
//! headers the adapter reads (topic, message id) and the body exactly as
//! received, when it was stored.

use crate::api::get_delivery;
use crate::model::ingest::integration::DeliveryDetail as Received;
use crate::ui::auth::Auth;
use crate::ui::kit::ErrorNotice;
use leptos::prelude::*;

/// The headers and body of delivery `id`, loaded when shown.
#[component]
pub fn DeliveryDetail(id: i64) -> impl IntoView {
    let auth = Auth::current();
    let detail = LocalResource::new(move || auth.call(get_delivery(id)));
    view! {
        <div class="delivery-detail" data-testid="delivery-detail">
            <Suspense fallback=|| view! { <p class="loading" role="status">"Loading the delivery…"</p> }>
                <ErrorBoundary fallback=|errors| {
                    view! { <ErrorNotice errors title="The delivery could not be loaded"/> }
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
    let id = received.summary.id;
    let headers_id = format!("delivery-{id}-headers");
    let no_headers = received.headers.is_empty();
    view! {
        <h3 id=headers_id.clone()>{format!("Delivery {id}: headers")}</h3>
        <p class="none" hidden=!no_headers>
            "No headers were kept."
        </p>
        <table class="data-table headers-table" aria-labelledby=headers_id hidden=no_headers>
            <thead>
                <tr>
                    <th scope="col">"Header"</th>
                    <th scope="col">"Value"</th>
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
        <h3>"Body"</h3>
        {match received.body {
            Some(body) => {
                view! {
                    <pre class="delivery-body" data-testid="delivery-body" tabindex="0">
                        {body}
                    </pre>
                }
                    .into_any()
            }
            None => view! { <p class="none">"The body was not stored."</p> }.into_any(),
        }}
    }
}
