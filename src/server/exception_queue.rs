//! Reading a team's exception queue a page at a time, for the queue's server
//! function and its CSV export alike: each of the team's codes read in order
//! of raising from its index, merged by deadline (raised + the code's
//! service-level time in the settings in force), and each row's order read
//! and shown through the reader's lens.

use crate::model::access::{Lens, Role};
use crate::model::views::exception_queue::{codes_of, merge, QueueKey, QueuePage, QueueRow};
use crate::model::ExceptionCode;
use crate::server::store::StoreError;
use crate::server::AppState;
use chrono::{DateTime, Utc};

/// The page of `team`'s queue (of one `code` of it, when given) after
/// `after` (`None`: the first), at most `rows` long, snoozed exceptions only
/// when `snoozed`, read at `now`.
#[allow(clippy::too_many_arguments)]
pub async fn read_page(
    state: &AppState,
    lens: Lens,
    team: Role,
    code: Option<ExceptionCode>,
    after: Option<&QueueKey>,
    snoozed: bool,
    rows: usize,
    now: DateTime<Utc>,
) -> Result<QueuePage, StoreError> {
    let settings = state.detectors.settings();
    let sla = |code| settings.settings.sla(code);
    let as_of = state.store.head();
    let codes: Vec<ExceptionCode> = codes_of(team)
        .into_iter()
        .filter(|c| code.is_none_or(|wanted| wanted == *c))
        .collect();
    let mut per_code = Vec::with_capacity(codes.len());
    for code in &codes {
        let bound = match after {
            Some(key) => key.bound_for(*code, sla(*code)),
            None => (i64::MIN, String::new(), String::new()),
        };
        per_code.push(
            state
                .store
                .queue_entries(*code, bound, now, snoozed, rows as u32 + 1)
                .await?,
        );
    }
    let mut page = merge(per_code, sla, rows + 1);
    let next = (page.len() > rows).then(|| page[rows - 1].0.to_param());
    page.truncate(rows);
    let mut shown = Vec::with_capacity(page.len());
    for (_, entry) in page {
        if let Some(order) = state.store.order(&entry.order_id).await? {
            let seen = lens.order(&order);
            shown.extend(QueueRow::of(
                &seen,
                entry.code,
                entry.parcel.as_ref(),
                sla(entry.code),
            ));
        }
    }
    let (total, snoozed_count) = state.store.queue_counts(codes, now).await?;
    Ok(QueuePage {
        team,
        rows: shown,
        total,
        snoozed: snoozed_count,
        next,
        read_at: now,
        as_of,
    })
}
