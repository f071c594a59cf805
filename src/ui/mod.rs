//! The browser app (`csr`): the app shell, the router and the screens.
//!
//! - [`shell`]: product name, navigation and the live-connection indicator.
//! - [`live`]: the page's one live stream and its connection state.
//! - [`orders`]: the order list and the order page.
//! - [`components`]: shared pieces that take data (status badge, timeline, …).
//! - [`format`]: times in the viewer's zone.

pub mod components;
pub mod format;
pub mod live;
pub mod not_found;
pub mod orders;
pub mod shell;

use leptos::prelude::*;
use leptos_router::components::{Redirect, Route, Router, Routes};
use leptos_router::{path, NavigateOptions};

/// The whole app: shell around the routed screens.
#[component]
pub fn App() -> impl IntoView {
    live::LiveLink::provide();
    view! {
        <Router>
            <shell::Shell>
                <Routes fallback=not_found::NotFound>
                    <Route path=path!("/") view=ToOrders/>
                    <Route path=path!("/orders") view=orders::OrderList/>
                    <Route path=path!("/orders/:id") view=orders::OrderPage/>
                </Routes>
            </shell::Shell>
        </Router>
    }
}

/// `/` has nothing of its own: replace it with the order list.
#[component]
fn ToOrders() -> impl IntoView {
    view! {
        <Redirect
            path="/orders"
            options=NavigateOptions {
                replace: true,
                ..Default::default()
            }
        />
    }
}
