//! The browser app (`csr`): the app shell, the router and the screens.
//!
//! - [`shell`]: product name, navigation by permission, the live-connection
//!   indicator, the signed-in person and "Sign out".
//! - [`auth`]: who is signed in (context), the sign-in page, the guard every
//!   staff screen sits behind, the "not available for your role" page.
//! - [`live`]: the page's one live stream, shared by its widgets, and its state.
//! - [`orders`]: the order list and the order page.
//! - [`admin`]: users, sessions, the audit trail and the integrations.
//! - [`components`]: shared pieces that take data (status badge, timeline, …).
//! - [`format`]: times in the viewer's zone, role lists.
//! - [`tracking`]: the customer's tracking page (outside the staff shell, no
//!   sign-in) and the order page's "Tracking links" panel.

pub mod admin;
pub mod auth;
pub mod components;
pub mod format;
pub mod live;
pub mod not_found;
pub mod orders;
pub mod shell;
pub mod tracking;

use crate::model::Permission;
use auth::Guard;
use leptos::prelude::*;
use leptos_router::components::{Outlet, ParentRoute, Redirect, Route, Router, Routes};
use leptos_router::{path, NavigateOptions};

/// The whole app: the staff shell around the staff screens, each behind a
/// [`Guard`] naming the permission it needs; and, outside the shell, the
/// customer's tracking page.
#[component]
pub fn App() -> impl IntoView {
    auth::Auth::provide();
    live::LiveLink::provide();
    auth::reload_restored_pages();
    view! {
        <Router>
            <Routes fallback=not_found::NotFound>
                // Customers: no staff shell, no sign-in; the link is the key.
                <Route path=path!("/track/:token") view=tracking::TrackingPage/>
                <ParentRoute path=path!("") view=StaffShell>
                    <Route path=path!("/") view=ToOrders/>
                    <Route path=path!("/login") view=auth::LoginPage/>
                    <Route
                        path=path!("/orders")
                        view=|| {
                            view! {
                                <Guard permission=Permission::ViewOrders>
                                    <orders::OrderList/>
                                </Guard>
                            }
                        }
                    />
                    <Route
                        path=path!("/orders/:id")
                        view=|| {
                            view! {
                                <Guard permission=Permission::ViewOrders>
                                    <orders::OrderPage/>
                                </Guard>
                            }
                        }
                    />
                    <Route
                        path=path!("/admin/users")
                        view=|| {
                            view! {
                                <Guard permission=Permission::ManageUsers>
                                    <admin::UsersPage/>
                                </Guard>
                            }
                        }
                    />
                    <Route
                        path=path!("/admin/sessions")
                        view=|| {
                            view! {
                                <Guard permission=Permission::ManageSessions>
                                    <admin::SessionsPage/>
                                </Guard>
                            }
                        }
                    />
                    <Route
                        path=path!("/admin/audit")
                        view=|| {
                            view! {
                                <Guard permission=Permission::ViewAudit>
                                    <admin::AuditPage/>
                                </Guard>
                            }
                        }
                    />
                    <Route
                        path=path!("/admin/integrations")
                        view=|| {
                            view! {
                                <Guard permission=Permission::ManageIntegrations>
                                    <admin::IntegrationsPage/>
                                </Guard>
                            }
                        }
                    />
                    <Route
                        path=path!("/admin/mappings")
                        view=|| {
                            view! {
                                <Guard permission=Permission::ManageIntegrations>
                                    <admin::MappingsPage/>
                                </Guard>
                            }
                        }
                    />
                    <Route
                        path=path!("/admin/deliveries")
                        view=|| {
                            view! {
                                <Guard permission=Permission::ManageIntegrations>
                                    <admin::DeliveriesPage/>
                                </Guard>
                            }
                        }
                    />
                    <Route
                        path=path!("/admin/api-keys")
                        view=|| {
                            view! {
                                <Guard permission=Permission::ManageIntegrations>
                                    <admin::ApiKeysPage/>
                                </Guard>
                            }
                        }
                    />
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
            path="/orders"
            options=NavigateOptions {
                replace: true,
                ..Default::default()
            }
        />
    }
}
