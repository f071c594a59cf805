//! Where the simulator sends its steps: straight into the store, or as real,
//! signed deliveries through the control room's own routes (in process, no
//! socket), so demo traffic takes the path production traffic takes:
//! signature checks, adapters, mapping tables, the timeline write API.

use super::wire::{OrderWire, WireDelivery, WireKeys};
use super::{Script, Step};
use crate::model::{EventKind, Integration, OrderEvent, OrderId};
use crate::server::ingest::wechat_safe_mode::WechatKey;
use crate::server::store::{Store, StoreError};
use axum::body::Body;
use axum::extract::ConnectInfo;
use axum::http::{Method, Request, StatusCode};
use axum::Router;
use chrono::{DateTime, Utc};
use std::net::SocketAddr;
use tower::ServiceExt as _;

/// Longest answer read back, for the log.
const MAX_ANSWER: usize = 64 * 1024;

/// Where demo steps go.
pub enum Feed {
    /// Each step's event is appended to the store as it is.
    Store(Store),
    /// Each step is sent as its [`WireDelivery`] through `router`, the control
    /// room's own routes, configured to accept what `keys` signs. `store` is
    /// only read, to learn the id the control room gave an order a Shopify
    /// webhook placed (as a real caller of the timeline API looks it up).
    Hooks {
        router: Router,
        keys: WireKeys,
        store: Store,
        /// When set, each delivery is signed with the integration's secret in
        /// force at that moment (an admin may rotate it while the demo runs).
        integrations: Option<std::sync::Arc<crate::server::ingest::Integrations>>,
    },
}

