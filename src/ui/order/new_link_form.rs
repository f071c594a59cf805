//! The "New tracking link" form: how many days the link lasts (30 unless
//! changed, 1–90). The answer carries the link, shown once as a full address
//! with "Copy" (see [`ShownOnce`]); the list is loaded again. Words in the
//! reader's language (a refusal in the language of the moment it came).

use crate::api::create_tracking_link;
use crate::i18n::*;
use crate::model::views::tracking_link::{
    TrackingLinkCreated, DEFAULT_EXPIRY_DAYS, MAX_EXPIRY_DAYS,
};
use crate::ui::auth::Auth;
use crate::ui::kit::ShownOnce;
use crate::ui::kit::{Submission, SubmitRow};
use crate::ui::language::tr;
use leptos::prelude::*;
use leptos::task::spawn_local;

/// The address the customer opens: this site's origin and the link's path.
fn full_address(path: &str) -> String {
    let origin = web_sys::window()
        .and_then(|w| w.location().origin().ok())
        .unwrap_or_default();
    format!("{origin}{path}")
}

/// The form that makes a tracking link for `order_id`.
#[component]
pub fn NewLinkForm(order_id: String, on_created: Callback<()>) -> impl IntoView {
    let i18n = use_i18n();
    let auth = Auth::current();
    let order_id = StoredValue::new(order_id);
    let days = RwSignal::new(DEFAULT_EXPIRY_DAYS.to_string());
    let created = RwSignal::new(None::<TrackingLinkCreated>);
    let form = Submission::<String>::default();
    let Submission {
        busy,
        outcome: error,
    } = form;

    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let typed = days.get_untracked();
        let Some(days) = typed
            .trim()
            .parse::<u32>()
            .ok()
            .filter(|d| (1..=MAX_EXPIRY_DAYS).contains(d))
        else {
            let locale = i18n.get_locale_untracked();
            error.set(Some(
                td_string!(
                    locale,
                    orders.links.create.days_invalid,
                    max = MAX_EXPIRY_DAYS
                )
                .to_string(),
            ));
            return;
        };
        if !form.begin() {
            return;
        }
        created.set(None);
        spawn_local(async move {
            match auth
                .call(create_tracking_link(order_id.get_value(), Some(days)))
                .await
            {
                Ok(answer) => {
                    created.try_set(Some(answer));
                    on_created.run(());
                }
                Err(e) => {
                    let locale = i18n.get_locale_untracked();
                    error.try_set(Some(words::api_error(locale, &e)));
                }
            }
            busy.try_set(false);
        });
    };

    view! {
        <form
            class="admin-form"
            on:submit=submit
            aria-labelledby="new-tracking-link-heading"
            data-testid="new-tracking-link-form"
        >
            <h3 id="new-tracking-link-heading">{tr(i18n, |l| td_string!(l, orders.links.create.heading))}</h3>
            <div class="admin-form-fields">
                <div class="field">
                    <label>
                        <span>{tr(i18n, |l| td_string!(l, orders.links.create.days))}</span>
                        <input
                            name="days"
                            type="number"
                            class="hours"
                            min="1"
                            max=MAX_EXPIRY_DAYS.to_string()
                            inputmode="numeric"
                            aria-describedby="new-tracking-link-days-hint"
                            prop:value=move || days.get()
                            on:input:target=move |ev| days.set(ev.target().value())
                        />
                    </label>
                    <small id="new-tracking-link-days-hint" class="field-hint">
                        {t!(
                            i18n,
                            orders.links.create.days_hint,
                            max = || MAX_EXPIRY_DAYS,
                            usual = || DEFAULT_EXPIRY_DAYS
                        )}
                    </small>
                </div>
            </div>
            <SubmitRow label=tr(i18n, |l| td_string!(l, orders.links.create.submit)) form/>
        </form>
        {move || {
            created
                .get()
                .map(|answer| {
                    view! {
                        <ShownOnce
                            value=full_address(&answer.url)
                            noun=tr(i18n, |l| td_string!(l, orders.links.create.noun))
                            instruction=tr(i18n, |l| td_string!(l, orders.links.create.instruction))
                            testid="tracking-link-shown"
                            on_done=Callback::new(move |()| created.set(None))
                        />
                    }
                })
        }}
    }
}
