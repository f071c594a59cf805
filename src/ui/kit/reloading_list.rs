//! A list an admin page loads from the server and loads again after each
//! change the page makes (create, revoke, rotate, end …).

use crate::api::ApiError;
use crate::ui::auth::Auth;
use leptos::prelude::*;
use std::future::Future;

/// The list as loaded, the last list that loaded, and how to load it again.
pub struct ReloadingList<T: Send + Sync + 'static> {
    pub resource: LocalResource<Result<T, ApiError>>,
    /// The last successful load (kept while the next one is under way).
    pub latest: Memo<Option<T>>,
    /// Call after a change: the list loads again.
    pub changed: Callback<()>,
}

/// Loads `load()` (through [`Auth::call`], so a lost session signs out).
pub fn reloading_list<T, Fut>(load: impl Fn() -> Fut + 'static) -> ReloadingList<T>
where
    T: Clone + PartialEq + Send + Sync + 'static,
    Fut: Future<Output = Result<T, ApiError>> + 'static,
{
    let auth = Auth::current();
    let version = RwSignal::new(0_u32);
    let resource = LocalResource::new(move || {
        version.track();
        auth.call(load())
    });
    let latest = Memo::new(move |_| resource.get().and_then(Result::ok));
    let changed = Callback::new(move |()| version.update(|v| *v += 1));
    ReloadingList {
        resource,
        latest,
        changed,
    }
}
