//! The warehouse load board page: the board as loaded, reloaded (coalesced)
//! when the page's stream carries an event that moves it (the `warehouses`
//! topic, followed after the log position the first board was read at), and
//! paused with the page's live updates. Admins get the forms below it.

use super::kept_warehouses::KeptWarehouses;
use super::load_table::LoadTable;
use super::stock_import::StockImportForm;
use super::warehouse_detail::WarehouseDetail;
use super::warehouse_form::WarehouseForm;
use crate::api::load_warehouse_board;
use crate::i18n::*;
use crate::model::views::warehouse_load::{WarehouseBoard, WarehouseRow};
use crate::model::warehouse::WarehouseDraft;
use crate::model::{Permission, Topic};
use crate::ui::auth::Auth;
use crate::ui::kit::{ErrorNotice, PauseToggle};
use crate::ui::language::tr;
use crate::ui::live::{coalesce, follow_live, LiveLink};
use leptos::prelude::*;
use std::time::Duration;

/// At most one reload of the board per this much time, however many events.
const RELOAD_EVERY: Duration = Duration::from_millis(400);

/// The page.
#[component]
pub fn WarehousesPage() -> impl IntoView {
    let i18n = use_i18n();
    crate::ui::kit::use_page_title(move || {
        td_string!(i18n.get_locale(), logistics.warehouses.title).to_string()
    });
    let auth = Auth::current();
    let revision = RwSignal::new(0_u32);
    let board = LocalResource::new(move || {
        revision.track();
        auth.call(load_warehouse_board())
    });
    let paused = LiveLink::current().paused();
    // The board shown: the last one loaded, held still while the page is
    // paused (a reload already under way when the person paused does not
    // change it).
    let latest: Memo<Option<WarehouseBoard>> =
        Memo::new(move |shown: Option<&Option<WarehouseBoard>>| match shown {
            Some(Some(shown)) if paused.get() => Some(shown.clone()),
            _ => board.get().and_then(Result::ok),
        });
    let rows: Memo<Vec<WarehouseRow>> =
        Memo::new(move |_| latest.with(|b| b.as_ref().map(|b| b.rows.clone()).unwrap_or_default()));
    // The first board's log position: the live topic is followed after it
    // (fixed once known, so the page joins the stream once).
    let first_as_of: Memo<Option<u64>> = Memo::new(move |before: Option<&Option<u64>>| {
        before
            .copied()
            .flatten()
            .or_else(|| latest.with(|b| b.as_ref().map(|b| b.as_of)))
    });
    let reload = Callback::new(move |()| revision.update(|r| *r += 1));
    let editing = RwSignal::new(None::<WarehouseDraft>);
    // Bumped by each import, so stock already shown is loaded again.
    provide_context(StockRevision(RwSignal::new(0)));
    let manages = move || auth.may(Permission::ManageWarehouses);

    view! {
        <h1>{tr(i18n, |l| td_string!(l, logistics.warehouses.title))}</h1>
        <p class="hint">{tr(i18n, |l| td_string!(l, logistics.warehouses.hint))}</p>
        <div class="page-heading">
            <PauseToggle/>
        </div>
        {move || first_as_of.get().map(|after| view! { <FollowBoard after reload/> })}
        <Transition fallback=move || {
            view! {
                <p class="loading" role="status">
                    {tr(i18n, |l| td_string!(l, logistics.warehouses.loading))}
                </p>
            }
        }>
            <ErrorBoundary fallback=move |errors| {
                let title = td_string!(i18n.get_locale(), logistics.warehouses.load_failed);
                view! { <ErrorNotice errors title/> }
            }>{move || Suspend::new(async move { board.await.map(|_| ()) })}</ErrorBoundary>
        </Transition>
        <Show when=move || latest.with(|b| b.as_ref().is_some_and(|b| b.rows.is_empty()))>
            <p class="empty" data-testid="no-warehouses">
                {tr(i18n, |l| td_string!(l, logistics.warehouses.empty))}
            </p>
        </Show>
        <Show when=move || !rows.with(Vec::is_empty)>
            <LoadTable rows/>
            <For each=move || rows.get() key=|r| r.warehouse.name.clone() let:row>
                <WarehouseDetail rows name=row.warehouse.name.clone()/>
            </For>
        </Show>
        <Show when=manages>
            <div class="warehouse-admin">
                <WarehouseForm editing on_saved=reload/>
                <KeptWarehouses rows editing on_removed=reload/>
                <StockImportForm/>
            </div>
        </Show>
    }
}

/// How many stock imports this page has made: stock shown follows it.
#[derive(Debug, Clone, Copy)]
pub struct StockRevision(pub RwSignal<u32>);

impl StockRevision {
    /// The page's count (a private one outside the page).
    pub fn current() -> StockRevision {
        use_context::<StockRevision>().unwrap_or(StockRevision(RwSignal::new(0)))
    }
}

/// Follows the `warehouses` topic after `after`: each burst of events
/// reloads the board once. While the page is paused the events are held by
/// the stream, and a reload already due waits, so nothing reloads until it
/// resumes.
#[component]
fn FollowBoard(after: u64, reload: Callback<()>) -> impl IntoView {
    let paused = LiveLink::current().paused();
    // A reload that fell due while paused waits for the resume.
    let owed = RwSignal::new(false);
    let again = coalesce(RELOAD_EVERY, move || {
        if paused.get_untracked() {
            owed.set(true);
        } else {
            reload.run(());
        }
    });
    Effect::new(move |_| {
        if !paused.get() && owed.get_untracked() {
            owed.set(false);
            reload.run(());
        }
    });
    follow_live(vec![Topic::Warehouses], Some(after), move |_| again());
}
