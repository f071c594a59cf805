//! The domain's values in words, per language: statuses, roles, channels and
//! the rest of what the model states as facts. The model never holds a
//! sentence; whoever shows a value asks here, with the reader's [`Locale`].
//! One function per kind of value, so a value reads the same on every desk.
//!
//! Words that embed an amount take a [`MoneyWords`]: the browser passes
//! `kit::format::money` (the reader's `Intl`), native code and tests pass the
//! model's own form (`|m| m.to_string()`).

pub mod admin;
mod api_error;
mod carrier;
mod event;
mod exception;
mod labels;
mod origin;
mod progress;
mod refusal;
pub mod reply;
mod request;
pub mod route;
mod search;
mod status_report;
mod timeline_group;
mod tracking;
mod warehouse;

use crate::i18n::Locale;
use crate::model::Money;

pub use api_error::api_error;
pub use carrier::carrier;
pub use event::{meaning, scan};
pub use exception::{
    cause, exception_code, exception_mark, facts, open_exception, open_exceptions, span,
};
pub use labels::{channel, role, roles, status};
pub use origin::{actor, source};
pub use progress::{component_kind, progress, tally};
pub use refusal::{account_error, account_refusal, not_applied, refusal};
pub use request::{address, ask, ask_in_full, contact, request_detail, request_state};
pub use search::{found_by, ignored_search, read_as, search_field};
pub use status_report::{reported, target_meaning};
pub use timeline_group::{group_shipping, group_title};
pub use tracking::{customer_status, step};
pub use warehouse::{load_level, stock_error, stock_problem, warehouse_error};

/// How an amount reads inside a sentence.
pub type MoneyWords<'a> = &'a dyn Fn(&Money) -> String;

/// Items of a list run together: `、` in Chinese, `, ` in English.
pub fn list_separator(locale: Locale) -> &'static str {
    match locale {
        Locale::zh_CN => "、",
        Locale::en => ", ",
    }
}
