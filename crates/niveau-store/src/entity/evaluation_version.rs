//! `evaluation_version`: every state an evaluation has had.

use sea_orm::entity::prelude::*;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use crate::types::EvaluationStatus;

/// One version of an evaluation.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel, Serialize, Deserialize, ToSchema)]
#[sea_orm(table_name = "evaluation_version")]
#[schema(as = EvaluationVersion)]
pub struct Model {
    /// Id.
    #[sea_orm(primary_key)]
    pub id: i32,
    /// The evaluation.
    pub evaluation_id: i32,
    /// 1, 2, 3…
    pub number: i32,
    /// Status at this version.
    pub status: EvaluationStatus,
    /// Ratings: `[{requirement, rating, basis}]`.
    #[sea_orm(column_type = "Json")]
    pub ratings: Json,
    /// Proposals with source and confidence, as made when the draft was created.
    #[sea_orm(column_type = "Json")]
    pub proposals: Json,
    /// Summary (opsummering).
    pub summary: Option<String>,
    /// Overall assessment (samlet vurdering).
    #[serde(default)]
    pub overall: Option<String>,
    /// Recommendations to the product (anbefalinger).
    #[serde(default)]
    pub recommendations: Option<String>,
    /// The level the ratings indicate.
    pub indicated_level: Option<String>,
    /// Who made this version.
    pub created_by: String,
    /// When.
    pub created_at: chrono::DateTime<chrono::Utc>,
}

/// No navigated relations.
#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
