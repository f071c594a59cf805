//! The panel that shows a new signing secret or API key the one time the
//! server sends it: the value, a "Copy" button (the browser's clipboard) and
//! the plain warning that it is never shown again. "Done" forgets the value.
//! Words in the reader's language.

use super::clipboard::{copy, Copied};
use crate::i18n::*;
use crate::ui::language::tr;
use leptos::prelude::*;

/// A value shown once, with "Copy" and "Done".
#[component]
pub fn ShownOnce(
    /// The secret or key itself.
    value: String,
    /// What it is, in the warning: "secret", "key" (a closure follows the language).
    #[prop(into)]
    noun: TextProp,
    /// Where it goes, e.g. "Paste it into Shopify's webhook settings now."
    #[prop(into)]
    instruction: TextProp,
    /// Test id of the panel.
    testid: &'static str,
    /// Anything else to say (e.g. until when the previous secret works).
    #[prop(optional)]
    children: Option<Children>,
    /// "Done": the panel is closed and the value forgotten.
    on_done: Callback<()>,
) -> impl IntoView {
    let i18n = use_i18n();
    let copied = RwSignal::new(None::<Copied>);
    let value = StoredValue::new(value);
    view! {
        <div class="shown-once" role="status" data-testid=testid>
            <p class="shown-once-warning">
                <strong>
                    {move || td_string!(i18n.get_locale(), orders.kit.shown_once.warning, noun = noun.get()).to_string()}
                </strong>
                " "
                {move || instruction.get()}
            </p>
            <div class="shown-once-value">
                <code data-testid="shown-value">{value.get_value()}</code>
                <button type="button" class="secondary" on:click=move |_| value.with_value(|v| copy(v, copied))>
                    {tr(i18n, |l| td_string!(l, orders.kit.shown_once.copy))}
                </button>
                <span class="shown-once-copied">
                    {move || match copied.get() {
                        Some(Copied::Yes) => t_string!(i18n, orders.kit.shown_once.copied),
                        Some(Copied::Refused) => t_string!(i18n, orders.kit.shown_once.copy_refused),
                        None => "",
                    }}
                </span>
            </div>
            {children.map(|c| c())}
            <button type="button" class="secondary" on:click=move |_| on_done.run(())>
                {tr(i18n, |l| td_string!(l, orders.kit.shown_once.done))}
            </button>
        </div>
    }
}
