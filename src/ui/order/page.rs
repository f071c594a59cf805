//! `/orders/:id`: one order — header, components, parcels, a note form and the
//! timeline — kept current by the live stream.
//!
//! After the order and its log are loaded, the page follows the order's topic
//! (`order:<id>`) on the page's shared stream after the loaded `last_seq`
//! (see [`crate::ui::live`]). Each event not yet shown (by
//! sequence number) is added to the timeline and folded into the order with
//! [`crate::model::evolve`], the same pure function the server uses (over the
//! events as the viewer's lens shows them: withheld amounts stay withheld), so
//! the header and tables change with it. A note the user adds takes the same path.
//! While live updates are paused, the stream's events are held and applied on
//! resume (see [`crate::ui::live`]); the user's own note is shown at once.
//!
//! Amounts, phone and address arrive through the viewer's lens (withheld
//! amounts absent, contact details masked); the page shows withheld amounts as
//! "Withheld". The note form is there only for people who may add notes, the
//! actions panel for people who may act (its recorded events take the same
//! path as a note); the requests made of the warehouse and carriers show
//! their state to everyone.

use super::actions_panel::ActionsPanel;
use super::answer_panel::AnswerPanel;
use super::contents::{ComponentsTable, ParcelsTable};
use super::customer_panel::CustomerPanel;
use super::header::OrderHeader;
use super::note_form::NoteForm;
use super::requests_panel::RequestsPanel;
use super::route_panel::RoutePanel;
use super::timeline::Timeline;
use crate::api::get_order;
use crate::i18n::*;
use crate::model::{evolve, OrderDetail, Permission, SeenEvent, Topic};
use crate::ui::auth::Auth;
use crate::ui::kit::{ErrorNotice, PauseToggle};
use crate::ui::language::tr;
use crate::ui::live::follow_live;
use crate::ui::routes::StaffPage;
use leptos::logging::warn;
use leptos::prelude::*;
use leptos_router::hooks::use_params_map;

/// The order page: loads the order named in the address.
#[component]
pub fn OrderPage() -> impl IntoView {
    let params = use_params_map();
    let id = Memo::new(move |_| params.read().get("id").unwrap_or_default());
    let i18n = use_i18n();
    crate::ui::kit::use_page_title(move || {
        td_string!(i18n.get_locale(), orders.page.title, id = id.get()).to_string()
    });
    let auth = Auth::current();
    let detail = LocalResource::new(move || auth.call(get_order(id.get())));

    view! {
        <Transition fallback=move || {
            view! { <p class="loading" role="status">{tr(i18n, |l| td_string!(l, orders.page.loading))}</p> }
        }>
            <ErrorBoundary fallback=move |errors| {
                let title = td_string!(i18n.get_locale(), orders.page.load_failed);
                view! {
                    <ErrorNotice errors title/>
                    <p>
                        <a href=StaffPage::Orders.href()>{tr(i18n, |l| td_string!(l, orders.page.back))}</a>
                    </p>
                }
            }>
                {move || Suspend::new(async move {
                    detail.await.map(|detail| view! { <OrderView detail/> })
                })}
            </ErrorBoundary>
        </Transition>
    }
}

/// A loaded order, patched live.
#[component]
fn OrderView(detail: OrderDetail) -> impl IntoView {
    let i18n = use_i18n();
    let auth = Auth::current();
    let OrderDetail {
        lens,
        order,
        events,
    } = detail;
    let loaded_seq = events
        .last()
        .map_or(order.last_seq, |e| e.seq.max(order.last_seq));
    let (topic, snapshot_seq) = (Topic::Order(order.id.clone()), order.last_seq);
    let order = RwSignal::new(order);
    let events = RwSignal::new(events);

    // One path for every new event, live or from the note form.
    let accept = Callback::new(move |event: SeenEvent| {
        if order.with_untracked(|o| o.id != event.event.order_id) {
            return;
        }
        let Err(at) =
            events.with_untracked(|list| list.binary_search_by_key(&event.seq, |e| e.seq))
        else {
            return; // already shown
        };
        match order.with_untracked(|o| evolve(Some(o), &event)) {
            Ok(next) => order.set(next),
            Err(refusal) => warn!(
                "event {} ({}) was not folded into the order view: {refusal}",
                event.seq,
                event.event.kind.name()
            ),
        }
        events.update(|list| list.insert(at, event));
    });
    follow_live(vec![topic], Some(snapshot_seq), move |event| {
        accept.run(event)
    });

    let order_id = order.with_untracked(|o| o.id.to_string());
    view! {
        <article class="order-page">
            <OrderHeader order lens/>
            <section class="order-section" aria-labelledby="components-heading">
                <h2 id="components-heading">{tr(i18n, |l| td_string!(l, orders.page.components))}</h2>
                <ComponentsTable order/>
            </section>
            <section class="order-section" aria-labelledby="parcels-heading">
                <h2 id="parcels-heading">{tr(i18n, |l| td_string!(l, orders.page.parcels))}</h2>
                <ParcelsTable order/>
            </section>
            <AnswerPanel order events/>
            <RoutePanel order events order_id=order_id.clone() on_recorded=accept/>
            <RequestsPanel order order_id=order_id.clone() on_recorded=accept/>
            <ActionsPanel order order_id=order_id.clone() on_recorded=accept/>
            <CustomerPanel order/>
            <crate::ui::order::TrackingLinksPanel order_id=order_id.clone()/>
            <section class="order-section" aria-labelledby="timeline-heading">
                <div class="page-heading">
                    <h2 id="timeline-heading">{tr(i18n, |l| td_string!(l, orders.page.timeline))}</h2>
                    <PauseToggle/>
                </div>
                <p class="hint">{tr(i18n, |l| td_string!(l, orders.page.timeline_hint))}</p>
                <Timeline events live_after=loaded_seq/>
                <Show when=move || auth.may(Permission::AddNote)>
                    <NoteForm order_id=order_id.clone() on_added=accept/>
                </Show>
            </section>
        </article>
    }
}
