//! `user_account`: local and single-sign-on accounts.

use sea_orm::entity::prelude::*;
use serde::{Deserialize, Serialize};

use crate::json::{IdList, RoleList};

/// An account. Never serialised to clients as is: it holds the password hash.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel, Serialize, Deserialize)]
#[sea_orm(table_name = "user_account")]
pub struct Model {
    /// Id.
    #[sea_orm(primary_key)]
    pub id: i32,
    /// Login name, unique.
    #[sea_orm(unique)]
    pub username: String,
    /// Name shown.
    pub display_name: String,
    /// E-mail.
    pub email: Option<String>,
    /// argon2id PHC string; none for single-sign-on-only accounts.
    pub password_hash: Option<String>,
    /// Roles.
    #[sea_orm(column_type = "Json")]
    pub roles: RoleList,
    /// The products a produktredaktør may edit.
    #[sea_orm(column_type = "Json")]
    pub product_ids: IdList,
    /// OIDC issuer of a linked identity.
    pub oidc_issuer: Option<String>,
    /// OIDC subject of a linked identity.
    pub oidc_subject: Option<String>,
    /// Failed logins in a row.
    pub failed_logins: i32,
    /// Locked until (after too many failures).
    pub locked_until: Option<chrono::DateTime<chrono::Utc>>,
    /// Disabled by an admin.
    pub disabled: bool,
    /// Last successful login.
    pub last_login_at: Option<chrono::DateTime<chrono::Utc>>,
    /// Optimistic-concurrency version.
    pub version: i32,
    /// Created.
    pub created_at: chrono::DateTime<chrono::Utc>,
    /// Last changed.
    pub updated_at: chrono::DateTime<chrono::Utc>,
}

/// No navigated relations.
#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
