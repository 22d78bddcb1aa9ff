//! `board_case`: a case the secretariat prepares for the board (sagsoplæg), and the
//! board's decision on it, recorded once.

use sea_orm::entity::prelude::*;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use crate::json::StringList;
use crate::types::{BoardCaseKind, BoardOutcome};

/// A board case.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel, Serialize, Deserialize, ToSchema)]
#[sea_orm(table_name = "board_case")]
#[schema(as = BoardCase)]
pub struct Model {
    /// Id.
    #[sea_orm(primary_key)]
    pub id: i32,
    /// The product the case concerns.
    pub product_id: i32,
    /// What the board is asked to decide.
    pub kind: BoardCaseKind,
    /// The meeting whose agenda it is on, once placed there.
    pub meeting_id: Option<i32>,
    /// Title.
    pub title: String,
    /// The secretariat's presentation of the case (sagsoplæg, Markdown).
    pub presentation: String,
    /// The material: links (concept description, minutes) as URLs or paths in Niveau
    /// (`/produkter/os2mo/selvevaluering/versioner`).
    #[sea_orm(column_type = "Json")]
    pub material: StringList,
    /// The steering group a `styregruppe` case asks the board to approve.
    pub group_id: Option<i32>,
    /// The evaluation an `evaluering` case escalates.
    pub evaluation_id: Option<i32>,
    /// The board's decision, once recorded (never changed after).
    pub outcome: Option<BoardOutcome>,
    /// The priority the board gave an approved concept (1 = highest).
    pub priority: Option<i32>,
    /// The board's reasons (required for tilbageløb and afvist).
    pub reasons: Option<String>,
    /// The day of the decision.
    pub decided_on: Option<chrono::NaiveDate>,
    /// The decision written in the log for it.
    pub decision_id: Option<i32>,
    /// Who created the case.
    pub created_by: String,
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
