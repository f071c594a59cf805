//! "Change delivery address or phone": the recipient, the phone and the
//! address (province, city, street), each optional — only what changes — and
//! a required reason. What is typed is parsed into the action's types before
//! anything is sent (a phone is digits, an address has all three parts); a
//! problem is said in the panel's live region. Whether the change applies at
//! once or becomes a re-label or redirect request is the server's answer,
//! said there too.

use super::desk::{Desk, Problem};
use crate::i18n::*;
use crate::model::order::desk_action::{
    DeskAction, Filled, GivenContact, NewAddress, NewContact, Phone, Reason,
};
use crate::model::SeenOrder;
use crate::ui::language::tr;
use leptos::prelude::*;

/// What the fields hold.
#[derive(Clone, Copy)]
struct Fields {
    name: RwSignal<String>,
    phone: RwSignal<String>,
    province: RwSignal<String>,
    city: RwSignal<String>,
    line: RwSignal<String>,
    reason: RwSignal<String>,
}

impl Fields {
    fn new() -> Fields {
        Fields {
            name: RwSignal::new(String::new()),
            phone: RwSignal::new(String::new()),
            province: RwSignal::new(String::new()),
            city: RwSignal::new(String::new()),
            line: RwSignal::new(String::new()),
            reason: RwSignal::new(String::new()),
        }
    }

    fn clear(self) {
        for field in [
            self.name,
            self.phone,
            self.province,
            self.city,
            self.line,
            self.reason,
        ] {
            field.set(String::new());
        }
    }

    /// The action the fields describe, or what is wrong with them. `country`
    /// is the current address's (the form does not change countries).
    fn action(self, country: &str) -> Result<DeskAction, Problem> {
        let typed = |field: RwSignal<String>| {
            let value = field.get_untracked();
            (!value.trim().is_empty()).then_some(value)
        };
        let name = typed(self.name)
            .map(Filled::parse)
            .transpose()
            .map_err(Problem::Typed)?;
        let phone = typed(self.phone)
            .map(|p| Phone::parse(&p))
            .transpose()
            .map_err(Problem::Typed)?;
        let parts = [typed(self.province), typed(self.city), typed(self.line)];
        let address = match parts {
            [None, None, None] => None,
            [Some(province), Some(city), Some(line)] => {
                let filled = |v: String| Filled::parse(v).map_err(Problem::Typed);
                let country = if country.trim().is_empty() {
                    "CN"
                } else {
                    country
                };
                Some(NewAddress {
                    country: filled(country.to_string())?,
                    province: filled(province)?,
                    city: filled(city)?,
                    line: filled(line)?,
                })
            }
            _ => return Err(Problem::AddressIncomplete),
        };
        let contact = NewContact::parse(GivenContact {
            name,
            phone,
            address,
        })
        .map_err(Problem::Typed)?;
        let reason = Reason::parse(self.reason.get_untracked()).map_err(Problem::Typed)?;
        Ok(DeskAction::ChangeContact { contact, reason })
    }
}

/// One labelled text field of the form.
#[component]
fn Field(
    id: &'static str,
    label: fn(Locale) -> &'static str,
    value: RwSignal<String>,
    #[prop(optional)] kind: Option<&'static str>,
    #[prop(optional)] autocomplete: Option<&'static str>,
) -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <div class="field">
            <label for=id>{move || label(i18n.get_locale())}</label>
            <input
                id=id
                name=id
                type=kind.unwrap_or("text")
                autocomplete=autocomplete.unwrap_or("off")
                prop:value=move || value.get()
                on:input:target=move |ev| value.set(ev.target().value())
            />
        </div>
    }
}

/// The form; `order` gives the current address's country.
#[component]
pub fn ContactForm(desk: Desk, #[prop(into)] order: Signal<SeenOrder>) -> impl IntoView {
    let i18n = use_i18n();
    let fields = Fields::new();
    let on_submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let country = order.with_untracked(|o| o.customer.address.country.clone());
        match fields.action(&country) {
            Ok(action) => desk.act(action, move || fields.clear()),
            Err(problem) => desk.problem(problem),
        }
    };
    view! {
        <form class="desk-form contact-form" on:submit=on_submit data-testid="contact-form">
            <div class="desk-form-fields">
                <Field
                    id="action-contact-name"
                    label=|l| td_string!(l, orders.actions.contact.name)
                    value=fields.name
                    autocomplete="off"
                />
                <Field
                    id="action-contact-phone"
                    label=|l| td_string!(l, orders.actions.contact.phone)
                    value=fields.phone
                    kind="tel"
                />
                <Field
                    id="action-contact-province"
                    label=|l| td_string!(l, orders.actions.contact.province)
                    value=fields.province
                />
                <Field
                    id="action-contact-city"
                    label=|l| td_string!(l, orders.actions.contact.city)
                    value=fields.city
                />
                <Field
                    id="action-contact-line"
                    label=|l| td_string!(l, orders.actions.contact.line)
                    value=fields.line
                />
            </div>
            <div class="field">
                <label for="action-contact-reason">{tr(i18n, |l| td_string!(l, orders.actions.reason))}</label>
                <input
                    id="action-contact-reason"
                    name="reason"
                    type="text"
                    autocomplete="off"
                    aria-required="true"
                    aria-describedby="action-contact-reason-hint"
                    prop:value=move || fields.reason.get()
                    on:input:target=move |ev| fields.reason.set(ev.target().value())
                />
                <small id="action-contact-reason-hint" class="field-hint">
                    {tr(i18n, |l| td_string!(l, orders.actions.reason_hint))}
                </small>
            </div>
            <button type="submit" disabled=move || desk.busy.get()>
                {tr(i18n, |l| td_string!(l, orders.actions.contact.submit))}
            </button>
        </form>
    }
}
