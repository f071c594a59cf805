//! The browser app (`csr`): the app shell, the router and the screens.
//!
//! - [`shell`]: product name, navigation by permission, the live-connection
//!   indicator, the signed-in person and "Sign out".
//! - [`auth`]: who is signed in (context), the sign-in page, the guard every
//!   staff screen sits behind, the "not available for your role" page.
//! - [`live`]: the page's one live stream, shared by its widgets, and its state.
//! - [`routes`]: the staff screens as one table (path, permission, navigation
//!   label, link) that the router, the navigation and the guards read.
//! - [`order_list`]: the filtered, live order list.
//! - [`order`]: the order workspace every desk embeds (header, contents,
//!   timeline, notes, tracking links).
//! - [`logistics`]: the logistics desk (the warehouse load board).
//! - [`admin`]: people (users, sessions, audit) and integrations.
//! - [`customer`]: the customer's tracking page (outside the staff shell, no
//!   sign-in).
//! - [`language`]: choosing zh-CN or en (kept on the account), `<html lang>`.
//! - [`kit`]: pieces that take data, form machinery and formatting.

pub mod admin;
pub mod auth;
pub mod customer;
pub mod exceptions;
pub mod kit;
pub mod language;
pub mod live;
pub mod logistics;
pub mod mentions;
pub mod not_found;
pub mod order;
pub mod order_list;
pub mod routes;
pub mod shell;

use crate::i18n::I18nContextProvider;
use leptos::prelude::*;
use leptos_router::components::{Outlet, ParentRoute, Redirect, Route, Router, Routes};
use leptos_router::{path, NavigateOptions};
use routes::StaffPage;

/// The whole app: the staff shell around the staff screens of the route table
/// ([`StaffPage`]), each behind the guard of its permission; and, outside the
/// shell, the customer's tracking page.
#[component]
pub fn App() -> impl IntoView {
    auth::Auth::provide();
    live::LiveLink::provide();
    auth::reload_restored_pages();
    view! {
        <I18nContextProvider>
            <AppRoutes/>
        </I18nContextProvider>
    }
}

/// The routes, inside the language context.
#[component]
fn AppRoutes() -> impl IntoView {
    language::follow_chosen_language();
    view! {
        <Router>
            <Routes fallback=not_found::NotFound>
                // Customers: no staff shell, no sign-in; the link is the key.
                <Route path=path!("/track/:token") view=customer::TrackingPage/>
                <ParentRoute path=path!("") view=StaffShell>
                    <Route path=path!("/") view=ToOrders/>
                    <Route path=path!("/login") view=auth::LoginPage/>
                    <Route path=path!("/orders") view=|| StaffPage::Orders.guarded()/>
                    <Route path=path!("/orders/:id") view=|| StaffPage::Order.guarded()/>
                    <Route path=path!("/mentions") view=|| StaffPage::Mentions.guarded()/>
                    <Route path=path!("/exceptions") view=|| StaffPage::Exceptions.guarded()/>
                    <Route path=path!("/warehouses") view=|| StaffPage::Warehouses.guarded()/>
                    <Route path=path!("/admin/:page") view=routes::AdminScreen/>
                    <Route path=path!("/*any") view=not_found::NotFound/>
                </ParentRoute>
            </Routes>
        </Router>
    }
}

/// The staff shell around whichever staff screen is routed.
#[component]
fn StaffShell() -> impl IntoView {
    view! {
        <shell::Shell>
            <Outlet/>
        </shell::Shell>
    }
}

/// `/` has nothing of its own: replace it with the order list.
#[component]
fn ToOrders() -> impl IntoView {
    view! {
        <Redirect
            path=StaffPage::Orders.href()
            options=NavigateOptions {
                replace: true,
                ..Default::default()
            }
        />
    }
}
