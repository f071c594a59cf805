//! Who is signed in, as the whole app knows it: [`Auth`], a typed context made
//! at start-up from `auth_status()`, fetched again after signing in, and told
//! when a server call answers `Unauthenticated` (the session was ended by an
//! admin or expired), so the guards send the person to the sign-in page.

use crate::api::{auth_status, ApiError};
use crate::model::access::account::{AuthStatus, Me};
use crate::model::Permission;
use leptos::prelude::*;
use leptos::task::spawn_local;
use std::future::Future;
use std::time::Duration;

/// What the app knows about the signed-in person (context, `Copy`).
#[derive(Debug, Clone, Copy)]
pub struct Auth {
    /// `None` until the first answer arrives.
    status: RwSignal<Option<AuthStatus>>,
    /// Why the first check failed (the server could not be reached).
    failure: RwSignal<Option<ApiError>>,
}

/// What the app knows about the sign-in right now.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Known {
    /// The first check has not answered yet.
    Checking,
    /// The first check failed; nothing is known.
    Failed(ApiError),
    SignedOut,
    SignedIn(Me),
}

impl Auth {
    /// Creates the context, provides it and starts the first check.
    pub fn provide() -> Self {
        let auth = Auth {
            status: RwSignal::new(None),
            failure: RwSignal::new(None),
        };
        provide_context(auth);
        auth.refresh();
        auth
    }

    /// The app's context.
    pub fn current() -> Self {
        expect_context::<Auth>()
    }

    /// The app's context, when there is one (outside the app there is none).
    pub fn try_current() -> Option<Self> {
        use_context::<Auth>()
    }

    /// Asks the server again, in the background.
    pub fn refresh(self) {
        spawn_local(async move {
            let _ = self.reload().await;
        });
    }

    /// Asks the server who is signed in and keeps the answer. A failure keeps
    /// what was known before (and is shown only if nothing was).
    pub async fn reload(self) -> Result<(), ApiError> {
        match auth_status().await {
            Ok(status) => {
                self.failure.try_set(None);
                self.status.try_set(Some(status));
                Ok(())
            }
            Err(e) => {
                if self.status.try_get_untracked().flatten().is_none() {
                    self.failure.try_set(Some(e.clone()));
                }
                Err(e)
            }
        }
    }

    /// Knows `me` as signed in (from the answer to a sign-in).
    pub fn signed_in(self, me: Me) {
        self.failure.try_set(None);
        self.status.try_update(|status| match status {
            Some(status) => status.me = Some(me),
            None => {
                *status = Some(AuthStatus {
                    me: Some(me),
                    demo: false,
                })
            }
        });
    }

    /// Forgets the signed-in person: their session is over.
    pub fn session_lost(self) {
        self.status.try_update(|status| match status {
            Some(status) => status.me = None,
            None => {
                *status = Some(AuthStatus {
                    me: None,
                    demo: false,
                })
            }
        });
    }

    /// Runs a server call; an `Unauthenticated` answer means the session is
    /// over, so the app forgets the person (and the guards send them to sign in).
    pub async fn call<T>(
        self,
        call: impl Future<Output = Result<T, ApiError>>,
    ) -> Result<T, ApiError> {
        let result = call.await;
        if matches!(result, Err(ApiError::Unauthenticated)) {
            // Not right now: forgetting the person unmounts the screen, and with
            // it the resource whose future is still returning this result.
            set_timeout(move || self.session_lost(), Duration::ZERO);
        }
        result
    }

    /// What is known (tracked).
    pub fn known(self) -> Known {
        match (self.status.get(), self.failure.get()) {
            (Some(AuthStatus { me: Some(me), .. }), _) => Known::SignedIn(me),
            (Some(AuthStatus { me: None, .. }), _) => Known::SignedOut,
            (None, Some(failure)) => Known::Failed(failure),
            (None, None) => Known::Checking,
        }
    }

    /// The signed-in person, if any (tracked).
    pub fn me(self) -> Option<Me> {
        self.status.with(|s| s.as_ref().and_then(|s| s.me.clone()))
    }

    /// True when someone is signed in and may do this (tracked).
    pub fn may(self, permission: Permission) -> bool {
        self.status.with(|s| {
            s.as_ref()
                .and_then(|s| s.me.as_ref())
                .is_some_and(|me| me.may(permission))
        })
    }

    /// True when the server runs the demo (tracked; false until known).
    pub fn demo(self) -> bool {
        self.status.with(|s| s.as_ref().is_some_and(|s| s.demo))
    }
}
