//! `decision`: the decision log, append-only.

use sea_orm::entity::prelude::*;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use crate::types::{DecidedBy, DecisionKind};

/// A logged decision.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel, Serialize, Deserialize, ToSchema)]
#[sea_orm(table_name = "decision")]
#[schema(as = Decision)]
pub struct Model {
    /// Id.
    #[sea_orm(primary_key)]
    pub id: i32,
    /// The product, if the decision is about one.
    pub product_id: Option<i32>,
    /// Date of the decision.
    pub decided_on: chrono::NaiveDate,
    /// Kind.
    pub kind: DecisionKind,
    /// Value before (stage or level).
    pub from_value: Option<String>,
    /// Value after.
    pub to_value: Option<String>,
    /// The model a level refers to.
    pub model_id: Option<String>,
    /// Why.
    pub basis: String,
    /// Who decided.
    pub decided_by: DecidedBy,
    /// Reference (minutes, case number).
    pub reference: Option<String>,
    /// The evaluation that led to it.
    pub evaluation_id: Option<i32>,
    /// Who recorded it.
    pub recorded_by: String,
    /// When it was recorded.
    pub recorded_at: chrono::DateTime<chrono::Utc>,
}

/// No navigated relations.
#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
