//! Order exports as CSV downloads: the order list with the filters it shows
//! (`GET /api/export/orders.csv?status=&channel=&q=&exceptions=open&lang=`)
//! and a customer's orders of the last 30 days
//! (`GET /api/export/customer.csv?order=<id>&lang=`), and a team's exception
//! queue ([`exceptions`]). Signed-in staff only,
//! every row through the caller's lens, every export in the audit trail. The
//! list is streamed a keyset page at a time, so an export of a million
//! orders never holds them all; a bad filter is refused with 400 before
//! anything is written.

mod exceptions;
mod sheet;

pub use exceptions::exceptions_csv;

use crate::i18n::Locale;
use crate::model::access::account::AuditKind;
use crate::model::views::query::MAX_PER_PAGE;
use crate::model::views::search::SearchPlan;
use crate::model::{Channel, Lens, ListKey, OrderId, OrderQuery, PageAt, Permission, Status};
use crate::server::auth::{Caller, Staff};
use crate::server::customer::recent_orders;
use crate::server::store::Store;
use crate::server::AppState;
use axum::body::{Body, Bytes};
use axum::extract::{ConnectInfo, Query, State};
use axum::http::{header, HeaderMap, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use serde::Deserialize;
use std::collections::HashMap;
use std::net::SocketAddr;

/// Why an export was refused before it began.
#[derive(Debug, thiserror::Error)]
enum Refused {
    #[error("please sign in")]
    Unauthenticated,
    #[error("not available for your role")]
    Forbidden,
    #[error("{0}")]
    BadRequest(String),
    #[error("the export failed")]
    Store(#[from] crate::server::store::StoreError),
    #[error("the export failed")]
    Write(#[from] std::io::Error),
}

impl IntoResponse for Refused {
    fn into_response(self) -> Response {
        let status = match &self {
            Refused::Unauthenticated => StatusCode::UNAUTHORIZED,
            Refused::Forbidden => StatusCode::FORBIDDEN,
            Refused::BadRequest(_) => StatusCode::BAD_REQUEST,
            Refused::Store(e) => {
                tracing::error!(error = %e, "an export could not read the store");
                StatusCode::INTERNAL_SERVER_ERROR
            }
            Refused::Write(e) => {
                tracing::error!(error = %e, "an export could not be written as CSV");
                StatusCode::INTERNAL_SERVER_ERROR
            }
        };
        (status, self.to_string()).into_response()
    }
}

/// The signed-in caller allowed to view orders, and their address.
async fn staff(
    state: &AppState,
    headers: &HeaderMap,
    peer: SocketAddr,
) -> Result<(Staff, String), Refused> {
    let request = state.auth.request_info(headers, peer).await;
    match request.caller {
        Caller::Staff(staff) if staff.may(Permission::ViewOrders) => Ok((staff, request.address)),
        Caller::Staff(staff) => {
            state
                .auth
                .record_denial(&staff, Permission::ViewOrders, &request.address)
                .await;
            Err(Refused::Forbidden)
        }
        Caller::Anonymous => Err(Refused::Unauthenticated),
    }
}

/// The language of the export: `lang` when given, else the caller's, else Chinese.
fn language(params: &HashMap<String, String>, staff: &Staff) -> Result<Locale, Refused> {
    let asked: Option<Locale> = optional(params, "lang")?;
    Ok(asked.or(staff.language).unwrap_or(Locale::zh_CN))
}

/// The value of `name` in the query string, parsed; `None` when absent or
/// empty, an error naming it when it is not one.
fn optional<T: std::str::FromStr>(
    params: &HashMap<String, String>,
    name: &str,
) -> Result<Option<T>, Refused> {
    params
        .get(name)
        .filter(|v| !v.is_empty())
        .map(|v| {
            v.parse::<T>()
                .map_err(|_| Refused::BadRequest(format!("no {name} {v:?}")))
        })
        .transpose()
}

/// The list's filters from the query string, strictly: an unknown status or
/// channel is an error, not "any".
fn filters(params: &HashMap<String, String>) -> Result<OrderQuery, Refused> {
    let status: Option<Status> = optional(params, "status")?;
    let channel: Option<Channel> = optional(params, "channel")?;
    let open_exceptions = match params.get("exceptions").map(String::as_str) {
        None | Some("") => false,
        Some("open") => true,
        Some(other) => {
            return Err(Refused::BadRequest(format!(
                "exceptions={other:?}: only \"open\""
            )))
        }
    };
    Ok(OrderQuery {
        status,
        channel,
        search: params.get("q").cloned().filter(|q| !q.trim().is_empty()),
        open_exceptions,
        page: 1,
        per_page: MAX_PER_PAGE,
        at: PageAt::First,
    })
}

/// A CSV download named `name`.
fn download(name: &str, body: Body) -> Response {
    let mut res = (StatusCode::OK, body).into_response();
    let h = res.headers_mut();
    h.insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("text/csv; charset=utf-8"),
    );
    if let Ok(value) = HeaderValue::from_str(&format!("attachment; filename=\"{name}\"")) {
        h.insert(header::CONTENT_DISPOSITION, value);
    }
    h.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    res
}

fn csv_chunk<S: AsRef<str>>(
    header: Option<&[&str]>,
    rows: Vec<Vec<S>>,
) -> Result<Bytes, std::io::Error> {
    sheet::csv_bytes(header, rows)
        .map(Bytes::from)
        .map_err(std::io::Error::other)
}

/// Where the next page of an export starts; `None` once the last was sent.
struct Cursor {
    next: Option<PageAt>,
    first: bool,
}

/// `GET /api/export/orders.csv`: the order list with its filters.
pub async fn orders_csv(
    State(state): State<AppState>,
    ConnectInfo(peer): ConnectInfo<SocketAddr>,
    headers: HeaderMap,
    Query(params): Query<HashMap<String, String>>,
) -> Response {
    match orders(state, peer, headers, params).await {
        Ok(res) => res,
        Err(refused) => refused.into_response(),
    }
}

async fn orders(
    state: AppState,
    peer: SocketAddr,
    headers: HeaderMap,
    params: HashMap<String, String>,
) -> Result<Response, Refused> {
    let (staff, address) = staff(&state, &headers, peer).await?;
    let locale = language(&params, &staff)?;
    let query = filters(&params)?;
    let lens = staff.lens();
    state
        .auth
        .audit_entry(
            AuditKind::OrdersExported,
            Some(&staff.username),
            &address,
            format!("order list: {}", describe(&query)),
        )
        .await;
    let store = state.store.clone();
    // A search answers one page (the newest orders it finds); the list is
    // walked a keyset page at a time.
    if let Some(plan) = query
        .search_text()
        .and_then(|text| SearchPlan::new(text, lens))
    {
        let rows = store.search_orders(&plan, &query).await?;
        let cells: Vec<_> = rows
            .orders
            .iter()
            .map(|o| sheet::order_row(locale, &lens.order(o)))
            .collect();
        let header = sheet::order_header(locale);
        let body = csv_chunk(Some(&header), cells)?;
        return Ok(download("orders.csv", Body::from(body)));
    }
    let start = Cursor {
        next: Some(PageAt::First),
        first: true,
    };
    let pages = futures::stream::unfold(start, move |cursor| {
        let (store, query) = (store.clone(), query.clone());
        async move { next_page(&store, query, lens, locale, cursor).await }
    });
    Ok(download("orders.csv", Body::from_stream(pages)))
}

/// The next chunk of the list's export (the header first), and where the one after starts.
async fn next_page(
    store: &Store,
    mut query: OrderQuery,
    lens: Lens,
    locale: Locale,
    cursor: Cursor,
) -> Option<(Result<Bytes, std::io::Error>, Cursor)> {
    let at = cursor.next?;
    query.at = at;
    let rows = match store.list_orders(&query).await {
        Ok(rows) => rows,
        Err(e) => {
            tracing::error!(error = %e, "an order export stopped: the store could not be read");
            return Some((
                Err(std::io::Error::other(e)),
                Cursor {
                    next: None,
                    first: false,
                },
            ));
        }
    };
    let next = (rows.orders.len() as u32 == query.per_page)
        .then(|| rows.orders.last().map(|o| PageAt::After(ListKey::of(o))))
        .flatten();
    let cells: Vec<_> = rows
        .orders
        .iter()
        .map(|o| sheet::order_row(locale, &lens.order(o)))
        .collect();
    let header = sheet::order_header(locale);
    let chunk = csv_chunk(cursor.first.then_some(header.as_slice()), cells);
    Some((chunk, Cursor { next, first: false }))
}

/// The filters in words for the audit trail.
fn describe(query: &OrderQuery) -> String {
    let mut parts = Vec::new();
    if let Some(s) = query.status {
        parts.push(format!("status {}", s.as_str()));
    }
    if let Some(c) = query.channel {
        parts.push(format!("channel {}", c.as_str()));
    }
    if let Some(q) = query.search_text() {
        parts.push(format!("search {q:?}"));
    }
    if query.open_exceptions {
        parts.push("open exceptions".into());
    }
    if parts.is_empty() {
        "all orders".into()
    } else {
        parts.join(", ")
    }
}

#[derive(Debug, Deserialize)]
pub struct CustomerParams {
    order: String,
    #[serde(flatten)]
    rest: HashMap<String, String>,
}

/// `GET /api/export/customer.csv?order=<id>`: the customer of that order, last 30 days.
pub async fn customer_csv(
    State(state): State<AppState>,
    ConnectInfo(peer): ConnectInfo<SocketAddr>,
    headers: HeaderMap,
    Query(params): Query<CustomerParams>,
) -> Response {
    match customer(state, peer, headers, params).await {
        Ok(res) => res,
        Err(refused) => refused.into_response(),
    }
}

async fn customer(
    state: AppState,
    peer: SocketAddr,
    headers: HeaderMap,
    params: CustomerParams,
) -> Result<Response, Refused> {
    let (staff, address) = staff(&state, &headers, peer).await?;
    let locale = language(&params.rest, &staff)?;
    let id = OrderId::parse(&params.order).map_err(|e| Refused::BadRequest(e.to_string()))?;
    let store = &state.store;
    let asked = store
        .order(&id)
        .await?
        .ok_or_else(|| Refused::BadRequest(format!("no order {id}")))?;
    state
        .auth
        .audit_entry(
            AuditKind::OrdersExported,
            Some(&staff.username),
            &address,
            format!("the customer of order {id}, last 30 days"),
        )
        .await;
    let recent = recent_orders(store, &asked, staff.lens()).await?;
    let rows: Vec<_> = recent
        .orders
        .iter()
        .map(|row| sheet::customer_row(locale, row))
        .collect();
    let header = sheet::customer_header(locale);
    let body = csv_chunk(Some(&header), rows)?;
    Ok(download(&format!("customer-{id}.csv"), Body::from(body)))
}
