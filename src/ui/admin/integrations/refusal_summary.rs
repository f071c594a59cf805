//! The deliveries page's line on deliveries that got no row of their own:
//! how many were refused in the last hour, for which reasons, and how many of
//! them the log lists (a sample); and how many were duplicates. Loaded with the
//! page; nothing is shown when there were none.

use crate::api::list_refusals;
use crate::i18n::words::admin as admin_words;
use crate::i18n::*;
use crate::model::ingest::delivery_refusal::{RefusalCount, RefusalReason};
use crate::ui::auth::Auth;
use crate::ui::kit::format;
use leptos::prelude::*;

/// Nothing was refused or repeated in the last hour.
fn quiet(counts: &[RefusalCount]) -> bool {
    counts.iter().all(|c| c.last_hour == 0)
}

/// The line in the reader's language, or `None` when nothing was refused or
/// repeated in the last hour.
fn summary(locale: Locale, counts: &[RefusalCount]) -> Option<String> {
    let duplicate = |c: &&RefusalCount| c.reason == RefusalReason::Duplicate;
    let refused: u64 = counts
        .iter()
        .filter(|c| !duplicate(c))
        .map(|c| c.last_hour)
        .sum();
    let listed: u64 = counts
        .iter()
        .filter(|c| !duplicate(c))
        .map(|c| c.listed_last_hour)
        .sum();
    let duplicates: u64 = counts.iter().filter(duplicate).map(|c| c.last_hour).sum();
    if quiet(counts) {
        return None;
    }
    let mut reasons: Vec<(RefusalReason, u64)> = Vec::new();
    for c in counts.iter().filter(|c| !duplicate(c) && c.last_hour > 0) {
        match reasons.iter_mut().find(|(r, _)| *r == c.reason) {
            Some((_, n)) => *n += c.last_hour,
            None => reasons.push((c.reason, c.last_hour)),
        }
    }
    let number = |n: u64| format::number(locale, n);
    let mut line = td_string!(
        locale,
        admin.refusals.line,
        refused = number(refused),
        listed = number(listed)
    )
    .to_string();
    if !reasons.is_empty() {
        let parts: Vec<String> = reasons
            .iter()
            .map(|(r, n)| {
                let reason = admin_words::refusal_reason(locale, *r).to_lowercase();
                td_string!(
                    locale,
                    admin.refusals.reason_count,
                    reason = reason,
                    count = number(*n)
                )
                .to_string()
            })
            .collect();
        let reasons = parts.join(td_string!(locale, admin.refusals.separator));
        line.push_str(&td_string!(locale, admin.refusals.reasons, reasons = reasons).to_string());
    }
    if duplicates > 0 {
        let count = number(duplicates);
        line.push_str(&td_string!(locale, admin.refusals.duplicates, count = count).to_string());
    }
    line.push_str(td_string!(locale, admin.refusals.end));
    Some(line)
}

/// The line on the deliveries page.
#[component]
pub fn RefusalSummary() -> impl IntoView {
    let auth = Auth::current();
    let i18n = use_i18n();
    let counts = LocalResource::new(move || auth.call(list_refusals()));
    view! {
        <Suspense fallback=|| ()>
            {move || Suspend::new(async move {
                counts
                    .await
                    .ok()
                    .filter(|counts| !quiet(counts))
                    .map(|counts| {
                        view! {
                            <p class="hint refusal-summary" data-testid="refusal-summary">
                                {move || summary(i18n.get_locale(), &counts)}
                            </p>
                        }
                    })
            })}
        </Suspense>
    }
}
