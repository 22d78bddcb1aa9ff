//! `evaluation`: the secretariat's evaluation of a product; its content lives in versions.

use sea_orm::entity::prelude::*;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use crate::types::EvaluationStatus;

/// The head of an evaluation: status and the current version number.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel, Serialize, Deserialize, ToSchema)]
#[sea_orm(table_name = "evaluation")]
#[schema(as = EvaluationHead)]
pub struct Model {
    /// Id.
    #[sea_orm(primary_key)]
    pub id: i32,
    /// The product.
    pub product_id: i32,
    /// The self-evaluation it answers.
    pub self_evaluation_id: Option<i32>,
    /// Model id.
    pub model_id: String,
    /// Model version.
    pub model_version: String,
    /// Status.
    pub status: EvaluationStatus,
    /// Optimistic-concurrency version = the number of the current evaluation version.
    pub version: i32,
    /// Who created it.
    pub created_by: String,
    /// Created.
    pub created_at: chrono::DateTime<chrono::Utc>,
    /// Last changed.
    pub updated_at: chrono::DateTime<chrono::Utc>,
    /// When it became final.
    pub finalised_at: Option<chrono::DateTime<chrono::Utc>>,
    /// When it was published.
    pub published_at: Option<chrono::DateTime<chrono::Utc>>,
    /// The official-level decision taken when it was finalised, waiting for publication
    /// (then written in the decision log and applied to the product).
    #[sea_orm(column_type = "Json", nullable)]
    #[serde(default)]
    #[schema(value_type = Option<Object>)]
    pub pending_decision: Option<Json>,
    /// The name of the person who finalised it ("Evaluering lavet af").
    #[serde(default)]
    pub evaluated_by: Option<String>,
}

/// No navigated relations.
#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
