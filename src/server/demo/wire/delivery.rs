//! One rendered step: the HTTP POST the sending system would make.

use crate::model::Integration;

/// One HTTP POST, ready to send.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct WireDelivery {
    /// `/hooks/wechat?signature=…` or `/api/v1/orders/CR-…/events`.
    pub path_and_query: String,
    pub headers: Vec<(String, String)>,
    pub body: Vec<u8>,
}

impl WireDelivery {
    /// The path without the query.
    pub fn path(&self) -> &str {
        self.path_and_query
            .split_once('?')
            .map_or(self.path_and_query.as_str(), |(path, _)| path)
    }

    /// The query string without the `?`, if any.
    pub fn query(&self) -> Option<&str> {
        self.path_and_query.split_once('?').map(|(_, query)| query)
    }

    /// The integration a webhook is for; `None` for a timeline API call.
    pub fn integration(&self) -> Option<Integration> {
        self.path().strip_prefix("/hooks/")?.parse().ok()
    }

    pub(super) fn post(path_and_query: String, content_type: &str) -> WireDelivery {
        WireDelivery {
            path_and_query,
            headers: vec![("Content-Type".into(), content_type.into())],
            body: Vec::new(),
        }
    }

    pub(super) fn header(mut self, name: &str, value: impl Into<String>) -> WireDelivery {
        self.headers.push((name.to_string(), value.into()));
        self
    }

    pub(super) fn with_body(mut self, body: Vec<u8>) -> WireDelivery {
        self.body = body;
        self
    }
}
