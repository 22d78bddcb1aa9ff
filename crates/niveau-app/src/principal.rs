//! Who acts: an authenticated account, however it proved who it is (a session, an API
//! token, the command line). The HTTP layer builds it from a cookie or a token; the CLI
//! builds [`Principal::system`] for the operator at the console.

use niveau_store::types::Role;

/// An authenticated account.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Principal {
    /// Account id (0 for the console operator).
    pub user_id: i32,
    /// Login name (written in the audit log).
    pub username: String,
    /// Name shown.
    pub display_name: String,
    /// Roles.
    pub roles: Vec<Role>,
    /// Products of a produktredaktør.
    pub product_ids: Vec<i32>,
    /// False for API tokens without the `write` scope.
    pub can_write: bool,
    /// True for the operator at the console (`niveau` commands): no account, written
    /// in the audit log under `username`.
    pub system: bool,
}

impl Principal {
    /// The actor for the store's audit log.
    pub fn actor(&self) -> niveau_store::Actor {
        if self.system {
            niveau_store::Actor::system(self.username.clone())
        } else {
            niveau_store::Actor::user(self.user_id, self.username.clone())
        }
    }

    /// The operator at the console, with every role: `niveau` commands run by whoever
    /// may read the database file or URL, so they act as administrators and are written
    /// in the audit log as `name` (e.g. `cli`, `demo`).
    pub fn system(name: &str) -> Principal {
        Principal {
            user_id: 0,
            username: name.to_owned(),
            display_name: name.to_owned(),
            roles: vec![Role::Admin, Role::Sekretariat],
            product_ids: Vec::new(),
            can_write: true,
            system: true,
        }
    }

    /// Whether the account has `role`.
    pub fn has(&self, role: Role) -> bool {
        self.roles.contains(&role)
    }

    /// Whether the account is the secretariat's or an administrator's (staff see and may
    /// change the whole portfolio).
    pub fn is_staff(&self) -> bool {
        self.has(Role::Admin) || self.has(Role::Sekretariat)
    }
}

/// The caller of an operation: an account, or nobody (the public).
pub type Caller<'a> = Option<&'a Principal>;
