//! `progress_report`: a project's report on progress and economy to the secretariat
//! (fremdrift og økonomi). Append-only: a correction is a new report.

use sea_orm::entity::prelude::*;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use crate::types::ProgressStatus;

/// One progress report.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel, Serialize, Deserialize, ToSchema)]
#[sea_orm(table_name = "progress_report")]
#[schema(as = ProgressReport)]
pub struct Model {
    /// Id.
    #[sea_orm(primary_key)]
    pub id: i32,
    /// The project.
    pub product_id: i32,
    /// First day of the period reported on.
    pub period_from: chrono::NaiveDate,
    /// Last day of the period reported on.
    pub period_to: chrono::NaiveDate,
    /// How the project is doing.
    pub status: ProgressStatus,
    /// The approved budget, in whole kroner.
    pub budget: Option<i64>,
    /// Spent so far, in whole kroner.
    pub spent: Option<i64>,
    /// The expected total cost, in whole kroner.
    pub expected_total: Option<i64>,
    /// Progress in words.
    pub progress: String,
    /// Risks.
    pub risks: Option<String>,
    /// Who reported.
    pub reported_by: String,
    /// When it was recorded.
    pub created_at: chrono::DateTime<chrono::Utc>,
}

/// No navigated relations.
#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
