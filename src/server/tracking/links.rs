//! Tracking links: made by customer service for one order (a 256-bit random,
//! URL-safe token shown once; only its SHA-256 is kept), listed by a hint,
//! revoked at once; opened by the customer without signing in (at most so
//! often per network address), and counted (in memory, written in batches).
//! Every change goes into the audit trail; revocations are announced so the
//! customer's open live streams end.

use super::open_counts::OpenCounts;
use super::open_limit::OpenLimit;
use crate::model::access::account::AuditKind;
use crate::model::views::tracking::{resume_point, TrackingView};
use crate::model::views::tracking_link::{
    expiry_days, tracking_path, LinkState, TrackingLinkCreated, TrackingLinkSummary,
};
use crate::model::OrderId;
use crate::server::auth::{random_token, token_hash, Auth, RequestInfo, Staff};
use crate::server::store::{Store, StoreError, StoredTrackingLink, TrackingLinkStoreHandle};
use chrono::Utc;
use std::net::IpAddr;
use std::sync::Arc;
use std::time::Duration;
use tokio::sync::broadcast;
use tokio_util::sync::CancellationToken;

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
    /// Opens per network address.
    limit: OpenLimit,
    /// Opens not written yet.
    opens: OpenCounts,
}

impl TrackingLinks {
    /// The service over `links`; one network address may open links
    /// `opens_per_minute` times a minute (0: no limit).
    pub fn new(
        links: TrackingLinkStoreHandle,
        orders: Store,
        auth: Arc<Auth>,
        opens_per_minute: u32,
    ) -> TrackingLinks {
        TrackingLinks {
            links,
            orders,
            auth,
            revoked: broadcast::channel(64).0,
            limit: OpenLimit::new(opens_per_minute),
            opens: OpenCounts::default(),
        }
    }

    /// Admits one request for a link (a page load or a live stream) from
    /// `address`, or says how long it must wait.
    pub fn admit(&self, address: IpAddr) -> Result<(), Duration> {
        self.limit.admit(address, tokio::time::Instant::now())
    }

    /// Writes the open counts kept in memory, in one write. On failure they
    /// are kept for the next time.
    pub async fn flush_opens(&self) -> Result<usize, StoreError> {
        let counted = self.opens.take();
        if counted.is_empty() {
            return Ok(0);
        }
        match self.links.add_opens(&counted).await {
            Ok(()) => Ok(counted.len()),
            Err(e) => {
                self.opens.put_back(counted);
                Err(e)
            }
        }
    }

    /// Writes the open counts every `every` until `stop` is cancelled (the
    /// server writes the last ones itself when it has stopped serving).
    pub async fn flush_opens_every(self: Arc<Self>, every: Duration, stop: CancellationToken) {
        let mut tick = tokio::time::interval_at(tokio::time::Instant::now() + every, every);
        tick.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
        loop {
            tokio::select! {
                _ = stop.cancelled() => return,
                _ = tick.tick() => {
                    if let Err(e) = self.flush_opens().await {
                        tracing::warn!(error = %e, "could not write tracking link open counts");
                    }
                }
            }
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
            expires_at: now + chrono::Duration::days(i64::from(days)),
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
        let mut links = self.links.links_of(order).await?;
        // With the opens not written yet.
        for link in &mut links {
            if let Some((opens, last_at)) = self.opens.unwritten(&link.id) {
                link.opened += opens;
                link.last_opened_at = link.last_opened_at.max(Some(last_at));
            }
        }
        Ok(links)
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
            self.opens.count(&link.id, Utc::now());
        }
        Ok(Some(TrackingView::new(&order, &events)))
    }

    /// Where a customer's stream of `link` starts: after step `after_step`
    /// of its order (`None`: after the last step so far). The step number it
    /// continues from and the log position to replay after.
    pub async fn resume_point(
        &self,
        link: &TrackingLinkSummary,
        after_step: Option<u64>,
    ) -> Result<(u64, u64), StoreError> {
        let events = self.orders.order_events(&link.order_id).await?;
        Ok(resume_point(&events, after_step))
    }
}
