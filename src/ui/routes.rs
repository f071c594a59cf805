//! The staff screens as one table: each page's path, the permission it needs,
//! its label in the main navigation and how to link to it. The router, the
//! navigation and the guards all read it, so a path or a permission is
//! written once.

use crate::i18n::*;
use crate::model::Permission;
use crate::ui::admin::{detectors, integrations, people};
use crate::ui::auth::Guard;
use crate::ui::exceptions::ExceptionsPage;
use crate::ui::logistics::warehouses::WarehousesPage;
use crate::ui::mentions::MentionsPage;
use crate::ui::not_found::NotFound;
use crate::ui::order::OrderPage;
use crate::ui::order_list::OrderList;
use leptos::prelude::*;
use leptos_router::hooks::use_params_map;

/// A staff screen.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum StaffPage {
    Orders,
    Order,
    Mentions,
    Exceptions,
    Warehouses,
    Users,
    Sessions,
    Audit,
    Integrations,
    Mappings,
    Deliveries,
    ApiKeys,
    Detectors,
}

/// Where the admin screens live: `/admin/<segment>`.
pub const ADMIN_PREFIX: &str = "/admin/";

impl StaffPage {
    /// Every screen, in the main navigation's order.
    pub const ALL: [StaffPage; 13] = [
        StaffPage::Orders,
        StaffPage::Order,
        StaffPage::Mentions,
        StaffPage::Exceptions,
        StaffPage::Warehouses,
        StaffPage::Users,
        StaffPage::Sessions,
        StaffPage::Audit,
        StaffPage::Integrations,
        StaffPage::Mappings,
        StaffPage::Deliveries,
        StaffPage::ApiKeys,
        StaffPage::Detectors,
    ];

    /// What the screen needs the viewer to be allowed to do.
    pub fn permission(self) -> Permission {
        match self {
            StaffPage::Orders | StaffPage::Order | StaffPage::Mentions => Permission::ViewOrders,
            StaffPage::Exceptions => Permission::WorkExceptions,
            StaffPage::Warehouses => Permission::ViewWarehouses,
            StaffPage::Users => Permission::ManageUsers,
            StaffPage::Sessions => Permission::ManageSessions,
            StaffPage::Audit => Permission::ViewAudit,
            StaffPage::Integrations
            | StaffPage::Mappings
            | StaffPage::Deliveries
            | StaffPage::ApiKeys => Permission::ManageIntegrations,
            StaffPage::Detectors => Permission::ManageDetectors,
        }
    }