/// Why a delivery could not be sent.
#[derive(Debug, thiserror::Error)]
pub enum SendError {
    #[error("could not build the request: {0}")]
    Request(#[from] axum::http::Error),
    #[error("could not read the answer: {0}")]
    Answer(#[from] axum::Error),
}

/// Who the simulator's secrets and API key are set by.
const DEMO: &str = "demo simulator";

impl Feed {
    /// Deliveries through `router` (the routes over `state`), signed with the
    /// integrations' current stored secrets, or new ones set for the demo where
    /// an integration has none, and a fresh API key (older demo keys revoked).
    pub async fn hooks(
        state: &crate::server::AppState,
        router: Router,
    ) -> Result<Feed, crate::server::ingest::IntegrationError> {
        let integrations = &state.integrations;
        let stored: std::collections::HashMap<_, _> =
            integrations.current_secrets().into_iter().collect();
        let mut secrets = std::collections::HashMap::new();
        for (i, fresh) in WireKeys::random("").secrets {
            let usable = |current: &&String| match i {
                Integration::Wechat => WechatKey::parse(current).is_ok(),
                _ => true,
            };
            let secret = match stored.get(&i).filter(usable) {
                Some(current) => current.clone(),
                None => {
                    if stored.contains_key(&i) {
                        tracing::warn!(integration = %i, "the stored secret cannot sign demo traffic: the demo sets a new one");
                    }
                    integrations.provision_secret(i, &fresh, DEMO).await?;
                    fresh
                }
            };
            secrets.insert(i, secret);
        }
        integrations.retire_api_keys(DEMO, DEMO).await?;
        let key = integrations.issue_api_key(DEMO, DEMO).await?;
        Ok(Feed::Hooks {
            router,
            keys: WireKeys {
                secrets,
                api_key: key.key,
            },
            store: state.store.clone(),
            integrations: Some(state.integrations.clone()),
        })
    }

    /// What the wire needs to remember of a new order (nothing when steps go
    /// to the store).
    pub(super) fn wire_for(&self, script: &Script) -> Option<OrderWire> {
        match self {
            Feed::Store(_) => None,
            Feed::Hooks { .. } => OrderWire::for_script(script)
                .map_err(|e| tracing::warn!(error = %e, "demo order cannot go on the wire"))
                .ok(),
        }
    }

    /// Sends `step` of order `order_id`, which happened at `at`.
    pub(super) async fn send(
        &self,
        order_id: &OrderId,
        wire: Option<&mut OrderWire>,
        step: Step,
        at: DateTime<Utc>,
    ) {
        match self {
            Feed::Store(store) => append(store, order_id, step, at).await,
            Feed::Hooks {
                router,
                keys,
                store,
                integrations,
            } => {
                if let Some(wire) = wire {
                    let keys = match integrations {
                        Some(i) => keys.with_current(&i.secrets()),
                        None => keys.clone(),
                    };
                    deliver(router, &keys, store, wire, &step, at).await;
                }
            }
        }
    }
}

async fn append(store: &Store, order_id: &OrderId, step: Step, at: DateTime<Utc>) {
    let event = OrderEvent {
        order_id: order_id.clone(),
        occurred_at: at,
        source: step.source,
        actor: step.actor,
        kind: step.kind,
    };
    match store.append_fed(vec![event]).await {
        Ok(_) => {}
        Err(StoreError::Refused(r)) => tracing::debug!(order = %order_id, %r, "demo step refused"),
        Err(e) => tracing::warn!(error = %e, "demo append failed"),
    }
}

async fn deliver(
    router: &Router,
    keys: &WireKeys,
    store: &Store,
    wire: &mut OrderWire,
    step: &Step,
    at: DateTime<Utc>,
) {
    let what = step.kind.name();
    let delivery = match wire.render(keys, step, at, Utc::now()) {
        Ok(d) => d,
        Err(e) => {
            tracing::warn!(order = %wire.order_id(), step = what, error = %e, "demo step not rendered");
            return;
        }
    };
    let path = delivery.path().to_string();
    let places_by_webhook =
        matches!(step.kind, EventKind::OrderPlaced { .. }) && delivery.integration().is_some();
    match post(router, delivery).await {
        Ok((status, answer)) if status.is_success() => {
            tracing::debug!(%path, status = status.as_u16(), %answer, step = what, "demo delivery");
            if places_by_webhook {
                adopt(store, wire).await;
            }
        }
        Ok((status, answer)) => tracing::warn!(
            %path,
            status = status.as_u16(),
            %answer,
            order = %wire.order_id(),
            step = what,
            "demo delivery refused"
        ),
        Err(e) => tracing::warn!(%path, error = %e, step = what, "demo delivery not sent"),
    }
}

/// Learns the id the control room gave an order a channel webhook placed.
async fn adopt(store: &Store, wire: &mut OrderWire) {
    match store
        .order_for_channel(wire.channel(), wire.channel_order_id())
        .await
    {
        Ok(Some(order)) => wire.adopt(order.id),
        Ok(None) => tracing::warn!(
            channel = wire.channel().as_str(),
            channel_order_id = wire.channel_order_id(),
            "the demo order placed by webhook is not in the store"
        ),
        Err(e) => tracing::warn!(error = %e, "could not look up a demo order"),
    }
}

/// Posts `delivery` through `router` in process: the answer's status and body.
pub async fn post(
    router: &Router,
    delivery: WireDelivery,
) -> Result<(StatusCode, String), SendError> {
    let mut builder = Request::builder()
        .method(Method::POST)
        .uri(delivery.path_and_query);
    for (name, value) in &delivery.headers {
        builder = builder.header(name, value);
    }
    let mut request = builder.body(Body::from(delivery.body))?;
    // Handlers that ask who is calling see a local peer.
    request
        .extensions_mut()
        .insert(ConnectInfo(SocketAddr::from(([127, 0, 0, 1], 0))));
    let Ok(response) = router.clone().oneshot(request).await;
    let status = response.status();
    let body = axum::body::to_bytes(response.into_body(), MAX_ANSWER).await?;
    Ok((status, String::from_utf8_lossy(&body).into_owned()))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::ingest::integration::{DeliveryOutcome, DeliveryQuery, NewSecret};
    use crate::model::Role;
    use crate::server::app::{router, Application};
    use crate::server::auth::{Caller, RequestInfo, Staff};
    use crate::server::config::ServeArgs;
    use crate::server::demo::next_script;
    use chrono::TimeDelta;
    use rand::rngs::StdRng;
    use rand::SeedableRng;

    async fn server(dir: &std::path::Path) -> crate::server::AppState {
        let args = ServeArgs::local(dir.to_path_buf(), ([127, 0, 0, 1], 0).into());
        Application::build(args).await.unwrap().state()
    }

    /// The control room configured to accept what the simulator signs.
    async fn configured(state: &crate::server::AppState) -> WireKeys {
        let admin = Staff {
            user_id: "u-admin".into(),
            username: "admin".into(),
            display_name: "Admin".into(),
            roles: vec![Role::Admin],
            session_id: "s-admin".into(),
            language: None,
        };
        let request = RequestInfo {
            caller: Caller::Staff(admin.clone()),
            address: "127.0.0.1".into(),
        };
        let random = WireKeys::random("");
        for (i, secret) in &random.secrets {
            let given = NewSecret::Given(secret.clone());
            state
                .integrations
                .rotate(*i, given, 0, &admin, &request)
                .await
                .unwrap();
        }
        let created = state
            .integrations
            .create_api_key("demo simulator", &admin, &request)
            .await
            .unwrap();
        WireKeys {
            secrets: random.secrets,
            api_key: created.key,
        }
    }

    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn demo_traffic_through_the_real_routes_ends_where_the_store_feed_ends() {
        let (wired, direct) = (tempfile::tempdir().unwrap(), tempfile::tempdir().unwrap());
        let state = server(wired.path()).await;
        let keys = configured(&state).await;
        let hooks = Feed::Hooks {
            router: router(state.clone(), std::path::Path::new("dist")),
            keys,
            store: state.store.clone(),
            integrations: None,
        };
        let reference = server(direct.path()).await.store;
        let store = Feed::Store(reference.clone());

        let mut rng = StdRng::seed_from_u64(42);
        // Recent enough for Shopify's maximum delivery age.
        let base = Utc::now() - TimeDelta::hours(12);
        for n in 0..60 {
            let script = next_script(&mut rng, chrono::Utc::now());
            let mut wire = hooks.wire_for(&script).unwrap();
            assert!(store.wire_for(&script).is_none());
            let mut clock = base + TimeDelta::minutes(n);
            for step in &script.steps {
                clock += TimeDelta::from_std(step.delay).unwrap();
                let at = clock - step.backdate;
                store.send(&script.order_id, None, step.clone(), at).await;
                hooks
                    .send(&script.order_id, Some(&mut wire), step.clone(), at)
                    .await;
            }
            let got = state.store.order(wire.order_id()).await.unwrap().unwrap();
            let want = reference.order(&script.order_id).await.unwrap().unwrap();
            let parcels = |o: &crate::model::Order| -> Vec<_> {
                o.parcels
                    .iter()
                    .map(|p| {
                        let exception = o.parcel_exception(&p.id).map(|e| e.code);
                        (p.id.clone(), p.stage, p.waybill.clone(), exception)
                    })
                    .collect()
            };
            assert_eq!(got.status(), want.status(), "{}", script.order_id);
            assert_eq!((got.paid, got.refunded), (want.paid, want.refunded));
            assert_eq!(parcels(&got), parcels(&want), "{}", script.order_id);
            assert_eq!(got.channel_order_id, wire.channel_order_id());
        }
        for outcome in [
            DeliveryOutcome::Rejected,
            DeliveryOutcome::Pending,
            DeliveryOutcome::Duplicate,
        ] {
            let query = DeliveryQuery {
                outcome: Some(outcome),
                ..DeliveryQuery::default()
            };
            let page = state.integrations.deliveries(&query).await.unwrap();
            assert_eq!(page.total, 0, "{outcome:?}: {:?}", page.deliveries);
        }
        for name in ["shopify", "douyin", "wechat", "kuaidi100", "wms", "api"] {
            let query = DeliveryQuery {
                integration: Some(name.to_string()),
                ..DeliveryQuery::default()
            };
            let page = state.integrations.deliveries(&query).await.unwrap();
            assert!(page.total > 0, "nothing went to {name}");
        }
    }
}
