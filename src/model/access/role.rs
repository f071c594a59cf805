//! Who may do what: staff roles and the permissions each grants (data, checked
//! on the server before any work). What each role sees is its lens
//! ([`super::lens`]).

use serde::{Deserialize, Serialize};
use std::fmt;
use std::str::FromStr;

/// A staff role. A person may hold several.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Role {
    CustomerService,
    Logistics,
    Finance,
    Admin,
}

impl Role {
    pub const ALL: [Role; 4] = [
        Role::CustomerService,
        Role::Logistics,
        Role::Finance,
        Role::Admin,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Role::CustomerService => "customer_service",
            Role::Logistics => "logistics",
            Role::Finance => "finance",
            Role::Admin => "admin",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            Role::CustomerService => "Customer service",
            Role::Logistics => "Logistics",
            Role::Finance => "Finance",
            Role::Admin => "Admin",
        }
    }

    /// What this role may do.
    pub fn permissions(self) -> &'static [Permission] {
        use Permission::*;
        match self {
            Role::CustomerService => &[
                ViewOrders,
                AddNote,
                ShareTracking,
                ChangeContact,
                CancelOrder,
                InterceptForRefund,
                HoldOrder,
                WorkExceptions,
            ],
            Role::Logistics => &[
                ViewOrders,
                AddNote,
                HoldOrder,
                RecordOutcome,
                WorkExceptions,
                DecideRoutes,
                ViewWarehouses,
            ],
            Role::Finance => &[ViewOrders, AddNote, ViewFinance, WorkExceptions],
            Role::Admin => &[
                ViewOrders,
                AddNote,
                ViewFinance,
                ManageUsers,
                ManageSessions,
                ViewAudit,
                ManageIntegrations,
                ShareTracking,
                ChangeContact,
                CancelOrder,
                InterceptForRefund,
                HoldOrder,
                RecordOutcome,
                WorkExceptions,
                DecideRoutes,
                ViewWarehouses,
                ManageWarehouses,
                ManageDetectors,
            ],
        }
    }
}

impl fmt::Display for Role {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.label())
    }
}

/// An unknown role name.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("unknown role {0:?}")]
pub struct UnknownRole(pub String);

impl FromStr for Role {
    type Err = UnknownRole;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Role::ALL
            .into_iter()
            .find(|r| r.as_str() == s)
            .ok_or_else(|| UnknownRole(s.to_string()))
    }
}

/// Something a server function needs the caller to be allowed to do.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Permission {
    ViewOrders,
    AddNote,
    /// Receivables, refunds and settlement (the finance dashboard and its live topic).
    ViewFinance,
    ManageUsers,
    ManageSessions,
    ViewAudit,
    /// Integration secrets, mapping tables, the delivery log and API keys.
    ManageIntegrations,
    /// Tracking links for customers: create, list and revoke them.
    ShareTracking,
    /// New delivery details (applied, or asked of the warehouse or carrier).
    ChangeContact,
    /// Cancel an order before it ships.
    CancelOrder,
    /// Stop the goods for a refund the customer asked for.
    InterceptForRefund,
    /// Put an order on hold and release it.
    HoldOrder,
    /// Record what a warehouse or carrier said of a request.
    RecordOutcome,
    /// Read a team's exception queue and claim, snooze or resolve its
    /// exceptions (each team its own; admin every team's).
    WorkExceptions,
    /// Accept or override the router's proposal where it waits for a person.
    DecideRoutes,
    /// The warehouse load board (backlog, throughput, stock) and its live topic.
    ViewWarehouses,
    /// Add, change and remove warehouses; import their stock.
    ManageWarehouses,
    /// The detectors' thresholds, service levels and the router's rules.
    ManageDetectors,
}

/// The first of `roles` that grants `permission`: the role an action is taken in.
pub fn granting_role(roles: &[Role], permission: Permission) -> Option<Role> {
    roles
        .iter()
        .copied()
        .find(|r| r.permissions().contains(&permission))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_admin_manages_users_and_reads_the_audit() {
        for role in Role::ALL {
            let admin = role == Role::Admin;
            assert_eq!(role.permissions().contains(&Permission::ManageUsers), admin);
            assert_eq!(role.permissions().contains(&Permission::ViewAudit), admin);
            assert!(role.permissions().contains(&Permission::ViewOrders));
        }
    }

    #[test]
    fn only_customer_service_and_admin_share_tracking_links() {
        for role in Role::ALL {
            let shares = matches!(role, Role::CustomerService | Role::Admin);
            assert_eq!(
                role.permissions().contains(&Permission::ShareTracking),
                shares
            );
        }
    }

    /// Every role holds each permission of `table` exactly when it is listed.
    fn follows(table: &[(Permission, &[Role])]) {
        for (permission, allowed) in table {
            for role in Role::ALL {
                assert_eq!(
                    role.permissions().contains(permission),
                    allowed.contains(&role),
                    "{role:?} and {permission:?}"
                );
            }
        }
    }

    /// Who may act on an order at the desk, the whole table: customer
    /// service and admin change delivery details, cancel and intercept for
    /// refunds; logistics holds and releases (so does customer service),
    /// records what warehouses and carriers answer and decides routes; every
    /// team works its own exception queue; only admin sets the detectors.
    #[test]
    fn desk_actions_follow_the_table() {
        use Permission::*;
        let table: [(Permission, &[Role]); 8] = [
            (ChangeContact, &[Role::CustomerService, Role::Admin]),
            (CancelOrder, &[Role::CustomerService, Role::Admin]),
            (InterceptForRefund, &[Role::CustomerService, Role::Admin]),
            (
                HoldOrder,
                &[Role::CustomerService, Role::Logistics, Role::Admin],
            ),
            (RecordOutcome, &[Role::Logistics, Role::Admin]),
            (WorkExceptions, &Role::ALL),
            (DecideRoutes, &[Role::Logistics, Role::Admin]),
            (ManageDetectors, &[Role::Admin]),
        ];
        follows(&table);
    }

    /// Who sees the warehouse load board (logistics and admin; customer
    /// service and finance do not) and who changes warehouses (admin only).
    #[test]
    fn warehouses_follow_the_table() {
        use Permission::*;
        let table: [(Permission, &[Role]); 2] = [
            (ViewWarehouses, &[Role::Logistics, Role::Admin]),
            (ManageWarehouses, &[Role::Admin]),
        ];
        follows(&table);
    }

    #[test]
    fn the_acting_role_is_the_first_that_grants() {
        assert_eq!(
            granting_role(&[Role::Finance, Role::Admin], Permission::ManageUsers),
            Some(Role::Admin)
        );
        assert_eq!(
            granting_role(&[Role::Logistics], Permission::ViewAudit),
            None
        );
    }
}