    /// Its link in the main navigation, in the reader's language; `None`
    /// for screens reached from another (one order).
    pub fn nav_label(self, locale: Locale) -> Option<&'static str> {
        Some(match self {
            StaffPage::Orders => td_string!(locale, common.nav.orders),
            StaffPage::Order => return None,
            StaffPage::Mentions => td_string!(locale, desk.mentions.nav),
            StaffPage::Exceptions => td_string!(locale, desk.queue.nav),
            StaffPage::Warehouses => td_string!(locale, logistics.warehouses.nav),
            StaffPage::Users => td_string!(locale, common.nav.users),
            StaffPage::Sessions => td_string!(locale, common.nav.sessions),
            StaffPage::Audit => td_string!(locale, common.nav.audit),
            StaffPage::Integrations => td_string!(locale, common.nav.integrations),
            StaffPage::Mappings => td_string!(locale, common.nav.mappings),
            StaffPage::Deliveries => td_string!(locale, common.nav.deliveries),
            StaffPage::ApiKeys => td_string!(locale, common.nav.api_keys),
            StaffPage::Detectors => td_string!(locale, admin.detectors.nav),
        })
    }

    /// The last segment of an admin screen's path (`/admin/<segment>`).
    fn admin_segment(self) -> Option<&'static str> {
        Some(match self {
            StaffPage::Orders
            | StaffPage::Order
            | StaffPage::Mentions
            | StaffPage::Exceptions
            | StaffPage::Warehouses => return None,
            StaffPage::Users => "users",
            StaffPage::Sessions => "sessions",
            StaffPage::Audit => "audit",
            StaffPage::Integrations => "integrations",
            StaffPage::Mappings => "mappings",
            StaffPage::Deliveries => "deliveries",
            StaffPage::ApiKeys => "api-keys",
            StaffPage::Detectors => "detectors",
        })
    }

    /// The admin screen at `/admin/<segment>`.
    pub fn admin(segment: &str) -> Option<StaffPage> {
        StaffPage::ALL
            .into_iter()
            .find(|p| p.admin_segment() == Some(segment))
    }

    /// The link to the screen (for one order, see [`order_href`]).
    pub fn href(self) -> String {
        match (self, self.admin_segment()) {
            (_, Some(segment)) => format!("{ADMIN_PREFIX}{segment}"),
            (StaffPage::Order, None) => StaffPage::Orders.href(),
            (StaffPage::Mentions, None) => "/mentions".to_string(),
            (StaffPage::Exceptions, None) => "/exceptions".to_string(),
            (StaffPage::Warehouses, None) => "/warehouses".to_string(),
            _ => "/orders".to_string(),
        }
    }

    /// The link with a query string built from `params` (`key=value` each,
    /// already encoded); the bare link when there are none.
    pub fn href_with(self, params: &[String]) -> String {
        if params.is_empty() {
            self.href()
        } else {
            format!("{}?{}", self.href(), params.join("&"))
        }
    }

    /// The screen itself, without its guard.
    fn screen(self) -> AnyView {
        match self {
            StaffPage::Orders => view! { <OrderList/> }.into_any(),
            StaffPage::Order => view! { <OrderPage/> }.into_any(),
            StaffPage::Mentions => view! { <MentionsPage/> }.into_any(),
            StaffPage::Exceptions => view! { <ExceptionsPage/> }.into_any(),
            StaffPage::Warehouses => view! { <WarehousesPage/> }.into_any(),
            StaffPage::Users => view! { <people::UsersPage/> }.into_any(),
            StaffPage::Sessions => view! { <people::SessionsPage/> }.into_any(),
            StaffPage::Audit => view! { <people::AuditPage/> }.into_any(),
            StaffPage::Integrations => view! { <integrations::IntegrationsPage/> }.into_any(),
            StaffPage::Mappings => view! { <integrations::MappingsPage/> }.into_any(),
            StaffPage::Deliveries => view! { <integrations::DeliveriesPage/> }.into_any(),
            StaffPage::ApiKeys => view! { <integrations::ApiKeysPage/> }.into_any(),
            StaffPage::Detectors => view! { <detectors::DetectorsPage/> }.into_any(),
        }
    }

    /// The screen behind the guard of its permission.
    pub fn guarded(self) -> impl IntoView {
        view! { <Guard permission=self.permission()>{move || self.screen()}</Guard> }
    }

    /// The screens of the main navigation, in order (each names itself
    /// with [`StaffPage::nav_label`]).
    pub fn nav() -> impl Iterator<Item = StaffPage> {
        StaffPage::ALL
            .into_iter()
            .filter(|p| p.nav_label(Locale::en).is_some())
    }
}

/// The link to one order's page.
pub fn order_href(id: &impl std::fmt::Display) -> String {
    format!("{}/{id}", StaffPage::Orders.href())
}

/// `/admin/:page`: the admin screen the table names, or "not found".
#[component]
pub fn AdminScreen() -> impl IntoView {
    let params = use_params_map();
    let page = Memo::new(move |_| {
        params
            .read()
            .get("page")
            .and_then(|segment| StaffPage::admin(&segment))
    });
    move || match page.get() {
        Some(page) => page.guarded().into_any(),
        None => view! { <NotFound/> }.into_any(),
    }
}
