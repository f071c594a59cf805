//! The order page's "Act on this order" panel: change delivery address or
//! phone, cancel, intercept for a refund, hold or release — each a small form
//! behind its own disclosure, with a required reason. Each form is there for
//! the people whose role allows the action (the server checks again); the
//! panel is absent for everyone else. What came of an action is said in one
//! polite live region: what was recorded (applied, or sent to the warehouse or
//! carrier as a request), or the lifecycle's reason for refusing it.

use super::contact_form::ContactForm;
use super::desk::{Desk, DeskOutcome};
use super::reason_form::ReasonForm;
use crate::i18n::*;
use crate::model::order::desk_action::DeskAction;
use crate::model::{Branch, Permission, SeenEvent, SeenOrder};
use crate::ui::auth::Auth;
use crate::ui::language::tr;
use leptos::prelude::*;

/// What the panel offers, and who may use it.
const ACTIONS: [Permission; 4] = [
    Permission::ChangeContact,
    Permission::CancelOrder,
    Permission::InterceptForRefund,
    Permission::HoldOrder,
];

/// The panel, shown to people who may take at least one of its actions.
#[component]
pub fn ActionsPanel(
    #[prop(into)] order: Signal<SeenOrder>,
    order_id: String,
    /// Takes each recorded event into the page.
    on_recorded: Callback<SeenEvent>,
) -> impl IntoView {
    let auth = Auth::current();
    let may_act = move || ACTIONS.iter().any(|p| auth.may(*p));
    view! {
        <Show when=may_act>
            <ActionsSection order order_id=order_id.clone() on_recorded/>
        </Show>
    }
}

#[component]
fn ActionsSection(
    order: Signal<SeenOrder>,
    order_id: String,
    on_recorded: Callback<SeenEvent>,
) -> impl IntoView {
    let i18n = use_i18n();
    let desk = Desk::new(order_id, on_recorded);
    let on_hold = Memo::new(move |_| order.read().branch == Some(Branch::OnHold));
    view! {
        <section
            class="order-section desk-actions"
            aria-labelledby="actions-heading"
            data-testid="desk-actions"
        >
            <h2 id="actions-heading">{tr(i18n, |l| td_string!(l, orders.actions.heading))}</h2>
            <p class="hint">{tr(i18n, |l| td_string!(l, orders.actions.hint))}</p>
            <ActionDisclosure
                permission=Permission::ChangeContact
                testid="action-contact"
                title=|l| td_string!(l, orders.actions.contact.title)
                hint=|l| td_string!(l, orders.actions.contact.hint)
            >
                <ContactForm desk order/>
            </ActionDisclosure>
            <ActionDisclosure
                permission=Permission::CancelOrder
                testid="action-cancel"
                title=|l| td_string!(l, orders.actions.cancel.title)
                hint=|l| td_string!(l, orders.actions.cancel.hint)
            >
                <ReasonForm
                    desk
                    name="cancel"
                    submit=|l| td_string!(l, orders.actions.cancel.submit)
                    make=|reason| DeskAction::Cancel { reason }
                />
            </ActionDisclosure>
            <ActionDisclosure
                permission=Permission::InterceptForRefund
                testid="action-intercept"
                title=|l| td_string!(l, orders.actions.intercept.title)
                hint=|l| td_string!(l, orders.actions.intercept.hint)
            >
                <ReasonForm
                    desk
                    name="intercept"
                    submit=|l| td_string!(l, orders.actions.intercept.submit)
                    make=|reason| DeskAction::InterceptForRefund { reason }
                />
            </ActionDisclosure>
            <ActionDisclosure
                permission=Permission::HoldOrder
                testid="action-hold"
                title=|l| td_string!(l, orders.actions.hold.title)
                hint=|l| td_string!(l, orders.actions.hold.hint)
            >
                {move || {
                    if on_hold.get() {
                        view! {
                            <ReasonForm
                                desk
                                name="release"
                                submit=|l| td_string!(l, orders.actions.hold.release)
                                make=|reason| DeskAction::Release { reason }
                            />
                        }
                            .into_any()
                    } else {
                        view! {
                            <ReasonForm
                                desk
                                name="hold"
                                submit=|l| td_string!(l, orders.actions.hold.submit)
                                make=|reason| DeskAction::Hold { reason }
                            />
                        }
                            .into_any()
                    }
                }}
            </ActionDisclosure>
            <DeskOutcome desk testid="action-outcome"/>
        </section>
    }
}

/// One action behind its own disclosure, there only for people whose role
/// allows it: its title, a hint and its form.
#[component]
fn ActionDisclosure(
    permission: Permission,
    testid: &'static str,
    title: fn(Locale) -> &'static str,
    hint: fn(Locale) -> &'static str,
    children: ChildrenFn,
) -> impl IntoView {
    let i18n = use_i18n();
    let auth = Auth::current();
    view! {
        <Show when=move || auth.may(permission)>
            <details class="desk-action" data-testid=testid>
                <summary>{tr(i18n, title)}</summary>
                <p class="hint">{tr(i18n, hint)}</p>
                {children()}
            </details>
        </Show>
    }
}
