//! The two languages of the control room, zh-CN and en.
//!
//! - the generated module (`build.rs` from `locales/<language>/<namespace>.json`):
//!   [`Locale`], typed keys, `use_i18n`, `I18nContextProvider`; a key that is
//!   not in the files does not compile;
//! - [`key_parity`]: both languages have the same keys (the build stops
//!   otherwise; tested here);
//! - [`words`]: the model's values (statuses, roles, events, refusals) in words.

pub mod key_parity;
pub mod words;

/// What `build.rs` generated (its module is called `i18n` too).
mod generated {
    include!(concat!(env!("OUT_DIR"), "/i18n/mod.rs"));
}
pub use generated::i18n::*;

#[cfg(test)]
mod tests;
