//! The order list's filters as they live in the URL (`?status=&channel=&q=&page=`),
//! so a filtered list is a deep link and Back/Forward move between filters.

use crate::model::{Channel, OrderQuery, Status};
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
    /// Order number, ours or the channel's (part of it is enough).
    pub search: String,
    /// 1-based.
    pub page: u32,
}

impl ListFilters {
    pub fn from_query(query: &ParamsMap) -> Self {
        ListFilters {
            status: query.get_str("status").and_then(|s| s.parse().ok()),
            channel: query.get_str("channel").and_then(|c| c.parse().ok()),
            search: query.get("q").unwrap_or_default().trim().to_string(),
            page: query
                .get_str("page")
                .and_then(|p| p.parse().ok())
                .unwrap_or(1)
                .max(1),
        }
    }

    /// What to ask the server for.
    pub fn to_query(&self) -> OrderQuery {
        OrderQuery {
            status: self.status,
            channel: self.channel,
            search: Some(self.search.clone()).filter(|s| !s.is_empty()),
            page: self.page,
            per_page: PER_PAGE,
        }
    }

    /// The list's address with these filters; defaults are left out.
    pub fn href(&self) -> String {
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
        if self.page > 1 {
            params.push(format!("page={}", self.page));
        }
        StaffPage::Orders.href_with(&params)
    }

    /// The same filters on another page.
    pub fn on_page(&self, page: u32) -> Self {
        ListFilters {
            page: page.max(1),
            ..self.clone()
        }
    }

    /// Changed filters start again at page 1.
    pub fn with_status(&self, status: Option<Status>) -> Self {
        ListFilters {
            status,
            page: 1,
            ..self.clone()
        }
    }

    pub fn with_channel(&self, channel: Option<Channel>) -> Self {
        ListFilters {
            channel,
            page: 1,
            ..self.clone()
        }
    }

    pub fn with_search(&self, search: &str) -> Self {
        ListFilters {
            search: search.trim().to_string(),
            page: 1,
            ..self.clone()
        }
    }

    /// True when anything narrows the list.
    pub fn is_filtered(&self) -> bool {
        self.status.is_some() || self.channel.is_some() || !self.search.is_empty()
    }
}
