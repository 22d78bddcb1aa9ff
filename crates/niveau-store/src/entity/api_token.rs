//! `api_token`: tokens for scripts, stored hashed, scoped, revocable.

use sea_orm::entity::prelude::*;
use serde::{Deserialize, Serialize};

use crate::json::StringList;

/// An API token (the secret itself is shown once and never stored; clients see
/// [`crate::accounts::ApiTokenView`], without the hash).
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel, Serialize, Deserialize)]
#[sea_orm(table_name = "api_token")]
pub struct Model {
    /// Id.
    #[sea_orm(primary_key)]
    pub id: i32,
    /// The account the token acts for.
    pub user_id: i32,
    /// A name for people.
    pub name: String,
    /// SHA-256 (hex) of the secret.
    #[sea_orm(unique)]
    pub token_hash: String,
    /// Scopes: `read`, `write`.
    #[sea_orm(column_type = "Json")]
    pub scopes: StringList,
    /// Created.
    pub created_at: chrono::DateTime<chrono::Utc>,
    /// Expires.
    pub expires_at: Option<chrono::DateTime<chrono::Utc>>,
    /// Revoked.
    pub revoked_at: Option<chrono::DateTime<chrono::Utc>>,
    /// Last used.
    pub last_used_at: Option<chrono::DateTime<chrono::Utc>>,
}

/// No navigated relations.
#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
