//! `evaluation_round`: the yearly cycle (årshjul).

use sea_orm::entity::prelude::*;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

/// An evaluation round.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel, Serialize, Deserialize, ToSchema)]
#[sea_orm(table_name = "evaluation_round")]
#[schema(as = EvaluationRound)]
pub struct Model {
    /// Id.
    #[sea_orm(primary_key)]
    pub id: i32,
    /// Name, unique ("Efterår 2026").
    #[sea_orm(unique)]
    pub name: String,
    /// Opening date.
    pub opens_on: chrono::NaiveDate,
    /// Deadline for self-evaluations.
    pub self_evaluation_deadline: chrono::NaiveDate,
    /// Deadline for evaluations.
    pub evaluation_deadline: chrono::NaiveDate,
    /// Free text.
    pub note: Option<String>,
    /// The day the round was closed; none while it runs.
    #[serde(default)]
    pub closed_on: Option<chrono::NaiveDate>,
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
