//! `board_meeting`: a meeting of the board, with its date and agenda.

use sea_orm::entity::prelude::*;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

/// A board meeting (bestyrelsesmøde).
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel, Serialize, Deserialize, ToSchema)]
#[sea_orm(table_name = "board_meeting")]
#[schema(as = BoardMeeting)]
pub struct Model {
    /// Id.
    #[sea_orm(primary_key)]
    pub id: i32,
    /// The day of the meeting.
    pub held_on: chrono::NaiveDate,
    /// Title ("Bestyrelsesmøde 12. marts 2027").
    pub title: String,
    /// The agenda beyond the cases (Markdown).
    pub agenda: Option<String>,
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
