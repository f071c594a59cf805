//! Tracking links: made by customer service for one order (a 256-bit random,
//! URL-safe token shown once; only its SHA-256 is kept), listed by a hint,
//! revoked at once; opened by the customer without signing in, and counted.
//! Every change goes into the audit trail; revocations are announced so the
//! customer's open live streams end.

use crate::model::account::AuditKind;
use crate::model::tracking::TrackingView;
use crate::model::tracking_link::{
    expiry_days, tracking_path, LinkState, TrackingLinkCreated, TrackingLinkSummary,
};
use crate::model::OrderId;
use crate::server::auth::{random_token, token_hash, Auth, RequestInfo, Staff};
use crate::server::store::{Store, StoreError, StoredTrackingLink, TrackingLinkStoreHandle};
use chrono::{Duration, Utc};
use std::sync::Arc;
use tokio::sync::broadcast;

/// Random bytes in a token (256 bits; 43 URL-safe characters).
const TOKEN_BYTES: usize = 32;
/// Characters of the token kept to tell links apart in the list.
const HINT_CHARS: usize = 6;
/// Longest text taken for a token: anything longer is not one of ours.
const MAX_TOKEN_CHARS: usize = 64;

/// Why a tracking link could not be made, listed or revoked.
#[derive(Debug, thiserror::Error)]
pub enum TrackingError {
    #[error("{0}")]
    BadRequest(String),
    #[error("{0} was not found")]
    NotFound(String),
    #[error(transparent)]
    Store(#[from] StoreError),
}

/// The tracking link service shared by the server functions and the public
/// endpoints.
pub struct TrackingLinks {
    links: TrackingLinkStoreHandle,
    orders: Store,
    auth: Arc<Auth>,
    /// Ids of links revoked from now on.
    revoked: broadcast::Sender<String>,
}

impl TrackingLinks {
    pub fn new(links: TrackingLinkStoreHandle, orders: Store, auth: Arc<Auth>) -> TrackingLinks {
        TrackingLinks {
            links,
            orders,
            auth,
            revoked: broadcast::channel(64).0,
        }
    }

    /// Makes a link to `order` lasting `days` (default 30, at most 90). The
    /// answer carries its path with the token, this once.
    pub async fn create(
        &self,
        order: &OrderId,
        days: Option<u32>,
        staff: &Staff,
        request: &RequestInfo,
    ) -> Result<TrackingLinkCreated, TrackingError> {
        let days = expiry_days(days).map_err(|e| TrackingError::BadRequest(e.to_string()))?;
        if self.orders.order(order).await?.is_none() {
            return Err(TrackingError::NotFound(format!("order {order}")));
        }
        let token = random_token(TOKEN_BYTES);
        let now = Utc::now();
        let summary = TrackingLinkSummary {
            id: format!("t_{}", random_token(9)),
            order_id: order.clone(),
            hint: token.chars().take(HINT_CHARS).collect(),
            created_at: now,
            created_by: staff.username.clone(),
            expires_at: now + Duration::days(i64::from(days)),
            revoked_at: None,
            opened: 0,
            last_opened_at: None,
        };
        self.links
            .insert_link(&StoredTrackingLink {
                summary: summary.clone(),
                token_hash: token_hash(&token),
            })
            .await?;
        self.audit(
            AuditKind::TrackingLinkCreated,
            &summary,
            format!(", valid {days} day(s)"),
            staff,
            request,
        )
        .await;
        Ok(TrackingLinkCreated {
            summary,
            url: tracking_path(&token),
        })
    }

    /// The links of one order, newest first.
    pub async fn links_of(
        &self,
        order: &OrderId,
    ) -> Result<Vec<TrackingLinkSummary>, TrackingError> {
        Ok(self.links.links_of(order).await?)
    }

    /// Revokes a link at once: it no longer opens, and its open streams end.
    pub async fn revoke(
        &self,
        id: &str,
        staff: &Staff,
        request: &RequestInfo,
    ) -> Result<TrackingLinkSummary, TrackingError> {
        let revoked = self
            .links
            .revoke_link(id, Utc::now())
            .await?
            .ok_or_else(|| TrackingError::NotFound(format!("tracking link {id}")))?;
        let _ = self.revoked.send(revoked.id.clone());
        self.audit(
            AuditKind::TrackingLinkRevoked,
            &revoked,
            String::new(),
            staff,
            request,
        )
        .await;
        Ok(revoked)
    }

    async fn audit(
        &self,
        kind: AuditKind,
        link: &TrackingLinkSummary,
        more: String,
        staff: &Staff,
        request: &RequestInfo,
    ) {
        self.auth
            .audit_entry(
                kind,
                Some(&staff.username),
                &request.address,
                format!("order {}, link {}…{more}", link.order_id, link.hint),
            )
            .await;
    }

    /// Ids of links revoked from now on. Subscribe before [`Self::active`] so
    /// a revocation cannot fall between the two.
    pub fn revocations(&self) -> broadcast::Receiver<String> {
        self.revoked.subscribe()
    }

    /// The link `token` opens, if it opens now: unknown, expired and revoked
    /// tokens are all `None`, alike.
    pub async fn active(&self, token: &str) -> Result<Option<TrackingLinkSummary>, StoreError> {
        if token.is_empty()
            || token.len() > MAX_TOKEN_CHARS
            || !token
                .bytes()
                .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_')
        {
            return Ok(None);
        }
        let link = self.links.link_by_hash(&token_hash(token)).await?;
        Ok(link.filter(|l| l.state(Utc::now()) == LinkState::Active))
    }

    /// The customer's view through `token`, if the link opens now. `count`
    /// records an open (a page loading it, not the page refreshing itself
    /// after a live event).
    pub async fn open(&self, token: &str, count: bool) -> Result<Option<TrackingView>, StoreError> {
        let Some(link) = self.active(token).await? else {
            return Ok(None);
        };
        let Some(order) = self.orders.order(&link.order_id).await? else {
            tracing::warn!(link = %link.id, order = %link.order_id, "tracking link to a missing order");
            return Ok(None);
        };
        // Exactly what the projection reflects; newer events come on the stream.
        let mut events = self.orders.order_events(&link.order_id).await?;
        events.retain(|e| e.seq <= order.last_seq);
        if count {
            if let Err(e) = self.links.record_open(&link.id, Utc::now()).await {
                tracing::warn!(error = %e, link = %link.id, "could not count a tracking link open");
            }
        }
        Ok(Some(TrackingView::new(&order, &events)))
    }
}
