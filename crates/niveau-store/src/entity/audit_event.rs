//! `audit_event`: who changed what, when, before and after.

use sea_orm::entity::prelude::*;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

/// One change.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel, Serialize, Deserialize, ToSchema)]
#[sea_orm(table_name = "audit_event")]
#[schema(as = AuditEvent)]
pub struct Model {
    /// Id (ascending in time).
    #[sea_orm(primary_key)]
    pub id: i32,
    /// When.
    pub at: chrono::DateTime<chrono::Utc>,
    /// Who (user name, or `system`).
    pub actor: String,
    /// The account, if a person did it.
    pub actor_user_id: Option<i32>,
    /// What (`create`, `update`, `archive`, `delete`, `submit`, `finalise`…).
    pub action: String,
    /// The entity (`product`, `decision`…).
    pub entity: String,
    /// Its id.
    pub entity_id: Option<i32>,
    /// The record before.
    #[sea_orm(column_type = "Json", nullable)]
    pub before: Option<Json>,
    /// The record after.
    #[sea_orm(column_type = "Json", nullable)]
    pub after: Option<Json>,
}

/// No navigated relations.
#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
