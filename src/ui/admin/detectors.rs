//! `/admin/detectors`: the detectors' thresholds (paid and not shipped per
//! channel), the customs attributes per destination, the carriers' transit
//! times, each exception's time to act and the router's confidence
//! threshold, as one form. Saving makes a new version, in force at once; a
//! bad field is said in the reader's language and nothing is saved.

use super::LoadFailed;
use crate::api::{get_detector_settings, save_detector_settings, ApiError, DetectorSettingsView};
use crate::i18n::words::{api_error, channel, exception_code};
use crate::i18n::*;
use crate::model::detect::settings_form::SettingsForm;
use crate::model::{Channel, ExceptionCode};
use crate::ui::auth::Auth;
use crate::ui::language::tr;
use leptos::prelude::*;
use leptos::task::spawn_local;

/// The page.
#[component]
pub fn DetectorsPage() -> impl IntoView {
    let i18n = use_i18n();
    crate::ui::kit::use_page_title(move || {
        td_string!(i18n.get_locale(), admin.detectors.title).to_string()
    });
    let auth = Auth::current();
    let loaded = LocalResource::new(move || auth.call(get_detector_settings()));
    view! {
        <h1>{tr(i18n, |l| td_string!(l, admin.detectors.title))}</h1>
        <p class="hint">{tr(i18n, |l| td_string!(l, admin.detectors.hint))}</p>
        <Transition fallback=move || {
            view! { <p class="loading" role="status">{tr(i18n, |l| td_string!(l, admin.detectors.loading))}</p> }
        }>
            <ErrorBoundary fallback=move |errors| {
                view! { <LoadFailed errors title=|l| td_string!(l, admin.detectors.load_failed)/> }
            }>
                {move || Suspend::new(async move {
                    loaded.await.map(|view| view! { <SettingsEditor view/> })
                })}
            </ErrorBoundary>
        </Transition>
    }
}

/// What came of the last save.
#[derive(Clone)]
enum Saved {
    Version(u32),
    Refused(ApiError),
}

/// A number field bound to `value`.
#[component]
fn NumberField(id: String, label: Signal<String>, value: RwSignal<String>) -> impl IntoView {
    view! {
        <div class="field">
            <label for=id.clone()>{label}</label>
            <input
                id=id
                type="text"
                inputmode="numeric"
                autocomplete="off"
                prop:value=move || value.get()
                on:input:target=move |ev| value.set(ev.target().value())
            />
        </div>
    }
}

