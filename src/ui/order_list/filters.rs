//! The order list's filters as they live in the URL
//! (`?status=&channel=&q=&exceptions=open&page=&after=|before=|at=last`),
//! so a filtered list is a deep link and Back/Forward move between filters
//! and pages. A page is where it starts (`after` / `before` an order, see
//! [`ListKey`]), its number only the label the pager shows.

use crate::model::{Channel, ListKey, OrderQuery, PageAt, Status};
use crate::ui::routes::StaffPage;
use leptos_router::location::Url;
use leptos_router::params::ParamsMap;

/// Orders per page of the list.
pub const PER_PAGE: u32 = 25;

/// The list's filters. Unknown values in the URL read as "any".
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ListFilters {
    pub status: Option<Status>,
    pub channel: Option<Channel>,
    /// What the customer gave (see `crate::model::views::search`).
    pub search: String,
    /// Only orders with an open exception.
    pub open_exceptions: bool,
    /// The page's number as the pager counts it (1-based).
    pub page: u32,
    /// Where the page is.
    pub at: PageAt,
}

impl ListFilters {
    pub fn from_query(query: &ParamsMap) -> Self {
        ListFilters {
            status: query.get_str("status").and_then(|s| s.parse().ok()),
            channel: query.get_str("channel").and_then(|c| c.parse().ok()),
            search: query.get("q").unwrap_or_default().trim().to_string(),
            open_exceptions: query.get_str("exceptions") == Some("open"),
            page: query
                .get_str("page")
                .and_then(|p| p.parse().ok())
                .unwrap_or(1)
                .max(1),
            at: if let Some(key) = query.get_str("after").and_then(ListKey::parse) {
                PageAt::After(key)
            } else if let Some(key) = query.get_str("before").and_then(ListKey::parse) {
                PageAt::Before(key)
            } else if query.get_str("at") == Some("last") {
                PageAt::Last
            } else {
                PageAt::First
            },
        }
    }

    /// What to ask the server for.
    pub fn to_query(&self) -> OrderQuery {
        OrderQuery {
            status: self.status,
            channel: self.channel,
            search: Some(self.search.clone()).filter(|s| !s.is_empty()),
            open_exceptions: self.open_exceptions,
            page: self.page,
            per_page: PER_PAGE,
            at: self.at.clone(),
        }
    }

    /// The CSV export of the orders these filters show (every page), in
    /// `lang` (`GET /api/export/orders.csv`, see `crate::server::export`).
    pub fn export_href(&self, lang: &str) -> String {
        let mut params = self.filter_params();
        params.push(format!("lang={lang}"));
        format!("/api/export/orders.csv?{}", params.join("&"))
    }

    /// The filters as query parameters; defaults are left out.
    fn filter_params(&self) -> Vec<String> {
        let mut params = Vec::new();
        if let Some(status) = self.status {
            params.push(format!("status={}", status.as_str()));
        }
        if let Some(channel) = self.channel {
            params.push(format!("channel={}", channel.as_str()));
        }
        if !self.search.is_empty() {
            params.push(format!("q={}", Url::escape(&self.search)));
        }
        if self.open_exceptions {
            params.push("exceptions=open".to_string());
        }
        params
    }

    /// The list's address with these filters; defaults are left out.
    pub fn href(&self) -> String {
        let mut params = self.filter_params();
        if self.page > 1 {
            params.push(format!("page={}", self.page));
        }
        match &self.at {
            PageAt::First => {}
            PageAt::After(key) => params.push(format!("after={}", Url::escape(&key.param()))),
            PageAt::Before(key) => params.push(format!("before={}", Url::escape(&key.param()))),
            PageAt::Last => params.push("at=last".to_string()),
        }
        StaffPage::Orders.href_with(&params)
    }

    /// The same filters on page `page`, at `at`.
    pub fn on_page(&self, page: u32, at: PageAt) -> Self {
        ListFilters {
            page: page.max(1),
            at,
            ..self.clone()
        }
    }

    /// Changed filters start again at page 1.
    pub fn with_status(&self, status: Option<Status>) -> Self {
        ListFilters {
            status,
            page: 1,
            at: PageAt::First,
            ..self.clone()
        }
    }

    pub fn with_channel(&self, channel: Option<Channel>) -> Self {
        ListFilters {
            channel,
            page: 1,
            at: PageAt::First,
            ..self.clone()
        }
    }

    pub fn with_open_exceptions(&self, open_exceptions: bool) -> Self {
        ListFilters {
            open_exceptions,
            page: 1,
            at: PageAt::First,
            ..self.clone()
        }
    }

    pub fn with_search(&self, search: &str) -> Self {
        ListFilters {
            search: search.trim().to_string(),
            page: 1,
            at: PageAt::First,
            ..self.clone()
        }
    }

    /// True when anything narrows the list.
    pub fn is_filtered(&self) -> bool {
        self.status.is_some()
            || self.channel.is_some()
            || !self.search.is_empty()
            || self.open_exceptions
    }
}
