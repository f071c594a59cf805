//! Who is calling: a signed-in member of staff (with their roles, what they
//! may do and see) or nobody, as settled before any server function runs.

use crate::i18n::Locale;
use crate::model::access::account::Me;
use crate::model::access::granting_role;
use crate::model::{Actor, Lens, Permission, Role};

/// A signed-in member of staff.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Staff {
    pub user_id: String,
    pub username: String,
    pub display_name: String,
    pub roles: Vec<Role>,
    pub session_id: String,
    /// The language they chose; `None` follows their browser.
    pub language: Option<Locale>,
}

impl Staff {
    pub fn may(&self, permission: Permission) -> bool {
        granting_role(&self.roles, permission).is_some()
    }

    /// What this person sees of orders: the lens every server function and
    /// live stream shows orders and events through (see
    /// [`crate::model::access::seen`]). It comes from the signed-in session's
    /// roles, never from anything in the request.
    pub fn lens(&self) -> Lens {
        Lens::for_roles(&self.roles).unwrap_or(Lens {
            money: false,
            phone: crate::model::Reveal::Masked,
            address: crate::model::Reveal::Masked,
        })
    }

    /// The actor of an event this person causes with `permission`.
    pub fn actor(&self, permission: Permission) -> Actor {
        Actor::Staff {
            user_id: self.user_id.clone(),
            name: self.display_name.clone(),
            role: granting_role(&self.roles, permission).unwrap_or(self.roles[0]),
        }
    }

    pub fn roles_label(&self) -> String {
        self.roles
            .iter()
            .map(|r| r.label())
            .collect::<Vec<_>>()
            .join(", ")
    }

    pub fn me(&self) -> Me {
        let mut permissions: Vec<Permission> = self
            .roles
            .iter()
            .flat_map(|r| r.permissions().iter().copied())
            .collect();
        permissions.sort_by_key(|p| *p as u8);
        permissions.dedup();
        Me {
            user_id: self.user_id.clone(),
            username: self.username.clone(),
            display_name: self.display_name.clone(),
            roles: self.roles.clone(),
            permissions,
            lens: self.lens(),
            language: self.language,
        }
    }
}

/// Who made a request.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Caller {
    Anonymous,
    Staff(Staff),
}

impl Caller {
    pub fn me(&self) -> Option<Me> {
        match self {
            Caller::Anonymous => None,
            Caller::Staff(s) => Some(s.me()),
        }
    }
}

/// What the server knows about a request before any server function runs.
#[derive(Debug, Clone)]
pub struct RequestInfo {
    pub caller: Caller,
    /// The peer's IP address.
    pub address: String,
}
