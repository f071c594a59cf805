//! "Import stock (CSV)" (admins): choose a file (read in the browser into
//! the text box, so it can be checked first) or paste the text, then import.
//! The answer says how many lines were written, or — nothing written — the
//! first bad line and why, in the reader's language.

use super::page::StockRevision;
use crate::api::{import_stock_csv, ApiError};
use crate::i18n::*;
use crate::model::warehouse::{StockFileProblem, StockImport};
use crate::ui::auth::Auth;
use crate::ui::kit::Submission;
use crate::ui::language::tr;
use leptos::prelude::*;
use leptos::task::spawn_local;
use wasm_bindgen_futures::JsFuture;

/// The largest text the form sends (server functions take at most 64 KiB,
/// JSON-quoted); larger files go to `POST /api/warehouses/stock.csv`.
const MAX_FORM_BYTES: usize = 48 * 1000;

/// What the last import came to.
#[derive(Debug, Clone)]
enum Outcome {
    Imported(u64),
    Refused(StockFileProblem),
    Nothing,
    /// Over what a server function takes: the file goes to the route instead.
    TooLarge,
    UnreadableFile,
    Server(ApiError),
}

fn outcome_words(locale: Locale, outcome: &Outcome) -> String {
    match outcome {
        Outcome::Imported(count) => td_string!(
            locale,
            logistics.warehouses.import.imported,
            count = crate::ui::kit::format::number(locale, *count)
        )
        .to_string(),
        Outcome::Refused(problem) => td_string!(
            locale,
            logistics.warehouses.import.refused,
            why = words::stock_problem(locale, problem)
        )
        .to_string(),
        Outcome::Nothing => td_string!(locale, logistics.warehouses.import.nothing).to_string(),
        Outcome::TooLarge => td_string!(locale, logistics.warehouses.import.too_large).to_string(),
        Outcome::UnreadableFile => {
            td_string!(locale, logistics.warehouses.import.unreadable_file).to_string()
        }
        Outcome::Server(e) => words::api_error(locale, e),
    }
}

/// The text of the file chosen in `input`, if one is.
async fn chosen_text(input: web_sys::HtmlInputElement) -> Option<Result<String, ()>> {
    let file = input.files()?.get(0)?;
    let text = JsFuture::from(file.text()).await;
    Some(text.ok().and_then(|t| t.as_string()).ok_or(()))
}

/// The import form.
#[component]
pub fn StockImportForm() -> impl IntoView {
    let auth = Auth::current();
    let i18n = use_i18n();
    let text = RwSignal::new(String::new());
    let outcome = RwSignal::new(None::<Outcome>);
    let form = Submission::<String>::default();
    let busy = form.busy;
    let ok = move || matches!(outcome.get(), Some(Outcome::Imported(_)));
    let imports = StockRevision::current().0;

    let chosen = move |ev: leptos::ev::Event| {
        let Some(input) = event_target_checked(&ev) else {
            return;
        };
        spawn_local(async move {
            match chosen_text(input).await {
                Some(Ok(csv)) => {
                    text.try_set(csv);
                    outcome.try_set(None);
                }
                Some(Err(())) => {
                    outcome.try_set(Some(Outcome::UnreadableFile));
                }
                None => {}
            }
        });
    };

    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        if !form.begin() {
            return;
        }
        let csv = text.get_untracked();
        let refused = if csv.trim().is_empty() {
            Some(Outcome::Nothing)
        } else if csv.len() > MAX_FORM_BYTES {
            Some(Outcome::TooLarge)
        } else {
            None
        };
        if let Some(refused) = refused {
            outcome.set(Some(refused));
            busy.set(false);
            return;
        }
        outcome.set(None);
        spawn_local(async move {
            let answer = match auth.call(import_stock_csv(csv)).await {
                Ok(StockImport::Imported { lines }) => {
                    imports.try_update(|n| *n += 1);
                    Outcome::Imported(lines)
                }
                Ok(StockImport::Refused { problem }) => Outcome::Refused(problem),
                Err(e) => Outcome::Server(e),
            };
            outcome.try_set(Some(answer));
            busy.try_set(false);
        });
    };

    let said = move || outcome.get().map(|o| outcome_words(i18n.get_locale(), &o));
    view! {
        <form class="admin-form" on:submit=submit aria-labelledby="stock-import-heading" data-testid="stock-import-form">
            <h2 id="stock-import-heading">{tr(i18n, |l| td_string!(l, logistics.warehouses.import.title))}</h2>
            <p class="hint" id="stock-import-hint">{tr(i18n, |l| td_string!(l, logistics.warehouses.import.hint))}</p>
            <div class="admin-form-fields">
                <div class="field">
                    <label>
                        <span>{tr(i18n, |l| td_string!(l, logistics.warehouses.import.file))}</span>
                        <input type="file" name="stock-file" accept=".csv,text/csv" on:change=chosen/>
                    </label>
                </div>
                <div class="field wide">
                    <label>
                        <span>{tr(i18n, |l| td_string!(l, logistics.warehouses.import.text))}</span>
                        <textarea
                            name="stock-csv"
                            rows="6"
                            spellcheck="false"
                            aria-describedby="stock-import-hint"
                            prop:value=move || text.get()
                            on:input:target=move |ev| text.set(ev.target().value())
                        ></textarea>
                    </label>
                </div>
            </div>
            <div class="admin-form-actions">
                <button type="submit" disabled=move || busy.get()>
                    {tr(i18n, |l| td_string!(l, logistics.warehouses.import.submit))}
                </button>
                <p class="form-done" role="status" data-testid="stock-imported">
                    {move || if ok() { said() } else { None }}
                </p>
                <p class="form-error" role="alert" data-testid="stock-refused">
                    {move || if ok() { None } else { said() }}
                </p>
            </div>
        </form>
    }
}

/// The `<input>` an event came from.
fn event_target_checked(ev: &leptos::ev::Event) -> Option<web_sys::HtmlInputElement> {
    use wasm_bindgen::JsCast;
    ev.target()?.dyn_into().ok()
}
