//! `self_evaluation`: every submitted self-evaluation, never changed afterwards.

use sea_orm::entity::prelude::*;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use crate::types::SubmissionFormat;

/// One version of a product's self-evaluation.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel, Serialize, Deserialize, ToSchema)]
#[sea_orm(table_name = "self_evaluation")]
#[schema(as = SelfEvaluation)]
pub struct Model {
    /// Id.
    #[sea_orm(primary_key)]
    pub id: i32,
    /// The product.
    pub product_id: i32,
    /// Version number within the product: 1, 2, 3…
    pub number: i32,
    /// Model id (`os2-1.1.0`).
    pub model_id: String,
    /// Model version (`1.1.0`).
    pub model_version: String,
    /// How it arrived.
    pub format: SubmissionFormat,
    /// The uploaded text, kept as it came (Markdown or form JSON).
    pub source_text: Option<String>,
    /// The report as Niveau JSON (`niveau.report/1`).
    #[sea_orm(column_type = "Json")]
    pub document: Json,
    /// Importer warnings (with lines), kept with the report.
    #[sea_orm(column_type = "Json")]
    pub warnings: Json,
    /// The level the answers indicate.
    pub indicated_level: Option<String>,
    /// Who submitted it.
    pub submitted_by: String,
    /// When.
    pub submitted_at: chrono::DateTime<chrono::Utc>,
    /// Bytes this version takes: the uploaded text, the document and the warnings, as
    /// stored. Their sum per product is held against the product's upload quota.
    #[serde(default)]
    pub size_bytes: i64,
}

/// No navigated relations.
#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
