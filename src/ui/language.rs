//! Choosing the language. The first visit follows the browser's languages; a
//! device remembers its last choice (localStorage, for the sign-in page and
//! customers); a signed-in person's own choice is kept on their account, so it
//! follows them to every device and is applied as soon as the app knows who
//! they are. `<html lang>` follows (the i18n context sets it). Switching
//! applies at once, without a reload.

use crate::api::set_language;
use crate::i18n::*;
use crate::ui::auth::Auth;
use leptos::prelude::*;
use leptos::task::spawn_local;
use leptos_i18n::I18nContext;

/// Where a device keeps its last choice.
const KEY: &str = "order-control-room.language";

fn storage() -> Option<web_sys::Storage> {
    window().local_storage().ok().flatten()
}

/// Keeps `language` as this device's choice.
fn remember(language: Locale) {
    if let Some(storage) = storage() {
        let _ = storage.set_item(KEY, leptos_i18n::Locale::as_str(language));
    }
}

/// Applies this device's last choice now, then the signed-in person's own
/// language whenever the app learns who is signed in (start-up, sign-in,
/// another device's choice on reload).
pub fn follow_chosen_language() {
    let i18n = use_i18n();
    let device = storage()
        .and_then(|s| s.get_item(KEY).ok().flatten())
        .and_then(|tag| tag.parse::<Locale>().ok());
    if let Some(language) = device {
        i18n.set_locale(language);
    }
    let auth = Auth::current();
    Effect::new(move |_| {
        if let Some(language) = auth.me().and_then(|me| me.language) {
            if i18n.get_locale_untracked() != language {
                i18n.set_locale(language);
            }
        }
    });
}

/// Two buttons, `English` and `中文`, each named in its own language; the
/// current one is pressed. For a signed-in person the choice is kept on their
/// account (the switch has already happened on screen either way).
#[component]
pub fn LanguageSwitch() -> impl IntoView {
    let i18n = use_i18n();
    let auth = Auth::try_current();
    let choose = move |language: Locale| {
        i18n.set_locale(language);
        remember(language);
        if let Some((auth, mut me)) = auth.and_then(|a| a.me().map(|me| (a, me))) {
            // What the app knows of the person follows at once, so a later
            // look at it never brings the old language back.
            me.language = Some(language);
            auth.signed_in(me);
            spawn_local(async move {
                let tag = leptos_i18n::Locale::as_str(language).to_string();
                if let Err(e) = set_language(tag).await {
                    leptos::logging::warn!("the language was not kept: {e}");
                }
            });
        }
    };
    let option = move |language: Locale, name: &'static str, lang: &'static str| {
        view! {
            <button
                type="button"
                lang=lang
                aria-pressed=move || (i18n.get_locale() == language).to_string()
                on:click=move |_| choose(language)
            >
                {name}
            </button>
        }
    };
    view! {
        <div class="language-switch" role="group" aria-label=tr(i18n, |l| td_string!(l, common.language.label))>
            {option(Locale::zh_CN, "中文", "zh-CN")}
            {option(Locale::en, "English", "en")}
        </div>
    }
}

/// A fixed text in the reader's language that follows a switch, as a text
/// node or an attribute (`tr(i18n, |l| td_string!(l, orders.title))`): one
/// closure type for every such text, so the app carries one render path for
/// them instead of one per call site (12 KB brotli less than `t!` everywhere).
pub fn tr(
    i18n: I18nContext<Locale>,
    text: fn(Locale) -> &'static str,
) -> impl Fn() -> &'static str + Copy + Send + Sync + 'static {
    move || text(i18n.get_locale())
}
