//! The deliveries page's line on deliveries that got no row of their own:
//! how many were refused in the last hour, for which reasons, and how many of
//! them the log lists (a sample); and how many were duplicates. Loaded with the
//! page; nothing is shown when there were none.

use crate::api::list_refusals;
use crate::model::ingest::delivery_refusal::{RefusalCount, RefusalReason};
use crate::ui::auth::Auth;
use leptos::prelude::*;

/// The line, or `None` when nothing was refused or repeated in the last hour.
fn summary(counts: &[RefusalCount]) -> Option<String> {
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
    if refused == 0 && duplicates == 0 {
        return None;
    }
    let mut reasons: Vec<(RefusalReason, u64)> = Vec::new();
    for c in counts.iter().filter(|c| !duplicate(c) && c.last_hour > 0) {
        match reasons.iter_mut().find(|(r, _)| *r == c.reason) {
            Some((_, n)) => *n += c.last_hour,
            None => reasons.push((c.reason, c.last_hour)),
        }
    }
    let mut line = format!("{refused} refused in the last hour, {listed} of them listed below");
    if !reasons.is_empty() {
        let parts: Vec<String> = reasons
            .iter()
            .map(|(r, n)| format!("{}: {n}", r.label().to_lowercase()))
            .collect();
        line.push_str(&format!(" ({})", parts.join(", ")));
    }
    if duplicates > 0 {
        line.push_str(&format!("; {duplicates} duplicates"));
    }
    line.push('.');
    Some(line)
}

/// The line on the deliveries page.
#[component]
pub fn RefusalSummary() -> impl IntoView {
    let auth = Auth::current();
    let counts = LocalResource::new(move || auth.call(list_refusals()));
    view! {
        <Suspense fallback=|| ()>
            {move || Suspend::new(async move {
                counts
                    .await
                    .ok()
                    .and_then(|counts| summary(&counts))
                    .map(|line| {
                        view! {
                            <p class="hint refusal-summary" data-testid="refusal-summary">
                                {line}
                            </p>
                        }
                    })
            })}
        </Suspense>
    }
}
