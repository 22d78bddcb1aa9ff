//! `work_group`: steering, coordination, architecture and professional groups.
//! (`group` is an SQL keyword.)

use sea_orm::entity::prelude::*;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use crate::types::GroupKind;

/// A group, usually of one product.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel, Serialize, Deserialize, ToSchema)]
#[sea_orm(table_name = "work_group")]
#[schema(as = Group)]
pub struct Model {
    /// Id.
    #[sea_orm(primary_key)]
    pub id: i32,
    /// The product, or none for community-wide groups.
    pub product_id: Option<i32>,
    /// Kind.
    pub kind: GroupKind,
    /// Name.
    pub name: String,
    /// Link to the group's mandate (kommissorium).
    #[serde(default)]
    pub mandate_url: Option<String>,
    /// Archived instead of deleted.
    pub archived: bool,
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
