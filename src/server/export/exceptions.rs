//! A team's exception queue as a CSV download
//! (`GET /api/export/exceptions.csv?team=logistics&code=&snoozed=1&lang=`): every
//! open exception of the team, nearest deadline first, a page at a time,
//! through the caller's lens, recorded in the audit trail. Only people who
//! work that team's queue (and admins) may export it.

use super::{csv_chunk, download, language, optional, sheet, Refused};
use crate::model::access::account::AuditKind;
use crate::model::access::Role;
use crate::model::views::exception_queue::{works_queue, QueueKey};
use crate::model::{ExceptionCode, Permission};
use crate::server::auth::Caller;
use crate::server::exception_queue::read_page;
use crate::server::AppState;
use axum::body::{Body, Bytes};
use axum::extract::{ConnectInfo, Query, State};
use axum::http::HeaderMap;
use axum::response::{IntoResponse, Response};
use std::collections::HashMap;
use std::net::SocketAddr;

/// Rows read per page of the export.
const PAGE: usize = 500;

/// `GET /api/export/exceptions.csv`.
pub async fn exceptions_csv(
    State(state): State<AppState>,
    ConnectInfo(peer): ConnectInfo<SocketAddr>,
    headers: HeaderMap,
    Query(params): Query<HashMap<String, String>>,
) -> Response {
    match export(state, peer, headers, params).await {
        Ok(res) => res,
        Err(refused) => refused.into_response(),
    }
}

async fn export(
    state: AppState,
    peer: SocketAddr,
    headers: HeaderMap,
    params: HashMap<String, String>,
) -> Result<Response, Refused> {
    let request = state.auth.request_info(&headers, peer).await;
    let staff = match request.caller {
        Caller::Anonymous => return Err(Refused::Unauthenticated),
        Caller::Staff(staff) => staff,
    };
    let team: Role =
        optional(&params, "team")?.ok_or_else(|| Refused::BadRequest("a team is needed".into()))?;
    if !works_queue(&staff.roles, team) || !staff.may(Permission::WorkExceptions) {
        state
            .auth
            .record_denial(&staff, Permission::WorkExceptions, &request.address)
            .await;
        return Err(Refused::Forbidden);
    }
    let snoozed = match params.get("snoozed").map(String::as_str) {
        None | Some("") | Some("0") => false,
        Some("1") => true,
        Some(other) => return Err(Refused::BadRequest(format!("snoozed={other:?}: 0 or 1"))),
    };
    let code = match params.get("code").filter(|c| !c.is_empty()) {
        Some(c) => Some(
            ExceptionCode::parse(c)
                .filter(|code| code.team() == team)
                .ok_or_else(|| Refused::BadRequest(format!("no code {c:?} in this queue")))?,
        ),
        None => None,
    };
    let locale = language(&params, &staff)?;
    state
        .auth
        .audit_entry(
            AuditKind::OrdersExported,
            Some(&staff.username),
            &request.address,
            format!("the {} exception queue", team.as_str()),
        )
        .await;
    let lens = staff.lens();
    let now = chrono::Utc::now();
    let start = (Some(None::<QueueKey>), true);
    let pages = futures::stream::unfold(start, move |(at, first)| {
        let state = state.clone();
        async move {
            let after = at?;
            let page = match read_page(&state, lens, team, code, after.as_ref(), snoozed, PAGE, now)
                .await
            {
                Ok(page) => page,
                Err(e) => {
                    tracing::error!(error = %e, "a queue export stopped: the store could not be read");
                    return Some((Err(std::io::Error::other(e)), (None, false)));
                }
            };
            let next = page.next.as_deref().and_then(QueueKey::parse).map(Some);
            let rows: Vec<_> = page
                .rows
                .iter()
                .map(|r| sheet::queue_row(locale, r, now))
                .collect();
            let header = sheet::queue_header(locale);
            let chunk: Result<Bytes, std::io::Error> =
                csv_chunk(first.then_some(header.as_slice()), rows);
            Some((chunk, (next, false)))
        }
    });
    Ok(download(
        &format!("exceptions-{}.csv", team.as_str()),
        Body::from_stream(pages),
    ))
}
