//! `auth_flow`: a single-sign-on login in progress (state, nonce, PKCE verifier).

use sea_orm::entity::prelude::*;
use serde::{Deserialize, Serialize};

/// A pending OpenID Connect login, keyed by its `state`.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel, Serialize, Deserialize)]
#[sea_orm(table_name = "auth_flow")]
pub struct Model {
    /// The `state` parameter.
    #[sea_orm(primary_key, auto_increment = false)]
    pub state: String,
    /// The nonce expected in the ID token.
    pub nonce: String,
    /// The PKCE verifier.
    pub pkce_verifier: String,
    /// Where to go after login.
    pub return_to: String,
    /// Created.
    pub created_at: chrono::DateTime<chrono::Utc>,
    /// Expires.
    pub expires_at: chrono::DateTime<chrono::Utc>,
}

/// No navigated relations.
#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
