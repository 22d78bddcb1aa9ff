//! `session`: browser sessions, in the database so any instance can serve any request.

use sea_orm::entity::prelude::*;
use serde::{Deserialize, Serialize};

/// A session. The id is the SHA-256 of the cookie value; the cookie value is never stored.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel, Serialize, Deserialize)]
#[sea_orm(table_name = "session")]
pub struct Model {
    /// SHA-256 (hex) of the secret in the cookie.
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: String,
    /// The account.
    pub user_id: i32,
    /// The CSRF token for this session (sent to the page, checked on unsafe requests).
    pub csrf_token: String,
    /// Created.
    pub created_at: chrono::DateTime<chrono::Utc>,
    /// Expires.
    pub expires_at: chrono::DateTime<chrono::Utc>,
    /// Last used.
    pub last_seen_at: chrono::DateTime<chrono::Utc>,
}

/// No navigated relations.
#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