#[component]
fn SettingsEditor(view: DetectorSettingsView) -> impl IntoView {
    let i18n = use_i18n();
    let auth = Auth::current();
    let form = view.form.clone();
    let version = RwSignal::new((view.version, view.saved_by.clone()));
    let f = |s: &str| RwSignal::new(s.to_string());
    let paid = f(&form.paid_not_shipped_hours);
    let per_channel: Vec<(Channel, RwSignal<String>)> = Channel::ALL
        .into_iter()
        .map(|c| {
            (
                c,
                f(form
                    .paid_not_shipped_channel_hours
                    .get(&c)
                    .map_or("", String::as_str)),
            )
        })
        .collect();
    let no_waybill = f(&form.no_waybill_minutes);
    let silent = f(&form.carrier_silent_hours);
    let duplicate = f(&form.duplicate_window_hours);
    let customs = f(&form.customs);
    let transit = f(&form.transit_default_hours);
    let lanes = f(&form.lanes);
    let sla: Vec<(ExceptionCode, RwSignal<String>)> = ExceptionCode::ALL
        .into_iter()
        .map(|c| (c, f(form.sla_minutes.get(&c).map_or("", String::as_str))))
        .collect();
    let confidence = f(&form.confidence_pct);
    let saved = RwSignal::new(None::<Saved>);
    let busy = RwSignal::new(false);
    let (per_channel_read, sla_read) = (per_channel.clone(), sla.clone());
    let on_submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let form = SettingsForm {
            paid_not_shipped_hours: paid.get_untracked(),
            paid_not_shipped_channel_hours: per_channel_read
                .iter()
                .map(|(c, v)| (*c, v.get_untracked()))
                .collect(),
            no_waybill_minutes: no_waybill.get_untracked(),
            carrier_silent_hours: silent.get_untracked(),
            duplicate_window_hours: duplicate.get_untracked(),
            customs: customs.get_untracked(),
            transit_default_hours: transit.get_untracked(),
            lanes: lanes.get_untracked(),
            sla_minutes: sla_read
                .iter()
                .map(|(c, v)| (*c, v.get_untracked()))
                .collect(),
            confidence_pct: confidence.get_untracked(),
        };
        busy.set(true);
        spawn_local(async move {
            let outcome = auth.call(save_detector_settings(form)).await;
            busy.set(false);
            saved.set(Some(match outcome {
                Ok(view) => {
                    version.set((view.version, view.saved_by));
                    Saved::Version(view.version)
                }
                Err(e) => Saved::Refused(e),
            }));
        });
    };
    let label = |key: fn(Locale) -> &'static str| {
        Signal::derive(move || key(i18n.get_locale()).to_string())
    };
    view! {
        <p data-testid="detectors-version">
            {move || {
                let l = i18n.get_locale();
                let (v, by) = version.get();
                if v == 0 {
                    td_string!(l, admin.detectors.defaults).to_string()
                } else {
                    td_string!(l, admin.detectors.version, version = v, name = by).to_string()
                }
            }}
        </p>
        <form class="settings-form" on:submit=on_submit data-testid="detectors-form">
            <fieldset>
                <legend>{tr(i18n, |l| td_string!(l, admin.detectors.thresholds))}</legend>
                <NumberField id="paid-not-shipped".into() label=label(|l| td_string!(l, admin.detectors.paid_not_shipped)) value=paid/>
                <fieldset class="per-channel">
                    <legend>{tr(i18n, |l| td_string!(l, admin.detectors.per_channel))}</legend>
                    {per_channel
                        .into_iter()
                        .map(|(c, value)| {
                            let label = Signal::derive(move || channel(i18n.get_locale(), c).to_string());
                            view! { <NumberField id=format!("paid-not-shipped-{}", c.as_str()) label value/> }
                        })
                        .collect_view()}
                </fieldset>
                <NumberField id="no-waybill".into() label=label(|l| td_string!(l, admin.detectors.no_waybill)) value=no_waybill/>
                <NumberField id="carrier-silent".into() label=label(|l| td_string!(l, admin.detectors.carrier_silent)) value=silent/>
                <NumberField id="duplicate-window".into() label=label(|l| td_string!(l, admin.detectors.duplicate_window)) value=duplicate/>
                <NumberField id="transit-default".into() label=label(|l| td_string!(l, admin.detectors.transit_default)) value=transit/>
                <div class="field">
                    <label for="customs">{tr(i18n, |l| td_string!(l, admin.detectors.customs))}</label>
                    <textarea
                        id="customs"
                        rows="3"
                        aria-describedby="customs-hint"
                        prop:value=move || customs.get()
                        on:input:target=move |ev| customs.set(ev.target().value())
                    ></textarea>
                    <small id="customs-hint" class="field-hint">{tr(i18n, |l| td_string!(l, admin.detectors.customs_hint))}</small>
                </div>
                <div class="field">
                    <label for="lanes">{tr(i18n, |l| td_string!(l, admin.detectors.lanes))}</label>
                    <textarea
                        id="lanes"
                        rows="3"
                        aria-describedby="lanes-hint"
                        prop:value=move || lanes.get()
                        on:input:target=move |ev| lanes.set(ev.target().value())
                    ></textarea>
                    <small id="lanes-hint" class="field-hint">{tr(i18n, |l| td_string!(l, admin.detectors.lanes_hint))}</small>
                </div>
            </fieldset>
            <fieldset>
                <legend>{tr(i18n, |l| td_string!(l, admin.detectors.sla))}</legend>
                {sla
                    .into_iter()
                    .map(|(c, value)| {
                        let label = Signal::derive(move || exception_code(i18n.get_locale(), c).to_string());
                        view! { <NumberField id=format!("sla-{}", c.name()) label value/> }
                    })
                    .collect_view()}
            </fieldset>
            <NumberField id="confidence".into() label=label(|l| td_string!(l, admin.detectors.confidence)) value=confidence/>
            <button type="submit" disabled=move || busy.get()>{tr(i18n, |l| td_string!(l, admin.detectors.save))}</button>
            <p role="status" aria-live="polite" data-testid="detectors-outcome">
                {move || {
                    let l = i18n.get_locale();
                    match saved.get() {
                        Some(Saved::Version(v)) => td_string!(l, admin.detectors.saved, version = v).to_string(),
                        Some(Saved::Refused(e)) => api_error(l, &e),
                        None => String::new(),
                    }
                }}
            </p>
        </form>
    }
}
