//! The browser's clipboard: "Copy" buttons put text on it and say in words
//! whether it worked (a page without a clipboard refuses).

use leptos::prelude::*;
use wasm_bindgen::prelude::*;

#[wasm_bindgen]
extern "C" {
    /// `navigator.clipboard.writeText(text)`. Throws where the page has no
    /// clipboard (pages not served from a secure origin).
    #[wasm_bindgen(catch, js_namespace = ["navigator", "clipboard"], js_name = writeText)]
    fn clipboard_write_text(text: &str) -> Result<js_sys::Promise, JsValue>;
}

/// What became of "Copy".
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Copied {
    Yes,
    Refused,
}

/// Puts `text` on the clipboard and reports the result to `copied`.
pub fn copy(text: &str, copied: RwSignal<Option<Copied>>) {
    copied.set(None);
    let Ok(promise) = clipboard_write_text(text) else {
        copied.set(Some(Copied::Refused));
        return;
    };
    // Each callback frees itself when called; the one not called stays (a few bytes).
    let done = Closure::<dyn FnMut(JsValue)>::once_into_js(move |_: JsValue| {
        copied.try_set(Some(Copied::Yes));
    });
    let failed = Closure::<dyn FnMut(JsValue)>::once_into_js(move |_: JsValue| {
        copied.try_set(Some(Copied::Refused));
    });
    let then = js_sys::Reflect::get(&promise, &JsValue::from_str("then"))
        .ok()
        .and_then(|f| f.dyn_into::<js_sys::Function>().ok());
    match then {
        Some(then) if then.call2(&promise, &done, &failed).is_ok() => {}
        _ => copied.set(Some(Copied::Refused)),
    }
}
