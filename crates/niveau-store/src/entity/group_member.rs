//! `group_member`: who sits in a group, in which role.

use sea_orm::entity::prelude::*;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use crate::types::GroupRole;

/// A member of a group: a person, or an organisation when the seat is held by an
/// organisation rather than a named person.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel, Serialize, Deserialize, ToSchema)]
#[sea_orm(table_name = "group_member")]
#[schema(as = GroupMember)]
pub struct Model {
    /// Id.
    #[sea_orm(primary_key)]
    pub id: i32,
    /// The group.
    pub group_id: i32,
    /// The person, if named.
    pub person_id: Option<i32>,
    /// The organisation.
    pub organisation_id: Option<i32>,
    /// Role.
    pub role: GroupRole,
    /// Member since.
    #[serde(default)]
    pub since: Option<chrono::NaiveDate>,
    /// Member until (inclusive); none while it lasts.
    #[serde(default)]
    pub until: Option<chrono::NaiveDate>,
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
