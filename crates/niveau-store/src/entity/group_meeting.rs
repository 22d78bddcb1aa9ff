//! `group_meeting`: a meeting of a group (styregruppe, koordinationsgruppe, …), with a
//! link to its minutes.

use sea_orm::entity::prelude::*;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

/// A meeting of a group.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel, Serialize, Deserialize, ToSchema)]
#[sea_orm(table_name = "group_meeting")]
#[schema(as = GroupMeeting)]
pub struct Model {
    /// Id.
    #[sea_orm(primary_key)]
    pub id: i32,
    /// The group.
    pub group_id: i32,
    /// The day of the meeting.
    pub held_on: chrono::NaiveDate,
    /// Title or agenda in one line.
    pub title: String,
    /// Link to the minutes (referat).
    pub minutes_url: Option<String>,
    /// Free text.
    pub note: Option<String>,
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
