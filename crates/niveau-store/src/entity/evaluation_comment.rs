//! `evaluation_comment`: the dialogue about one requirement of an evaluation, append-only.

use sea_orm::entity::prelude::*;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

/// One comment.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel, Serialize, Deserialize, ToSchema)]
#[sea_orm(table_name = "evaluation_comment")]
#[schema(as = EvaluationComment)]
pub struct Model {
    /// Id.
    #[sea_orm(primary_key)]
    pub id: i32,
    /// The evaluation.
    pub evaluation_id: i32,
    /// The requirement it is about (`F7`), in the evaluation's model.
    pub requirement: String,
    /// The comment (plain text).
    pub body: String,
    /// Who wrote it.
    pub author: String,
    /// When.
    pub created_at: chrono::DateTime<chrono::Utc>,
}

/// No navigated relations.
#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
